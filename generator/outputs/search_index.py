"""The site search index, built with Pagefind from the content model — not from the rendered pages.

Indexing one small document per public profile means only the profile's own words are searchable
(never the navigation, the footer or "huyện Ia Pa" repeated on every page), drafts cannot leak into the
index, and the name can weigh more than the rest. Pagefind folds tone marks and ơ/ư/ă/â/ê/ô itself but
not đ, so each document also carries its đ-words spelt with d ("Đức" → "Duc"): "dinh van duc" then finds
"Đinh Văn Đức", while a query typed with đ still ranks the exact spelling first.

What is indexed: the name, the summary, the village, model, role and keywords. The story is not: a
story puts every common syllable ("và", "người", "văn") of every profile into the index, and a
three-word query then fetches the postings of those syllables across the whole site (README, search
benchmark). Citizens look for a
name, a place, a village, a model or a field; the summary is the excerpt shown under each result.

No sort key is indexed: the search page orders by relevance, and a sort would put a list of every page
into Pagefind's metadata, which every first search downloads.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.content.model import Profile
from generator.content.taxonomy import Taxonomy
from generator.content.text import nfc
from generator.outputs.kept_pieces import ProfileMemo
from generator.portal.groups import Groups
from generator.portal.pages import Portal, profile_url
from generator.portal.photos import PhotoSet
from generator.portal.search_filters import THUMB_ANCHOR, search_filters

INDEX_FOLDER = "pagefind"
INDEX_CHUNK_SIZE = 5000
"""Word postings per index chunk, in place of Pagefind's 20,000. Pagefind counts only the postings of a
word's undiacritised spelling towards that limit, while the index also holds its diacritic variants
(nearly every Vietnamese word) and its metadata matches, so its chunks come out several times the size it
aims at and a first search fetches that much more (the README has the measured sizes, from
`bench/search_bench.py`). Pagefind 1.5 takes this setting from an environment variable
marked unstable; a Pagefind that ignored it would make bigger chunks, and a slower first search, but a
working index (tests/test_search_index.py notices)."""
_D_WORD = re.compile(r"\w*[đĐ]\w*")


@dataclass(frozen=True)
class SearchDocument:
    url: str
    """Site-root-relative URL ("/guong/<slug>/"); the search page adds the site's base path."""
    html: str


def _d_folded(text: str) -> str:
    words = {word.replace("đ", "d").replace("Đ", "D") for word in _D_WORD.findall(text)}
    return " ".join(sorted(words))


def search_documents(portal: Portal, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet], *,
                     memo: ProfileMemo | None = None) -> list[SearchDocument]:
    """One document per public profile. `memo`: documents kept from an earlier call."""
    memo = memo if memo is not None else ProfileMemo()

    def document(profile: Profile) -> SearchDocument:
        return _document(profile, taxonomy, portal.groups, photos)

    return [memo.get("search", profile, photos.get(profile.slug), document)
            for profile in portal.profiles
            if profile.is_public]  # the preview shows drafts; the index never holds them


def _document(profile: Profile, taxonomy: Taxonomy, groups: Groups,
              photos: Mapping[str, PhotoSet]) -> SearchDocument:
    e = html.escape
    place = taxonomy.place_name(profile.commune, profile.unit)
    photo = photos.get(profile.slug)
    filters = "".join(
        f'<span data-pagefind-filter="{e(name)}">{e(value)}</span>'
        for name, values in search_filters(profile, groups).items() for value in values
    )
    meta = {
        "title": profile.name,
        "place": place,
        "field": taxonomy.fields[profile.field].name,
        "year": str(profile.year),
    }
    meta_html = "".join(f'<span data-pagefind-meta="{key}">{e(value)}</span>' for key, value in meta.items())
    # Pagefind makes every meta value searchable: a thumbnail's path there made "anh", "webp" and "480"
    # find every profile with a photo. An element's id travels with the result (its `anchors`) unindexed.
    # The search page resolves the path against the result's URL: relative, it works under a sub-path.
    thumb = f'<span id="{THUMB_ANCHOR}{e("../../" + photo.thumb.uri)}"></span>' if photo else ""
    extras = " ".join(filter(None, (profile.village, profile.model_name, profile.role, *profile.keywords)))
    document = (
        '<html lang="vi"><body>'
        f"<div>{filters}{meta_html}</div>"
        "<main data-pagefind-body>"
        f'<h1 data-pagefind-weight="10">{e(profile.name)}</h1>'
        f'<p data-pagefind-weight="8">{e(_d_folded(profile.name))}</p>'
        f"<p>{e(profile.summary)}</p>"
        f'<p data-pagefind-weight="2">{e(extras)}</p>'
        f'<p data-pagefind-weight="0.5">{e(_d_folded(profile.summary + " " + extras))}</p>'
        f"{thumb}</main></body></html>"
    )
    return SearchDocument("/" + profile_url(profile), nfc(document))


class SearchIndexError(Exception):
    """Pagefind could not build the index; the message says why (in Vietnamese)."""


class SearchIndexJob:
    """Pagefind indexing in a thread (it is a separate program): a preview starts it and goes on, a
    build waits for it. `cancel` if the build fails.

    The documents go to a source folder as one HTML file per URL and Pagefind's binary indexes them in
    one run. The folder is kept between builds (`source_dir`, in the project's cache): only documents
    whose text changed are written again, sparing two file operations per unchanged profile per build.
    Pagefind's Python API was tried first: its client waits a fixed time for each document added, which
    adds up to many minutes for a district's profiles."""

    def __init__(self, documents: list[SearchDocument], site_dir: Path, source_dir: Path, *,
                 on_disk: dict[Path, bytes] | None = None, background: bool = False) -> None:
        """`on_disk`: what earlier jobs wrote into `source_dir`, kept by a live preview between saves (this
        job keeps it up to date), so that the sources need not be read back. `background`: Pagefind runs
        at low priority, yielding the processor to the preview's next rebuild."""
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise SearchIndexError("không tìm thấy chương trình Pagefind; hãy chạy lại scripts/setup.sh")
        self.output = (site_dir / INDEX_FOLDER).resolve()
        self._sources = source_dir
        self._on_disk = on_disk
        self._background = background
        self._process: subprocess.Popen | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, args=(binary, documents), daemon=True)
        self._result: tuple[int, str] | None = None
        self._thread.start()

    def _run(self, binary: Path, documents: list[SearchDocument]) -> None:
        try:
            _sync_sources(documents, self._sources, lambda: self._cancelled, self._on_disk)
            if self._cancelled:
                return
            shutil.rmtree(self.output, ignore_errors=True)
            self._process = subprocess.Popen(
                [str(binary), "--site", str(self._sources), "--output-path", str(self.output),
                 "--force-language", "vi", "--silent"],
                env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)},
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if self._background:
                _yield_processor(self._process.pid)
            output, _ = self._process.communicate()
            self._result = (self._process.returncode, output)
        except OSError as error:
            self._result = (-1, str(error))

    def wait(self) -> None:
        self._thread.join()
        code, output = self._result or (-1, "")
        if code != 0 or not (self.output / "pagefind.js").is_file():
            raise SearchIndexError(f"Pagefind không dựng được chỉ mục tìm kiếm: {output.strip()[-2000:]}")

    def cancel(self) -> None:
        self._cancelled = True
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        self._thread.join()


def _yield_processor(pid: int) -> None:
    """Let the process run only on processor time nobody else wants (Linux's idle class), or else at the
    lowest priority: a preview's next rebuild must not wait behind the last save's index."""
    try:
        if hasattr(os, "sched_setscheduler"):
            os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))
        elif hasattr(os, "setpriority"):
            os.setpriority(os.PRIO_PROCESS, pid, 19)
    except OSError:  # it may have finished already; the index is still made
        pass


def write_search_index(documents: list[SearchDocument], site_dir: Path, source_dir: Path) -> None:
    """Write the Pagefind bundle into site_dir/pagefind/ (replacing any older one) and wait for it."""
    SearchIndexJob(documents, site_dir, source_dir).wait()


def _sync_sources(documents: list[SearchDocument], folder: Path, cancelled: Callable[[], bool],
                  on_disk: dict[Path, bytes] | None = None) -> None:
    """Make `folder` hold exactly one index.html per document, writing only what changed. Stops early
    when `cancelled()` says so: a preview cancels the previous save's job and waits for it to stop.

    `on_disk` (when not empty) is what the folder holds, so nothing is read back; it is kept up to date
    file by file, and so stays true even when a job is cancelled half-way."""
    wanted = {folder / document.url.strip("/") / "index.html": document.html.encode("utf-8")
              for document in documents}
    if on_disk and not folder.is_dir():  # someone cleaned the cache meanwhile
        on_disk.clear()
    known = on_disk if on_disk else None
    if known is not None:
        stale = known.keys() - wanted.keys()
    else:
        stale = set(folder.rglob("*.html")) - wanted.keys() if folder.is_dir() else set()
    for path in stale:
        path.unlink(missing_ok=True)
        if on_disk is not None:
            on_disk.pop(path, None)
    for path, data in wanted.items():
        if cancelled():
            return
        if known is not None:
            if known.get(path) == data:
                continue
        else:
            try:
                if path.read_bytes() == data:
                    if on_disk is not None:
                        on_disk[path] = data
                    continue
            except FileNotFoundError:
                pass
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if on_disk is not None:
            on_disk[path] = data
