"""Draws the web app's home-screen icons (theme_overrides/assets/guong-192.png, guong-512.png) from the
site's share card (assets/guong-og.png): its deep red, its white bold lettering, its darker band.

The icons are shipped, not drawn at build time: a build must not depend on which fonts the editor's
machine has. Run again only when the card's look changes:

    .venv/bin/python scripts/make_icons.py

Everything drawn stays inside the central circle of 80 % of the side, the safe zone of a "maskable"
icon, which phones crop to a circle, a squircle or a rounded square.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "theme_overrides" / "assets"
RED = (142, 27, 27)        # #8e1b1b, the card's background and the site's primary colour
DARK_RED = (109, 20, 20)   # #6d1414, the card's bottom band
WHITE = (255, 255, 255)
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # the card's lettering


def icon(size: int) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges without relying on the font's hinting
    side = size * scale
    image = Image.new("RGB", (side, side), RED)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, side * 0.86, side, side), fill=DARK_RED)
    letters = ImageFont.truetype(BOLD, int(side * 0.34))
    place = ImageFont.truetype(BOLD, int(side * 0.105))
    draw.text((side / 2, side * 0.45), "GS", font=letters, fill=WHITE, anchor="mm")
    draw.text((side / 2, side * 0.67), "IA PA", font=place, fill=WHITE, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for size in (192, 512):
        path = ASSETS / f"guong-{size}.png"
        icon(size).save(path, optimize=True)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
