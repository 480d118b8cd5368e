"""The editors' workbench at scale: with N synthetic profiles, how long Decap's list takes to open in
Chromium (from navigation until it shows its rows; Decap gets every profile in one request) and how
long one save takes to be checked and written (persistEntry over HTTP, median of 5). Targets at 2,000
profiles: list < 3 s, save < 1 s.

    python -m bench.workbench_bench 2000
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench.synth import site_project  # noqa: E402
from browser import chromium  # noqa: E402
from workbench_server import post, workbench  # noqa: E402


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = site_project(Path(folder), count)
        with workbench(content.parent) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            opened = []
            for _ in range(3):
                page.goto("about:blank")
                started = time.perf_counter()
                page.goto(base + "#/collections/guong")
                page.locator("a[href^='#/collections/guong/entries/']").first.wait_for(timeout=60_000)
                opened.append(time.perf_counter() - started)
            api = base + "api/v1"
            name = sorted(p.name for p in (content / "guong").glob("*.md"))[count // 2]
            path = f"content/guong/{name}"
            status, entry = post(api, {"action": "getEntry", "params": {"path": path}})
            data = json.loads(entry["data"])
            saves = []
            for attempt in range(5):
                data["tac_gia"] = f"Ban biên tập (lần {attempt})"
                raw = json.dumps(data, ensure_ascii=False)
                started = time.perf_counter()
                status, result = post(api, {"action": "persistEntry", "params": {
                    "dataFiles": [{"path": path, "raw": raw}], "assets": []}})
                saves.append(time.perf_counter() - started)
                assert status == 200, result
    print(f"{count} profiles: list opens in {statistics.median(opened):.2f} s (median of 3; "
          f"{min(opened):.2f}–{max(opened):.2f}), a save is checked and written in "
          f"{statistics.median(saves) * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
