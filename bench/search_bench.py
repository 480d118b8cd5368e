"""Benchmark what a citizen's browser downloads and waits for, on a site of N synthetic profiles
(default 10,000), in Debian's Chromium:

- a visitor who never searches: requests to the search index while browsing (target: none);
- a profile page's first view, fonts and scripts included, photo excluded (target: < 100 KB compressed);
- the first search: the index files the search page fetches until the first results show, and then
  for the filters' counts within the results (target: < 300 KB);
- the same queries opened from a link (/tim-kiem/?q=…): what the query alone needs, without typing;
- the time from the last keystroke to the results on screen, with the CPU slowed 4× (target: < 300 ms).

Run:  .venv/bin/python -m bench.search_bench [N]            (builds a fresh site first)
      .venv/bin/python -m bench.search_bench --site DIR     (measures an already built site)

Sizes are what a static server sends: files as they are on disk, text files gzip-compressed as a
server with compression would send them (Pagefind's chunks, fonts and WebP images are compressed
already and counted as they are).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

from bench.synth import generate

ROOT = Path(__file__).resolve().parent.parent
# The browser and the loopback server the tests use (tests/ is not a package).
sys.path.insert(0, str(ROOT / "tests"))
from browser import chromium  # noqa: E402
from site_server import serve  # noqa: E402

PREFIX = "/guong-sang/"
TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
# Names of people (with and without marks), a two-syllable phrase, a one-syllable word.
QUERIES = ["nguyen van hoa", "ksor blin", "cong chieng", "Rơ Mah Thủy", "hop tac xa", "mia"]
CPU_SLOWDOWN = 4
# Instrumentation: when the last keystroke happened, and when the result list changed, with the status
# line ("… kết quả cho “query”") at that moment: the results that count are the whole query's, not those
# of a search started while typing that happens to finish after the last keystroke.
TIMING_SCRIPT = """
window.__lastInput = 0;
window.__resultsShown = [];
document.addEventListener("input", () => { window.__lastInput = performance.now(); }, true);
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("tim-kiem-ket-qua");
  const status = document.getElementById("tim-kiem-trang-thai");
  if (list) new MutationObserver(() => {
    if (list.children.length) window.__resultsShown.push([performance.now(), status.textContent]);
  }).observe(list, {childList: true});
});
"""
# The first time after the last keystroke that the list shows the results of the whole query (argument).
SHOWN = """query => (window.__resultsShown.find(([t, status]) => t > window.__lastInput
                                       && status.includes("\u201c" + query.normalize("NFC") + "\u201d")) || [])[0]"""


def _sent_bytes(site: Path, request_path: str) -> int:
    """Bytes a server sends for one request: gzip-compressed when it is text."""
    path = site / unquote(urlsplit(request_path).path)[len(PREFIX):]
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    return len(gzip.compress(data, 6)) if path.suffix in TEXT_SUFFIXES else len(data)


def _build(count: int, folder: Path) -> Path:
    project = folder / "project"
    project.mkdir()
    generate(project, count)
    for page in (ROOT / "content").glob("*.md"):
        shutil.copy(page, project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "theme_overrides", project / "theme_overrides")
    result = subprocess.run([str(Path(sys.executable).with_name("guong")), "build"], cwd=project,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return project / "site"


def measure(site: Path) -> None:
    profiles = sorted(p.name for p in (site / "guong").iterdir() if p.is_dir())
    with_photo = next(slug for slug in profiles if (site / "guong" / slug / "index.html").read_text(
        encoding="utf-8").count('class="guong-photo"'))
    with serve(site, PREFIX) as (base, requests), chromium() as browser:
        # 1. Browsing without searching.
        context = browser.new_context()
        page = context.new_page()
        requests.clear()
        for url in ("", f"guong/{profiles[0]}/", "linh-vuc/", "xa/", "thong-ke/"):
            page.goto(base + url, wait_until="networkidle")
        index_requests = [r for r in requests if "/pagefind/" in r]
        context.close()

        # 2. A profile page's first view, empty cache, photo excluded.
        context = browser.new_context()
        page = context.new_page()
        requests.clear()
        page.goto(base + f"guong/{with_photo}/", wait_until="networkidle")
        photo_src = page.get_attribute(".guong-photo img", "src") or ""
        photo_name = photo_src.rsplit("/", 1)[-1]
        first_view = sum(_sent_bytes(site, r) for r in requests if not (photo_name and r.endswith(photo_name)))
        context.close()

        # 3 and 4. First search: bytes, then latency after typing stops with the CPU slowed down.
        to_results, with_counts, latencies = [], [], []
        for query in QUERIES:
            context = browser.new_context()
            context.add_init_script(TIMING_SCRIPT)
            finished: list = []
            context.on("requestfinished", finished.append)
            page = context.new_page()
            requests.clear()
            page.goto(base + "tim-kiem/", wait_until="networkidle")
            page.wait_for_selector("#tim-kiem-bo-loc fieldset")
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            page.locator("#tim-kiem-q").press_sequentially(query, delay=60)
            page.wait_for_function(f"({SHOWN})({json.dumps(query)}) !== undefined", timeout=30_000)
            # The counts within the results follow once typing has paused (tim-kiem.js).
            page.wait_for_selector("#tim-kiem-bo-loc[data-so-luong=ket-qua]", state="attached", timeout=30_000)
            page.wait_for_load_state("networkidle")
            shown_at = page.evaluate(SHOWN, query)
            last_input, origin = page.evaluate("() => [window.__lastInput, performance.timeOrigin]")
            latencies.append(shown_at - last_input)
            # Pagefind fetches its chunks from a web worker: the page's own resource timings miss them,
            # Playwright's request log does not. Times are epoch milliseconds.
            index_files = [(r.url, r.timing["startTime"] + r.timing["responseEnd"]) for r in finished
                           if "/pagefind/" in r.url]
            shown_at += origin
            to_results.append(sum(_sent_bytes(site, url) for url, end in index_files if end <= shown_at))
            with_counts.append(sum(_sent_bytes(site, url) for url, _ in index_files))
            context.close()

        # 5. The same queries opened from a link (/tim-kiem/?q=…), as another site would send a visitor:
        # no typing, so nothing but what the query itself needs.
        from_link = []
        for query in QUERIES:
            context = browser.new_context()
            context.add_init_script(TIMING_SCRIPT)
            finished = []
            context.on("requestfinished", lambda request, into=finished: into.append(request))
            page = context.new_page()
            page.goto(base + "tim-kiem/?" + urlencode({"q": query}))
            page.wait_for_function(f"({SHOWN})({json.dumps(query)}) !== undefined", timeout=30_000)
            page.wait_for_load_state("networkidle")
            shown_at = page.evaluate(SHOWN, query) + page.evaluate("performance.timeOrigin")
            from_link.append(sum(_sent_bytes(site, r.url) for r in finished if "/pagefind/" in r.url
                                 and r.timing["startTime"] + r.timing["responseEnd"] <= shown_at))
            context.close()

    print(f"| profiles in the index | {len(profiles):,} |")
    print("|---|---:|")
    print(f"| index requests while browsing 5 pages without searching | {len(index_requests)} |")
    print(f"| profile page first view, photo excluded (compressed) | {first_view / 1024:.0f} KB |")
    print(f"| first search: index files fetched until the results show (median / largest of {len(QUERIES)} "
          f"queries) | {statistics.median(to_results) / 1024:.0f} KB / {max(to_results) / 1024:.0f} KB |")
    print(f"| … and with the filter counts fetched after the results (median / largest) "
          f"| {statistics.median(with_counts) / 1024:.0f} KB / {max(with_counts) / 1024:.0f} KB |")
    per_query = ", ".join(f"{q}: {b / 1024:.0f} KB" for q, b in zip(QUERIES, to_results, strict=True))
    print(f"| … per query, until the results show | {per_query} |")
    print(f"| a search opened from a link (?q=), index files until the results show (median / largest) "
          f"| {statistics.median(from_link) / 1024:.0f} KB / {max(from_link) / 1024:.0f} KB |")
    print(f"| results after typing stops, CPU {CPU_SLOWDOWN}× slower (median / worst of {len(QUERIES)}) "
          f"| {statistics.median(latencies):.0f} ms / {max(latencies):.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="an already built site to measure")
    args = parser.parse_args()
    if args.site:
        measure(args.site)
        return
    with tempfile.TemporaryDirectory() as tmp:
        measure(_build(args.count, Path(tmp)))


if __name__ == "__main__":
    main()
