"""The photo pipeline: sizes, format, colour modes, metadata stripping, caching, errors, atomic writes."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms

from generator.portal import photos as images
from generator.portal.photos import PhotoError, PhotoPipeline, PhotoSet


def write_photo(path: Path, image: Image.Image, fmt: str | None = None, **params) -> Path:
    image.save(path, fmt, **params)
    return path


def gradient(width: int, height: int) -> Image.Image:
    """A photo-like image (not flat), so the encoder has real work and crops are visible."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    return Image.merge("RGB", (image.getchannel(0), image.getchannel(0).rotate(90), image.getchannel(0)))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels but holds almost no data, like a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def matrix_profile(description: str, red, green, blue, gamma: float = 2.2) -> bytes:
    """A minimal ICC v2 display profile (primaries as D50 XYZ, one gamma), as cameras and phones embed."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(value) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(c) for c in value)

    text = description.encode() + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 78
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags = [
        (b"desc", desc), (b"wtpt", xyz((0.9642, 1.0, 0.8249))), (b"rXYZ", xyz(red)), (b"gXYZ", xyz(green)),
        (b"bXYZ", xyz(blue)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = body = b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (
        struct.pack(">II", offset + len(body), 0) + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + b"\0" * 12
        + b"acsp" + b"\0" * 28 + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48
    )
    return header + struct.pack(">I", len(tags)) + table + body


def sizes(photos: PhotoSet) -> list[tuple[int, int]]:
    return [(r.width, r.height) for r in (photos.full, photos.thumb, photos.thumb_2x)]


def assert_files_match(photos: PhotoSet) -> None:
    for rendition in photos.renditions:
        assert rendition.path.is_file()
        assert rendition.uri.startswith("anh/") and rendition.uri.endswith(".webp")
        with Image.open(rendition.path) as image:
            assert image.format == "WEBP"
            assert image.mode == "RGB"
            assert image.size == (rendition.width, rendition.height)


@pytest.fixture
def pipeline(tmp_path: Path) -> PhotoPipeline:
    return PhotoPipeline(tmp_path / "cache")


# Sizes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_size", "expected"),
    [
        # Landscape JPEG, larger than every rendition: decoded at 1/2 scale, still exact sizes.
        ((3300, 2200), [(1600, 1067), (480, 320), (960, 640)]),
        # Wider than 3:2: the thumbnails crop the sides.
        ((2400, 1200), [(1600, 800), (480, 320), (960, 640)]),
        # Portrait: the long side is the height.
        ((1000, 3000), [(533, 1600), (480, 320), (960, 640)]),
        # The sample photos' size: nothing to shrink for the full rendition.
        ((1200, 800), [(1200, 800), (480, 320), (960, 640)]),
        # Smaller than the 2x thumbnail: capped at the source, still 3:2.
        ((700, 500), [(700, 500), (480, 320), (699, 466)]),
        # Smaller than everything: never upscaled.
        ((300, 200), [(300, 200), (300, 200), (300, 200)]),
    ],
)
def test_sizes(tmp_path: Path, pipeline: PhotoPipeline, source_size, expected) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(*source_size), quality=90)
    photos = pipeline.derive(source, "nguyen-thi-hoa")
    assert sizes(photos) == expected
    assert_files_match(photos)
    for rendition in (photos.thumb, photos.thumb_2x):
        assert rendition.width * 2 == rendition.height * 3


def test_file_names(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(1200, 800))
    photos = pipeline.derive(source, "ksor-h-blin")
    digest = photos.full.uri.split("-")[-2]
    assert len(digest) == 8 and int(digest, 16) >= 0
    assert [r.uri for r in (photos.full, photos.thumb, photos.thumb_2x)] == [
        f"anh/ksor-h-blin-{digest}-1200.webp",
        f"anh/ksor-h-blin-{digest}-480.webp",
        f"anh/ksor-h-blin-{digest}-960.webp",
    ]
    assert all(r.path == pipeline.cache_dir / r.uri for r in photos.renditions)


def test_identical_renditions_share_one_file(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = write_photo(tmp_path / "p.png", gradient(300, 200))
    photos = pipeline.derive(source, "nho")
    assert photos.full == photos.thumb == photos.thumb_2x
    assert len(list((pipeline.cache_dir / "anh").iterdir())) == 1


def test_portrait_thumbnail_of_full_width_gets_its_own_name(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    # Full is 960x1280 and the 2x thumbnail 960x640: same width, different pixels.
    source = write_photo(tmp_path / "p.jpg", gradient(960, 1280))
    photos = pipeline.derive(source, "doc")
    assert sizes(photos) == [(960, 1280), (480, 320), (960, 640)]
    assert photos.full.uri.endswith("-960.webp")
    assert photos.thumb_2x.uri.endswith("-960x640.webp")
    assert_files_match(photos)


def test_thumbnail_is_the_centre(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    # A 2:1 photo: red bands on the sides that a centre 3:2 crop removes, blue in the middle.
    image = Image.new("RGB", (1200, 600), "red")
    image.paste(Image.new("RGB", (900, 600), "blue"), (150, 0))
    photos = pipeline.derive(write_photo(tmp_path / "p.png", image), "giua")
    with Image.open(photos.thumb.path) as thumb:
        for x in (2, thumb.width // 2, thumb.width - 3):
            red, _, blue = thumb.getpixel((x, thumb.height // 2))
            assert blue > 200 and red < 60
    with Image.open(photos.full.path) as full:
        assert full.getpixel((2, 300))[0] > 200  # the full rendition keeps the sides


# Formats and colour modes -----------------------------------------------------------------------------


def transparent(mode: str) -> Image.Image:
    """A transparent image (which must come out white) with an opaque black square in the middle."""
    image = Image.new("RGBA", (600, 400), (255, 0, 0, 0))
    image.paste((0, 0, 0, 255), (250, 150, 350, 250))
    if mode == "P":
        return image.convert("P")  # keeps the transparent index as info["transparency"]
    if mode == "LA":
        return image.convert("LA")
    return image


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparency_becomes_white(tmp_path: Path, pipeline: PhotoPipeline, mode: str) -> None:
    image = transparent(mode)
    assert image.mode == mode
    source = write_photo(tmp_path / "p.png", image)
    photos = pipeline.derive(source, "trong-suot")
    assert_files_match(photos)
    with Image.open(photos.full.path) as full:
        assert min(full.getpixel((20, 20))) > 245
        assert max(full.getpixel((300, 200))) < 20


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("cmyk.jpg", lambda: Image.new("CMYK", (600, 400), (0, 255, 255, 0))),  # red in CMYK
        ("palette.png", lambda: Image.new("RGB", (600, 400), "red").convert("P")),
        ("gray.jpg", lambda: Image.new("L", (600, 400), 128)),
        ("mono.png", lambda: Image.new("1", (600, 400), 1)),
        ("rgb.webp", lambda: Image.new("RGB", (600, 400), "red")),
    ],
)
def test_other_modes_become_rgb(tmp_path: Path, pipeline: PhotoPipeline, name: str, make) -> None:
    photos = pipeline.derive(write_photo(tmp_path / name, make()), "che-do")
    assert_files_match(photos)


def test_16_bit_png_is_scaled_not_clipped(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    image = Image.new("I;16", (600, 400), 40000)  # 40000/65535 ≈ 61% grey
    source = write_photo(tmp_path / "p.png", image)
    with Image.open(source) as reopened:
        assert reopened.mode.startswith("I")
    photos = pipeline.derive(source, "muoi-sau-bit")
    with Image.open(photos.full.path) as full:
        assert all(150 <= channel <= 162 for channel in full.getpixel((300, 200)))


# Metadata ---------------------------------------------------------------------------------------------


def phone_photo(tmp_path: Path) -> Path:
    """A 300x200 JPEG stored sideways (orientation 6) with GPS, XMP and an ICC profile, like a phone's."""
    image = Image.new("RGB", (300, 200), "blue")
    image.paste((255, 0, 0), (0, 0, 60, 40))  # marks the stored top-left corner
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (13.0, 31.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (108.0, 32.0, 44.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>13,31.2N</exif:GPSLatitude></x:xmpmeta>'
    return write_photo(tmp_path / "phone.jpg", image, exif=exif, xmp=xmp, icc_profile=srgb, quality=95)


def test_metadata_is_stripped_and_orientation_applied(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = phone_photo(tmp_path)
    with Image.open(source) as original:  # the test photo really carries what must be removed
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert original.getexif()[ExifTags.Base.Orientation] == 6
        assert "icc_profile" in original.info and "xmp" in original.info

    photos = pipeline.derive(source, "dien-thoai")

    # Orientation 6: stored 300x200 and shown turned 90° clockwise, so 200x300 and upright.
    assert (photos.full.width, photos.full.height) == (200, 300)
    for rendition in photos.renditions:
        raw = rendition.path.read_bytes()
        for marker in (b"EXIF", b"XMP ", b"ICCP", b"GPS", b"PhoneMaker", b"Exif"):
            assert marker not in raw, (rendition.uri, marker)
        with Image.open(rendition.path) as output:
            assert not output.getexif()
            assert not {"exif", "xmp", "icc_profile"} & output.info.keys()
    with Image.open(photos.full.path) as full:
        # The stored top-left corner is now at the top right.
        assert full.getpixel((195, 5))[0] > 200 and full.getpixel((5, 5))[2] > 200


# Cache ------------------------------------------------------------------------------------------------


def test_unchanged_photo_is_not_decoded_again(
    tmp_path: Path, pipeline: PhotoPipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(1200, 800), quality=90)
    first = pipeline.derive(source, "ksor-h-blin")
    mtimes = {r.path: r.path.stat().st_mtime_ns for r in first.renditions}

    opened: list[object] = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    again = PhotoPipeline(pipeline.cache_dir).derive(source, "ksor-h-blin")  # a later build

    assert again == first
    assert opened == []
    assert {r.path: r.path.stat().st_mtime_ns for r in again.renditions} == mtimes


def test_changed_photo_gets_new_names(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = tmp_path / "p.jpg"
    write_photo(source, gradient(1200, 800))
    before = pipeline.derive(source, "ksor-h-blin")
    image = gradient(1200, 800)
    image.putpixel((10, 10), (255, 0, 0))
    write_photo(source, image)
    after = pipeline.derive(source, "ksor-h-blin")
    assert {r.uri for r in before.renditions}.isdisjoint(r.uri for r in after.renditions)
    assert all(r.path.is_file() for r in before.renditions)  # old URLs stay valid until cleanup


def test_changed_settings_get_new_names(
    tmp_path: Path, pipeline: PhotoPipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(1200, 800))
    before = pipeline.derive(source, "ksor-h-blin")
    monkeypatch.setattr(images, "FULL_QUALITY", 60)
    after = pipeline.derive(source, "ksor-h-blin")
    assert before.full.uri != after.full.uri


def test_damaged_cache_is_rebuilt(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(1200, 800))
    first = pipeline.derive(source, "ksor-h-blin")
    first.thumb.path.write_bytes(b"")  # e.g. lost in a power cut before it reached the disk
    again = pipeline.derive(source, "ksor-h-blin")
    assert again == first
    assert_files_match(again)


def test_cleanup_keeps_only_what_is_used(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    kept = pipeline.derive(write_photo(tmp_path / "a.jpg", gradient(1200, 800)), "a")
    dropped = pipeline.derive(write_photo(tmp_path / "b.jpg", gradient(900, 900)), "b")
    removed = pipeline.cleanup({r.uri for r in kept.renditions})
    assert all(r.path.is_file() for r in kept.renditions)
    assert not any(r.path.exists() for r in dropped.renditions)
    assert {r.path for r in dropped.renditions} < set(removed)
    assert pipeline.derive(tmp_path / "a.jpg", "a") == kept


def _unrelated_cache_files(cache_dir: Path) -> dict[str, bytes]:
    """Files the plugin keeps beside the photos (search sources of a build and of a preview), and a file
    someone else put in the photo folder: none of it is the pipeline's to remove."""
    files = {
        "tim-kiem/guong/a/index.html": b"<main>a</main>",
        "tim-kiem-xem-truoc/guong/b/index.html": b"<main>b</main>",
        "anh/ghi-chu.txt": b"not a rendition",
    }
    for name, data in files.items():
        (cache_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (cache_dir / name).write_bytes(data)
    return files


def test_prune_removes_what_this_build_did_not_use_and_nothing_else(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    kept = pipeline.derive(write_photo(tmp_path / "a.jpg", gradient(1200, 800)), "a")
    dropped = pipeline.derive(write_photo(tmp_path / "b.jpg", gradient(900, 900)), "b")
    others = _unrelated_cache_files(pipeline.cache_dir)
    next_build = PhotoPipeline(pipeline.cache_dir)
    assert next_build.derive(tmp_path / "a.jpg", "a") == kept
    removed = next_build.prune_unused()
    assert all(r.path.is_file() for r in kept.renditions)
    assert not any(r.path.exists() for r in dropped.renditions)
    assert {r.path for r in dropped.renditions} < set(removed)
    assert {p.stem.rsplit("-", 1)[0] for p in (pipeline.cache_dir / "_manifests").iterdir()} == {"a"}
    assert {name: (pipeline.cache_dir / name).read_bytes() for name in others} == others
    assert next_build.derive(tmp_path / "a.jpg", "a") == kept
    assert next_build.prune_unused() == []


_HOLD_CACHE = """
import sys
from pathlib import Path
from generator.portal.photos import PhotoPipeline
pipeline = PhotoPipeline(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.read()
"""


def test_prune_removes_nothing_while_another_process_uses_the_cache(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    # A preview (or another build) started in another process: what it uses is not known here.
    import subprocess
    import sys

    dropped = pipeline.derive(write_photo(tmp_path / "b.jpg", gradient(900, 900)), "b")
    build = PhotoPipeline(pipeline.cache_dir)
    other = subprocess.Popen([sys.executable, "-c", _HOLD_CACHE, str(pipeline.cache_dir)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "ready\n"
        assert build.prune_unused() == []
        assert all(r.path.is_file() for r in dropped.renditions)
        assert build.prune_unused() == []  # a failed attempt leaves this process's own lock as it was
    finally:
        other.communicate("")
    assert not _locks_exclusively_elsewhere(pipeline.cache_dir / "_anh.lock")  # still held here
    assert {r.path for r in dropped.renditions} < set(build.prune_unused())


def _locks_exclusively_elsewhere(lock: Path) -> bool:
    import subprocess
    import sys

    code = "import fcntl, os, sys; fcntl.flock(os.open(sys.argv[1], os.O_RDWR), fcntl.LOCK_EX | fcntl.LOCK_NB)"
    return subprocess.run([sys.executable, "-c", code, str(lock)], capture_output=True).returncode == 0


def test_a_build_drops_the_derivatives_of_a_replaced_photo(tmp_path: Path) -> None:
    from conftest import new_project
    from generator.mkdocs_edge.adapter import build_site

    project = new_project(tmp_path / "project", samples=True)
    cache = project / ".cache" / "guong"
    site = build_site(project / "mkdocs.yml")
    old = sorted(p.name for p in (cache / "anh").glob("ksor-h-blin-*"))
    assert old and all((site / "anh" / name).is_file() for name in old)
    search_sources = sorted(p.relative_to(cache) for p in (cache / "tim-kiem").rglob("*"))
    assert search_sources
    preview_sources = cache / "tim-kiem-xem-truoc" / "guong" / "ksor-h-blin" / "index.html"
    preview_sources.parent.mkdir(parents=True)
    preview_sources.write_text("<main>xem trước</main>", encoding="utf-8")
    write_photo(project / "content" / "anh" / "ksor-h-blin.jpg", gradient(1200, 800), quality=90)

    build_site(project / "mkdocs.yml")

    new = sorted(p.name for p in (cache / "anh").glob("ksor-h-blin-*"))
    assert new and not set(new) & set(old)
    assert sorted(p.name for p in (site / "anh").glob("ksor-h-blin-*")) == new
    assert len(list((cache / "_manifests").glob("ksor-h-blin-*"))) == 1
    # Every other profile's photos are still cached, and the search sources are all there.
    assert sorted(p.name for p in (cache / "anh").iterdir()) == sorted(p.name for p in (site / "anh").iterdir())
    assert sorted(p.relative_to(cache) for p in (cache / "tim-kiem").rglob("*")) == search_sources
    assert preview_sources.read_text(encoding="utf-8") == "<main>xem trước</main>"


# Errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"day khong phai la anh",
        b"\xff\xd8\xff\xe0" + b"\0" * 100,  # a JPEG header and nothing after
        "truncated",
    ],
)
def test_unreadable_photo(tmp_path: Path, pipeline: PhotoPipeline, content) -> None:
    source = tmp_path / "hong.jpg"
    if content == "truncated":
        whole = io.BytesIO()
        gradient(1200, 800).save(whole, "JPEG")
        content = whole.getvalue()[: len(whole.getvalue()) // 2]
    source.write_bytes(content)
    with pytest.raises(PhotoError) as caught:
        pipeline.derive(source, "hong")
    assert str(caught.value).startswith("hong.jpg: không đọc được ảnh: tệp bị hỏng")
    assert caught.value.source == source
    assert not list(pipeline.cache_dir.rglob("*.webp"))


def test_missing_photo(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    with pytest.raises(PhotoError, match=r"^khong-co\.jpg: không đọc được tệp ảnh"):
        pipeline.derive(tmp_path / "khong-co.jpg", "khong-co")


def test_unsupported_format(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = write_photo(tmp_path / "anh.jpg", gradient(60, 40), "GIF")  # misnamed GIF
    with pytest.raises(PhotoError, match="không phải ảnh JPEG, PNG, WebP"):
        pipeline.derive(source, "gif")


def test_too_many_pixels(tmp_path: Path, pipeline: PhotoPipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000_000)
    source = write_photo(tmp_path / "lon.jpg", gradient(1400, 1000))
    with pytest.raises(PhotoError) as caught:
        pipeline.derive(source, "lon")
    assert str(caught.value) == (
        "lon.jpg: ảnh quá lớn (1,4 triệu điểm ảnh), vượt giới hạn 1 triệu điểm ảnh. "
        "Hãy thu nhỏ ảnh (cạnh dài khoảng 2.000–4.000 điểm ảnh là đủ) rồi lưu lại."
    )


@pytest.mark.parametrize(
    ("width", "height", "megapixels"),
    [
        (8000, 7000, "56"),  # over our limit, under Pillow's warning threshold
        (10000, 10000, "100"),  # over Pillow's warning threshold
        (20000, 10000, "200"),  # over Pillow's own error threshold
    ],
)
def test_decompression_bomb_is_refused_before_decoding(
    tmp_path: Path, pipeline: PhotoPipeline, width: int, height: int, megapixels: str
) -> None:
    source = tmp_path / "bom.png"
    source.write_bytes(png_header_only(width, height))
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        with pytest.raises(PhotoError, match=rf"^bom\.png: ảnh quá lớn \({megapixels} triệu điểm ảnh\)"):
            pipeline.derive(source, "bom")
    assert [str(w.message) for w in escaped] == []


def test_bad_name_is_a_programming_error(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(60, 40))
    with pytest.raises(ValueError):
        pipeline.derive(source, "../thoat-ra")


# Atomic writes ----------------------------------------------------------------------------------------


def test_no_temp_files_left(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    pipeline.derive(write_photo(tmp_path / "p.jpg", gradient(1200, 800)), "p")
    leftovers = [p.name for p in pipeline.cache_dir.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert leftovers == []


def test_interrupted_build_leaves_nothing_to_reuse(
    tmp_path: Path, pipeline: PhotoPipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(1200, 800))
    real_save = Image.Image.save

    def save_then_die(self, fp, *args, **kwargs):
        fp.write(b"RIFF\0\0\0\0WEBP")  # half an image is on disk when the build is killed
        raise KeyboardInterrupt

    monkeypatch.setattr(Image.Image, "save", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        pipeline.derive(source, "p")
    assert [p.name for p in pipeline.cache_dir.rglob("*") if p.is_file()] == ["_anh.lock"]

    monkeypatch.setattr(Image.Image, "save", real_save)
    assert_files_match(pipeline.derive(source, "p"))


def test_broken_colour_profile_does_not_cost_the_photo(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    source = write_photo(tmp_path / "p.jpg", gradient(600, 400), icc_profile=b"not a profile at all")
    with Image.open(source) as original:
        assert original.info["icc_profile"] == b"not a profile at all"
    photos = pipeline.derive(source, "hong-icc")
    assert_files_match(photos)
    assert b"ICCP" not in photos.full.path.read_bytes()


def test_wide_gamut_photo_is_converted_to_srgb(tmp_path: Path, pipeline: PhotoPipeline) -> None:
    # iPhones tag photos Display P3; dropping that tag without converting would dull the colours.
    p3 = matrix_profile("Display P3", (0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841))
    image = Image.new("RGB", (600, 400), (200, 120, 60))
    source = write_photo(tmp_path / "p.png", image, icc_profile=p3)
    expected = ImageCms.profileToProfile(
        image, ImageCms.ImageCmsProfile(io.BytesIO(p3)), ImageCms.createProfile("sRGB"), outputMode="RGB"
    ).getpixel((0, 0))
    assert expected[0] - 200 > 8 and 60 - expected[2] > 15  # the conversion really is visible
    photos = pipeline.derive(source, "p3")
    with Image.open(photos.full.path) as full:
        assert all(abs(a - b) <= 4 for a, b in zip(full.getpixel((300, 200)), expected, strict=True))
    assert b"ICCP" not in photos.full.path.read_bytes()
