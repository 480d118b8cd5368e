"""The search index as Pagefind writes it: split into chunks small enough that a first search fetches only
a little of it (generator/outputs/search_index.py INDEX_CHUNK_SIZE; the bytes themselves are measured by
bench/search_bench.py)."""

from __future__ import annotations

from generator.outputs.search_index import INDEX_CHUNK_SIZE, SearchDocument, write_search_index


def test_the_index_is_cut_into_chunks_of_our_size_not_pagefinds(tmp_path):
    # 400 documents of 10 distinct plain words: each word of each document counts 3 postings towards a
    # chunk (the page, a weight mark, the position), 12,000 in all. Pagefind's own limit (20,000) would
    # make one chunk of them, which every search would fetch whole.
    documents = [
        SearchDocument(f"/guong/ho-so-{n}/", '<html lang="vi"><body><main data-pagefind-body><p>'
                       + " ".join(f"tu{n}x{k}" for k in range(10)) + "</p></main></body></html>")
        for n in range(400)
    ]
    write_search_index(documents, tmp_path / "site", tmp_path / "sources")
    chunks = list((tmp_path / "site" / "pagefind" / "index").glob("*.pf_index"))
    assert len(chunks) >= 12_000 // INDEX_CHUNK_SIZE
