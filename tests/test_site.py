"""A real MkDocs + Material build of the portal: what ends up in the output folder."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from conftest import CONTENT, new_project
from generator.content.collection import load_collection
from generator.mkdocs_edge.adapter import BuildFailed, build_site


@pytest.fixture(scope="module")
def samples(taxonomy):
    return load_collection(CONTENT, taxonomy)


def _text_files(site: Path):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".js", ".txt", ".css"}:
            yield path


def test_every_url_exists_for_every_group_with_a_published_profile(built_site, samples):
    expected = {"", "linh-vuc/", "xa/", "don-vi/", "nam/", "phong-trao/", "thong-ke/", "xa/cap-huyen/"}
    for profile in samples.public_profiles:
        expected |= {f"guong/{profile.slug}/", f"linh-vuc/{profile.field}/", f"nam/{profile.year}/"}
        expected |= {f"xa/{profile.commune}/"} if profile.commune else set()
        expected |= {f"don-vi/{profile.unit}/"} if profile.unit else set()
        expected |= {f"phong-trao/{m}/" for m in profile.movements}
    missing = [url for url in sorted(expected) if not (built_site / url / "index.html").is_file()]
    assert missing == []


def test_profile_page_shows_its_facts(built_site):
    html = (built_site / "guong" / "ksor-h-blin" / "index.html").read_text(encoding="utf-8")
    for text in ("Ksor H&#39;Blin", "Sản xuất, kinh doanh", "Pờ Tó", "Khen thưởng", "Thành tích",
                 "In trang này", "Gương điển hình liên quan", 'loading="lazy"'):
        assert text in html, text
    assert 'href="../../xa/po-to/"' in html  # relative links: the site works under any sub-path


def test_no_draft_appears_in_any_output_file(built_site, samples):
    drafts = [p for p in samples.profiles if not p.is_public]
    assert drafts
    markers = [p.slug for p in drafts] + [p.name for p in drafts]
    for path in _text_files(built_site):
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in markers:
            assert marker not in text, f"{marker!r} in {path.relative_to(built_site)}"
    for path in built_site.rglob("*"):
        assert not any(p.slug in path.name for p in drafts), path


def test_sitemap_lists_only_public_pages(built_site, samples):
    tree = ET.parse(built_site / "sitemap.xml")
    urls = [el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    profile_urls = {u.split("/guong/")[1].strip("/") for u in urls if "/guong/" in u}
    assert profile_urls == {p.slug for p in samples.public_profiles}


def test_source_photos_are_published_only_as_capped_derivatives(built_site):
    sources = {p.name for p in (CONTENT / "anh").iterdir()}
    published = list((built_site / "anh").iterdir())
    assert published and not sources & {p.name for p in published}
    for path in published:
        with Image.open(path) as image:
            assert image.format == "WEBP" and max(image.size) <= 1600


def test_no_generated_page_is_written_into_content(built_site):
    tracked = {p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*") if p.is_file()}
    assert not any(name.startswith(("linh-vuc", "xa/", "nam/", "thong-ke")) for name in tracked)


def _project_copy(tmp_path: Path) -> Path:
    return new_project(tmp_path / "project", samples=True)


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_a_failed_build_leaves_the_previous_site_as_it_was(tmp_path):
    project = _project_copy(tmp_path)
    site = build_site(project / "mkdocs.yml")
    before = _tree_digest(site)
    broken = project / "content" / "guong" / "ksor-h-blin.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("linh_vuc:", "linh_vu:"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(project / "mkdocs.yml")
    assert "được giữ nguyên" in str(failure.value)
    assert _tree_digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site")) == []


def test_a_rebuild_removes_pages_of_unpublished_profiles(tmp_path):
    project = _project_copy(tmp_path)
    site = build_site(project / "mkdocs.yml")
    assert (site / "guong" / "ksor-h-blin" / "index.html").exists()
    profile = project / "content" / "guong" / "ksor-h-blin.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("trang_thai: xuat-ban", "trang_thai: nhap"),
                       encoding="utf-8")
    build_site(project / "mkdocs.yml")
    assert not (site / "guong" / "ksor-h-blin").exists()
    assert "ksor-h-blin" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_preview_shows_drafts_under_a_banner(tmp_path, samples):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = _project_copy(tmp_path)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)  # what `mkdocs serve` tells plugins
    build(config)
    draft = next(p for p in samples.profiles if not p.is_public)
    html = (tmp_path / "preview" / "guong" / draft.slug / "index.html").read_text(encoding="utf-8")
    assert "BẢN NHÁP" in html
