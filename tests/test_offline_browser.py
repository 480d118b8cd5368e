"""The portal as an installable, offline-capable app, in Chromium under a sub-path: pages and searches
read online work with the browser context offline, a page never read shows the offline page, a rebuild
reaches the next online visit, the manifest is what Chromium installs from, and nothing of a preview is
ever kept."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from conftest import CONTENT, new_project
from site_server import serve

PREFIX = "/guong-sang/"
OFFLINE_SEARCH = ("Không có kết nối mạng: tìm kiếm này cần dữ liệu chưa được lưu trên máy. "
                  "Hãy thử lại khi có mạng.")
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""
KEPT = "async (url) => (await (" + CACHED_URLS + ")()).includes(url)"


def _context(browser):
    return browser.new_context(service_workers="allow")


def _controlled(page) -> None:
    """The worker is active and controls the page (it claims pages loaded before it)."""
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def _read(page, url: str) -> str:
    """Open `url` online and wait until the worker has kept it; the article's text."""
    page.goto(url, wait_until="load")
    _controlled(page)
    page.wait_for_function(KEPT, arg=url)
    return page.locator("article.md-content__inner").inner_text()


def _results(page) -> list[str]:
    page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length > 0")
    page.wait_for_selector("#tim-kiem-bo-loc[data-so-luong=ket-qua]", state="attached")
    return page.eval_on_selector_all(".guong-search__title a", "links => links.map(a => a.textContent)")


@pytest.fixture(scope="module")
def site(built_site):
    with serve(built_site, PREFIX) as (base, requests):
        yield base, requests


@pytest.fixture(scope="module")
def offline_session(browser, site):
    """One visitor: reads three pages and one search online, then loses the connection."""
    base, _ = site
    context = _context(browser)
    page = context.new_page()
    read = {url: _read(page, base + url) for url in ("", "guong/ksor-h-blin/", "xa/ia-tul-2025/")}
    page.goto(base + "tim-kiem/?" + urlencode({"q": "mia"}))
    found = _results(page)
    page.wait_for_function(KEPT, arg=base + "tim-kiem/")
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    yield page, read, found
    context.close()


def test_pages_read_online_reload_offline_with_their_content(offline_session, site):
    page, read, _ = offline_session
    base, _ = site
    for url, text in read.items():
        response = page.goto(base + url)
        assert response.status == 200, url
        assert page.locator("article.md-content__inner").inner_text() == text, url
    page.goto(base + "guong/ksor-h-blin/")
    page.wait_for_function("document.querySelector('.guong-photo img').complete")
    assert page.evaluate("document.querySelector('.guong-photo img').naturalWidth") > 0
    # Fonts and stylesheets come from the worker's cache: the page is styled, in the site's font.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == "rgb(142, 27, 27)"
    page.wait_for_function("document.fonts.check('16px \"Be Vietnam Pro\"', 'Đ')")


def test_the_same_search_shows_its_results_offline(offline_session, site):
    page, _, found = offline_session
    base, _ = site
    page.goto(base + "tim-kiem/?" + urlencode({"q": "mia"}))
    assert _results(page) == found and found
    assert page.locator("#tim-kiem-trang-thai").inner_text() == f"{len(found)} kết quả cho “mia”"


def test_a_search_needing_chunks_not_kept_says_it_is_offline(offline_session, site):
    page, _, _ = offline_session
    base, _ = site
    page.goto(base + "tim-kiem/?" + urlencode({"q": "nay klim"}))
    # The index (one chunk for the samples) was kept with the first search, so the count shows first;
    # the result's excerpt (its fragment) was not, and the line then says the phone is offline.
    expect(page.locator("#tim-kiem-trang-thai")).to_have_text(OFFLINE_SEARCH)
    expect(page.locator("#tim-kiem-ket-qua li")).to_have_count(0)


def test_a_page_never_read_shows_the_offline_page_with_the_pages_kept(offline_session, site):
    page, read, _ = offline_session
    base, _ = site
    response = page.goto(base + "xa/po-to/")
    assert response.status == 503
    assert page.locator("h1").inner_text() == "Không có kết nối"
    assert page.get_by_role("link", name="thử lại").get_attribute("href") == base + "xa/po-to/"
    links = page.eval_on_selector_all(".guong-offline__pages a", "as => as.map(a => [a.textContent, a.href])")
    assert {href for _, href in links} == {base + url for url in read} | {base + "tim-kiem/"}
    assert dict(links)["Ksor H'Blin"] == base + "guong/ksor-h-blin/"
    assert dict(links)["Tìm kiếm"] == base + "tim-kiem/"
    # Styled from the cache, under the sub-path, and its links open the kept pages.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == "rgb(142, 27, 27)"
    page.get_by_role("link", name="Ksor H'Blin").click()
    page.wait_for_url(base + "guong/ksor-h-blin/")
    assert page.locator("article.md-content__inner").inner_text() == read["guong/ksor-h-blin/"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_the_manifest_is_valid_and_its_icons_exist(browser, site, built_site):
    base, _ = site
    context = _context(browser)
    page = context.new_page()
    page.goto(base + "guong/ksor-h-blin/")
    cdp = context.new_cdp_session(page)
    app = cdp.send("Page.getAppManifest")
    assert app["url"] == base + "manifest.webmanifest"
    assert app["errors"] == []
    manifest = json.loads(app["data"])
    assert manifest["name"] == "Gương sáng Ia Pa" and manifest["short_name"] == "Gương sáng"
    assert manifest["lang"] == "vi" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#8e1b1b" and manifest["background_color"] == "#ffffff"
    # Chromium's own reading of it: start URL and scope at the site's root, under the sub-path.
    parsed = app["manifest"]
    assert parsed["startUrl"] == base and parsed["scope"] == base
    sizes = {}
    for icon in manifest["icons"]:
        response = page.request.get(base + icon["src"])
        assert response.status == 200 and response.headers["content-type"] == "image/png", icon["src"]
        sizes[icon["sizes"]] = _png_size(built_site / icon["src"])
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}
    # Every page of the site links the same manifest, relative to itself.
    for html in built_site.rglob("*.html"):
        relative = html.relative_to(built_site)
        if relative.parts[0] in ("nhung", "pagefind") or relative.name == "khong-co-ket-noi.html":
            continue  # embeds live in other sites' pages; the offline page is the worker's
        if relative.name == "404.html":
            continue  # MkDocs writes it with site_url's own path (the site's root, wherever it is served)
        depth = len(relative.parts) - 1
        expected = "/".join([".."] * depth) + "/manifest.webmanifest" if depth else "./manifest.webmanifest"
        assert f'<link rel="manifest" href="{expected}">' in html.read_text(encoding="utf-8"), relative
    context.close()


def test_no_request_before_the_page_has_loaded(browser, site):
    # The worker, the manifest's icons and what the worker caches are fetched after the load event.
    base, _ = site
    context = _context(browser)
    page = context.new_page()
    before_load: list[str] = []
    loaded = []
    page.on("load", lambda _page: loaded.append(True))
    context.on("request", lambda request: None if loaded else before_load.append(request.url))
    page.goto(base + "guong/ksor-h-blin/", wait_until="load")
    _controlled(page)
    assert before_load and not [url for url in before_load
                                if url.endswith(("service-worker.js", ".webmanifest", "guong-192.png"))]
    context.close()


def _project(tmp_path: Path, extra: str = "") -> Path:
    project = new_project(tmp_path / "project", samples=True)
    if extra:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "\n  - guong " in text
        config.write_text(text.replace("\n  - guong ", f"\n  - guong:\n{extra}\n  #", 1), encoding="utf-8")
    return project


def _version(site: Path) -> str:
    first = (site / "service-worker.js").read_text(encoding="utf-8").splitlines()[0]
    return first.rsplit(" ", 1)[1].rstrip(".")


def test_a_rebuild_shows_on_the_next_online_visit(browser, tmp_path):
    from generator.mkdocs_edge.adapter import build_site

    project = _project(tmp_path)
    site = build_site(project / "mkdocs.yml")
    old = _version(site)
    with serve(site, PREFIX) as (base, _):
        context = _context(browser)
        page = context.new_page()
        url = base + "guong/ksor-h-blin/"
        assert "tổ hợp tác nuôi bò" in _read(page, url)
        profile = project / "content" / "guong" / "ksor-h-blin.md"
        profile.write_text(profile.read_text(encoding="utf-8").replace("tổ hợp tác nuôi bò", "tổ hợp tác nuôi dê"),
                           encoding="utf-8")
        build_site(project / "mkdocs.yml")  # into the same folder the server serves
        new = _version(site)
        assert new != old  # the summary is in the search index, whose files the worker caches

        page.goto(url)
        assert "tổ hợp tác nuôi dê" in page.locator("article.md-content__inner").inner_text()
        # The new worker took over and deleted the old version's caches.
        page.wait_for_function("""([old, fresh]) => caches.keys().then(names =>
            names.includes("guong-tai-nguyen-" + fresh) && !names.some(n => n.endsWith(old)))""", arg=[old, new])
        page.wait_for_function("""fresh => navigator.serviceWorker.controller.scriptURL.endsWith("service-worker.js")
            && caches.has("guong-tai-nguyen-" + fresh)""", arg=new)
        page.wait_for_function("""async (url) => {
            const kept = await (await caches.open("guong-trang-1")).match(url);
            return kept && (await kept.text()).includes("tổ hợp tác nuôi dê"); }""", arg=url)
        context.set_offline(True)
        page.reload()
        assert "tổ hợp tác nuôi dê" in page.locator("article.md-content__inner").inner_text()
        context.close()


def test_photos_are_dropped_first_to_stay_within_the_cap(browser, tmp_path):
    from generator.mkdocs_edge.adapter import build_site

    cap = 0.08  # MB: three profile pages fit, not with their photos
    site = build_site(_project(tmp_path, f"      offline_cache_mb: {cap}") / "mkdocs.yml")
    slugs = ["ksor-h-blin", "chi-doan-buon-ma-giai", "co-quan-hoi-nong-dan-huyen", "ro-mah-hyun"]
    sizes = [len((site / "guong" / slug / "index.html").read_bytes()) for slug in slugs]
    assert sum(sizes[:3]) < cap * 1024 * 1024 < sum(sizes)
    with serve(site, PREFIX) as (base, _):
        context = _context(browser)
        page = context.new_page()
        for slug in slugs[:3]:
            _read(page, base + f"guong/{slug}/")
            page.wait_for_function("document.querySelector('.guong-photo img').complete")
        # Pages kept, photos dropped, the total under the cap.
        usage = """async () => {
            let total = 0; const kept = {};
            for (const name of ["guong-trang-1", "guong-anh-1", (await caches.keys()).find(n => n.startsWith("guong-tim-kiem-"))]) {
              if (!name) continue;
              const cache = await caches.open(name);
              kept[name] = [];
              for (const request of await cache.keys()) {
                total += Number((await cache.match(request)).headers.get("X-Guong-Bytes"));
                kept[name].push(request.url);
              }
            }
            return [total, kept]; }"""
        page.wait_for_function(f"({usage})().then(([total]) => total > 0)")
        total, kept = page.evaluate(usage)
        assert total <= cap * 1024 * 1024
        assert sorted(kept["guong-trang-1"]) == sorted(base + f"guong/{slug}/" for slug in slugs[:3])
        # A fourth page: no photo is left, and the page read first goes.
        _read(page, base + f"guong/{slugs[3]}/")
        page.wait_for_function(f"""({usage})().then(([total, kept]) => kept["guong-anh-1"].length === 0
            && !kept["guong-trang-1"].includes({json.dumps(base + "guong/" + slugs[0] + "/")}))""")
        total, kept = page.evaluate(usage)
        assert total <= cap * 1024 * 1024
        assert base + f"guong/{slugs[3]}/" in kept["guong-trang-1"]
        context.close()


def _preview(project: Path, folder: Path) -> Path:
    """What `mkdocs serve` builds (drafts shown), into `folder`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(folder))
    config.plugins.on_startup(command="serve", dirty=False)  # what `mkdocs serve` tells plugins
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return folder


def test_nothing_of_a_preview_is_ever_cached(browser, tmp_path, taxonomy):
    from generator.content.collection import load_collection
    from generator.mkdocs_edge.adapter import build_site

    draft = next(p for p in load_collection(CONTENT, taxonomy).profiles if not p.is_public)
    project = _project(tmp_path)
    published = build_site(project / "mkdocs.yml")
    preview = _preview(project, tmp_path / "preview")
    assert not (preview / "service-worker.js").exists()
    served = tmp_path / "served"  # the same address serves the published site, then the preview
    served.symlink_to(published)
    with serve(served, PREFIX) as (base, requests):
        context = _context(browser)
        page = context.new_page()
        _read(page, base + "guong/ksor-h-blin/")

        # A preview at the same address, in the same browser: the published site's worker is there.
        served.unlink()
        served.symlink_to(preview)
        page.goto(base + f"guong/{draft.slug}/", wait_until="load")
        assert "BẢN NHÁP" in page.locator("body").inner_text()
        page.wait_for_selector("html[data-guong-khong-luu]", state="attached")
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
        page.wait_for_function("caches.keys().then(names => names.length === 0)")
        page.reload(wait_until="load")
        page.wait_for_selector("html[data-guong-khong-luu]", state="attached")
        assert page.evaluate("navigator.serviceWorker.controller") is None
        assert page.evaluate(CACHED_URLS) == []

        # A browser that never saw the published site: the preview registers nothing.
        fresh = _context(browser)
        other = fresh.new_page()
        requests.clear()
        other.goto(base + f"guong/{draft.slug}/", wait_until="load")
        other.wait_for_selector("html[data-guong-khong-luu]", state="attached")
        assert other.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
        assert not [r for r in requests if r.endswith(("service-worker.js", ".webmanifest"))]
        assert other.evaluate(CACHED_URLS) == []
        fresh.close()
        context.close()
    assert os.path.islink(served)
