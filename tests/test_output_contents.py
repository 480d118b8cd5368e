"""What the output folder holds: everything a page, stylesheet or script refers to, and none of the theme's
files that nothing loads (generator/build/theme_assets.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import PROJECT_ROOT
from generator.build.theme_assets import unpublished_theme_files

_CSS_REFERENCE = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)
_URL_ATTRIBUTES = {"href", "src", "poster", "data"}
# Share cards name images and pages by absolute URL (on this site, so they must exist too).
_URL_META = {"og:image", "og:url", "twitter:image"}


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRIBUTES:
                self.urls.append(value)
            elif name in ("srcset", "imagesrcset"):
                self.urls += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
            elif name == "style":
                self.urls += _css_references(value)
        if tag == "meta" and (values.get("property") or values.get("name")) in _URL_META and values.get("content"):
            self.urls.append(values["content"] or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += _css_references(data)


def _css_references(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [match.group(2) or match.group(4) for match in _CSS_REFERENCE.finditer(css)]


def _site_url() -> str:
    from mkdocs.config import load_config

    return load_config(str(PROJECT_ROOT / "mkdocs.yml")).site_url or ""


def _local_target(site: Path, document: Path, url: str, site_url: str) -> Path | None:
    """Where in `site` a reference found in `document` points, or None when it is not to this site."""
    url = url.strip()
    if not url or url.startswith(("#", "data:", "mailto:", "tel:", "javascript:")):
        return None
    base = site_url + document.relative_to(site).as_posix()
    absolute = urljoin(base, url)
    if not absolute.startswith(site_url):
        return None  # another site
    path = unquote(urlsplit(absolute).path)[len(urlsplit(site_url).path):]
    target = site / path
    return target / "index.html" if path in ("", ".") or path.endswith("/") or target.is_dir() else target


def _missing_references(site: Path) -> dict[str, list[str]]:
    site_url = _site_url()
    missing: dict[str, list[str]] = {}
    documents = sorted(p for p in site.rglob("*") if p.suffix in (".html", ".css") and p.is_file())
    assert len(documents) > 50
    for document in documents:
        text = document.read_text(encoding="utf-8")
        if document.suffix == ".css":
            urls = _css_references(text)
        else:
            parser = _References()
            parser.feed(text)
            urls = parser.urls
        for url in urls:
            target = _local_target(site, document, url, site_url)
            if target is not None and not target.is_file():
                missing.setdefault(document.relative_to(site).as_posix(), []).append(url)
    return missing


def test_every_local_reference_of_every_page_and_stylesheet_exists(built_site):
    assert _missing_references(built_site) == {}


def test_the_reference_check_sees_what_pages_and_stylesheets_load(built_site):
    # The check above would pass on a site it could not read; these are references it must have seen.
    parser = _References()
    parser.feed((built_site / "guong" / "ksor-h-blin" / "index.html").read_text(encoding="utf-8"))
    targets = {_local_target(built_site, built_site / "guong" / "ksor-h-blin" / "index.html", url, _site_url())
               for url in parser.urls}
    stylesheets = sorted((built_site / "assets" / "stylesheets").glob("*.css"))
    assert {p.name.split(".")[0] for p in stylesheets} == {"main", "palette"}
    assert set(stylesheets) < targets
    assert {built_site / "assets" / "guong.css", built_site / "assets" / "images" / "favicon.png"} < targets
    assert any(t is not None and t.parent == built_site / "anh" for t in targets)
    fonts = {urljoin("assets/guong.css", url) for url in _css_references((built_site / "assets" / "guong.css").read_text())}
    assert any(url.endswith(".woff2") for url in fonts)


def test_no_file_of_the_site_mentions_unpkg(built_site):
    assert [p.relative_to(built_site).as_posix() for p in built_site.rglob("*")
            if p.is_file() and b"unpkg.com" in p.read_bytes()] == []


def test_materials_scripts_and_source_maps_are_not_published(built_site):
    published = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()]
    assert [uri for uri in published if uri.endswith(".map")] == []
    assert [uri for uri in published if "lunr" in uri] == []
    assert [uri for uri in published if uri.startswith("assets/javascripts/")] == []  # bundle, worker
    assert not list(built_site.glob("**/bundle.*.js")) and not list(built_site.glob("**/workers/search.*"))
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert "__config" not in page and "javascripts/" not in page


def _material_static_files() -> list[str]:
    import material

    root = Path(material.__file__).parent / "templates"
    return sorted(p.relative_to(root).as_posix() for p in (root / "assets").rglob("*") if p.is_file())


def test_rule_drops_materials_scripts_and_maps_and_keeps_its_stylesheets_and_favicon():
    theme = _material_static_files()
    dropped = set(unpublished_theme_files(theme))
    kept = [uri for uri in theme if uri not in dropped]
    assert {uri.rsplit(".", 3)[0] for uri in kept} == {
        "assets/images/favicon", "assets/stylesheets/main", "assets/stylesheets/palette"}
    assert all(uri.endswith(".css") or uri.endswith(".png") for uri in kept)
    assert any(re.fullmatch(r"assets/javascripts/bundle\.\w+\.min\.js", uri) for uri in dropped)
    assert "assets/javascripts/lunr/min/lunr.vi.min.js" in dropped


@pytest.mark.parametrize("uri", [
    "assets/guong.css", "assets/guong.js", "assets/tim-kiem.js", "assets/guong-nhung.js", "assets/guong-og.png",
    "assets/fonts/be-vietnam-pro-vietnamese-400-normal.woff2", "nhung/nhung.js", "nhung/khung.js",
    "assets/stylesheets/main.0123abcd.min.css", "assets/stylesheets/palette.0123abcd.min.css",
])
def test_rule_keeps_the_sites_own_files_and_materials_stylesheets(uri):
    assert unpublished_theme_files([uri]) == []


@pytest.mark.parametrize("uri", [
    "assets/javascripts/bundle.0123abcd.min.js", "assets/javascripts/workers/search.0123abcd.min.js",
    "assets/javascripts/lunr/min/lunr.vi.min.js", "assets/javascripts/lunr/wordcut.js",
    "assets/stylesheets/main.0123abcd.min.css.map", "assets/javascripts/bundle.0123abcd.min.js.map",
])
def test_rule_drops_whatever_the_hash_in_the_name(uri):
    assert unpublished_theme_files([uri]) == [uri]


def test_the_rule_does_not_need_mkdocs():
    code = "import sys, generator.build.theme_assets; sys.exit(any(m.split('.')[0] == 'mkdocs' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT).returncode == 0
