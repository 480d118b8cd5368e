"""Benchmark `guong check` on N synthetic profiles (default 10,000); the target is under 3 s.

Run:  .venv/bin/python -m bench.check_bench [N ...]
It generates the profiles into a temporary folder, runs the real console command three times and reports
the best wall time, so a cold file cache does not count against the checker.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import generate


def main(counts: list[int]) -> None:
    guong = Path(sys.executable).with_name("guong")
    print("| profiles | guong check (best of 3) | exit | summary |")
    print("|---:|---:|---:|---|")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            content = generate(Path(tmp), count)
            times, result = [], None
            for _ in range(3):
                started = time.perf_counter()
                result = subprocess.run([str(guong), "check", str(content)], capture_output=True, text=True)
                times.append(time.perf_counter() - started)
            summary = result.stdout.strip().splitlines()[-1]
            print(f"| {count:,} | {min(times):.2f} s | {result.returncode} | {summary} |")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [200, 2000, 10000])
