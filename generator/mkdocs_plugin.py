"""MkDocs adapter: wires the portal (plain modules) into MkDocs events. Nothing else lives here, so that
another engine can replace MkDocs by driving `portal`, `render` and `images` the same way."""

from __future__ import annotations

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
from .embed import embed_pages, write_embeds
from .feeds import feed_files
from .images import PhotoError, PhotoPipeline, PhotoSet
from .meta import page_meta
from .outputs import write_files
from .portal import Page, Portal, build_portal
from .render import BodyRenderer
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

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.project_dir = Path(config.config_file_path).resolve().parent
        try:
            self.taxonomy = load_taxonomy(Path(self.config.taxonomy_dir) if self.config.taxonomy_dir else None)
        except TaxonomyError as error:
            raise PluginError(f"lỗi danh mục: {error}") from None
        custom_dir = config.theme.custom_dir
        self.renderer = BodyRenderer(self.taxonomy, Path(custom_dir) if custom_dir else None,
                                     site_url=config.site_url or "")
        self.pipeline = PhotoPipeline(self.project_dir / self.config.cache_dir)
        if not config.site_url:  # feeds, the API and share cards need absolute URLs
            raise PluginError("mkdocs.yml: thiếu site_url (địa chỉ công khai của trang, ví dụ https://…/guong-sang/)")
        return config

    # Runs before other plugins' on_files (default priority 0) so that they see the generated pages
    # and never the raw profile sources.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir)
        collection = load_collection(docs_dir, self.taxonomy, display_base=self.project_dir)
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
        for page in self.portal.pages.values():
            if files.get_file_from_path(page.src_uri) is None:
                files.append(File.generated(config, page.src_uri, content=_page_source(page)))
        # Pagefind indexes while MkDocs renders the pages; on_post_build waits for it.
        self._cancel_search_index()
        try:
            self.search_job = SearchIndexJob(search_documents(self.portal, self.taxonomy, self.photos),
                                             Path(config.site_dir))
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        return files

    def on_build_error(self, *, error: Exception) -> None:
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
                if self.search_job is not None:
                    self.search_job.wait()
            except SearchIndexError as error:
                raise PluginError(str(error)) from None
            finally:
                self.search_job = None
            for make in (feed_files, api_files):  # both need the absolute site_url (mkdocs.yml sets one)
                write_files(make(self.portal, self.taxonomy, self.photos, config.site_url or ""), Path(config.site_dir))
            write_embeds(embed_pages(self.portal, self.taxonomy, self.photos,
                                     env=self.renderer.env if self.renderer else None), Path(config.site_dir))


def _page_source(page: Page) -> str:
    """The Markdown MkDocs reads for a generated page: metadata, then the story (if any).

    MkDocs' templates do not autoescape, so the title is given already escaped; "hide" keeps the
    story's own headings out of a table of contents on listing pages."""
    meta = {"title": html.escape(page.title), "description": html.escape(page.description)}
    if page.story is None:
        meta["hide"] = ["toc"]
    front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())
    return f"---\n{front}\n---\n\n{page.story or ''}\n"
