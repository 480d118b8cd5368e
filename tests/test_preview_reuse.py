"""What a live preview keeps between rebuilds: what it made from each profile (feed entries, API records,
embed pages, search documents, fingerprints; generator/outputs/kept_pieces.py) and what it wrote as the search index's
sources. After an edit or a new photo, everything it outputs must be what a fresh build makes of the
same content, and the unchanged profiles' pieces must really be the kept ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, SITE
from generator.build.fingerprints import Fingerprints
from generator.content.collection import load_collection
from generator.outputs.api import api_files
from generator.outputs.embeds import embed_pages
from generator.outputs.feeds import feed_files
from generator.outputs.kept_pieces import ProfileMemo
from generator.outputs.search_index import SearchDocument, _sync_sources, search_documents
from generator.portal.pages import build_portal
from generator.portal.photos import PhotoPipeline

EDITED = "ksor-h-blin"
UNTOUCHED = "nay-klim"


def _outputs(collection, taxonomy, photos, memo) -> dict[str, object]:
    portal = build_portal(collection, include_drafts=True)
    outputs: dict[str, object] = {
        **feed_files(portal, taxonomy, photos, SITE, memo=memo),
        **api_files(portal, taxonomy, photos, SITE, memo=memo),
        **embed_pages(portal, taxonomy, photos, SITE.name, memo=memo),
        **{"tim-kiem:" + document.url: document.html
           for document in search_documents(portal, taxonomy, photos, memo=memo)},
    }
    fingerprints = Fingerprints(photos, memo)
    outputs.update({"dau-van:" + url: fingerprints.page(page) for url, page in portal.pages.items()})
    return outputs


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the API's and feeds' "generated at"
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    return content


class _Preview:
    """What a preview keeps between saves (the check cache, the memo) and its photo pipeline, with the
    outputs of its first build."""

    def __init__(self, project: Path, taxonomy, cache_dir: Path) -> None:
        self.project, self.taxonomy = project, taxonomy
        self.pipeline = PhotoPipeline(cache_dir)
        self.check_cache: dict = {}
        self.memo = ProfileMemo()
        self.collection = self.load()
        self.photos = {p.slug: self.pipeline.derive(project / p.photo, p.slug)
                       for p in self.collection.profiles if p.photo}
        self.first = self.outputs(self.collection)

    def load(self):
        return load_collection(self.project, self.taxonomy, cache=self.check_cache)

    def outputs(self, collection) -> dict[str, object]:
        return _outputs(collection, self.taxonomy, self.photos, self.memo)


def test_an_edit_shows_everywhere_and_the_rest_is_reused(project, taxonomy, tmp_path):
    preview = _Preview(project, taxonomy, tmp_path / "cache")
    before, photos = preview.first, preview.photos

    source = project / "guong" / f"{EDITED}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Chị Ksor H'Blin ở Plei Hek",
                                                                 "Chị Ksor H'Blin (đã sửa) ở Plei Hek"),
                      encoding="utf-8")
    collection = preview.load()
    kept = preview.outputs(collection)

    assert kept == _outputs(collection, taxonomy, photos, ProfileMemo())
    for name in ("feed.xml", "feed.json", "api/guong.json", f"nhung/guong/{EDITED}/index.html",
                 f"tim-kiem:/guong/{EDITED}/"):
        assert "(đã sửa)" in _text(kept[name]) and "(đã sửa)" not in _text(before[name]), name
    assert kept[f"dau-van:guong/{EDITED}/"] != before[f"dau-van:guong/{EDITED}/"]
    assert kept[f"dau-van:guong/{UNTOUCHED}/"] == before[f"dau-van:guong/{UNTOUCHED}/"]
    # Reused, not made again: the very same objects as in the first build.
    assert kept[f"nhung/guong/{UNTOUCHED}/index.html"] is before[f"nhung/guong/{UNTOUCHED}/index.html"]
    groups = [name for name in before if name.startswith(("api/xa/", "api/linh-vuc/", "xa/", "linh-vuc/"))]
    untouched = [name for name in groups if f"/guong/{EDITED}/" not in _text(before[name])]
    assert untouched and len(untouched) < len(groups)
    assert all(kept[name] is before[name] for name in untouched)


def test_a_new_photo_is_not_hidden_by_kept_pieces(project, taxonomy, tmp_path):
    preview = _Preview(project, taxonomy, tmp_path / "cache")
    before, collection = preview.first, preview.collection

    # The editor replaces the photo file; the profile's text is unchanged.
    profile = next(p for p in collection.profiles if p.slug == EDITED)
    other = next(p for p in collection.profiles if p.photo and p.slug != EDITED)
    shutil.copy(project / other.photo, project / profile.photo)
    preview.photos = photos = {**preview.photos, EDITED: preview.pipeline.derive(project / profile.photo, EDITED)}
    kept = preview.outputs(preview.load())

    assert kept == _outputs(collection, taxonomy, photos, ProfileMemo())
    new_uri = photos[EDITED].full.uri
    assert new_uri not in _text(before["api/guong.json"]) and new_uri in _text(kept["api/guong.json"])
    assert kept[f"dau-van:guong/{EDITED}/"] != before[f"dau-van:guong/{EDITED}/"]


def test_pieces_of_removed_profiles_are_forgotten(project, taxonomy):
    memo = ProfileMemo()
    collection = load_collection(project, taxonomy)
    made = []
    for profile in collection.profiles:
        memo.get("thu", profile, None, lambda p: made.append(p.slug))
    memo.keep_only(p.slug for p in collection.profiles if p.slug != UNTOUCHED)
    for profile in collection.profiles:
        memo.get("thu", profile, None, lambda p: made.append(p.slug))
    assert made[len(collection.profiles):] == [UNTOUCHED]


def test_search_sources_follow_saves_without_being_read_back(tmp_path):
    folder = tmp_path / "tim-kiem"
    on_disk: dict = {}

    def documents(**texts: str) -> list[SearchDocument]:
        return [SearchDocument(f"/guong/{slug}/", text) for slug, text in texts.items()]

    def on_the_disk() -> dict:
        return {path: path.read_bytes() for path in folder.rglob("*.html")}

    _sync_sources(documents(a="A", b="B", c="C"), folder, lambda: False, on_disk)
    assert on_disk == on_the_disk() and len(on_disk) == 3

    # One edited, one deleted, one new.
    _sync_sources(documents(a="A2", b="B", d="D"), folder, lambda: False, on_disk)
    assert on_disk == on_the_disk()
    assert sorted(p.parent.name for p in on_disk) == ["a", "b", "d"]
    assert (folder / "guong" / "a" / "index.html").read_bytes() == b"A2"

    # A job cancelled half-way leaves what it knows true to the folder.
    checks = iter([False, True])
    _sync_sources(documents(a="A3", b="B3"), folder, lambda: next(checks, True), on_disk)
    assert on_disk == on_the_disk()
    assert (folder / "guong" / "a" / "index.html").read_bytes() == b"A3"
    assert (folder / "guong" / "b" / "index.html").read_bytes() == b"B"

    # The cache folder removed while the preview runs: everything is written again.
    shutil.rmtree(folder)
    _sync_sources(documents(a="A3", b="B3"), folder, lambda: False, on_disk)
    assert on_disk == on_the_disk() and len(on_disk) == 2


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
