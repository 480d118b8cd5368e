"""The editors' workbench at scale: with N synthetic profiles, how long Decap's list takes to open in
Chromium (from navigation until it shows its rows; Decap gets every profile in one request) and how
long one save takes to be checked and written (persistEntry over HTTP, median of 5). Targets at 2,000
profiles: list < 3 s, save < 1 s.

With --photos N, content/anh/ also gets N photos as a phone takes them (2400×1600, about 1.2 MB each), and
the bench measures what Decap's media library costs: the `getMedia` answer Decap waits for before it
opens any profile (its size, the first after start and the next), and opening a profile in Chromium.

    python -m bench.workbench_bench 2000
    python -m bench.workbench_bench 2000 --photos 200
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from PIL import Image, ImageFilter  # noqa: E402

from bench.synth import site_project  # noqa: E402
from browser import chromium  # noqa: E402
from workbench_server import post, workbench  # noqa: E402


def phone_photos(folder: Path, count: int) -> int:
    """Write `count` camera-like JPEGs (blurred noise compresses as a photo does); returns their bytes."""
    rng = random.Random(105)
    total = 0
    for number in range(count):
        pixels = rng.randbytes(2400 * 1600 * 3)
        image = Image.frombytes("RGB", (2400, 1600), pixels).filter(ImageFilter.GaussianBlur(1))
        path = folder / f"anh-dien-thoai-{number:04d}.jpg"
        image.save(path, "JPEG", quality=85)
        total += path.stat().st_size
    return total


def main(count: int, photos: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = site_project(Path(folder), count)
        photo_bytes = phone_photos(content / "anh", photos) if photos else 0
        with workbench(content.parent) as base, chromium() as browser:
            api = base + "api/v1"
            library = []
            for _ in range(2):
                started = time.perf_counter()
                request = {"action": "getMedia", "params": {"mediaFolder": "content/anh"}}
                status, answer = post(api, request)
                library.append((time.perf_counter() - started, len(json.dumps(answer))))
                assert status == 200, answer
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            opened = []
            for _ in range(3):
                page.goto("about:blank")
                started = time.perf_counter()
                page.goto(base + "#/collections/guong")
                page.locator("a[href^='#/collections/guong/entries/']").first.wait_for(timeout=60_000)
                opened.append(time.perf_counter() - started)
            name = sorted(p.name for p in (content / "guong").glob("*.md"))[count // 2]
            profile = []
            for _ in range(3):
                page.goto("about:blank")
                started = time.perf_counter()
                page.goto(base + f"#/collections/guong/entries/{name.removesuffix('.md')}")
                page.get_by_label("Tóm tắt").wait_for(timeout=120_000)
                profile.append(time.perf_counter() - started)
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
    print(f"media library: {photos} phone photos ({photo_bytes / 1e6:.0f} MB) beside the profiles' own; "
          f"getMedia answers {library[0][1] / 1e6:.1f} MB in {library[0][0]:.2f} s after start, "
          f"then in {library[1][0]:.2f} s; a profile opens in {statistics.median(profile):.2f} s "
          f"(median of 3; {min(profile):.2f}–{max(profile):.2f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--photos", type=int, default=0, help="phone-sized photos added to content/anh/")
    arguments = parser.parse_args()
    main(arguments.count, arguments.photos)
