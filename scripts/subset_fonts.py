"""Re-make the site's font files (theme_overrides/assets/fonts/) from the Fontsource package of Be Vietnam
Pro (SIL OFL 1.1), cut down to the characters Vietnamese text uses.

A profile page's first view must stay under 100 KB compressed (issue 7) and the four font files were two
thirds of it. The "latin" files keep ASCII, the Latin-1 letters Vietnamese uses (à á â ã è é ê ì í ò ó ô õ
ù ú ý and capitals), common symbols and typographic punctuation; the "vietnamese" files keep what
Fontsource put in them (ă đ ĩ ũ ơ ư and the U+1EA0–1EF9 block). The same ranges are in the @font-face
rules of theme_overrides/assets/guong.css and theme_overrides/nhung/nhung.css, so a character outside
them falls back to the system font rather than being missing.

Run once, by hand, when the fonts change (fonttools is not a dependency of the site):
    .venv/bin/pip install fonttools brotli
    .venv/bin/python scripts/subset_fonts.py path/to/fontsource/be-vietnam-pro/files
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LATIN = ("U+0020-007E,U+00A0-00BF,U+00C0-00C3,U+00C8-00CA,U+00CC-00CD,U+00D2-00D5,U+00D7,U+00D9-00DA,"
         "U+00DD,U+00E0-00E3,U+00E8-00EA,U+00EC-00ED,U+00F2-00F5,U+00F7,U+00F9-00FA,U+00FD,U+2013-2014,"
         "U+2018-201A,U+201C-201E,U+2022,U+2026,U+2030,U+2032-2033,U+2039-203A,U+2212")
VIETNAMESE = ("U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0301,"
              "U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB")
TARGET = Path(__file__).resolve().parent.parent / "theme_overrides" / "assets" / "fonts"


def main(source: Path) -> None:
    for weight in (400, 700):
        for subset, unicodes in (("latin", LATIN), ("vietnamese", VIETNAMESE)):
            name = f"be-vietnam-pro-{subset}-{weight}-normal.woff2"
            subprocess.run([sys.executable, "-m", "fontTools.subset", str(source / name),
                            f"--unicodes={unicodes}", "--flavor=woff2", f"--output-file={TARGET / name}"],
                           check=True)
            print(f"{name}: {(TARGET / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
