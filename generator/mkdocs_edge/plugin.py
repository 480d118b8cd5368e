"""MkDocs adapter: wires the portal (plain modules) into MkDocs events. Nothing else lives here, so that
another engine can replace MkDocs by driving `portal`, `render` and `images` the same way."""

from __future__ import annotations

import gc
import hashlib
import html
import json
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import TableOfContents

from generator.outputs.api import api_files
from generator.build.child_processes import BackgroundError, Prefetch, Task, can_fork
from generator.content.collection import PROFILE_FOLDER, load_collection
from generator.outputs.embeds import embed_pages
from generator.outputs.feeds import feed_files
from generator.portal.photos import PhotoError, PhotoPipeline, PhotoSet
from generator.outputs.kept_pieces import ProfileMemo
from generator.portal.share_cards import page_meta
from generator.outputs.common import write_files
from generator.portal.pages import Page, Portal, build_portal
from generator.build.fingerprints import Fingerprints, environment_digest
from generator.build.theme_assets import unpublished_theme_files
from generator.portal.render import BodyRenderer, TemplateCache
from generator.outputs.search_index import SearchIndexError, SearchIndexJob, search_documents, write_search_index
from generator.content.taxonomy import TaxonomyError, load_taxonomy

log = get_plugin_logger(__name__)
PHOTO_FOLDER = "anh"


class GuongConfig(Config):
    taxonomy_dir = c.Optional(c.Dir(exists=True))
    """Taxonomy folder; the package's generator/danh-muc by default."""
    per_page = c.Type(int, default=24)
    cache_dir = c.Type(str, default=".cache/guong")
    """Derived photos, kept between builds (relative to mkdocs.yml)."""
    drafts_in_serve = c.Type(bool, default=True)
    parallel = c.Type(bool, default=True)
    """Builds: render page bodies, and write feeds, API, embeds and the search index, in child processes
    beside MkDocs (where the system can fork). Off: everything in MkDocs' own process."""


class GuongPlugin(BasePlugin[GuongConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.portal: Portal | None = None
        self.photos: dict[str, PhotoSet] = {}
        self.renderer: BodyRenderer | None = None
        self.search_job: SearchIndexJob | None = None
        self.bodies: Prefetch | None = None
        self.side_outputs: Task | None = None
        # Live preview state, kept between rebuilds: MkDocs keeps a plugin that has on_startup for the
        # whole `mkdocs serve` session.
        self.dirty = False
        self.check_cache: dict = {}
        self.page_fingerprints: dict[str, str] = {}
        self.environment = ""
        self.indexed_digest = ""
        self.search_sources_on_disk: dict[Path, bytes] = {}
        self.written: dict[str, tuple[bytes | str, bytes]] = {}
        self.derived: dict[tuple, PhotoSet] = {}
        self.memo = ProfileMemo()
        self.template_cache = TemplateCache()
        self.theme_template_cache = TemplateCache()
        self.nav_urls: set[str] = set()
        self.fragments: dict = {}

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
        if self.serving:
            # A sitemap is for search engines, which never see a preview; at 10,000 profiles writing it
            # took a quarter of a second per save.
            config.theme.static_templates.discard("sitemap.xml")
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
        theme_uris = [f.src_uri for f in files if f.generated_by is None and f.src_dir in config.theme.dirs]
        for uri in unpublished_theme_files(theme_uris):  # Material's scripts and maps, which no page loads
            files.remove(files.get_file_from_path(uri))
        self.photos = {}
        for slug, profile in self.portal.photos.items():
            try:
                photo_set = self._derive(docs_dir / (profile.photo or ""), slug)
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
        if self.serving:
            self._follow_environment(config)
            self.memo.keep_only(profile.slug for profile in self.portal.profiles)
            if self.dirty:
                self._skip_unchanged_pages(page_files, config)
            self._cancel_search_index()  # the previous save's, if still running: its work is out of date
        else:
            self._start_side_outputs(config)
        return files

    def _derive(self, source: Path, slug: str) -> PhotoSet:
        """A photo's renditions. A preview remembers them by the source's size and modification time:
        reading and hashing every photo on each save took a second at 10,000 profiles."""
        if not self.serving:
            return self.pipeline.derive(source, slug)
        try:
            stat = source.stat()
        except OSError:
            return self.pipeline.derive(source, slug)  # says what is wrong with the photo
        key = (slug, str(source), stat.st_size, stat.st_mtime_ns)
        if key not in self.derived:
            self.derived[key] = self.pipeline.derive(source, slug)
        return self.derived[key]

    def _follow_environment(self, config: MkDocsConfig) -> None:
        """A preview keeps pages and pieces of outputs between rebuilds; what they are made from besides
        the profiles (mkdocs.yml, the templates, the theme, the taxonomy) is the environment. When it
        changes, nothing kept is used again."""
        package = Path(__file__).resolve().parent.parent
        taxonomy_dir = Path(self.config.taxonomy_dir) if self.config.taxonomy_dir else package / "danh-muc"
        environment = environment_digest(
            [Path(config.config_file_path), package / "portal" / "templates", taxonomy_dir]
            + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else []))
        if environment != self.environment:
            self.memo.clear()
            self.page_fingerprints = {}
            self.environment = environment

    def _skip_unchanged_pages(self, page_files: dict[str, _GeneratedPage], config: MkDocsConfig) -> None:
        """`mkdocs serve --dirty`: rebuild only the pages whose fingerprint changed since the last build,
        and remove the pages that are gone (a deleted, renamed or unpublished profile)."""
        assert self.portal is not None
        fingerprints = Fingerprints(self.photos, self.memo)
        current = {url: fingerprints.page(page) for url, page in self.portal.pages.items()}
        previous = self.page_fingerprints
        for url, fingerprint in current.items():
            if url in page_files and previous.get(url) == fingerprint:
                page_files[url].unchanged = True
        for url in previous.keys() - current.keys():
            (Path(config.site_dir) / url / "index.html").unlink(missing_ok=True)
        self.page_fingerprints = current

    def _start_search_index(self, site_dir: Path) -> None:
        """A preview re-indexes in the background once the pages are written, and does not wait: the index
        follows a moment after the pages, and is not made again when no indexed text changed."""
        self._cancel_search_index()
        assert self.portal is not None
        documents = search_documents(self.portal, self.taxonomy, self.photos, memo=self.memo)
        digest = hashlib.blake2b("".join(d.url + d.html for d in documents).encode(), digest_size=16).hexdigest()
        if digest == self.indexed_digest and (site_dir / "pagefind" / "pagefind.js").is_file():
            return
        self.indexed_digest = digest
        try:
            self.search_job = SearchIndexJob(documents, site_dir, self._search_sources(),
                                             on_disk=self.search_sources_on_disk, background=True)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def _search_sources(self) -> Path:
        # A preview and a build of the same project may run at once: each keeps its own.
        return self.project_dir / self.config.cache_dir / ("tim-kiem-xem-truoc" if self.serving else "tim-kiem")

    def _start_side_outputs(self, config: MkDocsConfig) -> None:
        """A build writes what is made from the model alone (feeds, API, embeds, the search index) in a
        child process while MkDocs renders pages; on_post_build waits for it."""
        assert self.portal is not None
        self._stop_children()
        site_dir, site_url, sources = Path(config.site_dir), config.site_url or "", self._search_sources()

        def write() -> None:
            # The index first: Pagefind needs a few hundred MB at 10,000 profiles, and early in the build
            # the other processes are at their smallest.
            try:
                write_search_index(search_documents(self.portal, self.taxonomy, self.photos), site_dir, sources)
            except SearchIndexError as error:  # its message is for editors: pass it on as it is
                raise BackgroundError(str(error)) from None
            self._write_model_outputs(site_dir, site_url)

        self.side_outputs = Task(write, in_child=self.config.parallel)

    def _write_model_outputs(self, site_dir: Path, site_url: str,
                             written: dict[str, tuple[bytes | str, bytes]] | None = None,
                             memo: ProfileMemo | None = None) -> None:
        assert self.portal is not None and self.renderer is not None
        # Feeds and the API need the absolute site_url (on_config makes sure there is one).
        for make in (feed_files, api_files):
            write_files(make(self.portal, self.taxonomy, self.photos, site_url, memo=memo), site_dir, written)
        write_files(embed_pages(self.portal, self.taxonomy, self.photos, env=self.renderer.env, memo=memo),
                    site_dir, written)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.serving:
            # MkDocs makes a new environment for each rebuild; compiling the theme's templates anew each
            # time cost a few tenths of a second per save.
            env.bytecode_cache = self.theme_template_cache
        return env

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav_urls = {item.url for item in nav.pages}
        self.fragments = {}
        if not self.serving and self.config.parallel and can_fork() and self.portal is not None:
            self._prefetch_bodies(config, files)
        return nav

    def _prefetch_bodies(self, config: MkDocsConfig, files: Files) -> None:
        """A build renders the generated pages' bodies (story Markdown, then the page's own template) in
        two child processes, in the order MkDocs will lay the pages out, while MkDocs itself does the
        layout: each is fetched just before its page is laid out (on_page_context). The children run
        MkDocs' own Markdown rendering of the page, so the story comes out exactly as in-process."""
        assert self.portal is not None and self.renderer is not None
        pages = {file.page.url: file.page for file in files.documentation_pages()
                 if file.page is not None and file.page.url in self.portal.pages}
        portal, renderer, photos = self.portal, self.renderer, self.photos

        def render(url: str) -> _RenderedBody:
            page = pages[url]
            page.read_source(config)
            page.render(config, files)
            body = _RenderedBody(renderer.render(portal.pages[url], story_html=page.content, photos=photos), page.toc)
            page.markdown = page.content = None  # the child keeps nothing of a page once it is sent
            return body

        self.bodies = Prefetch(render, pages, children=2)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # After the first build, what is still alive is what a preview keeps for the whole session (the
        # checked profiles, the memo, compiled templates). Freezing it spares Python's cycle collector
        # from walking it again and again during every rebuild: that was about 0.8 s per save at 10,000
        # profiles. The first build's own objects are garbage by now; collect them before freezing.
        gc.collect()
        gc.freeze()
        return server

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_children()

    def on_shutdown(self) -> None:
        # A preview does not wait for its index; one may still be running when the server stops.
        self._stop_children()

    def _stop_children(self) -> None:
        self._cancel_search_index()
        for child in (self.bodies, self.side_outputs):
            if child is not None:
                child.stop()
        self.bodies = self.side_outputs = None

    def _cancel_search_index(self) -> None:
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None

    def _page_for(self, page: MkDocsPage) -> Page | None:
        return self.portal.pages.get(page.url) if self.portal else None

    def _rendered_ahead(self, page: MkDocsPage) -> bool:
        """Whether a child renders this page's body (see _prefetch_bodies) and it is not fetched yet."""
        return self.bodies is not None and page.url in self.bodies

    def on_page_content(self, html_: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        spec = self._page_for(page)
        if spec is None or self.renderer is None:
            return html_
        if self._rendered_ahead(page):
            # Filled in on_page_context. The anchors are unknown until then: MkDocs skips checking links
            # to this page's anchors rather than reporting them missing.
            page.present_anchor_ids = None
            return ""
        return self.renderer.render(spec, story_html=html_, photos=self.photos)

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        # A body rendered ahead needs no Markdown rendering here.
        return "" if self._rendered_ahead(page) else markdown

    def on_page_context(self, context: dict[str, Any], *, page: MkDocsPage, config: MkDocsConfig, nav) -> dict[str, Any]:
        context["guong_shared"] = _SharedFragments(self.fragments, _fragment_key(page.url, self.nav_urls))
        if self._rendered_ahead(page):
            try:
                body = self.bodies.get(page.url)
            except BackgroundError as error:
                raise PluginError(f"không dựng được trang {page.url or '/'}: {error}") from None
            page.content, page.toc = body.html, body.toc
        context["guong_page"] = self._page_for(page)
        context["guong_meta"] = page_meta(context["guong_page"], self.photos, config.site_url or "",
                                          site_name=config.site_name, site_description=config.site_description or "")
        return context

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        # MkDocs keeps every page's body until the build ends; nothing reads a generated page's body once
        # the page is written, and at 10,000 profiles they add up to a few hundred MB.
        if self._page_for(page) is not None:
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # The search index is part of every build (no extra step for editors); it is written into the
        # output folder, which publish.py swaps in only once the whole build has succeeded.
        if self.portal is not None:
            if self.serving:
                self._write_model_outputs(Path(config.site_dir), config.site_url or "", self.written, self.memo)
                self._start_search_index(Path(config.site_dir))
                return
            side_outputs, self.side_outputs = self.side_outputs, None
            if self.bodies is not None:
                self.bodies.stop()
                self.bodies = None
            try:
                if side_outputs is not None:
                    side_outputs.wait()
            except BackgroundError as error:  # the side task passes the index's own errors on as these
                raise PluginError(str(error)) from None
            self.pipeline.prune_unused()  # the build is whole: cached photos it did not use may go


def _fragment_key(page_url: str, nav_urls: set[str]) -> tuple[int, str] | None:
    """Which pages share the same navigation HTML. The sidebar and tabs link only to the nav's pages, all
    one folder deep, so their relative links depend on how deep a page is and on its first folder; no
    nav item is active on a page outside the nav. A nav page has its own (its item is active and holds
    its table of contents)."""
    if page_url in nav_urls:
        return None
    return page_url.count("/"), page_url.split("/", 1)[0]


class _SharedFragments:
    """Navigation HTML rendered once per kind of page instead of once per page: with the tabs, the
    sidebar was a third of the template time at 10,000 profiles (theme_overrides/main.html uses it)."""

    def __init__(self, store: dict, key: tuple[int, str] | None) -> None:
        self._store, self._key = store, key

    def get(self, name: str) -> str | None:
        return self._store.get((name, self._key)) if self._key is not None else None

    def keep(self, name: str, html: str) -> str:
        if self._key is not None:
            self._store[(name, self._key)] = html
        return html


class _RenderedBody(NamedTuple):
    html: str
    toc: TableOfContents


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
