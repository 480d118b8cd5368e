"""Decap's media library for content/anh/: every photo as a small JPEG preview.

Decap's local-backend protocol sends the bytes of every file in the media folder each time the editor
page opens (`getMedia`), and Decap opens no profile until they have arrived. Photos from a phone or a
camera weigh megabytes each, so a few hundred of them would be hundreds of megabytes per page load. The
library therefore gets a preview at most PREVIEW_PX wide or high, made once per version of a photo and
kept in the project's cache. Choosing a photo in the library stores only its path in the profile, and a
single photo asked for by path (`getMediaFile`) is still the original. A preview carries no EXIF: no
location reaches the browser from a photo copied into content/anh/ by hand."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from generator.atomic_files import write_atomically
from generator.content.fields import PHOTO_EXTENSIONS

PREVIEW_PX = 480
"""Sharp in Decap's library and image field on a high-density phone or laptop screen, yet about 12 KB."""
PREVIEW_QUALITY = 80
CACHE_FOLDER = "soan-anh"
_VERSION = 1
"""Bump when what a preview looks like changes, so that old previews are not used."""


def version_id(path: Path) -> str:
    """Identifies this version of the photo without reading it: name, size and modification time."""
    stat = path.stat()
    key = f"{_VERSION}:{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def make_preview(path: Path) -> bytes:
    """The photo as a JPEG of at most PREVIEW_PX, upright, on white where it was transparent; b"" when
    the file cannot be read as an image (the library then shows an empty card with its name)."""
    try:
        with Image.open(path) as image:
            # A JPEG decodes at 1/2, 1/4 or 1/8 of its size, many times faster: ask for the preview's box.
            scale = PREVIEW_PX / max(image.size)
            image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
            upright = ImageOps.exif_transpose(image)
            if upright.mode in ("RGBA", "LA", "P", "PA"):
                rgba = upright.convert("RGBA")
                upright = Image.new("RGB", rgba.size, (255, 255, 255))
                upright.paste(rgba, mask=rgba.getchannel("A"))
            preview = upright.convert("RGB")
            preview.thumbnail((PREVIEW_PX, PREVIEW_PX), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            preview.save(out, "JPEG", quality=PREVIEW_QUALITY, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return b""


class MediaLibrary:
    """The photos of one content/anh/ folder as Decap's library lists them."""

    def __init__(self, folder: Path, public_folder: str, cache_dir: Path | None) -> None:
        self.folder = folder
        self.public_folder = public_folder
        self.cache_dir = cache_dir / CACHE_FOLDER if cache_dir else None
        self._previews: dict[str, bytes] = {}
        self._lock = threading.Lock()
        """One batch of previews at a time (see `previews`)."""

    def photos(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.suffix.lower() in PHOTO_EXTENSIONS
                      and not p.name.startswith(".") and not p.is_symlink() and p.is_file())

    def listing(self) -> list[dict[str, Any]]:
        """Decap's `getMedia` answer."""
        return [{"id": identity, "content": base64.b64encode(data).decode(), "encoding": "base64",
                 "path": f"{self.public_folder}/{path.name}", "name": path.name}
                for path, (identity, data) in self.previews(self.photos()).items()]

    def warm(self) -> None:
        """Make the previews not yet made, while the browser is still loading Decap."""
        self.previews(self.photos())

    def previews(self, paths: list[Path]) -> dict[Path, tuple[str, bytes]]:
        """(version id, preview bytes) of each photo still there: from memory, the cache folder, or made
        now, several at once (Pillow decodes without holding the interpreter)."""
        # One batch at a time: a page loaded during the warm-up waits for it instead of making it again.
        with self._lock:
            found: dict[Path, tuple[str, bytes]] = {}
            missing: list[tuple[Path, str]] = []
            for path in paths:
                try:
                    identity = version_id(path)
                except OSError:  # removed while being listed
                    continue
                data = self._previews.get(identity)
                if data is None:
                    data = self._read_cached(identity)
                if data is None:
                    missing.append((path, identity))
                else:
                    self._previews[identity] = data
                    found[path] = identity, data
            if missing:
                with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
                    made = list(pool.map(make_preview, [path for path, _ in missing]))
                for (path, identity), data in zip(missing, made, strict=True):
                    self._write_cached(identity, data)
                    self._previews[identity] = data
                    found[path] = identity, data
            return {path: found[path] for path in paths if path in found}

    def _read_cached(self, identity: str) -> bytes | None:
        if self.cache_dir is None:
            return None
        try:
            return (self.cache_dir / f"{identity}.jpg").read_bytes()
        except OSError:
            return None

    def _write_cached(self, identity: str, data: bytes) -> None:
        if self.cache_dir is None or not data:
            return
        try:
            write_atomically(self.cache_dir / f"{identity}.jpg", data)
        except OSError:  # a read-only project: previews are then made once per session
            pass
