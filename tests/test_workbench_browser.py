"""The workbench end to end in Debian's Chromium: Decap CMS served by `guong soan`, an editor's edits
through the form, a refused save, restoring what was typed, and nothing fetched from another host."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import new_project
from site_server import serve
from workbench_server import GUONG, workbench

GOOD = "content/guong/buon-to-nong.md"
BAD = "content/guong/cao-thi-my-duyen.md"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return new_project(tmp_path_factory.mktemp("soan-browser"), samples=True)


@pytest.fixture(scope="module")
def base(project) -> str:
    with workbench(project) as url:
        yield url


@pytest.fixture
def context(browser, base):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.requests = requests
    yield context
    context.close()
    foreign = [url for url in requests if not url.startswith((base, "blob:", "data:"))]
    assert foreign == [], "requested from another host"


def save(page) -> None:
    page.get_by_text("Lưu", exact=True).first.click()
    page.get_by_text("Lưu ngay", exact=True).click()


def test_the_editor_lists_opens_edits_and_saves_a_profile(context, base, project):
    page = context.new_page()
    page.goto(base)
    names = page.locator("a[href^='#/collections/guong/entries/']")
    names.first.wait_for()
    assert names.count() == len(list((project / "content/guong").glob("*.md")))
    page.get_by_text("Buôn Tơ Nông · 2024", exact=True).click()
    page.get_by_label("Thôn, làng").fill("Buôn Tơ Nông (sửa trong trình soạn thảo)")
    preview = page.frame_locator("iframe").first
    preview.locator("[data-soan-kiem-tra='hop-le']").wait_for()
    assert preview.locator("h1").inner_text() == "Buôn Tơ Nông"
    # The pane follows the form (checked again 300 ms after typing stops).
    preview.locator(".guong-facts dd", has_text="Buôn Tơ Nông (sửa trong trình soạn thảo)").wait_for()
    before = (project / GOOD).read_text(encoding="utf-8")
    save(page)
    page.get_by_text("Đã kiểm tra và lưu hồ sơ").wait_for()
    after = (project / GOOD).read_text(encoding="utf-8")
    assert after == before.replace("thon: Buôn Tơ Nông\n", "thon: Buôn Tơ Nông (sửa trong trình soạn thảo)\n")
    checked = subprocess.run([GUONG, "check", str(project / GOOD)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_an_invalid_save_writes_nothing_and_what_was_typed_is_restored_after_closing(context, base, project):
    before = (project / BAD).read_bytes()
    page = context.new_page()
    page.goto(base + "#/collections/guong/entries/cao-thi-my-duyen")
    summary = page.get_by_label("Tóm tắt")
    summary.fill("Quá ngắn")
    message = ("content/guong/cao-thi-my-duyen.md:8:1: lỗi: 'tom_tat' (tóm tắt) quá ngắn (8 ký tự; cần ít nhất 20)")
    preview = page.frame_locator("iframe").first
    shown = preview.locator("[data-soan-kiem-tra='loi'] li")
    shown.first.wait_for()
    assert shown.all_inner_texts() == [message]
    save(page)
    page.get_by_text(message).first.wait_for()
    assert (project / BAD).read_bytes() == before
    expect(summary).to_have_value("Quá ngắn")  # the refused save left the form as it was
    page.wait_for_timeout(2500)  # Decap keeps its backup of the form 2 s after the last change
    page.close()
    # The browser tab was closed without saving: the typed text is kept in the browser, opening the
    # profile again offers it, and accepting brings it back into the form (and it stays there).
    again = context.new_page()
    offered: list[str] = []
    again.on("dialog", lambda dialog: (offered.append(dialog.message), dialog.accept()))
    again.goto(base + "#/collections/guong/entries/cao-thi-my-duyen")
    preview = again.frame_locator("iframe").first
    preview.locator("[data-soan-kiem-tra='loi'] li", has_text=message).wait_for()
    assert offered == ["Trình duyệt còn giữ những gì bạn đã gõ cho hồ sơ này mà chưa lưu được. Khôi phục lại không?"]
    restored = again.get_by_label("Tóm tắt")
    expect(restored).to_have_value("Quá ngắn")
    again.wait_for_timeout(1000)  # the saved profile, had it come after the restore, would have replaced it
    expect(restored).to_have_value("Quá ngắn")
    restored.fill("Chuyên viên số hóa hồ sơ khen thưởng (đã khôi phục rồi sửa).")
    save(again)
    again.get_by_text("Đã kiểm tra và lưu hồ sơ").wait_for()
    text = (project / BAD).read_text(encoding="utf-8")
    assert "tom_tat: Chuyên viên số hóa hồ sơ khen thưởng (đã khôi phục rồi sửa).\n" in text, text[:400]


def test_a_page_of_another_origin_cannot_write_a_profile(context, base, project, tmp_path):
    attacker = tmp_path / "trang-la"
    attacker.mkdir()
    (attacker / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    before = (project / GOOD).read_bytes()
    with serve(attacker) as (other, _):
        page = context.new_page()
        page.goto(other)
        outcome = page.evaluate("""async (api) => {
            const body = JSON.stringify({action: "persistEntry", params: {dataFiles: [{path: "content/guong/buon-to-nong.md",
                raw: JSON.stringify({ten: "Bị ghi đè"})}], assets: []}});
            try { const r = await fetch(api, {method: "POST", body, headers: {"Content-Type": "application/json"}});
                  return "read " + r.status; }
            catch (e) { return "blocked"; }
        }""", base + "api/v1")
        page.evaluate("""async (api) => { await fetch(api, {method: "POST", mode: "no-cors",
            body: JSON.stringify({action: "deleteFile", params: {path: "content/guong/buon-to-nong.md"}})}); }""",
                      base + "api/v1")
    assert outcome == "blocked"
    assert (project / GOOD).read_bytes() == before
    context.requests.clear()  # the other origin's own page was requested on purpose
