"""Which pages a change affects, for a live preview that rebuilds only those.

A page's fingerprint is a digest of everything its output is made from: its URL, title, template,
story and context, where each profile it shows counts with all of its content and its photo's rendition.
Between two preview builds, a page whose fingerprint did not change needs no rebuilding; a page that
disappeared (a deleted or renamed profile) must be removed. Anything the fingerprints do not see —
templates, the theme, the taxonomy, mkdocs.yml — goes into one "environment" digest: when it changes,
every page is rebuilt.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any, Iterable, Mapping

from .images import PhotoSet
from .model import Profile
from .portal import Page


class Fingerprints:
    def __init__(self, photos: Mapping[str, PhotoSet]) -> None:
        self._photos = photos
        self._profiles: dict[int, bytes] = {}
        self._objects: dict[int, bytes] = {}

    def page(self, page: Page) -> str:
        digest = hashlib.blake2b(digest_size=16)
        self._feed(digest, (page.url, page.title, page.template, page.description, page.story, page.draft,
                            page.image, page.context))
        return digest.hexdigest()

    def _profile(self, profile: Profile) -> bytes:
        # A profile is on many pages (its own, listings, related lists): digest it once per build.
        key = id(profile)
        if key not in self._profiles:
            photo = self._photos.get(profile.slug)
            text = repr((profile, photo.full.uri if photo else None))
            self._profiles[key] = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        return self._profiles[key]

    def _feed(self, digest: Any, value: Any) -> None:
        kind = type(value)
        if kind in _PLAIN:
            digest.update(repr(value).encode("utf-8", "surrogatepass"))
        elif kind is Profile:
            digest.update(b"P" + self._profile(value))
        elif kind in (list, tuple):
            digest.update(b"[")
            for item in value:
                self._feed(digest, item)
            digest.update(b"]")
        elif kind is dict:
            digest.update(b"{")
            for key, item in value.items():
                self._feed(digest, key)
                self._feed(digest, item)
            digest.update(b"}")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            # Taxonomy entries (a field, a commune, its issuer levels) are on thousands of pages: digest
            # each object once per build, like profiles.
            key = id(value)
            if key not in self._objects:
                inner = hashlib.blake2b(kind.__name__.encode(), digest_size=16)
                for item in dataclasses.fields(value):
                    self._feed(inner, getattr(value, item.name))
                self._objects[key] = inner.digest()
            digest.update(b"D" + self._objects[key])
        else:
            # Anything else falls back to its repr, which at worst (an address in it) makes the page
            # count as changed: rebuilt needlessly, never left stale.
            digest.update(repr(value).encode("utf-8", "surrogatepass"))


_PLAIN = {str, int, float, bool, type(None), dt.date}


def environment_digest(paths: Iterable[Path]) -> str:
    """Digest of every file under `paths` by name, size and modification time."""
    digest = hashlib.blake2b(digest_size=16)
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
