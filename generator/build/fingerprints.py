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

from generator.portal.photos import PhotoSet
from generator.outputs.kept_pieces import ProfileMemo
from generator.content.model import Profile
from generator.portal.pages import Page


class Fingerprints:
    """One build's fingerprints. `memo` keeps profiles' digests between builds."""

    def __init__(self, photos: Mapping[str, PhotoSet], memo: ProfileMemo | None = None) -> None:
        self._photos = photos
        self._memo = memo if memo is not None else ProfileMemo()
        self._profiles: dict[int, bytes] = {}
        self._objects: dict[int, bytes] = {}

    def page(self, page: Page) -> str:
        digest = hashlib.blake2b(digest_size=16)
        self._feed(digest, (page.url, page.title, page.template, page.description, page.story, page.draft,
                            page.image, page.context))
        return digest.hexdigest()

    def _profile(self, profile: Profile) -> bytes:
        # A profile is on many pages (its own, listings, related lists): digest it once, and look it up
        # by id within a build (it is looked up once per page it is on).
        known = self._profiles.get(id(profile))
        if known is not None:
            return known
        photo = self._photos.get(profile.slug)

        def digest(profile: Profile) -> bytes:
            text = repr((profile, photo.full.uri if photo else None))
            return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

        known = self._profiles[id(profile)] = self._memo.get("fingerprint", profile, photo, digest)
        return known

    def _feed(self, digest: Any, value: Any) -> None:
        kind = type(value)
        if kind is str:  # most values are; their length keeps "ab" + "c" apart from "a" + "bc"
            data = value.encode("utf-8", "surrogatepass")
            digest.update(b"%d:%b" % (len(data), data))
        elif kind in _PLAIN:
            digest.update(repr(value).encode("utf-8", "surrogatepass"))
        elif kind is Profile:
            digest.update(b"P" + self._profile(value))
        elif kind in (list, tuple):
            if not _feed_strings(digest, value):
                digest.update(b"[")
                for item in value:
                    self._feed(digest, item)
                digest.update(b"]")
        elif kind is dict or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            digest.update(b"D" + self._object(value))
        else:
            # Anything else falls back to its repr, which at worst (an address in it) makes the page
            # count as changed: rebuilt needlessly, never left stale.
            digest.update(repr(value).encode("utf-8", "surrogatepass"))

    def _object(self, value: Any) -> bytes:
        """A mapping's or dataclass's digest, once per build: taxonomy entries (a field, a commune, the
        issuer levels) are on thousands of pages. Every object stays alive while the portal does, so its
        id cannot be reused within a build."""
        key = id(value)
        if key not in self._objects:
            inner = hashlib.blake2b(type(value).__name__.encode(), digest_size=16)
            if type(value) is dict:
                if not _feed_strings(inner, value):  # the keys, mostly all strings
                    for name in value:
                        self._feed(inner, name)
                for item in value.values():
                    self._feed(inner, item)
            else:
                for item in dataclasses.fields(value):
                    self._feed(inner, getattr(value, item.name))
            self._objects[key] = inner.digest()
        return self._objects[key]


def _feed_strings(digest: Any, values: Iterable[Any]) -> bool:
    """Feed a collection of strings (a listing's page URLs, a context's keys) in one go, each string's
    length keeping the boundaries; False, feeding nothing, if not all of them are strings. Done one by
    one, these were most of the digest's time."""
    try:
        joined = "".join(values)
    except TypeError:
        return False
    lengths = ",".join(map(str, map(len, values)))
    digest.update(b"S%b|%b" % (lengths.encode(), joined.encode("utf-8", "surrogatepass")))
    return True


_PLAIN = {int, float, bool, type(None), dt.date}


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
