"""Benchmark `guong check` on N synthetic profiles (default 200, 2,000 and 10,000) against a floor.

Run:  .venv/bin/python -m bench.check_bench [N ...]
It generates the profiles into a temporary folder, then runs, three times each and keeping the best wall
time (so a cold file cache does not count against either):

* check: the real console command, `guong check <content>`;
* floor: a fresh interpreter that only reads every profile and parses its front matter (the text between
  the first two '---' lines) with PyYAML's C loader, on a pool of two processes. Nothing a checker does
  can be cheaper than this, so check / floor says how much the checker's own work costs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import generate

FLOOR_WORKERS = 2

# Run with `python -c`, so that interpreter start-up and the imports it needs count as they do for
# the command. Chunks as `guong check` makes them: a few per worker, not one task per file.
FLOOR_SCRIPT = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml


def front_matter(path):
    lines = path.read_text(encoding="utf-8").split("\\n")
    closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    return "\\n".join(lines[1:closing])


def parse(paths):
    return sum(len(yaml.load(front_matter(path), Loader=yaml.CSafeLoader)) for path in paths)


if __name__ == "__main__":
    files = sorted(Path(sys.argv[1]).rglob("*.md"))
    workers = int(sys.argv[2])
    size = -(-len(files) // (workers * 4))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        keys = sum(pool.map(parse, chunks))
    print(len(files), "files,", keys, "keys")
"""


def _best_of_three(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    times, result = [], None
    for _ in range(3):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
    assert result is not None
    return min(times), result


def main(counts: list[int]) -> None:
    guong = Path(sys.executable).with_name("guong")
    print("| profiles | check (best of 3) | floor (best of 3) | check / floor | exit | summary |")
    print("|---:|---:|---:|---:|---:|---|")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            content = generate(Path(tmp), count)
            check, result = _best_of_three([str(guong), "check", str(content)])
            floor, floor_result = _best_of_three(
                [sys.executable, "-c", FLOOR_SCRIPT, str(content / "guong"), str(FLOOR_WORKERS)])
            if floor_result.returncode:
                raise SystemExit(f"floor script failed:\n{floor_result.stderr}")
            summary = result.stdout.strip().splitlines()[-1]
            print(f"| {count:,} | {check:.2f} s | {floor:.2f} s | {check / floor:.2f} | {result.returncode} "
                  f"| {summary} |", flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [200, 2000, 10000])
