"""Compare two installations' builds of the same synthetic project, warm photo cache, alternating runs so
that whatever else the machine does falls on both alike.

Run:  .venv/bin/python -m bench.ab_build --other /path/to/other/.venv [--runs 5] [N ...]   (default N: 2000)

Each run is `guong build` in a fresh process, on the same project and photo cache. Prints the median and
the spread of each side and the ratio of the medians (this installation / the other). One build alone
varies by a fifth from run to run on the 2-core machine; medians of alternated runs do not.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import site_project

BIN = Path(sys.executable).parent


def _build(guong: Path, project: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(guong), "build"], cwd=project, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(counts: list[int], other: Path, runs: int) -> None:
    ours_bin, theirs_bin = BIN / "guong", other / "bin" / "guong"
    print(f"| profiles | this build (median, min–max of {runs}) | other (median, min–max) | ratio |")
    print("|---:|---:|---:|---:|")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "project"
            site_project(project, count)
            _build(ours_bin, project)  # derive the photos once: every run after is a warm build
            _build(theirs_bin, project)
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(_build(ours_bin, project))
                theirs.append(_build(theirs_bin, project))
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"| {count:,} | {a:.2f} s ({min(ours):.2f}–{max(ours):.2f}) "
                  f"| {b:.2f} s ({min(theirs):.2f}–{max(theirs):.2f}) | {a / b:.3f} |", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, required=True, help="the other installation's virtualenv")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("counts", nargs="*", type=int, default=[2000])
    arguments = parser.parse_args()
    run(arguments.counts, arguments.other, arguments.runs)
