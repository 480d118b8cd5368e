"""Search in a real browser: Pagefind's index as built by `guong build`, queried through /tim-kiem/ the
way a citizen does — with and without diacritics, in NFD, by partial words, by filters alone."""

from __future__ import annotations

import gzip
import unicodedata
from urllib.parse import urlencode

import pytest

from browser import axe_violations
from conftest import CONTENT, new_project
from site_server import serve

PREFIX = "/guong-sang/"
FIRST_PAGE = 10

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731

# (URL parameters, profiles that must all be on the first page of results, the one that must come first)
QUERIES = [
    ({"q": "phan dinh loc"}, ["phan-dinh-loc"], "phan-dinh-loc"),
    ({"q": "Phan Đình Lộc"}, ["phan-dinh-loc"], "phan-dinh-loc"),
    ({"q": "do quang vinh"}, ["do-quang-vinh"], "do-quang-vinh"),
    ({"q": "Đỗ Quang Vinh"}, ["do-quang-vinh"], "do-quang-vinh"),
    ({"q": "ksor h'blin"}, ["ksor-h-blin"], "ksor-h-blin"),
    ({"q": "Ksor H’Blin"}, ["ksor-h-blin"], "ksor-h-blin"),
    ({"q": "rah lan hlot"}, ["rah-lan-hlot"], "rah-lan-hlot"),
    ({"q": "tong van bay"}, ["tong-van-bay"], "tong-van-bay"),
    ({"q": "cao thi my duyen"}, ["cao-thi-my-duyen"], "cao-thi-my-duyen"),
    ({"q": "luong thi dieu linh"}, ["luong-thi-dieu-linh"], "luong-thi-dieu-linh"),
    ({"q": "huynh thi kim oanh"}, ["huynh-thi-kim-oanh"], "huynh-thi-kim-oanh"),
    ({"q": NFD("Lê Văn Khiêm")}, ["le-van-khiem"], "le-van-khiem"),
    ({"q": NFD("hợp tác xã lúa sạch")}, ["hop-tac-xa-lua-sach-bo-kenh"], "hop-tac-xa-lua-sach-bo-kenh"),
    ({"q": "nguoi tot viec tot"}, ["phan-dinh-loc", "ro-mah-h-rin"], None),
    ({"q": "giao duc"}, ["lam-thi-bich-ngoc", "vu-thi-hong-nhung", "rah-lan-h-mai", "truong-tieu-hoc-ia-rong"], None),
    ({"q": "Ia Mrơn"}, ["siu-thoai", "hop-tac-xa-lua-sach-bo-kenh"], None),
    ({"q": "ia mron"}, ["siu-thoai", "hop-tac-xa-lua-sach-bo-kenh"], None),
    ({"q": "chu rang"}, ["rah-lan-hlot", "vu-thi-hong-nhung", "to-hop-tac-mia-plei-oi"], None),
    ({"q": "khie"}, ["le-van-khiem"], "le-van-khiem"),
    ({"q": "plei kdr"}, ["lang-plei-kdruh"], "lang-plei-kdruh"),
    ({"q": "quy duc"}, ["chi-hoi-phu-nu-thon-quy-duc"], "chi-hoi-phu-nu-thon-quy-duc"),
    ({"q": "vá xe"}, ["phan-dinh-loc"], "phan-dinh-loc"),
    ({"xa": "Ia Kdăm"}, ["ho-ong-kpa-thuan", "nay-h-yam"], None),
    ({"xa": "Ia Tul (từ 1/7/2025)", "loai": "Hộ gia đình"}, ["ho-ong-nay-blok", "ho-ba-siu-h-nhi", "ho-ong-kpa-thuan"], None),
    ({"linh-vuc": "Y tế, chăm sóc sức khỏe nhân dân"},
     ["ta-quang-huy", "huynh-thi-kim-oanh", "to-y-te-thon-ban-lien-thon-plei-kdang", "nay-h-yam"], None),
    ({"don-vi": "Phòng Giáo dục và Đào tạo", "nam": "2024"}, ["rah-lan-h-mai"], "rah-lan-h-mai"),
    ({"q": "mia", "nam": "2020"}, ["ksor-h-blin"], "ksor-h-blin"),
    ({"q": "buon to kon", "loai": "Cá nhân"}, ["nay-h-yam"], "nay-h-yam"),
]


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site, PREFIX) as (base, requests):
        yield base


def _search(page, base: str, params: dict[str, str]) -> list[str]:
    page.goto(base + "tim-kiem/?" + urlencode(params))
    page.wait_for_function("document.getElementById('tim-kiem-trang-thai').textContent.length > 0")
    page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length > 0 || "
                           "document.getElementById('tim-kiem-trang-thai').textContent.startsWith('Không')")
    # The filters' counts within the results arrive after the results themselves.
    page.wait_for_selector("#tim-kiem-bo-loc[data-so-luong=ket-qua]", state="attached")
    hrefs = page.eval_on_selector_all(".guong-search__title a", "links => links.map(a => a.getAttribute('href'))")
    return [href.split("/guong/")[1].strip("/") for href in hrefs]


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def test_the_query_table_has_at_least_25_queries():
    assert len(QUERIES) >= 25


@pytest.mark.parametrize("params, expected, first", QUERIES, ids=[urlencode(q[0]) for q in QUERIES])
def test_query_finds_expected_profiles_on_the_first_page(page, site_url, params, expected, first):
    found = _search(page, site_url, params)
    assert len(found) <= FIRST_PAGE
    missing = [slug for slug in expected if slug not in found]
    assert not missing, f"{params}: missing {missing}; got {found}"
    if first:
        assert found[0] == first, f"{params}: first result {found[0]}, expected {first}"


def test_results_show_thumbnail_name_place_field_year_and_excerpt(page, site_url):
    _search(page, site_url, {"q": "ksor h'blin"})
    result = page.locator(".guong-search__result").first
    assert result.locator("img").get_attribute("src").endswith(".webp")
    page.wait_for_function("document.querySelector('.guong-search__result img').naturalWidth > 0")
    assert result.locator(".guong-search__title").inner_text() == "Ksor H'Blin"
    assert result.locator(".guong-search__meta").inner_text() == "Pờ Tó · Sản xuất, kinh doanh · 2020"
    assert "<mark>" in result.locator(".guong-search__excerpt").inner_html()
    result.locator(".guong-search__title a").click()
    page.wait_for_url("**/guong/ksor-h-blin/")


def test_a_photo_file_name_does_not_make_a_profile_match(page, site_url):
    # Thumbnail paths ("../../anh/ksor-h-blin-3f9a1c2e-480.webp") once were searchable metadata, so "webp"
    # or "480" found every profile with a photo, and "anh" (a common name) many more than it should.
    for word in ("webp", "480"):
        _search(page, site_url, {"q": word})
        assert page.locator("#tim-kiem-trang-thai").inner_text() == f"Không tìm thấy kết quả cho “{word}”."


def test_filters_show_counts_and_stay_in_the_url(page, site_url):
    _search(page, site_url, {"q": "mia"})
    year = page.locator("#tim-kiem-bo-loc fieldset", has_text="Năm").locator("label", has_text="2020")
    assert year.locator(".guong-count").inner_text() == "1"
    year.locator("input").check()
    page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length === 1")
    assert "q=mia" in page.url and "nam=2020" in page.url
    shared = page.url
    page.goto(site_url + "tim-kiem/")  # a fresh page with nothing chosen offers filters, lists nothing
    page.wait_for_selector("#tim-kiem-bo-loc fieldset")
    assert page.locator("#tim-kiem-ket-qua li").count() == 0
    page.goto(shared)
    page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length === 1")
    assert page.locator("#tim-kiem-q").input_value() == "mia"
    assert page.locator("#tim-kiem-bo-loc input[name=nam][value='2020']").is_checked()


def test_typing_searches_and_keyboard_reaches_results(page, site_url):
    page.goto(site_url + "tim-kiem/")
    assert page.get_by_label("Tìm gương điển hình").is_visible()
    page.get_by_label("Tìm gương điển hình").press_sequentially("nay klim")
    page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length > 0")
    assert "q=nay+klim" in page.url
    page.keyboard.press("Tab")  # the button
    for _ in range(80):  # past every filter's checkboxes (61 for the samples)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.guong-search__title') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Nay Klim"


def test_header_search_form_leads_to_the_search_page(page, site_url):
    page.goto(site_url + "guong/nay-klim/")
    page.get_by_role("search").get_by_label("Tìm kiếm").fill("do quang vinh")
    page.get_by_role("search").get_by_label("Tìm kiếm").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=do+quang+vinh")
    page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length > 0")
    assert page.locator(".guong-search__title a").first.inner_text() == "Đỗ Quang Vinh"


def test_a_visitor_who_never_searches_downloads_no_index(browser, built_site):
    with serve(built_site, PREFIX) as (base, requests):
        page = browser.new_page()
        # The search page itself, opened without a query, offers its filters with their counts.
        for url in ("", "guong/ksor-h-blin/", "xa/ia-tul-2025/", "thong-ke/", "tim-kiem/"):
            page.goto(base + url, wait_until="networkidle")
        assert page.locator("#tim-kiem-bo-loc fieldset").count() == 7
        assert not [r for r in requests if "/pagefind/" in r]
        page.goto(base + "tim-kiem/?q=mia")
        page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length > 0")
        assert any(r.endswith("pagefind.js") for r in requests)
        page.close()


def test_typing_fetches_the_filter_counts_only_once_it_pauses(browser, built_site):
    # The counts within results need every filter chunk; a phone on a slow link should not fetch them
    # for the results of words still being typed.
    with serve(built_site, PREFIX) as (base, requests):
        page = browser.new_page()
        page.goto(base + "tim-kiem/", wait_until="networkidle")
        box = page.get_by_label("Tìm gương điển hình")
        box.press_sequentially("ksor", delay=300)  # slow enough for a search after each letter
        box.press_sequentially(" h'blin", delay=300)
        page.wait_for_function("document.getElementById('tim-kiem-trang-thai').textContent.includes(\"ksor h'blin\")")
        assert any("/pagefind/index/" in r for r in requests)
        assert not [r for r in requests if "/pagefind/filter/" in r]
        page.wait_for_selector("#tim-kiem-bo-loc[data-so-luong=ket-qua]", state="attached")
        assert any("/pagefind/filter/" in r for r in requests)
        page.close()


def test_a_word_without_a_vowel_yet_is_not_searched_while_typing(browser, built_site):
    # "h'b", "h'bl" cannot be whole syllables: searching them would fetch the index chunks of every word
    # so begun. The words before them, and the last word once it has a vowel, are searched as typed
    # (300 ms between keys: longer than the typing pause, shorter than the pause for unfinished words).
    with serve(built_site, PREFIX) as (base, _requests):
        page = browser.new_page()
        page.add_init_script("""
            window.__searched = [];
            document.addEventListener("DOMContentLoaded", () => {
              const status = document.getElementById("tim-kiem-trang-thai");
              new MutationObserver(() => window.__searched.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
            });""")
        page.goto(base + "tim-kiem/", wait_until="networkidle")
        page.get_by_label("Tìm gương điển hình").press_sequentially("ksor h'blin", delay=300)
        page.wait_for_function("document.getElementById('tim-kiem-trang-thai').textContent.includes(\"ksor h'blin\")")
        statuses = page.evaluate("window.__searched")
        searched = {text.split("“")[-1].rstrip("”.") for text in statuses if "“" in text}
        assert {"ksor", "ksor h'blin"} <= searched  # searches do run while typing
        assert not searched & {"ksor h", "ksor h'", "ksor h'b", "ksor h'bl"}
        page.close()


def test_drafts_are_not_in_the_search_index(built_site, taxonomy):
    from generator.content.collection import load_collection

    drafts = [p for p in load_collection(CONTENT, taxonomy).profiles if not p.is_public]
    chunks = b"".join(gzip.decompress(path.read_bytes()) for path in (built_site / "pagefind").rglob("*.pf_*")
                      if path.read_bytes()[:2] == b"\x1f\x8b")
    assert b"ksor-h-blin" in chunks  # the check can see a published profile
    for draft in drafts:
        assert draft.slug.encode() not in chunks
        assert draft.name.encode() not in chunks


def test_search_page_has_no_accessibility_violations(page, site_url):
    _search(page, site_url, {"q": "mia"})
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{width}px"


def test_nfd_written_profile_is_found_and_its_filters_are_not_split(browser, tmp_path):
    from generator.mkdocs_edge.adapter import build_site

    project = new_project(tmp_path / "project", samples=True)
    profile = project / "content" / "guong" / "nay-h-yam.md"
    profile.write_bytes(NFD(profile.read_text(encoding="utf-8")).replace("\n", "\r\n").encode("utf-8"))
    site = build_site(project / "mkdocs.yml")
    with serve(site, PREFIX) as (base, _):
        page = browser.new_page()
        assert _search(page, base, {"q": "nay h'yam"})[0] == "nay-h-yam"
        assert "nay-h-yam" in _search(page, base, {"q": "Nay H'Yăm"})
        assert "nay-h-yam" in _search(page, base, {"xa": "Ia Kdăm"})
        labels = page.eval_on_selector_all("#tim-kiem-bo-loc fieldset:first-of-type label",
                                           "ls => ls.map(l => l.textContent.trim())")
        xa = page.eval_on_selector_all("#tim-kiem-bo-loc input[name=xa]", "bs => bs.map(b => b.value)")
        assert len(xa) == len(set(xa)) and all(unicodedata.is_normalized("NFC", v) for v in xa)
        assert labels
        page.close()
