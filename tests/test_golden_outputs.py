"""Generated text compared with golden files in tests/golden/: one Atom feed, one JSON feed, one API file,
one embed page and one search document, made from the samples with a fixed clock and without photos
(a photo's WebP bytes depend on the Pillow release).

After an intended change, rewrite them with `GUONG_UPDATE_GOLDEN=1 .venv/bin/python -m pytest
tests/test_golden_outputs.py` and read the diff before committing it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CONTENT, SITE
from generator.content.collection import load_collection
from generator.outputs.api import api_files
from generator.outputs.embeds import embed_pages
from generator.outputs.feeds import feed_files
from generator.outputs.search_index import search_documents
from generator.portal.pages import build_portal

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def outputs(taxonomy) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
        portal = build_portal(load_collection(CONTENT, taxonomy))
        made: dict[str, bytes | str] = {**feed_files(portal, taxonomy, {}, SITE), **api_files(portal, taxonomy, {}, SITE),
                                        **embed_pages(portal, taxonomy, {}, SITE.name)}
        made.update({f"tim-kiem{d.url}index.html": d.html for d in search_documents(portal, taxonomy, {})})
    return {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in made.items()}


@pytest.mark.parametrize("path", [
    "xa/cap-huyen/feed.xml",
    "xa/cap-huyen/feed.json",
    "api/xa/cap-huyen.json",
    "nhung/xa/cap-huyen/index.html",
    "tim-kiem/guong/ksor-h-blin/index.html",
])
def test_output_matches_its_golden_file(outputs, path):
    golden = GOLDEN / path
    if os.environ.get("GUONG_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(outputs[path])
    assert outputs[path].decode("utf-8") == golden.read_text(encoding="utf-8")
