"""`guong ky-yeu`: a real book of the samples laid out by WeasyPrint, read back with poppler's tools
(pdfinfo, pdftotext, pdffonts, pdfimages, pdftoppm) and its QR codes with zbar's zbarimg."""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import VALID_BODY, new_project
from generator.cli import main
from generator.content.collection import load_collection
from generator.portal.pages import build_portal
from generator.portal.photos import PhotoError, PhotoPipeline

SITE_ROOT = "http://127.0.0.1:8000/"
DRAFT_MARKER = "zqbannhapkyyeuqz"
BOOK_TITLE = "Kỷ yếu gương điển hình tiên tiến — Xã Pờ Tó (từ 1/7/2025)"


def _run(*command: str | Path) -> str:
    return subprocess.run([str(c) for c in command], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = new_project(tmp_path_factory.mktemp("ky-yeu"), samples=True)
    # A draft in an old commune the book's new commune absorbed: it must not reach the book.
    front = {"ten": f"Nguyễn Văn {DRAFT_MARKER}", "loai": "ca-nhan", "linh_vuc": "nong-thon-moi", "xa": "po-to",
             "nam": 2024, "tom_tat": f"Hồ sơ nháp hư cấu {DRAFT_MARKER}.", "trang_thai": "nhap",
             "dong_y_cong_khai": dt.date(2024, 5, 2)}
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    (folder / "content" / "guong" / "ban-nhap-ky-yeu.md").write_text(
        f"---\n{text}---\n\n{VALID_BODY}Câu chuyện {DRAFT_MARKER}.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def book(project) -> Path:
    target = project / "po-to.pdf"
    assert main(["ky-yeu", "--xa", "po-to-2025", "--config", str(project / "mkdocs.yml"), "--output", str(target)]) == 0
    return target


@pytest.fixture(scope="module")
def listing(project, taxonomy):
    """The new commune's published profiles as its listing page shows them, section by section."""
    portal = build_portal(load_collection(project / "content", taxonomy))
    group = portal.groups.get("xa", "po-to-2025")
    return [(section.title, [p for p in section.profiles if p.is_public]) for section in group.sections]


def _pages(pdf: Path) -> list[str]:
    return _run("pdftotext", "-layout", pdf, "-").split("\f")[:-1]


def _contents(pdf: Path) -> list[tuple[str, int]]:
    """The table of contents as printed: (name, page number) in order."""
    toc = _pages(pdf)[1]
    return [(m[1], int(m[2])) for m in re.finditer(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", toc, re.M)]


def test_the_book_holds_exactly_the_listings_published_profiles_in_its_order(book, listing):
    names = [p.name for _, profiles in listing for p in profiles]
    assert len(names) == 8  # the new commune's own, then Pờ Tó's and Chư Răng's
    assert [name for name, _ in _contents(book)] == names
    toc = _pages(book)[1]
    headings = [title for title, profiles in listing if profiles]
    assert headings == ["Hồ sơ ghi xã Pờ Tó (từ 1/7/2025)", "Xã Pờ Tó (cũ, đã sáp nhập)", "Xã Chư Răng (cũ, đã sáp nhập)"]
    assert [toc.index(h) for h in headings] == sorted(toc.index(h) for h in headings)


def test_contents_page_numbers_are_the_pages_the_chapters_start_on(book):
    pages = _pages(book)
    contents = _contents(book)
    assert contents[0][1] == 3  # cover, contents, then the first chapter
    for (name, number), following in zip(contents, [*contents[1:], (None, len(pages) + 1)], strict=True):
        chapter = pages[number - 1]
        assert re.search(rf"^\s*{re.escape(name)}\s*$", chapter, re.M), name  # the chapter's heading
        if number - 2 > 1:  # the page before (after the contents) belongs to the previous chapter
            assert name not in pages[number - 2], name
        for later in pages[number:following[1] - 1]:  # each page of the chapter: its name as running header
            assert later.lstrip().splitlines()[0].rstrip().endswith(name)


def test_the_book_is_a_tagged_a4_pdf_with_its_title_and_every_font_embedded(book):
    info = dict(line.split(":", 1) for line in _run("pdfinfo", book).splitlines())
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == BOOK_TITLE
    assert "(A4)" in info["Page size"]
    assert "pdfuaid:part=\"1\"" in _run("pdfinfo", "-meta", book)
    fonts = _run("pdffonts", book).splitlines()[2:]
    assert {row.split()[0].split("+")[1] for row in fonts} == {"Be-Vietnam-Pro", "Be-Vietnam-Pro-Bold"}
    assert all(row.split()[-5] == "yes" for row in fonts)  # the "emb" column
    objects = _inflated(book)
    assert b"/Lang (vi)" in objects


def test_the_book_can_be_read_by_others_and_leaves_no_temporary_file(book):
    # As every file the site publishes: the web server, or a colleague on the office share, reads it.
    assert stat.S_IMODE(book.stat().st_mode) == 0o644
    assert [p.name for p in book.parent.iterdir() if p.name.startswith(".po-to.pdf")] == []


def test_after_a_book_is_printed_a_half_copied_photo_is_still_refused(book, tmp_path):
    # Importing WeasyPrint makes Pillow read a truncated photo as if whole, for the whole process (a
    # build that printed its books, a preview): the editor must still hear that the photo is broken.
    whole = io.BytesIO()
    Image.new("RGB", (600, 400), (120, 80, 40)).save(whole, "JPEG")
    source = tmp_path / "nua.jpg"
    source.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    with pytest.raises(PhotoError, match=r"^nua\.jpg: không đọc được ảnh: tệp bị hỏng"):
        PhotoPipeline(tmp_path / "cache").derive(source, "nua")


def test_photos_are_printed_at_200_dpi_with_their_alt_text(book, listing):
    rows = _run("pdfimages", "-list", book).splitlines()[2:]
    with_photo = [p for _, profiles in listing for p in profiles if p.photo]
    assert len(rows) == len(with_photo) > 0
    for row in rows:
        cells = row.split()
        assert cells[8] == "jpeg" and 190 <= int(cells[12]) <= 210, row
    alts = {bytes.fromhex(h.decode()).decode("utf-16-be").lstrip("\ufeff")
            for h in re.findall(rb"/Alt <([0-9a-f]+)>", _inflated(book))}
    assert {p.photo_caption or f"Ảnh {p.name}" for p in with_photo} <= alts


def test_each_chapter_has_a_qr_code_of_its_profile_page(book, tmp_path):
    starts = [number for _, number in _contents(book)]
    for number in starts:
        _run("pdftoppm", "-r", "150", "-png", "-f", number, "-l", number, book, tmp_path / f"p{number}")
    images = sorted(tmp_path.glob("p*.png"))
    assert len(images) == len(starts)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", *map(str, images)], capture_output=True, text=True)
    chapters = _pages(book)
    expected = [SITE_ROOT + "guong/" + re.search(r"/guong/([a-z0-9-]+)/", chapters[n - 1])[1] + "/" for n in starts]
    assert sorted(decoded.stdout.split()) == sorted(expected)
    assert len(set(expected)) == len(starts)


def test_no_draft_reaches_the_book(book, project):
    text = _run("pdftotext", book, "-")
    assert DRAFT_MARKER not in text and DRAFT_MARKER.encode() not in _inflated(book)
    assert "Làng Plei Tơ Kual" not in text  # the sample awaiting approval


def test_unknown_slug(guong, project):
    run = guong("ky-yeu", "--xa", "po-too", "--config", project / "mkdocs.yml")
    assert (run.code, run.err) == (2, "lỗi cách dùng: không có xã 'po-too'; có phải 'po-to'?\n")


def test_listing_without_published_profiles(guong, project, tmp_path):
    target = tmp_path / "mttq.pdf"
    run = guong("ky-yeu", "--don-vi", "mttq-huyen", "--config", project / "mkdocs.yml", "--output", target)
    assert (run.code, run.err) == (1, "lỗi: Ủy ban MTTQ Việt Nam huyện: chưa có hồ sơ nào đã xuất bản; không có gì "
                                      "để in kỷ yếu.\n")
    assert not target.exists()
    run = guong("ky-yeu", "--nam", "2018", "--config", project / "mkdocs.yml")
    assert (run.code, run.err) == (1, "lỗi: năm 2018 chưa có hồ sơ nào đã xuất bản; không có gì để in kỷ yếu.\n")


def test_exactly_one_listing_is_asked_for(guong, project):
    for args in ([], ["--xa", "po-to", "--nam", "2024"]):
        run = guong("ky-yeu", *args, "--config", project / "mkdocs.yml")
        assert (run.code, run.err) == (2, "lỗi cách dùng: cần đúng một trong --xa, --linh-vuc, --don-vi, --nam\n")
    run = guong("ky-yeu", "--xa", "po-to", "--config", project / "mkdocs.yml", "--output", project / "khong" / "a.pdf")
    assert (run.code, run.err) == (2, f"lỗi cách dùng: không có thư mục '{(project / 'khong').as_posix()}' để ghi "
                                      "kỷ yếu\n")


def _inflated(pdf: Path) -> bytes:
    """Every Flate stream of the PDF decompressed (object streams hold the catalogue and the structure)."""
    data = pdf.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end():]))
        except zlib.error:
            continue
    return b"\n".join(parts)
