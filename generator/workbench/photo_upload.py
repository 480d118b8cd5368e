"""A photo uploaded in the workbench: checked to be an image the format accepts, named by the slug rule,
and stored without the location it was taken at (GPS in EXIF, XMP), before it reaches content/anh/."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from generator.content.fields import MAX_PHOTO_BYTES, PHOTO_EXTENSIONS
from generator.content.text import slugify

_GPS_IFD = 0x8825


class PhotoRefused(Exception):
    """Why an upload is not stored, in Vietnamese for the editor."""


@dataclass(frozen=True)
class StoredPhoto:
    name: str
    data: bytes


def safe_photo_name(file_name: str) -> str:
    """`Ảnh chị Hoa.JPG` → `anh-chi-hoa.jpg`: ASCII, lower case, the slug rule (đ → d)."""
    stem, suffix = PurePosixPath(file_name).stem, PurePosixPath(file_name).suffix.lower()
    return f"{slugify(stem) or 'anh'}{'.jpg' if suffix == '.jpeg' else suffix}"


def _without_location(image: Image.Image, data: bytes, image_format: str) -> bytes:
    """The photo's bytes, re-encoded only when they hold a location (JPEG at its own quality tables)."""
    exif = image.getexif()
    has_gps = _GPS_IFD in exif
    has_xmp = bool(image.info.get("xmp")) or b"http://ns.adobe.com/xap/1.0/" in data
    if not has_gps and not has_xmp:
        return data
    if has_gps:
        del exif[_GPS_IFD]
    out = io.BytesIO()
    options: dict[str, object] = {"exif": exif.tobytes()}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if image_format == "JPEG":
        options.update(quality="keep", subsampling="keep")
    elif image_format == "WEBP":
        options.update(quality=95)
    image.save(out, format=image_format, **options)
    return out.getvalue()


def prepare_photo(file_name: str, data: bytes) -> StoredPhoto:
    """The name and bytes to store, or PhotoRefused saying why not."""
    name = safe_photo_name(file_name)
    suffix = PurePosixPath(name).suffix
    if suffix not in PHOTO_EXTENSIONS:
        raise PhotoRefused(f"'{file_name}' không phải ảnh JPG, PNG hoặc WebP; hãy chọn tệp ảnh khác")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused(f"ảnh '{file_name}' nặng {len(data) / 1024 / 1024:.1f} MB, quá giới hạn "
                           f"{MAX_PHOTO_BYTES // 1024 // 1024} MB; hãy thu nhỏ ảnh rồi tải lên lại")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRefused(f"'{file_name}' không phải tệp ảnh đọc được (hỏng hoặc sai định dạng)") from None
    if image.format != PHOTO_EXTENSIONS[suffix]:
        raise PhotoRefused(f"'{file_name}' có đuôi {suffix} nhưng thực chất là ảnh {image.format}; "
                           "hãy lưu lại đúng định dạng")
    return StoredPhoto(name, _without_location(image, data, image.format))


def free_name(folder: Path, name: str, data: bytes) -> str:
    """`name`, or `name-2`, `-3`… when another photo already has it (the same bytes keep the name)."""
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    candidate, number = name, 1
    while (folder / candidate).exists() and (folder / candidate).read_bytes() != data:
        number += 1
        candidate = f"{stem}-{number}{suffix}"
    return candidate
