"""Embedding in a real browser, across origins, the way the district portal does it: the site served on
one loopback origin under /guong-sang/, a host page on another origin framing two embeds with the
copy-ready snippet and nhung.js, and a third origin trying to interfere."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest

from browser import WCAG_21_AA
from conftest import SITE
from generator.portal.render import embed_snippet
from site_server import serve

PREFIX = "/guong-sang/"
PROFILE = "ksor-h-blin"
PROFILE_EMBED = f"nhung/guong/{PROFILE}/"
COMMUNE_EMBED = "nhung/xa/ia-tul-2025/"
EMBEDS = [PROFILE_EMBED, COMMUNE_EMBED, "nhung/linh-vuc/y-te/", "nhung/don-vi/phong-gd-dt/", "nhung/moi-nhat/"]
FALLBACK = {"ho-so": 480, "xa": 640}
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"

# A page of another site that frames the embeds' host page and claims a height of 5 px, over and over.
INTRUDER = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Trang lạ</title></head><body>
<script>setInterval(function () { parent.postMessage({type: "guong-sang:height", height: 5}, "*"); }, 50);</script>
</body></html>"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def site(built_site):
    """(base URL ending in /guong-sang/, paths requested so far)."""
    with serve(built_site, PREFIX) as served:
        yield served


@pytest.fixture(scope="module")
def intruder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("intruder")
    (folder / "index.html").write_text(INTRUDER, encoding="utf-8")
    with serve(folder, "/") as (base, _):
        yield base


@pytest.fixture(scope="module")
def host(site, intruder, tmp_path_factory):
    """Base URL of the host page's origin; host.html pastes the snippets exactly as the site offers them."""
    base = site[0]
    folder = tmp_path_factory.mktemp("host")
    profile = embed_snippet(base, PROFILE_EMBED, "Ksor H'Blin", "profile", SITE.name).replace("<iframe ", '<iframe id="ho-so" ')
    commune = embed_snippet(base, COMMUNE_EMBED, "Xã Ia Tul", "list", SITE.name).replace("<iframe ", '<iframe id="xa" ')
    (folder / "host.html").write_text(f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng thông tin điện tử huyện (thử)</title></head>
<body><main><h1>Gương người tốt việc tốt</h1>
{profile}
<h2>Xã Ia Tul</h2>
{commune}
<iframe id="la" src="{intruder}index.html" title="Trang lạ" style="width:10px;height:10px;border:0"></iframe>
</main></body></html>""", encoding="utf-8")
    with serve(folder, "/") as (host_base, _):
        yield host_base


@pytest.fixture
def page(browser):
    # bypass_csp: axe is injected as an inline script, which the embed pages' own policy forbids.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def _frame(page, embed: str):
    return page.frame(url=re.compile(re.escape(embed) + r"(\?.*)?$"))


def _sizes(page, frame_id: str, embed: str) -> tuple[float, int, int]:
    """(iframe height on the host page, its document's scrollHeight, the frame's innerHeight)."""
    outer = page.evaluate("id => document.getElementById(id).getBoundingClientRect().height", frame_id)
    frame = _frame(page, embed)
    if frame is None:
        return outer, -1, -1
    inner, viewport = frame.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    return outer, inner, viewport


def _settled(page, frame_id: str, embed: str, *, not_height: float | None = None) -> tuple[float, int]:
    """Wait until the iframe is as tall as its content (and, if given, no longer `not_height` tall), and
    stays so for a few polls (a web font arriving late changes the height once more)."""
    deadline = time.monotonic() + 10
    stable = 0
    previous = None
    while True:
        outer, inner, _ = _sizes(page, frame_id, embed)
        if inner > 0 and abs(outer - inner) <= 2 and outer != not_height and outer != FALLBACK[frame_id]:
            stable = stable + 1 if (outer, inner) == previous else 1
            if stable == 4:
                return outer, inner
        else:
            stable = 0
        previous = (outer, inner)
        assert time.monotonic() < deadline, f"{frame_id}: iframe {outer}px, content {inner}px"
        time.sleep(0.05)


def _assert_no_inner_scrollbar(page, embed: str) -> None:
    height, view_h, width, view_w = _frame(page, embed).evaluate(
        "[document.documentElement.scrollHeight, window.innerHeight, document.documentElement.scrollWidth,"
        " window.innerWidth]")
    assert height <= view_h and width <= view_w, (embed, height, view_h, width, view_w)


def test_iframes_take_their_content_height_and_follow_the_viewport(page, host):
    page.goto(host + "host.html")
    heights = {}
    for frame_id, embed in (("ho-so", PROFILE_EMBED), ("xa", COMMUNE_EMBED)):
        heights[frame_id], _ = _settled(page, frame_id, embed)
        _assert_no_inner_scrollbar(page, embed)
    page.set_viewport_size({"width": 390, "height": 844})
    narrow = {}
    for frame_id, embed in (("ho-so", PROFILE_EMBED), ("xa", COMMUNE_EMBED)):
        narrow[frame_id], _ = _settled(page, frame_id, embed, not_height=heights[frame_id])
        assert narrow[frame_id] > heights[frame_id]  # one column of cards on a phone: taller
        _assert_no_inner_scrollbar(page, embed)
    page.set_viewport_size({"width": 1280, "height": 900})  # and back: the frame shrinks again
    wide, _ = _settled(page, "xa", COMMUNE_EMBED, not_height=narrow["xa"])
    assert abs(wide - heights["xa"]) <= 2


def test_height_messages_from_anyone_else_are_ignored(page, host):
    page.goto(host + "host.html")
    before = {frame_id: _settled(page, frame_id, embed)[0]
              for frame_id, embed in (("ho-so", PROFILE_EMBED), ("xa", COMMUNE_EMBED))}
    assert page.frame(url=re.compile(r".*/index\.html$")) is not None  # the intruder is there, posting
    page.evaluate("""() => {
        const data = {type: "guong-sang:height", height: 5};
        const frame = document.getElementById("ho-so");
        window.postMessage(data, "*");                                   // the host page itself
        // the right origin from the wrong window, and the right window claiming another origin
        const site = new URL(frame.src).origin;
        window.dispatchEvent(new MessageEvent("message", {data, origin: site, source: window}));
        window.dispatchEvent(new MessageEvent("message", {data, origin: "http://127.0.0.1:9",
                                                          source: frame.contentWindow}));
    }""")
    time.sleep(0.5)
    for frame_id, height in before.items():
        assert page.evaluate("id => document.getElementById(id).getBoundingClientRect().height", frame_id) == height
    # The check is not vacuous: the same message from the frame itself is obeyed.
    _frame(page, PROFILE_EMBED).evaluate("parent.postMessage({type: 'guong-sang:height', height: 123}, '*')")
    page.wait_for_function("document.getElementById('ho-so').getBoundingClientRect().height === 123")


def test_links_in_an_embed_open_the_full_page_in_a_new_tab(page, host, site):
    page.goto(host + "host.html")
    _settled(page, "xa", COMMUNE_EMBED)
    for embed in (PROFILE_EMBED, COMMUNE_EMBED):
        links = _frame(page, embed).eval_on_selector_all("a", "as => as.map(a => [a.target, a.rel])")
        assert links and all(target == "_blank" and "noopener" in rel for target, rel in links), embed
    with page.context.expect_page() as opened:
        _frame(page, PROFILE_EMBED).click("h1 a")
    opened.value.wait_for_load_state()
    assert opened.value.url == site[0] + f"guong/{PROFILE}/"
    assert page.url == host + "host.html"


@pytest.mark.parametrize("embed", EMBEDS)
def test_embed_pages_request_nothing_from_another_host(browser, site, embed):
    base, _ = site
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + embed, wait_until="networkidle")
    assert requested and all(_origin(url) == _origin(base) for url in requested), requested
    assert any(url.endswith(".woff2") for url in requested)  # the site's own font, not a system fallback
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.close()


@pytest.mark.parametrize("embed", [PROFILE_EMBED, COMMUNE_EMBED, "nhung/moi-nhat/"])
def test_embed_pages_have_no_accessibility_violations(page, site, embed):
    page.goto(site[0] + embed)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert _axe(page) == [], f"{embed} at {width}px"


def test_n_in_the_address_sets_how_many_cards_a_list_shows(page, site):
    visible = "document.querySelectorAll('.nhung-card:not([hidden])').length"
    page.goto(site[0] + "nhung/moi-nhat/")
    assert page.evaluate(visible) == 6
    page.goto(site[0] + "nhung/moi-nhat/?n=3")
    assert page.evaluate(visible) == 3
    page.goto(site[0] + "nhung/moi-nhat/?n=12")
    assert page.evaluate(visible) == 12


def test_the_embed_box_on_a_profile_page_gives_a_working_snippet(page, site):
    base, requested = site
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=_origin(base))
    already = len(requested)
    page.goto(base + f"guong/{PROFILE}/", wait_until="networkidle")
    assert not [path for path in requested[already:] if PROFILE_EMBED in path]  # closed: the preview costs nothing
    box = page.locator("details.guong-embed")
    box.locator("summary").click()
    code = page.get_by_label("Mã nhúng")
    snippet = code.input_value()
    src = re.search(r'<iframe src="([^"]+)"', snippet).group(1)
    assert src == base + PROFILE_EMBED and urlsplit(src).path == f"/guong-sang/{PROFILE_EMBED}"
    assert f'<script src="{base}nhung/nhung.js" async></script>' in snippet
    assert code.get_attribute("readonly") is not None
    page.get_by_role("button", name="Sao chép").click()
    page.wait_for_function("document.querySelector('[data-guong-copy-status]').textContent.length > 0")
    assert box.get_by_role("status").inner_text() == "Đã sao chép mã nhúng."
    assert page.evaluate("navigator.clipboard.readText()") == snippet
    # The preview loads now, and sizes itself with nhung.js as on a host page.
    preview = box.locator("iframe")
    page.wait_for_function("document.querySelector('.guong-embed iframe').getBoundingClientRect().height !== 480")
    frame = _frame(page, PROFILE_EMBED)
    assert abs(preview.bounding_box()["height"] - frame.evaluate("document.documentElement.scrollHeight")) <= 2
    assert _axe(page, "details.guong-embed") == []
    page.emulate_media(media="print")
    assert not box.is_visible()


def test_listing_pages_offer_their_own_embed(page, site):
    base, _ = site
    for url, embed in (("xa/ia-tul-2025/", COMMUNE_EMBED), ("linh-vuc/y-te/", "nhung/linh-vuc/y-te/"),
                       ("don-vi/phong-gd-dt/", "nhung/don-vi/phong-gd-dt/")):
        page.goto(base + url)
        page.locator("details.guong-embed summary").click()
        assert f'<iframe src="{base}{embed}"' in page.get_by_label("Mã nhúng").input_value()


def test_without_javascript_the_snippet_is_there_to_select(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site[0] + f"guong/{PROFILE}/")
    page.locator("details.guong-embed summary").click()
    snippet = page.get_by_label("Mã nhúng").input_value()
    assert snippet.startswith("<iframe src=\"http") and PROFILE_EMBED in snippet  # from site_url
    assert not page.get_by_role("button", name="Sao chép").is_visible()  # no button that would do nothing
    context.close()


def _axe(page, selector: str | None = None) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async ([selector, tags]) => (await axe.run(selector ? {include: [[selector]]} : document,
        {runOnly: {type: "tag", values: tags}}))
        .violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))""", [selector, WCAG_21_AA])
