"""Yearbooks (kỷ yếu): one listing's published profiles as a printable A4 book, for the honouring
conferences (plan 105/KH-UBND III.3, IV.2).

A book is made from the same model as the portal: the listing's group (portal/groups.py, so a new
commune holds the old communes it absorbed, in listing order) and each profile page's own context
(portal/pages.py). The print template is generator/portal/templates/yearbook.html; WeasyPrint lays it
out (CSS paged media: `target-counter` page numbers in the table of contents, running headers) and writes
a tagged PDF/UA-1. Photos are the published renditions, downsampled for print; nothing of a draft or of a
profile without consent can reach a book, because the group holds only what the site shows.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import markdown
from jinja2 import Environment
from markupsafe import Markup
from PIL import Image, ImageFile

from generator.atomic_files import write_atomically
from generator.content.taxonomy import Taxonomy
from generator.content.text import short_date
from generator.portal.fonts import FONT_FOLDER, joined_font
from generator.portal.groups import COMMUNE, FIELD, UNIT, YEAR, Group, Groups, Section
from generator.portal.pages import Portal, profile_url
from generator.portal.photos import PhotoSet
from generator.portal.qr import qr_data_uri
from generator.portal.render import sanitize_story, wrap_tables
from generator.portal.site import Site

BOOK_KINDS = (COMMUNE, FIELD, UNIT, YEAR)
"""The listings a book can be made of (`guong ky-yeu --xa/--linh-vuc/--don-vi/--nam`)."""
KIND_LABELS = {COMMUNE: "xã", FIELD: "lĩnh vực", UNIT: "cơ quan, đơn vị", YEAR: "năm"}
PRINT_DPI = 200
PHOTO_BOX_CM = (7.5, 9.0)
"""The largest a photo is printed (width, height); at PRINT_DPI this is its largest size in pixels."""
PHOTO_QUALITY = 82
PRINT_VERSION = 1
"""Bump when the print template or the rendering changes what a book looks like: cached books are made anew."""
CACHE_FOLDER = "ky-yeu"


class YearbookError(Exception):
    """No book can be made; the message is Vietnamese, for editors. `usage` when the listing asked for
    does not exist (exit 2), otherwise it exists but has nothing to print (exit 1)."""

    def __init__(self, message: str, *, usage: bool) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class Book:
    group: Group
    sections: list[Section]
    """The listing's sections that hold published profiles, in listing order, with only those."""

    @property
    def profiles(self):
        return [profile for section in self.sections for profile in section.profiles]

    @property
    def file_name(self) -> str:
        return f"ky-yeu-{self.group.kind}-{self.group.slug}.pdf"


def find_book(groups: Groups, kind: str, slug: str) -> Book:
    """The book of the listing `kind`/`slug`: YearbookError when there is no such listing or it has no
    published profile."""
    known = {g.slug: g for g in groups.by_kind[kind]}
    group = known.get(slug)
    if group is None:
        if kind == YEAR and slug.isdigit():
            raise YearbookError(f"năm {slug} chưa có hồ sơ nào đã xuất bản; không có gì để in kỷ yếu.", usage=False)
        close = difflib.get_close_matches(slug, list(known), n=1, cutoff=0.75)
        hint = f"có phải '{close[0]}'?" if close else f"chọn một trong: {', '.join(sorted(known))}"
        raise YearbookError(f"không có {KIND_LABELS[kind]} '{slug}'; {hint}", usage=True)
    return book_of(group, required=True)


def book_of(group: Group, *, required: bool = False) -> Book:
    sections = [Section(s.title, s.url, public) for s in group.sections
                if (public := [p for p in s.profiles if p.is_public])]
    if not sections and required:
        raise YearbookError(f"{group.title}: chưa có hồ sơ nào đã xuất bản; không có gì để in kỷ yếu.",
                            usage=False)
    return Book(group, sections)


def yearbook_path(book: Book) -> str:
    """Where the site publishes a book: in its listing's folder, under a name that says what it is once
    downloaded."""
    return book.group.url + book.file_name


def site_books(portal: Portal) -> list[Book]:
    """Every listing of the kinds that offer a book on the site and have published profiles."""
    books = [book_of(g) for kind in (COMMUNE, FIELD, YEAR) for g in portal.groups.by_kind[kind]]
    return [book for book in books if book.sections]


class Printer:
    """Makes books of one portal: HTML from the print template, then the PDF."""

    def __init__(self, portal: Portal, taxonomy: Taxonomy, site: Site, env: Environment,
                 photos: Mapping[str, PhotoSet], theme_dir: Path, cache_dir: Path) -> None:
        self.portal, self.taxonomy, self.site, self.env = portal, taxonomy, site, env
        self.photos = photos
        self.cache_dir = cache_dir / CACHE_FOLDER
        fonts_dir = theme_dir / FONT_FOLDER
        self.fonts = {weight: joined_font(fonts_dir, weight, cache_dir).resolve().as_uri() for weight in (400, 700)}
        self._markdown = markdown.Markdown(extensions=["tables", "admonition"])
        self._stories: dict[str, Markup] = {}
        """Each story rendered once: a profile is in a book of its commune, field and year."""

    def html(self, book: Book, made_on: dt.date | None) -> str:
        chapters = []
        for number, profile in enumerate(book.profiles, start=1):
            page = self.portal.pages[profile_url(profile)]
            url = self.site.root + profile_url(profile)
            photo = self.photos.get(profile.slug)
            chapters.append({
                **page.context, "id": f"chuong-{number}", "url": url, "qr": qr_data_uri(url),
                "photo": self._print_photo(photo).resolve().as_uri() if photo else None,
                "story": self._story(profile.slug, page.story or ""),
            })
        years = sorted({p.year for p in book.profiles})
        periods = list(dict.fromkeys(period.name for y in years if (period := self.taxonomy.period_of(y))))
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        return self.env.get_template("yearbook.html").render(
            book=book, chapters=chapters, fonts=self.fonts, site=self.site, span=span, periods=periods,
            made_on=short_date(made_on) if made_on else "", version=PRINT_VERSION)

    def write(self, book: Book, target: Path, made_on: dt.date) -> int:
        """The book as a PDF at `target`, written whole or not at all; returns its number of pages."""
        return write_pdf(self.html(book, made_on), target)

    def cached(self, book: Book, made_on: dt.date) -> Path:
        """The book's PDF from the cache, made only when its content changed since it was last made (the
        key leaves out the day it is made, so an unchanged book keeps the date it was first made on)."""
        key = hashlib.sha256(self.html(book, None).encode()).hexdigest()[:16]
        target = self.cache_dir / f"{book.group.kind}-{book.group.slug}-{key}.pdf"
        if not target.is_file():
            self.write(book, target, made_on)
        return target

    def prune(self, keep: set[Path]) -> None:
        """Remove cached books that the last build did not use (their content changed)."""
        for path in self.cache_dir.glob("*.pdf"):
            if path not in keep:
                path.unlink(missing_ok=True)

    def _story(self, slug: str, text: str) -> Markup:
        if slug not in self._stories:
            self._stories[slug] = self._render_story(text)
        return self._stories[slug]

    def _render_story(self, text: str) -> Markup:
        self._markdown.reset()
        html = wrap_tables(sanitize_story(self._markdown.convert(text)))
        # The chapter's name is the book's second level (the cover and the contents are the first):
        # the story's own headings go one level below it, as PDF/UA asks of a heading hierarchy.
        html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", html)
        return Markup(html)

    def _print_photo(self, photo: PhotoSet) -> Path:
        """The photo's full rendition scaled to the printed box at PRINT_DPI, as a JPEG (which the PDF
        carries as it is); named after the rendition, whose name carries the source's content hash."""
        target = self.cache_dir / "anh" / f"{Path(photo.full.uri).stem}-{PRINT_DPI}dpi.jpg"
        if target.is_file():
            return target
        box = tuple(round(cm / 2.54 * PRINT_DPI) for cm in PHOTO_BOX_CM)
        with Image.open(photo.full.path) as image:
            image = image.convert("RGB")
            image.thumbnail(box, Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=PHOTO_QUALITY, optimize=True, dpi=(PRINT_DPI, PRINT_DPI))
        write_atomically(target, buffer.getvalue())
        return target


_HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def write_pdf(html: str, target: Path) -> int:
    """Lay `html` out and write it as a tagged PDF/UA-1; returns the number of pages."""
    from weasyprint import HTML  # loaded only when a book is printed: it takes a second to import

    # Importing WeasyPrint tells Pillow, for the whole process, to accept truncated images; the photo
    # pipeline must go on refusing a half-copied photo with its message, so that is turned off again (the
    # book's own photos are complete JPEGs made by the pipeline).
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    document = HTML(string=html, base_url=str(target.parent)).render()
    data = document.write_pdf(pdf_variant="pdf/ua-1", dpi=PRINT_DPI)
    assert data is not None
    write_atomically(target, data)
    return len(document.pages)
