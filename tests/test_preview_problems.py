"""A live preview (`mkdocs serve`, as scripts/build.sh serve runs it) never goes silent on a profile with
errors: the profile's own page shows its messages, the very lines `guong check` prints; every other page
shows a notice naming the files with errors, linking to their pages; the rest stays browsable, with the
broken profile's last version without errors in the listings; and once the file is fixed the page
returns by itself. A real build refusing to publish meanwhile is pinned by tests/test_publish_safety.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from browser import axe_violations
from conftest import SITE, new_project
from generator.build.preview_session import PreviewSession
from generator.build.site_build import BuildSettings
from generator.content.problems import Problem
from mkdocs_serve import serving, status, text, wait_for

BROKEN = "ksor-h-blin"
SUMMARY_LINE = ('tom_tat: "Hồ sơ mẫu (hư cấu). Chị Ksor H\'Blin ở Plei Hek, xã Pờ Tó, chuyển ruộng mía sang trồng hàng '
                'rộng để đưa máy vào làm, tận dụng ngọn lá mía vỗ béo bò, rồi cùng 11 hộ trong làng lập tổ hợp tác '
                'nuôi bò."\n')
UNCLOSED = 'tom_tat: "Anh Bình sửa cầu: chưa đóng ngoặc\n'
"""YAML that does not parse at all: the quote is closed by the next one, lines later."""
UNCLOSED_MESSAGE = (f'content/guong/{BROKEN}.md:10:10: lỗi: lỗi cú pháp YAML: dấu ngoặc kép (") mở ở đây nhưng '
                    'không được đóng; hãy thêm dấu " ở cuối giá trị, trên cùng dòng')
NEW_BROKEN = "---\nten: Nguyễn Văn Mới\nloai: ca-nhan\nlinh_vuc: san-xuat-kinh-doanh\nxa: po-to\nnam: \"2024\"\n---\n\nBài.\n"
LISTING = "linh-vuc/san-xuat-kinh-doanh/"


def _guong_check(project: Path) -> list[str]:
    run = subprocess.run([Path(sys.executable).parent / "guong", "check", "content"], cwd=project,
                         capture_output=True, text=True, encoding="utf-8")
    return run.stdout.splitlines()[:-1]  # without the summary


def _tree(url: str):
    return lxml.html.fromstring(text(url) or "<html></html>")  # not found (yet): an empty page


def _with_class(name: str) -> str:
    return f"//*[contains(concat(' ', @class, ' '), ' {name} ')]"


def _problems_shown(url: str) -> list[str]:
    return [item.text_content() for item in _tree(url).xpath("//*[@data-guong-problems]" + _with_class("guong-problem"))]


def _notice(base: str) -> str:
    """The notice's HTML, as the preview's notice script carries it ("" without errors)."""
    script = text(base + "xem-truoc/loi.js")
    return json.loads(script[script.rindex("})(") + 3:script.rindex(");")])


def _loads_the_notice(url: str) -> bool:
    return any(src.endswith("xem-truoc/loi.js") for src in _tree(url).xpath("//article//script/@src"))


def test_a_broken_profile_shows_its_messages_and_the_rest_stays_browsable(tmp_path):
    project = new_project(tmp_path / "project", samples=True)
    source = project / "content" / "guong" / f"{BROKEN}.md"
    original = source.read_text(encoding="utf-8")
    assert SUMMARY_LINE in original
    with serving(project, tmp_path / "serve.log", "--dirty") as (base, server):
        wait_for(lambda: status(base + f"guong/{BROKEN}/") == 200, "the first build")
        assert _loads_the_notice(base) and _notice(base) == ""

        source.write_text(original.replace(SUMMARY_LINE, UNCLOSED), encoding="utf-8")
        wait_for(lambda: _problems_shown(base + f"guong/{BROKEN}/"), "the messages on the profile's page")
        assert _problems_shown(base + f"guong/{BROKEN}/") == _guong_check(project) == [UNCLOSED_MESSAGE]
        page = _tree(base + f"guong/{BROKEN}/")
        assert page.xpath("//h1")[0].text_content() == "Ksor H'Blin"  # the last good version's name
        assert "vẫn hiện bản không lỗi gần nhất" in page.text_content()
        assert page.xpath(_with_class("md-header")) and _loads_the_notice(base + f"guong/{BROKEN}/")  # the portal's page

        # Every other page loads the notice, which names the file and links to its page.
        notice = lxml.html.fromstring(_notice(base))
        assert notice.xpath("//p")[0].text_content() == "1 hồ sơ có lỗi: bản xem trước chưa cập nhật hồ sơ này"
        assert [(a.get("data-guong-href"), a.text_content(), a.tail) for a in notice.xpath("//li/a")] == [
            (f"guong/{BROKEN}/", f"content/guong/{BROKEN}.md", ": 1 lỗi")]
        for other in ("", "guong/nay-klim/", LISTING, "xa/po-to/"):
            assert status(base + other) == 200 and _loads_the_notice(base + other), other
        # The listing still has the profile's card, from its last version without errors; its other pages too.
        listing = _tree(base + LISTING)
        assert "Ksor H'Blin" in [card.text_content() for card in listing.xpath(_with_class("guong-card__title"))]
        assert _tree(base + "guong/nay-klim/").xpath(_with_class("guong-profile") + "//h1")[0].text_content() == "Nay Klim"
        assert server.poll() is None

        # A new file broken from the start has no last good version: its page has the messages only.
        new = project / "content" / "guong" / "nguyen-van-moi.md"
        new.write_text(NEW_BROKEN, encoding="utf-8")
        wait_for(lambda: _problems_shown(base + "guong/nguyen-van-moi/"), "the new file's messages")
        shown = _problems_shown(base + "guong/nguyen-van-moi/")
        assert shown == [line for line in _guong_check(project) if "nguyen-van-moi" in line] and shown == [
            "content/guong/nguyen-van-moi.md:1:1: lỗi: thiếu khóa bắt buộc 'tom_tat' (tóm tắt)",
            "content/guong/nguyen-van-moi.md:1:1: lỗi: thiếu khóa bắt buộc 'trang_thai' (trạng thái)",
            "content/guong/nguyen-van-moi.md:6:1: lỗi: giá trị của 'nam' (năm) không được đặt trong ngoặc: "
            "hãy bỏ dấu ngoặc, viết nam: 2024",
        ]
        page = _tree(base + "guong/nguyen-van-moi/")
        assert page.xpath("//h1")[0].text_content() == "nguyen-van-moi.md"
        assert "chưa có trong các danh sách" in page.text_content()
        assert "nguyen-van-moi" not in text(base + LISTING)
        notice = lxml.html.fromstring(_notice(base))
        assert notice.xpath("//p")[0].text_content() == "2 hồ sơ có lỗi: bản xem trước chưa cập nhật các hồ sơ này"
        assert [a.text_content() + a.tail for a in notice.xpath("//li/a")] == [
            f"content/guong/{BROKEN}.md: 1 lỗi", "content/guong/nguyen-van-moi.md: 3 lỗi"]

        # A file whose name is no slug has no page: the notice lists its messages itself.
        misnamed = project / "content" / "guong" / "Hồ sơ mới.md"
        misnamed.write_text("Chưa có phần khai báo.\n", encoding="utf-8")
        wait_for(lambda: "Hồ sơ mới.md" in _notice(base), "the misnamed file in the notice")
        item = next(li for li in lxml.html.fromstring(_notice(base)).xpath("//*[@data-guong-notice]/ul/li")
                    if li.text_content().startswith("content/guong/Hồ sơ mới.md"))
        assert not item.xpath("a") and [li.text_content() for li in item.xpath("ul/li")] == [
            line for line in _guong_check(project) if "Hồ sơ mới.md" in line] and len(item.xpath("ul/li")) == 1
        misnamed.unlink()

        # Fixed: the page is the profile again, the notice goes.
        source.write_text(original, encoding="utf-8")
        new.unlink()
        wait_for(lambda: _tree(base + f"guong/{BROKEN}/").xpath(_with_class("guong-profile")), "the fixed profile's page")
        wait_for(lambda: status(base + "guong/nguyen-van-moi/") == 404, "the removed file's page to go")
        wait_for(lambda: _notice(base) == "", "the notice to go")
        assert server.poll() is None and status(base) == 200


def test_the_open_pages_turn_to_the_messages_and_back_by_themselves(tmp_path, browser):
    """In Chromium, without anyone reloading: the open profile page becomes the page of messages and
    another open page gets the notice with a working link; after the fix both are as before. Full
    rebuilds here (plain `mkdocs serve`), only changed pages in the test above."""
    project = new_project(tmp_path / "project", samples=True)
    source = project / "content" / "guong" / f"{BROKEN}.md"
    original = source.read_text(encoding="utf-8")
    with serving(project, tmp_path / "serve.log") as (base, server):
        wait_for(lambda: status(base + f"guong/{BROKEN}/") == 200, "the first build")
        profile, listing = browser.new_page(), browser.new_page()
        try:
            profile.goto(base + f"guong/{BROKEN}/")
            listing.goto(base + LISTING)
            assert profile.locator(".guong-profile h1").inner_text() == "Ksor H'Blin"
            assert listing.locator("[data-guong-notice]").count() == 0

            source.write_text(original.replace(SUMMARY_LINE, UNCLOSED), encoding="utf-8")
            profile.wait_for_selector("[data-guong-problems]", timeout=60_000)
            assert profile.locator(".guong-problem").all_inner_texts() == [UNCLOSED_MESSAGE]
            assert profile.locator(".guong-profile").count() == 0
            notice = listing.wait_for_selector("[data-guong-notice]", timeout=60_000)
            assert notice.is_visible()
            assert "1 hồ sơ có lỗi" in notice.inner_text()
            link = listing.locator("[data-guong-notice] a")
            assert link.inner_text() == f"content/guong/{BROKEN}.md"
            assert link.get_attribute("href") == base + f"guong/{BROKEN}/"
            # Styled as the portal's own boxes (Material's admonition), at the top of the content.
            assert listing.evaluate("""() => {
                const box = document.querySelector("[data-guong-notice]");
                return getComputedStyle(box).borderLeftStyle !== "none"
                    && box.closest("article.md-content__inner") !== null;
            }""")
            assert listing.locator(".guong-card__title", has_text="Ksor H'Blin").count() == 1
            assert axe_violations(profile) == [] and axe_violations(listing) == []

            source.write_text(original, encoding="utf-8")
            profile.wait_for_selector(".guong-profile", timeout=60_000)
            assert profile.locator("[data-guong-problems]").count() == 0
            listing.wait_for_selector("[data-guong-notice]", state="detached", timeout=60_000)
            assert server.poll() is None
        finally:
            profile.close()
            listing.close()


def test_a_photo_that_cannot_be_read_makes_its_profile_a_page_of_messages(tmp_path):
    """A cut-off photo passes `guong check` (its header is fine) and stops a real build when it is
    decoded; a preview shows the message on the profile's page, and the profile without it elsewhere.
    Engine-free: the preview build as MkDocs' plugin drives it."""
    project = new_project(tmp_path / "project", samples=True)
    photo = project / "content" / "anh" / f"{BROKEN}.jpg"
    photo.write_bytes(photo.read_bytes()[:3000])
    settings = BuildSettings(config_file=project / "mkdocs.yml", docs_dir=project / "content",
                             site_dir=tmp_path / "site", site=SITE, cache_dir=tmp_path / "cache", drafts=True)
    build = PreviewSession().rebuild(settings, only_changed=False)
    reported: list[Problem] = []
    portal = build.load(reported.append)
    message = (f"content/guong/{BROKEN}.md:1:1: lỗi: {BROKEN}.jpg: không đọc được ảnh: tệp bị hỏng, chưa tải về "
               "hết, hoặc không phải ảnh JPEG, PNG, WebP. Hãy mở thử ảnh trên máy tính rồi lưu lại (hoặc chụp, tải lại).")
    assert [problem.format() for problem in reported] == [message]
    (broken,) = build.broken
    assert (broken.path, broken.url, [p.format() for p in broken.problems]) == (
        f"content/guong/{BROKEN}.md", f"guong/{BROKEN}/", [message])
    assert portal.pages[f"guong/{BROKEN}/"].template == "problems.html"
    assert BROKEN in [profile.slug for profile in portal.profiles] and BROKEN not in build.photos
    build.stop()


def test_a_real_build_after_a_preview_in_the_same_process_still_refuses_errors(tmp_path):
    """MkDocs keeps one instance of the plugin per process: a build after a preview (here, the preview
    first, in-process, as tests/test_site.py does) must not carry on with the preview's session, which
    shows errors instead of refusing them and writes straight into the site."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.mkdocs_edge.adapter import BuildFailed, build_site

    project = new_project(tmp_path / "project", samples=True)
    source = project / "content" / "guong" / f"{BROKEN}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(SUMMARY_LINE, UNCLOSED), encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert (tmp_path / "preview" / "guong" / BROKEN / "index.html").read_text(encoding="utf-8").count(
        "data-guong-problems") == 1

    with pytest.raises(BuildFailed):
        build_site(project / "mkdocs.yml")
    assert not (project / "site").exists()
