"""Time and memory of `guong ky-yeu` on a large book: the year listing of a synthetic project (bench/synth.py:
420–900 words a story, a quarter with photos), printed twice in fresh processes — the first also derives the
photos, the second finds them cached, as an editor's second book does.

Run:  .venv/bin/python -m bench.yearbook_bench [N ...]   (N: profiles in the project, default 3600, which
gives the 2019 listing about 400 published profiles and a book of about 1,000 pages)

Target (issue 16): at most 0.15 s per page and under 1 GB of memory for a 1,000-page book.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench.build_bench import _timed
from bench.synth import site_project

BIN = Path(sys.executable).parent
YEAR = "2019"


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def run(counts: list[int]) -> None:
    print("| profiles in project | book's profiles | pages | run | time | s / page | peak memory | PDF size |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "project"
            content = site_project(project, count)
            chapters = sum(1 for path in (content / "guong").glob("*.md")
                           if f"nam: {YEAR}\n" in (text := path.read_text(encoding="utf-8"))
                           and "trang_thai: xuat-ban" in text)
            target = project / "ky-yeu.pdf"
            for label in ("photos derived", "photos cached"):
                wall, rss, _ = _timed([str(BIN / "guong"), "ky-yeu", "--nam", YEAR, "--output", str(target)], project)
                pages = _pages(target)
                print(f"| {count:,} | {chapters:,} | {pages:,} | {label} | {wall:.1f} s | {wall / pages:.3f} | "
                      f"{rss:.0f} MB | {target.stat().st_size / 1e6:.1f} MB |", flush=True)


if __name__ == "__main__":
    run([int(a) for a in sys.argv[1:]] or [3600])
