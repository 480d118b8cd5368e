"""The portal in a real browser (Playwright + Debian's Chromium), served under a sub-path the way the
district portal would host it: WCAG 2.1 AA at desktop and phone widths, no request to another host, and a
profile that prints on A4."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import urlsplit

import pytest

from browser import axe_violations
from conftest import SITE
from site_server import serve

PREFIX = "/guong-sang/"
WIDTHS = (1280, 390)
PAGES = {
    "home": "",
    "profile": "guong/ksor-h-blin/",
    "profile with a table of commendations and no photo": "guong/cao-thi-my-duyen/",
    "profile with a table in its story": "guong/hop-tac-xa-lua-sach-bo-kenh/",
    "field": "linh-vuc/san-xuat-kinh-doanh/",
    "old commune": "xa/po-to/",
    "new commune": "xa/ia-tul-2025/",
    "district level": "xa/cap-huyen/",
    "unit": "don-vi/phong-gd-dt/",
    "year": "nam/2020/",
    "movement": "phong-trao/hoc-tap-lam-theo-bac/",
    "statistics": "thong-ke/",
    "fields index": "linh-vuc/",
    "communes index": "xa/",
}


@pytest.fixture(scope="module")
def site(built_site):
    with serve(built_site, PREFIX) as (base, requests):
        yield base, requests


@pytest.fixture
def page(browser):
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.requested = requested
    yield page
    page.close()


def test_the_listed_pages_exist(site, built_site):
    for url in PAGES.values():
        assert (built_site / url / "index.html").is_file(), url


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_accessibility_violations(page, site, name, width):
    base, _ = site
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(base + PAGES[name], wait_until="load")
    assert response.status == 200
    assert axe_violations(page) == []


def test_pages_request_nothing_from_another_host(page, site):
    base, _ = site
    own = urlsplit(base).netloc
    for url in PAGES.values():
        page.goto(base + url, wait_until="networkidle")
    page.goto(base + "tim-kiem/?q=mia", wait_until="networkidle")
    assert page.requested, "the request log saw nothing"
    foreign = sorted({r for r in page.requested if urlsplit(r).scheme != "data" and urlsplit(r).netloc != own})
    assert foreign == []
    # Fonts with Vietnamese glyphs come from the site itself and are actually used.
    assert any(r.endswith("vietnamese-400-normal.woff2") for r in page.requested)


def test_every_request_under_the_sub_path_succeeds(page, site):
    base, _ = site
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for url in PAGES.values():
        page.goto(base + url, wait_until="networkidle")
    assert failed == []


def test_nav_and_cards_link_within_the_sub_path(page, site):
    base, _ = site
    page.goto(base + "xa/po-to/")
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    own = [h for h in hrefs if h.startswith("http://127.0.0.1")]
    assert own and all(urlsplit(h).path.startswith(PREFIX) for h in own)
    page.locator(".guong-card__link", has_text="Ksor H'Blin").click()
    page.wait_for_url("**/guong-sang/guong/ksor-h-blin/")


def test_profile_prints_on_a4_without_navigation(page, site):
    base, _ = site
    page.goto(base + "guong/ksor-h-blin/", wait_until="networkidle")
    assert page.get_by_role("button", name="In trang này").is_visible()
    last_paragraph = page.locator(".guong-story p").last.inner_text()
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", "[data-guong-print]",
                   ".guong-related"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1", ".guong-photo img", ".guong-facts", "#khen-thuong"):
        assert page.locator(shown).first.is_visible(), shown
    # The whole story is there: nothing collapsed, clipped or cut by a fixed height.
    story = page.locator(".guong-story")
    assert story.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && getComputedStyle(e).overflow !== 'hidden'")
    assert page.locator(".guong-story p").last.inner_text() == last_paragraph
    assert page.locator(".guong-story p").last.is_visible()
    pdf = page.pdf(format="A4", print_background=False)
    # A4 is 595 × 842 points; the profile needs no more than a few pages.
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595.9) < 1.5 and abs(float(h) - 842.9) < 1.5 for w, h in boxes)
    assert 1 <= len(boxes) <= 4


def test_a_printed_profile_carries_a_qr_code_of_its_public_page(page, site, tmp_path):
    base, _ = site
    page.goto(base + "guong/ksor-h-blin/", wait_until="networkidle")
    assert not page.locator(".guong-print-qr").is_visible()  # on paper only
    page.emulate_media(media="print")
    assert page.locator(".guong-print-qr").is_visible()
    (tmp_path / "trang.pdf").write_bytes(page.pdf(format="A4"))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "trang.pdf"), str(tmp_path / "trang")], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", *map(str, sorted(tmp_path.glob("trang*.png")))],
                             capture_output=True, text=True)
    assert decoded.stdout.split() == [SITE.root + "guong/ksor-h-blin/"]  # site_url, wherever the copy is served


def test_print_button_opens_the_print_dialog(page, site):
    base, _ = site
    page.goto(base + "guong/ksor-h-blin/")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="In trang này").click()
    assert page.evaluate("window.__printed") == 1


def test_phone_width_has_no_horizontal_scroll(page, site):
    base, _ = site
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("", "guong/ksor-h-blin/", "thong-ke/", "xa/ia-tul-2025/"):
        page.goto(base + url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url


def test_a_wide_story_table_scrolls_inside_its_own_box_on_a_phone(page, site):
    base, _ = site
    page.set_viewport_size({"width": 320, "height": 640})  # the narrowest phones still in use
    page.goto(base + "guong/hop-tac-xa-lua-sach-bo-kenh/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator(".guong-story .guong-table-wrap")
    assert box.count() == 1
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider than the phone
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.guong-story .guong-table-wrap').scrollLeft > 0",
                           timeout=5_000)

