"""The portal as an installable web app that keeps working without a connection: the web app manifest,
the page shown for a page never read while offline, and the service worker with what it caches.

Made at the end of a build, from the files the build wrote (the theme's stylesheets, fonts and scripts,
Pagefind's fixed files): each is listed with a digest of its content, and the worker's version is the
digest of that list and of the worker's own code. A build that changes any of them makes a new worker,
which browsers pick up on the next visit online; pages are fetched from the network first, so a changed
profile shows on that visit whether or not the worker changed.

Everything here is relative to the site's root (the manifest's and the worker's own folder), so the app
works under any sub-path. A preview (`mkdocs serve`) never gets these files: its pages carry
`PREVIEW_MARKER` instead of the manifest link, remove any worker they find, and a worker that is handed
such a page caches nothing more and removes itself (service-worker.js).
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from generator.portal.site import Site

MANIFEST = "manifest.webmanifest"
WORKER = "service-worker.js"
OFFLINE_PAGE = "khong-co-ket-noi.html"
SHORT_NAME = "Gương sáng"
"""The name under the home-screen icon: at most 12 characters show on most phones."""
THEME_COLOR = "#8e1b1b"
"""The site's primary colour (theme_overrides/assets/guong.css), for the phone's title bar."""
ICONS = {192: "assets/guong-192.png", 512: "assets/guong-512.png"}
"""Drawn by scripts/make_icons.py, shipped in theme_overrides/assets/."""
CACHE_CAP_MB = 30.0
"""What the pages, photos and search chunks a visitor read may take on the phone; photos go first."""
NETWORK_TIMEOUT_MS = 4000
"""A page that has a copy on the phone is shown from it when the network has not answered by then (a
rural link that is up but carries nothing); the network's answer still refreshes the copy."""
PREVIEW_MARKER = '<meta name="guong-xem-truoc"'
"""How a preview's page says it is one (theme_overrides/main.html)."""

PRECACHED = ("assets/*.css", "assets/*.js", "assets/stylesheets/*.css", "assets/fonts/*.woff2",
             "assets/images/favicon.png", *ICONS.values())
"""What pages load besides themselves and photos, cached when the worker installs."""
SEARCH_FIXED = ("pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/wasm.*.pagefind",
                "pagefind/pagefind-entry.json", "pagefind/pagefind.*.pf_meta")
"""Pagefind's part that every search needs whatever its words (its program and list of pages). A
visitor who never searches downloads nothing of the index (README, Search), so these are cached on the
first search, and a new worker fetches them on install only for a browser that has searched before."""

_WORKER_SOURCE = Path(__file__).with_name("service-worker.js")


def offline_files(site_dir: Path, site: Site, *, cap_mb: float = CACHE_CAP_MB) -> dict[str, bytes]:
    """The manifest, the offline page and the worker, by site-relative path, for the built site in
    `site_dir` (its theme files and search index already written)."""
    files = {MANIFEST: manifest(site), OFFLINE_PAGE: offline_page(site, site_dir)}
    precache = {OFFLINE_PAGE: _digest(files[OFFLINE_PAGE]), MANIFEST: _digest(files[MANIFEST]),
                **_listed(site_dir, PRECACHED)}
    search = _listed(site_dir, SEARCH_FIXED)
    files[WORKER] = worker(precache, search, cap_mb=cap_mb, site_name=site.name)
    return files


def manifest(site: Site) -> bytes:
    """The web app manifest. Relative URLs in it resolve against the manifest's own URL, the site's root."""
    data = {
        "name": site.name,
        "short_name": SHORT_NAME,
        "description": site.description,
        "lang": "vi",
        "dir": "ltr",
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": "#ffffff",
        "icons": [{"src": src, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
                  for size, src in ICONS.items() for purpose in ("any", "maskable")],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def offline_page(site: Site, site_dir: Path) -> bytes:
    """The page the worker shows for a page never read, while offline. The worker puts in a <base> (the
    site's root, so that the links below work wherever the page is shown), the address that failed and
    the pages kept on the phone, at the `<!--guong:…-->` marks."""
    e = html.escape
    stylesheets = "".join(f'<link rel="stylesheet" href="{e(path)}">'
                          for path in _listed(site_dir, ("assets/stylesheets/*.css", "assets/guong.css")))
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<!--guong:base-->
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<meta name="theme-color" content="{THEME_COLOR}">
<title>Không có kết nối - {e(site.name)}</title>
{stylesheets}
</head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="custom" data-md-color-accent="custom">
<header class="md-header" data-md-component="header">
  <nav class="md-header__inner md-grid" aria-label="Đầu trang">
    <a class="md-header__title guong-offline__site" href="./">{e(site.name)}</a>
  </nav>
</header>
<div class="md-container">
<main class="md-main">
<div class="md-main__inner md-grid">
<div class="md-content">
<article class="md-content__inner md-typeset guong-offline">
<h1>Không có kết nối</h1>
<p>Máy đang không có mạng, và trang <!--guong:dia-chi--> chưa được lưu trên máy này. Hãy
<!--guong:thu-lai--> khi có mạng.</p>
<h2>Các trang đọc được khi không có mạng</h2>
<p>Những trang bạn đã xem được lưu lại trên máy:</p>
<ul class="guong-offline__pages">
<!--guong:trang-->
</ul>
</article>
</div>
</div>
</main>
</div>
</body>
</html>
""".encode()


def worker(precache: dict[str, str], search: dict[str, str], *, cap_mb: float = CACHE_CAP_MB,
           site_name: str = "") -> bytes:
    """The service worker: its configuration (files with their digests, the version) then its code.
    `site_name` is taken off the end of kept pages' titles ("Ksor H'Blin - Gương sáng Ia Pa") when the
    offline page lists them."""
    source = _WORKER_SOURCE.read_text(encoding="utf-8")
    config = {"precache": precache, "search": search, "offline_page": OFFLINE_PAGE,
              "cap_bytes": int(cap_mb * 1024 * 1024), "network_timeout_ms": NETWORK_TIMEOUT_MS,
              "preview_marker": PREVIEW_MARKER, "title_suffix": f" - {html.escape(site_name)}" if site_name else ""}
    listed = json.dumps(config, ensure_ascii=False, sort_keys=True)
    version = hashlib.blake2b((listed + source).encode("utf-8"), digest_size=8).hexdigest()
    config["version"] = version
    return (f"// Generated by generator/outputs/offline.py, version {version}.\n"
            f"const OFFLINE = {json.dumps(config, ensure_ascii=False, sort_keys=True)};\n\n{source}").encode()


def _listed(site_dir: Path, patterns: tuple[str, ...]) -> dict[str, str]:
    """Site-relative paths of the files matching `patterns`, in sorted order, with their digests."""
    found: dict[str, str] = {}
    for pattern in patterns:
        for path in sorted(site_dir.glob(pattern)):
            relative = path.relative_to(site_dir).as_posix()
            if path.is_file():
                found[relative] = _digest(path.read_bytes())
    return found


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()
