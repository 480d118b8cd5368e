"""Which of the theme's static files the site does not publish.

MkDocs copies every static file of the theme into the site, whether a page loads it or not. For Material
that is mostly its JavaScript: the bundle, the search worker, lunr with its language files, and source
maps, none of which a page of ours loads (and the bundle and the maps name unpkg.com, a third party we
do not want the site to mention). What the pages do load of Material, its stylesheets and the favicon,
is kept. The rules below go by kind of file, not by name, so that they still hold when a Material update
changes the hashes in the names.

Engine-free: given site-relative URIs, returns URIs. tests/test_output_contents.py checks the built site
for references to anything left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

__all__ = ["UNPUBLISHED", "unpublished_theme_files"]

UNPUBLISHED: tuple[tuple[str, str], ...] = (
    # Source maps: only a browser's developer tools fetch them, and they carry the theme's sources.
    ("*.map", "source map"),
    # Material's bundle: theme_overrides/main.html replaces the scripts block so that only the site's own
    # scripts load (what we use of Material works without it).
    ("assets/javascripts/bundle.*.js", "Material's JavaScript bundle"),
    # The search worker is started by the bundle alone, for Material's search plugin, which is off: the
    # site has its own search (Pagefind, assets/tim-kiem.js).
    ("assets/javascripts/workers/*", "Material's search worker"),
    # lunr, its language files and the Japanese/Thai word splitters are loaded by the search worker alone.
    ("assets/javascripts/lunr/*", "lunr (Material's search)"),
)
"""(pattern, what it is) pairs; a pattern is an `fnmatch` pattern on the site-relative URI, where `*`
also matches `/`."""


def unpublished_theme_files(uris: Iterable[str]) -> list[str]:
    """Those of `uris` (the theme's static files, site-relative with forward slashes) that must not be
    published, in the order given."""
    return [uri for uri in uris if any(fnmatchcase(uri, pattern) for pattern, _ in UNPUBLISHED)]
