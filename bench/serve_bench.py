"""Benchmark the live preview: with `mkdocs serve --dirty` (what `scripts/build.sh serve` runs) on N
synthetic profiles, the time from saving an edited profile to its page showing the edit.

Run:  .venv/bin/python -m bench.serve_bench [N ...]        (default: 2000 10000)
Each edit changes one profile's summary, which its own page and the listings carrying its card show;
the time includes MkDocs' file watcher noticing the save. Three edits per size; the median and the
slowest are reported. Targets: under 2 s at 2,000 profiles, under 5 s at 10,000.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.synth import generate

ROOT = Path(__file__).resolve().parent.parent
EDITS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_for(condition, timeout: float) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise SystemExit("timed out")
        time.sleep(0.02)
    return time.perf_counter() - started


def measure(count: int) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        content = generate(project, count)
        shutil.copy(ROOT / "mkdocs.yml", project)
        shutil.copytree(ROOT / "theme_overrides", project / "theme_overrides")
        port = _free_port()
        base = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen([str(Path(sys.executable).with_name("mkdocs")), "serve", "--dirty",
                                   "-a", f"127.0.0.1:{port}"], cwd=project,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            slug = "mau-00001"
            first = _wait_for(lambda: "mau-00001" in _page(base + f"guong/{slug}/"), timeout=900)
            times = []
            for edit in range(EDITS):
                time.sleep(2)  # let the watcher settle after the previous build
                source = content / "guong" / f"{slug}.md"
                marker = f"lần sửa số {edit + 1} của biên tập viên"
                text = source.read_text(encoding="utf-8")
                source.write_text(text.replace("tom_tat: ", f"tom_tat: ({marker}) ", 1), encoding="utf-8")
                times.append(_wait_for(lambda marker=marker: marker in _page(base + f"guong/{slug}/"), timeout=300))
        finally:
            server.terminate()
            server.wait(timeout=30)
        return first, times


def main(counts: list[int]) -> None:
    print("| profiles | first build under `mkdocs serve` | save → preview updated (median / slowest of 3) |")
    print("|---:|---:|---:|")
    for count in counts:
        first, times = measure(count)
        print(f"| {count:,} | {first:.1f} s | {statistics.median(times):.2f} s / {max(times):.2f} s |", flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [2000, 10000])
