"""MkDocs adapter: wires the portal (plain modules) into MkDocs events. Nothing else lives here, so that
another engine can replace MkDocs by driving `portal`, `render` and `images` the same way."""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .api import api_files
from .collection import PROFILE_FOLDER, load_collection
from .embed import embed_pages
from .feeds import feed_files
from .images import PhotoError, PhotoPipeline, PhotoSet
from .meta import page_meta
from .outputs import write_files
from .portal import Page, Portal, build_portal
from .preview import Fingerprints, environment_digest
from .render import BodyRenderer, TemplateCache
from .search_index import SearchIndexError, SearchIndexJob, search_documents
from .taxonomy import TaxonomyError, load_taxonomy

log = get_plugin_logger(__name__)
PHOTO_FOLDER = "anh"


class GuongConfig(Config):
    taxonomy_dir = c.Optional(c.Dir(exists=True))
    """Taxonomy folder; the package's generator/danh-muc by default."""
    per_page = c.Type(int, default=24)
    cache_dir = c.Type(str, default=".cache/guong")
    """Derived photos, kept between builds (relative to mkdocs.yml)."""
    drafts_in_serve = c.Type(bool, default=True)


class GuongPlugin(BasePlugin[GuongConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.portal: Portal | None = None
        self.photos: dict[str, PhotoSet] = {}
        self.renderer: BodyRenderer | None = None
        self.search_job: SearchIndexJob | None = None
        # Live preview state, kept between rebuilds: MkDocs keeps a plugin that has on_startup for the
        # whole `mkdocs serve` session.
        self.dirty = False
        self.check_cache: dict = {}
        self.page_fingerprints: dict[str, str] = {}
        self.environment = ""
        self.indexed_digest = ""
        self.written: dict[str, bytes] = {}
        self.template_cache = TemplateCache()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.project_dir = Path(config.config_file_path).resolve().parent
        try:
            self.taxonomy = load_taxonomy(Path(self.config.taxonomy_dir) if self.config.taxonomy_dir else None)
        except TaxonomyError as error:
            raise PluginError(f"lỗi danh mục: {error}") from None
        custom_dir = config.theme.custom_dir
        self.renderer = BodyRenderer(self.taxonomy, Path(custom_dir) if custom_dir else None,
                                     site_url=config.site_url or "", template_cache=self.template_cache)
        self.pipeline = PhotoPipeline(self.project_dir / self.config.cache_dir)
        if not config.site_url:  # feeds, the API and share cards need absolute URLs
            raise PluginError("mkdocs.yml: thiếu site_url (địa chỉ công khai của trang, ví dụ https://…/guong-sang/)")
        return config

    # Runs before other plugins' on_files (default priority 0) so that they see the generated pages
    # and never the raw profile sources.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir)
        collection = load_collection(docs_dir, self.taxonomy, display_base=self.project_dir,
                                     cache=self.check_cache if self.serving else None)
        for problem in collection.problems:
            # Content warnings are the editor's business (guong check shows them); they must not make a
            # --strict build fail, so they are logged below warning level.
            (log.error if problem.severity.value == "error" else log.info)(problem.format())
        if collection.errors:
            raise PluginError(f"{len(collection.errors)} lỗi trong hồ sơ (xem các dòng trên); chạy 'guong check' để xem chi tiết.")
        self.portal = build_portal(collection, include_drafts=self.serving and self.config.drafts_in_serve,
                                   per_page=self.config.per_page)
        for file in list(files):
            # Profile sources become generated pages; source photos are published only as derivatives.
            if file.src_uri.startswith((f"{PROFILE_FOLDER}/", f"{PHOTO_FOLDER}/")):
                files.remove(file)
        self.photos = {}
        for slug, profile in self.portal.photos.items():
            try:
                photo_set = self.pipeline.derive(docs_dir / (profile.photo or ""), slug)
            except PhotoError as error:
                raise PluginError(f"{profile.source_path.as_posix()}: lỗi: {error}") from None
            self.photos[slug] = photo_set
            for rendition in (photo_set.full, photo_set.thumb, photo_set.thumb_2x):
                if files.get_file_from_path(rendition.uri) is None:
                    files.append(File.generated(config, rendition.uri, abs_src_path=str(rendition.path)))
        page_files: dict[str, _GeneratedPage] = {}
        for page in self.portal.pages.values():
            if files.get_file_from_path(page.src_uri) is None:
                page_files[page.url] = _GeneratedPage.generated(config, page.src_uri, content=_page_source(page))
                files.append(page_files[page.url])
        if self.serving and self.dirty:
            self._skip_unchanged_pages(page_files, config)
        self._start_search_index(Path(config.site_dir))
        return files

    def _skip_unchanged_pages(self, page_files: dict[str, _GeneratedPage], config: MkDocsConfig) -> None:
        """`mkdocs serve --dirty`: rebuild only the pages whose fingerprint changed since the last build,
        and remove the pages that are gone (a deleted, renamed or unpublished profile)."""
        assert self.portal is not None
        fingerprints = Fingerprints(self.photos)
        current = {url: fingerprints.page(page) for url, page in self.portal.pages.items()}
        package = Path(__file__).resolve().parent
        environment = environment_digest(
            [Path(config.config_file_path), package / "templates", package / "danh-muc"]
            + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else []))
        previous = self.page_fingerprints if environment == self.environment else {}
        for url, fingerprint in current.items():
            if url in page_files and previous.get(url) == fingerprint:
                page_files[url].unchanged = True
        for url in previous.keys() - current.keys():
            (Path(config.site_dir) / url / "index.html").unlink(missing_ok=True)
        self.page_fingerprints, self.environment = current, environment

    def _start_search_index(self, site_dir: Path) -> None:
        """Pagefind indexes while MkDocs renders the pages; on_post_build waits for it (a preview does
        not: the index follows a moment later, and is not rebuilt when no indexed text changed)."""
        self._cancel_search_index()
        assert self.portal is not None
        documents = search_documents(self.portal, self.taxonomy, self.photos)
        if self.serving:
            digest = hashlib.blake2b("".join(d.url + d.html for d in documents).encode(), digest_size=16).hexdigest()
            if digest == self.indexed_digest and (site_dir / "pagefind" / "pagefind.js").is_file():
                return
            self.indexed_digest = digest
        try:
            self.search_job = SearchIndexJob(documents, site_dir)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def on_build_error(self, *, error: Exception) -> None:
        self._cancel_search_index()

    def on_shutdown(self) -> None:
        # A preview does not wait for its index; one may still be running when the server stops.
        self._cancel_search_index()

    def _cancel_search_index(self) -> None:
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None

    def _page_for(self, page: MkDocsPage) -> Page | None:
        return self.portal.pages.get(page.url) if self.portal else None

    def on_page_content(self, html_: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        spec = self._page_for(page)
        if spec is None or self.renderer is None:
            return html_
        return self.renderer.render(spec, story_html=html_, photos=self.photos)

    def on_page_context(self, context: dict[str, Any], *, page: MkDocsPage, config: MkDocsConfig, nav) -> dict[str, Any]:
        context["guong_page"] = self._page_for(page)
        context["guong_meta"] = page_meta(context["guong_page"], self.photos, config.site_url or "",
                                          site_name=config.site_name, site_description=config.site_description or "")
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # The search index is part of every build (no extra step for editors); it is written into the
        # output folder, which publish.py swaps in only once the whole build has succeeded.
        if self.portal is not None:
            try:
                if self.search_job is not None and not self.serving:
                    self.search_job.wait()
                    self.search_job = None
            except SearchIndexError as error:
                self.search_job = None
                raise PluginError(str(error)) from None
            written = self.written if self.serving else None
            for make in (feed_files, api_files):  # both need the absolute site_url (mkdocs.yml sets one)
                write_files(make(self.portal, self.taxonomy, self.photos, config.site_url or ""),
                            Path(config.site_dir), written)
            write_files(embed_pages(self.portal, self.taxonomy, self.photos,
                                    env=self.renderer.env if self.renderer else None), Path(config.site_dir), written)


class _GeneratedPage(File):
    """A page made from the portal model. MkDocs rebuilds every generated page on every build; in a
    `--dirty` preview, one marked unchanged keeps the output it already has."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged and super().is_modified()


def _page_source(page: Page) -> str:
    """The Markdown MkDocs reads for a generated page: metadata, then the story (if any).

    MkDocs' templates do not autoescape, so the title is given already escaped; "hide" keeps the
    story's own headings out of a table of contents on listing pages."""
    meta = {"title": html.escape(page.title), "description": html.escape(page.description)}
    if page.story is None:
        meta["hide"] = ["toc"]
    front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())
    return f"---\n{front}\n---\n\n{page.story or ''}\n"
