"""QR codes that lead a printed page back to its page on the portal: in each yearbook chapter and on each
profile page's print layout.

segno makes them (ISO/IEC 18004, pure Python, no dependencies). Choosing the best mask, as the standard
asks, takes about 5 ms a code, a second and a half of a 2,000-profile build: the profile pages' codes are
kept in the cache folder, one small SVG per URL, and made only for new URLs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import segno

from generator.atomic_files import write_atomically

FOLDER = "qr"
VERSION = 1
"""Bump when the look of the codes changes."""
ERROR_LEVEL = "m"
"""15% of the code may be lost (a fold, a smudge) and it still reads."""


def qr_data_uri(url: str) -> str:
    """`url` as an SVG data URI: vector, so sharp at any print size."""
    return segno.make(url, error=ERROR_LEVEL, micro=False).svg_data_uri(scale=4, border=4)


class QrCodes:
    """Inline SVG codes for the pages, cached by URL in `cache_dir`."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / FOLDER

    def svg(self, url: str) -> str:
        path = self.folder / f"{hashlib.sha256(f'{VERSION} {url}'.encode()).hexdigest()[:20]}.svg"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
        code = segno.make(url, error=ERROR_LEVEL, micro=False)
        svg = code.svg_inline(scale=3, border=4, svgclass="guong-qr", lineclass=None, omitsize=True)
        write_atomically(path, svg.encode("utf-8"))
        return svg
