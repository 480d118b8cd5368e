"""Photo derivatives for the published site: size-capped, metadata-free WebP files named by content.

Editors' photos come straight from phones and cameras: often 12 megapixels or more, and carrying in
their EXIF the GPS position of the place (often a home) where they were taken. The site therefore never
publishes a source photo. It publishes three WebP renditions of it, made here at build time, with all
metadata dropped and the EXIF orientation baked into the pixels.

Every rendition's file name carries a short hash of the source bytes and of the settings below. A changed
photo (or changed settings) thus gets URLs that no browser or CDN has cached, and an unchanged photo is
never decoded again: a small manifest per hash, written after its images, says the work is done.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import os
import re
import threading
import warnings
import weakref
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from generator.atomic_files import write_atomically

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without littlecms: colours are then converted without profiles
    ImageCms = None  # type: ignore[assignment]

try:
    import fcntl
except ImportError:  # no flock (Windows): prune_unused then never knows it is alone, and removes nothing
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "FULL_MAX",
    "MAX_PIXELS",
    "THUMB_2X_WIDTH",
    "THUMB_WIDTH",
    "PhotoError",
    "PhotoPipeline",
    "PhotoSet",
    "Rendition",
]

FULL_MAX = 1600
"""Longest side of the full rendition, in pixels."""
THUMB_WIDTH = 480
"""Width of the card thumbnail, cropped to 3:2."""
THUMB_2X_WIDTH = 960
"""Width of the card thumbnail for high-density screens (``srcset``)."""
FULL_QUALITY = 78
THUMB_QUALITY = 72
WEBP_METHOD = 4
"""libwebp effort, 0–6: 4 is its own default; 6 is about twice as slow for ~2% smaller files."""
MAX_PIXELS = 50_000_000
"""Photos with more pixels are refused before they are decoded (decompression bombs, 200 MB of RAM)."""
PIPELINE_VERSION = 1
"""Bump when the pixels produced change in a way the constants above do not show."""

URI_DIR = "anh"
"""Folder of the renditions, both in the cache folder and on the site."""

_MANIFEST_DIR = "_manifests"  # outside URI_DIR, so copying that folder to the site publishes images only
_LOCK_FILE = "_anh.lock"  # see PhotoPipeline.prune_unused
_FORMATS = ("JPEG", "PNG", "WEBP")  # what content/ accepts; other decoders are attack surface we don't need
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_ORIENTATION = 0x0112
# The same table as ImageOps.exif_transpose. The orientation must be known before decoding (it decides
# how far a JPEG may be downscaled while decoding), so it is read once and applied here.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ROLES = ("full", "thumb", "thumb_2x")


class PhotoError(Exception):
    """A source photo that cannot be published. ``str()`` is the file name and a Vietnamese reason."""

    def __init__(self, source: Path, reason: str) -> None:
        super().__init__(f"{source.name}: {reason}")
        self.source = source
        """The photo that was refused."""
        self.reason = reason
        """What is wrong and how to fix it, in Vietnamese, without the file name."""


@dataclass(frozen=True)
class Rendition:
    """One derived image file."""

    uri: str
    """Site-relative path with forward slashes, e.g. ``anh/ksor-h-blin-3f9a1c2e-480.webp``."""
    path: Path
    """Where the file lies on disk: the cache folder joined with ``uri``."""
    width: int
    height: int


@dataclass(frozen=True)
class PhotoSet:
    """The renditions of one photo. Renditions that would be pixel-identical share one file."""

    full: Rendition
    """Longest side capped at ``FULL_MAX``; never upscaled."""
    thumb: Rendition
    """Centre crop to 3:2, ``THUMB_WIDTH`` wide (narrower only if the photo is); for cards."""
    thumb_2x: Rendition
    """The same crop, up to ``THUMB_2X_WIDTH`` wide, never upscaled; for ``srcset``."""

    @property
    def renditions(self) -> tuple[Rendition, ...]:
        """The distinct renditions (shared files once)."""
        return tuple(dict.fromkeys((self.full, self.thumb, self.thumb_2x)))


@dataclass(frozen=True)
class _Plan:
    role: str
    box: tuple[float, float, float, float]
    """Region of the upright source photo, in its own pixels."""
    size: tuple[int, int]
    quality: int


class PhotoPipeline:
    """Makes the published renditions of source photos, into (and reusing) a cache folder."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = Path(cache_dir)
        self._used: set[str] = set()
        # Taken now, not at the first derive: a preview makes a new pipeline for each rebuild and may
        # ask it for nothing (it remembers its photo sets), yet keeps using the files.
        self._lock = _SharedLock.hold(self.cache_dir)
        if self._lock is not None:
            weakref.finalize(self, _SharedLock.release, self._lock)

    def derive(self, source: Path, name: str) -> PhotoSet:
        """The renditions of ``source``, made now or found in the cache folder.

        ``name`` is the profile slug (ASCII ``a-z0-9-``); file names are
        ``anh/{name}-{hash}-{width}.webp``, where the hash covers the source bytes and the settings.
        When a photo's 3:2 thumbnail has the width of its full rendition but other pixels (a portrait
        photo 480 or 960 wide), the thumbnail's name ends in ``-{width}x{height}.webp`` instead.

        Raises ``PhotoError`` (Vietnamese message) for a missing, unreadable, corrupt or oversized photo;
        ``OSError`` only for failures to write the cache folder.
        """
        if not _SLUG.match(name):
            raise ValueError(f"photo name must be a slug (a-z, 0-9, '-'), got {name!r}")
        source = Path(source)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise PhotoError(source, f"không đọc được tệp ảnh ({exc.strerror or exc}).") from exc
        digest = hashlib.sha256(data + _settings().encode()).hexdigest()[:8]
        manifest = self.cache_dir / _MANIFEST_DIR / f"{name}-{digest}.json"
        photos = self._load_manifest(manifest, f"{URI_DIR}/{name}-{digest}-")
        if photos is None:
            photos = self._render(source, data, f"{URI_DIR}/{name}-{digest}")
            self._write_manifest(manifest, photos)
        self._used.update(r.uri for r in photos.renditions)
        return photos

    def prune_unused(self) -> list[Path]:
        """After a successful build: remove the cached photos this pipeline did not hand out, unless
        another process is using the cache folder. Returns the removed paths.

        The plugin makes one pipeline per build, so "handed out" is "used by this build". A photo
        replaced or removed since the last build, and a profile since unpublished, thus lose their
        derivatives at the next build, and the cache holds one build's photos instead of every photo
        ever built.

        What others sharing the folder use cannot be told from file times. A preview remembers its photo
        sets for the whole session and never asks the cache again for an unchanged photo; it shows drafts,
        whose photos no build derives; and its next rebuild copies every file it uses into its site, so a
        file removed under it breaks it, however long ago it last looked. So every process that makes a
        pipeline holds a shared lock on the folder (``_anh.lock``) from then until its last pipeline is
        gone, and this method removes files only while it holds that lock exclusively: when no other
        preview or build is alive on the folder. Otherwise it removes nothing, and the next build that
        runs alone catches up; the cache grows meanwhile only by what the others use. Whoever starts
        while the files are being removed waits for the lock before its first look-up, and remakes what
        it then does not find. The search sources kept in the same folder (``tim-kiem*/``), and any other
        file this class did not make, are never touched (see ``cleanup``).
        """
        if self._lock is None or not _SharedLock.try_exclusive(self._lock):
            return []
        try:
            return self.cleanup(self._used)
        finally:
            _SharedLock.share(self._lock)

    def cleanup(self, keep: set[str]) -> list[Path]:
        """Delete cached renditions whose URI is not in ``keep``, their manifests and stale temp files.

        Returns the deleted paths. Files in the cache folder that this class did not make are left alone.
        Not safe while another process uses the folder: ``prune_unused`` is.
        """
        removed: list[Path] = []
        image_dir = self.cache_dir / URI_DIR
        if image_dir.is_dir():
            for path in image_dir.iterdir():
                is_temp = path.name.startswith(".") and path.name.endswith(".tmp")
                if is_temp or (path.suffix == ".webp" and f"{URI_DIR}/{path.name}" not in keep):
                    path.unlink(missing_ok=True)
                    removed.append(path)
        manifest_dir = self.cache_dir / _MANIFEST_DIR
        if manifest_dir.is_dir():
            for path in manifest_dir.iterdir():
                if path.name.endswith(".tmp"):
                    stale = True
                else:
                    try:
                        entries = json.loads(path.read_bytes())
                        stale = any(entries[role]["uri"] not in keep for role in _ROLES)
                    except (OSError, ValueError, KeyError, TypeError):
                        stale = True
                if stale:
                    path.unlink(missing_ok=True)
                    removed.append(path)
        return sorted(removed)

    def _load_manifest(self, manifest: Path, prefix: str) -> PhotoSet | None:
        try:
            entries = json.loads(manifest.read_bytes())
            renditions = []
            for role in _ROLES:
                entry = entries[role]
                uri = entry["uri"]
                if not (isinstance(uri, str) and uri.startswith(prefix) and "/" not in uri[len(prefix):]):
                    return None
                rendition = Rendition(uri, self.cache_dir / uri, int(entry["width"]), int(entry["height"]))
                # The size check catches files lost or emptied since (e.g. by a crash before the
                # filesystem flushed them), which a mere existence check would reuse.
                if rendition.path.stat().st_size != entry["bytes"]:
                    return None
                renditions.append(rendition)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return PhotoSet(*renditions)

    def _write_manifest(self, manifest: Path, photos: PhotoSet) -> None:
        entries = {
            role: {
                "uri": r.uri,
                "width": r.width,
                "height": r.height,
                "bytes": r.path.stat().st_size,
            }
            for role, r in zip(_ROLES, (photos.full, photos.thumb, photos.thumb_2x), strict=True)
        }
        write_atomically(manifest, json.dumps(entries, indent=1, sort_keys=True).encode())

    def _render(self, source: Path, data: bytes, stem: str) -> PhotoSet:
        image, upright_size = _decode(source, data)
        upright_w, upright_h = upright_size
        # A JPEG may have been decoded at 1/2, 1/4 or 1/8 scale: map source boxes onto its pixels.
        scale_x, scale_y = image.width / upright_w, image.height / upright_h
        (self.cache_dir / URI_DIR).mkdir(parents=True, exist_ok=True)
        made: dict[tuple, Rendition] = {}
        by_role: dict[str, Rendition] = {}
        used_uris: set[str] = set()
        for plan in _plans(upright_w, upright_h):
            key = (plan.box, plan.size)
            if key in made:
                by_role[plan.role] = made[key]
                continue
            width, height = plan.size
            uri = f"{stem}-{width}.webp"
            if uri in used_uris:
                uri = f"{stem}-{width}x{height}.webp"
            x0, y0, x1, y1 = plan.box
            box = (x0 * scale_x, y0 * scale_y, x1 * scale_x, y1 * scale_y)
            # reducing_gap=3 first shrinks by whole factors (fast), then resamples; the docs call the
            # result indistinguishable from a plain Lanczos resize.
            resized = image.resize(plan.size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
            resized.info.clear()
            path = self.cache_dir / uri
            write_atomically(path, functools.partial(resized.save, format="WEBP", quality=plan.quality,
                                                     method=WEBP_METHOD))
            rendition = Rendition(uri, path, width, height)
            made[key] = by_role[plan.role] = rendition
            used_uris.add(uri)
        return PhotoSet(by_role["full"], by_role["thumb"], by_role["thumb_2x"])


class _SharedLock:
    """One shared ``flock`` on a cache folder's lock file per process, held while any pipeline of the
    process on that folder is alive. One per process, not per pipeline, so that pipelines of earlier builds
    not yet garbage-collected do not keep a later build of the same process from pruning; child processes
    forked by a build share it (and never unlock it: only closing their copy, which releases nothing)."""

    _held: dict[Path, list[int]] = {}  # lock file → [descriptor, pipelines alive]
    _guard = threading.Lock()

    @classmethod
    def hold(cls, cache_dir: Path) -> Path | None:
        """The lock file, now held shared; None where it cannot be (no flock, a folder that cannot be
        written: derive then reports that itself)."""
        if fcntl is None:
            return None
        path = Path(os.path.abspath(cache_dir / _LOCK_FILE))
        with cls._guard:
            entry = cls._held.get(path)
            if entry is None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
                except OSError:
                    return None
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH)  # waits while another process prunes
                except OSError:  # a file system without locks
                    os.close(fd)
                    return None
                entry = cls._held[path] = [fd, 0]
            entry[1] += 1
        return path

    @classmethod
    def release(cls, path: Path) -> None:
        with cls._guard:
            entry = cls._held[path]
            entry[1] -= 1
            if entry[1] == 0:
                del cls._held[path]
                os.close(entry[0])

    @classmethod
    def try_exclusive(cls, path: Path) -> bool:
        fd = cls._held[path][0]
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            # Converting drops the shared lock first, and does not give it back when it fails.
            fcntl.flock(fd, fcntl.LOCK_SH)
            return False

    @classmethod
    def share(cls, path: Path) -> None:
        fcntl.flock(cls._held[path][0], fcntl.LOCK_SH)


def _settings() -> str:
    """Everything that decides the output pixels; read at call time so a change reaches the hash."""
    return (
        f"v{PIPELINE_VERSION};full={FULL_MAX}@q{FULL_QUALITY};"
        f"thumb=3:2,{THUMB_WIDTH},{THUMB_2X_WIDTH}@q{THUMB_QUALITY};"
        f"webp-method={WEBP_METHOD};background=white;srgb;lanczos"
    )


def _plans(width: int, height: int) -> list[_Plan]:
    """What to cut from an upright ``width`` × ``height`` photo, and at which size."""
    if max(width, height) <= FULL_MAX:
        full_size = (width, height)
    elif width >= height:
        full_size = (FULL_MAX, max(1, round(height * FULL_MAX / width)))
    else:
        full_size = (max(1, round(width * FULL_MAX / height)), FULL_MAX)
    if width * 2 > height * 3:
        crop_w, crop_h = height * 1.5, float(height)
    else:
        crop_w, crop_h = float(width), width / 1.5
    x0, y0 = (width - crop_w) / 2, (height - crop_h) / 2
    crop = (x0, y0, x0 + crop_w, y0 + crop_h)

    def thumb_size(target: int) -> tuple[int, int]:
        # A multiple of 3 wide, so the height is exactly two thirds and every card has one shape.
        unit = max(1, min(target, math.floor(crop_w)) // 3)
        return (3 * unit, 2 * unit)

    return [
        _Plan("full", (0.0, 0.0, float(width), float(height)), full_size, FULL_QUALITY),
        _Plan("thumb", crop, thumb_size(THUMB_WIDTH), THUMB_QUALITY),
        _Plan("thumb_2x", crop, thumb_size(THUMB_2X_WIDTH), THUMB_QUALITY),
    ]


def _decode(source: Path, data: bytes) -> tuple[Image.Image, tuple[int, int]]:
    """The photo upright, in sRGB ``RGB`` without metadata, and its full upright size.

    The image may be smaller than that size: JPEGs are decoded at a reduced scale when even the largest
    rendition does not need every pixel.
    """
    unreadable = (
        "không đọc được ảnh: tệp bị hỏng, chưa tải về hết, hoặc không phải ảnh JPEG, PNG, WebP. "
        "Hãy mở thử ảnh trên máy tính rồi lưu lại (hoặc chụp, tải lại)."
    )
    with warnings.catch_warnings():
        # Pillow warns (and above twice its own limit, raises) about decompression bombs; our own,
        # lower limit below is the one that decides, with a message editors can act on.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(io.BytesIO(data), formats=_FORMATS)
        except Image.DecompressionBombError as exc:
            found = re.search(r"\((\d+) pixels\)", str(exc))
            raise PhotoError(source, _too_large(int(found.group(1)) if found else None)) from exc
        except Exception as exc:  # decoders raise OSError, SyntaxError, ValueError, struct.error …
            raise PhotoError(source, unreadable) from exc
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PhotoError(source, _too_large(width * height))
        try:
            try:
                orientation = int(image.getexif().get(_ORIENTATION, 1))
            except Exception:  # a broken EXIF block should not cost the photo: show it as stored
                orientation = 1
            upright = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
            needed = max(plan.size[0] / (plan.box[2] - plan.box[0]) for plan in _plans(*upright))
            if needed < 1:
                # draft() picks the smallest JPEG DCT scale that still yields at least this size.
                image.draft(None, (math.ceil(width * needed), math.ceil(height * needed)))
            image.load()
            if orientation in _TRANSPOSE:
                image = image.transpose(_TRANSPOSE[orientation])
            return _to_srgb(image), upright
        except PhotoError:
            raise
        except Exception as exc:
            raise PhotoError(source, unreadable) from exc


def _too_large(pixels: int | None) -> str:
    limit = _megapixels(MAX_PIXELS)
    size = f" ({_megapixels(pixels)} triệu điểm ảnh)" if pixels else ""
    return (
        f"ảnh quá lớn{size}, vượt giới hạn {limit} triệu điểm ảnh. "
        "Hãy thu nhỏ ảnh (cạnh dài khoảng 2.000–4.000 điểm ảnh là đủ) rồi lưu lại."
    )


def _megapixels(pixels: int) -> str:
    value = pixels / 1_000_000
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return text.replace(".", ",")  # Vietnamese decimal comma


def _to_srgb(image: Image.Image) -> Image.Image:
    """``image`` as 8-bit sRGB ``RGB``: transparency over white, 16-bit scaled, ICC profile applied."""
    icc = image.info.get("icc_profile")
    if image.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N"):
        # Pillow's own conversion clips 16-bit values at 255, which would turn the photo white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    if icc and image.mode in ("RGB", "L", "CMYK"):
        image = _apply_profile(image, icc) or image
    if image.mode != "RGB":
        image = image.convert("RGB")
    # Nothing of the source's metadata (EXIF with GPS, XMP, ICC, comments) may travel further.
    image.info.clear()
    return image


def _apply_profile(image: Image.Image, icc: bytes) -> Image.Image | None:
    """``image`` converted from its embedded profile to sRGB; None when that changes nothing or fails.

    Dropping a wide-gamut profile (iPhones write Display P3) without converting would dull the colours.
    """
    if ImageCms is None:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower().replace(" ", ""):
            return None
        return ImageCms.profileToProfile(
            image, profile, _srgb_profile(), renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except Exception:  # a broken or mismatched profile: the pixels as stored are the best guess
        return None


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
