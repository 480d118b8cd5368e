"""Share card images: the 1200×630 PNG a chat app (Zalo, Facebook) shows for a shared link, one per public
profile page and one per listing, drawn at build time in Be Vietnam Pro.

Pillow draws the text with its basic layout from the joined font (portal/fonts.py), after NFC
normalisation: every Vietnamese letter is then one precomposed glyph of the font (ế, ỗ, ự), so no mark has
to be positioned by a shaping engine, and the cards come out the same on every machine. Each card's file
name carries a hash of what is drawn on it (text, photo rendition, fonts, design version): a warm build
only computes the hashes and finds the files.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from generator.atomic_files import write_atomically
from generator.portal.fonts import FONT_FOLDER, joined_font
from generator.portal.photos import Rendition

CARD_SIZE = (1200, 630)
URI_DIR = "anh-chia-se"
"""Folder of the cards, in the cache folder and on the site."""
DESIGN_VERSION = 2
"""Bump when the drawing below changes: every card gets a new name."""
RED, INK, GREY, PAPER = (142, 27, 27), (26, 26, 26), (85, 85, 85), (255, 255, 255)
PHOTO_WIDTH = 440
MARGIN = 64


@dataclass(frozen=True)
class CardText:
    kicker: str
    """Above the title: a profile's field, a listing's kind."""
    title: str
    """A profile's name, a listing's title."""
    detail: str
    """Below the title: a profile's commune or unit, a listing's count."""
    site_name: str


class CardMaker:
    """Makes (or finds in the cache folder) the cards of one build."""

    def __init__(self, cache_dir: Path, theme_dir: Path) -> None:
        self.cache_dir = cache_dir
        fonts_dir = theme_dir / FONT_FOLDER
        self._fonts = {weight: joined_font(fonts_dir, weight, cache_dir) for weight in (400, 700)}
        self._font_key = "".join(path.name for path in self._fonts.values())
        self._sized: dict[tuple[int, int], ImageFont.FreeTypeFont] = {}
        self._used: set[str] = set()

    def card(self, name: str, text: CardText, photo: Rendition | None) -> Rendition:
        """The card named after `name` (a slug, or a listing's kind and slug) for `text` and `photo`."""
        text = CardText(*(unicodedata.normalize("NFC", part) for part in
                          (text.kicker, text.title, text.detail, text.site_name)))
        key = hashlib.sha256(repr((text, photo.uri if photo else None, self._font_key, DESIGN_VERSION))
                             .encode()).hexdigest()[:10]
        uri = f"{URI_DIR}/{name}-{key}.png"
        path = self.cache_dir / uri
        self._used.add(uri)
        if not path.is_file():
            write_atomically(path, self._draw(text, photo))
        return Rendition(uri, path, *CARD_SIZE)

    def prune_unused(self) -> None:
        """Remove the cards this build did not use (their profile changed or is gone)."""
        for path in (self.cache_dir / URI_DIR).glob("*.png"):
            if f"{URI_DIR}/{path.name}" not in self._used:
                path.unlink(missing_ok=True)

    # -- drawing ----------------------------------------------------------------------------------
    def _font(self, weight: int, size: int) -> ImageFont.FreeTypeFont:
        font = self._sized.get((weight, size))
        if font is None:
            font = ImageFont.truetype(str(self._fonts[weight]), size, layout_engine=ImageFont.Layout.BASIC)
            self._sized[(weight, size)] = font
        return font

    def _draw(self, text: CardText, photo: Rendition | None) -> bytes:
        width, height = CARD_SIZE
        image = Image.new("RGB", CARD_SIZE, PAPER)
        draw = ImageDraw.Draw(image)
        right = width - MARGIN
        if photo is not None:
            with Image.open(photo.path) as source:
                picture = source.convert("RGB")
            scale = max(PHOTO_WIDTH / picture.width, height / picture.height)
            picture = picture.resize((max(PHOTO_WIDTH, round(picture.width * scale)),
                                      max(height, round(picture.height * scale))), Image.Resampling.LANCZOS)
            left = (picture.width - PHOTO_WIDTH) // 2
            top = (picture.height - height) // 2
            image.paste(picture.crop((left, top, left + PHOTO_WIDTH, top + height)), (width - PHOTO_WIDTH, 0))
            right = width - PHOTO_WIDTH - 48
        draw.rectangle((0, 0, 20, height), fill=RED)
        x, y = MARGIN, 70
        kicker = self._font(700, 30)
        for line in _wrap(text.kicker.upper(), kicker, right - x)[:2]:
            draw.text((x, y), line, font=kicker, fill=RED)
            y += 42
        y += 18
        for size in (72, 62, 52, 44):  # the largest size at which the name fits in three lines
            title = self._font(700, size)
            lines = _wrap(text.title, title, right - x)
            if len(lines) <= 3:
                break
        lines = lines[:3]
        for line in lines:
            draw.text((x, y), line, font=title, fill=INK)
            y += round(size * 1.22)
        y += 20
        detail = self._font(400, 34)
        for line in _wrap(text.detail, detail, right - x)[:2]:
            draw.text((x, y), line, font=detail, fill=GREY)
            y += 46
        footer = self._font(700, 30)
        draw.line((x, height - 112, right, height - 112), fill=RED, width=3)
        draw.text((x, height - 90), text.site_name, font=footer, fill=RED)
        if photo is None:
            # Four colours and their anti-aliasing: a palette of 32 keeps the text smooth at a quarter of
            # the file size (every card is published, and copied by every build).
            image = image.quantize(colors=32, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=False, compress_level=6)
        return buffer.getvalue()


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """`text` in lines no wider than `width`, broken between words (a word longer than a line keeps its
    own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
