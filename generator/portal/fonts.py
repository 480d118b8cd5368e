"""Be Vietnam Pro as single font files for what draws text outside a browser: the share cards (Pillow)
and the yearbooks (WeasyPrint).

The site ships each weight as two subsets (theme_overrides/assets/fonts/, made by scripts/subset_fonts.py):
"latin" and "vietnamese", which a browser combines through unicode-range. Pillow draws a string with one
font, and a letter such as "ế" lives in the other subset than "e", so the two are joined here into one
TrueType file per weight, cached by the subsets' content. Both subsets are cut from the same font: a glyph
of the same name is the same outline, so the join only adds the glyphs (and their advance widths and
character mappings) that the Latin file lacks.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from generator.atomic_files import write_atomically

FONT_FOLDER = Path("assets") / "fonts"
"""Where the fonts are, under the theme's override folder."""
_SUBSETS = ("latin", "vietnamese")
_VERSION = 1
"""Bump when the join below changes what it writes."""


class FontError(Exception):
    """The fonts cannot be found or read; the message is Vietnamese, for editors."""


def subset_files(fonts_dir: Path, weight: int) -> list[Path]:
    return [fonts_dir / f"be-vietnam-pro-{subset}-{weight}-normal.woff2" for subset in _SUBSETS]


def joined_font(fonts_dir: Path, weight: int, cache_dir: Path) -> Path:
    """A TrueType file of Be Vietnam Pro at `weight` (400 or 700) holding every character both subsets
    hold, made once into `cache_dir` and found there afterwards."""
    sources = subset_files(fonts_dir, weight)
    try:
        data = [path.read_bytes() for path in sources]
    except OSError as error:
        raise FontError(f"không đọc được phông chữ Be Vietnam Pro ({error.filename}); thư mục phông chữ của "
                        f"giao diện phải có {', '.join(p.name for p in sources)}") from None
    digest = hashlib.sha256(b"".join(data) + str(_VERSION).encode()).hexdigest()[:12]
    target = cache_dir / "phong-chu" / f"be-vietnam-pro-{weight}-{digest}.ttf"
    if target.is_file():
        return target
    from fontTools.ttLib import TTFont  # only when the file is made

    latin, vietnamese = (TTFont(io.BytesIO(blob)) for blob in data)
    order = latin.getGlyphOrder()
    known = set(order)
    added = [name for name in vietnamese.getGlyphOrder() if name not in known]
    latin.setGlyphOrder(order + added)
    glyphs, metrics = latin["glyf"], latin["hmtx"]
    for name in added:
        glyphs[name] = vietnamese["glyf"][name]
        metrics[name] = vietnamese["hmtx"][name]
    mapping = vietnamese.getBestCmap()
    for table in latin["cmap"].tables:
        if table.isUnicode():
            for code, name in mapping.items():
                table.cmap.setdefault(code, name)
    latin["maxp"].numGlyphs = len(order) + len(added)
    latin.flavor = None  # plain TrueType: FreeType and Pango read it without a WOFF2 decoder
    write_atomically(target, latin.save)
    return target
