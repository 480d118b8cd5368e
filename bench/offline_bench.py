"""Measure what the service worker costs a citizen's first view of a profile page, in Debian's Chromium,
on a site of N synthetic profiles (default 200: a profile page's weight hardly depends on N):

- the first view: everything requested before the load event (HTML, CSS, JS, fonts), photo excluded,
  compressed as a server would send it (target: < 100 KB), and whether the worker or the manifest is
  among it (target: neither, the worker is registered after load);
- what the worker fetches once installed, after load (its script and the files it caches on install);
- a second profile page once the worker controls the browser: what still comes from the network.

Run:  .venv/bin/python -m bench.offline_bench [N]          (builds a fresh site first)
      .venv/bin/python -m bench.offline_bench --site DIR   (measures an already built site)
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from bench.search_bench import PREFIX, _build, _sent_bytes, chromium, serve


def _path(url: str) -> str:
    return urlsplit(url).path


def measure(site: Path) -> None:
    with_photo = sorted(p.parent.name for p in (site / "guong").glob("*/index.html")
                        if 'class="guong-photo"' in p.read_text(encoding="utf-8"))
    first, second = with_photo[0], with_photo[1]
    with serve(site, PREFIX) as (base, requests), chromium() as browser:
        context = browser.new_context(service_workers="allow")
        page = context.new_page()
        before_load: list[str] = []
        after_load: list[str] = []
        loaded: list[bool] = []
        page.on("load", lambda _page: loaded.append(True))
        context.on("request", lambda request: (after_load if loaded else before_load).append(request.url))
        page.goto(base + f"guong/{first}/", wait_until="load")
        photo = (page.get_attribute(".guong-photo img", "src") or "").rsplit("/", 1)[-1]
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.wait_for_load_state("networkidle")
        view = sum(_sent_bytes(site, _path(url)) for url in before_load if not url.endswith(photo))
        worker_before = [url for url in before_load if url.endswith(("service-worker.js", ".webmanifest"))]
        install = sum(_sent_bytes(site, _path(url)) for url in after_load)

        requests.clear()
        page.goto(base + f"guong/{second}/", wait_until="load")
        page.wait_for_load_state("networkidle")
        second_photo = (page.get_attribute(".guong-photo img", "src") or "").rsplit("/", 1)[-1]
        network = sum(_sent_bytes(site, r) for r in requests if not r.endswith(second_photo))
        context.close()

    print("| measure | figure |")
    print("|---|---:|")
    print(f"| profile page first view, photo excluded (compressed, requested before load) | {view / 1024:.0f} KB "
          f"({len(before_load) - 1} requests) |")
    print(f"| … of which the worker or the manifest | {len(worker_before)} requests |")
    print(f"| after load: the worker and what it caches on install (compressed) | {install / 1024:.0f} KB "
          f"({len(after_load)} requests) |")
    print(f"| a second profile page with the worker, from the network, photo excluded | {network / 1024:.0f} KB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=200)
    parser.add_argument("--site", type=Path, help="an already built site to measure")
    args = parser.parse_args()
    if args.site:
        measure(args.site)
        return
    with tempfile.TemporaryDirectory() as tmp:
        measure(_build(args.count, Path(tmp)))


if __name__ == "__main__":
    main()
