"""The MkDocs plugin: translates MkDocs' events into calls on an engine-free build (build/site_build.py)
or, under `mkdocs serve`, a preview session (build/preview_session.py). Nothing is decided here."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.build.preview_session import PreviewSession
from generator.build.site_build import BuildError, BuildSettings, SiteBuild
from generator.content.problems import Problem, Severity
from generator.mkdocs_edge.adapter import SharedFragments, fragment_key, portal_files, story_renderer
from generator.outputs.offline import CACHE_CAP_MB
from generator.portal.site import Site

log = get_plugin_logger(__name__)


class GuongConfig(Config):
    taxonomy_dir = c.Optional(c.Dir(exists=True))
    """Taxonomy folder; the package's generator/danh-muc by default."""
    per_page = c.Type(int, default=24)
    """Cards per listing page."""
    cache_dir = c.Type(str, default=".cache/guong")
    """Derived photos and search sources, kept between builds (relative to mkdocs.yml)."""
    drafts_in_serve = c.Type(bool, default=True)
    """`mkdocs serve` shows drafts, under a "BẢN NHÁP" banner."""
    offline_cache_mb = c.Type((int, float), default=CACHE_CAP_MB)
    """What a visitor's phone may keep of the pages, photos and search files read, for offline reading."""
    parallel = c.Type(bool, default=True)
    """Builds: render page bodies, and write feeds, API, embeds and the search index, in child processes
    beside MkDocs (where the system can fork). Off: everything in MkDocs' own process."""
    yearbooks = c.Type(bool, default=False)
    """Builds: each commune, field and year listing offers its yearbook (kỷ yếu) as a PDF."""


@contextmanager
def _as_plugin_error() -> Iterator[None]:
    """A build's own errors are messages for editors: MkDocs shows a PluginError's without a traceback."""
    try:
        yield
    except BuildError as error:
        raise PluginError(str(error)) from None


def _report(problem: Problem) -> None:
    # Content warnings are the editor's business (guong check shows them); they must not make a --strict
    # build fail, so they are logged below warning level.
    (log.error if problem.severity is Severity.ERROR else log.info)(problem.format())


class GuongPlugin(BasePlugin[GuongConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.dirty = False
        self.session: PreviewSession | None = None
        """Under `mkdocs serve`, which keeps a plugin that has on_startup for the whole session."""
        self.build: SiteBuild | None = None
        self.target = ""
        """The site_dir of mkdocs.yml, while MkDocs writes into the build's staging folder."""
        self.nav_urls: set[str] = set()
        self.fragments: dict = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty
        # MkDocs keeps one instance of a plugin with on_startup per process, across configurations: a
        # build after a preview in the same process must not go on with the preview's session.
        self.session = PreviewSession() if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.site_url:  # feeds, the API and share cards need absolute URLs
            raise PluginError("mkdocs.yml: thiếu site_url (địa chỉ công khai của trang, ví dụ https://…/guong-sang/)")
        config_file = Path(config.config_file_path)
        settings = BuildSettings(
            config_file=config_file, docs_dir=Path(config.docs_dir), site_dir=Path(config.site_dir),
            site=Site(config.site_name, config.site_description or "", config.site_url),
            cache_dir=config_file.resolve().parent / self.config.cache_dir,
            taxonomy_dir=Path(self.config.taxonomy_dir) if self.config.taxonomy_dir else None,
            theme_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None,
            per_page=self.config.per_page, drafts=self.session is not None and self.config.drafts_in_serve,
            parallel=self.config.parallel, offline_cache_mb=self.config.offline_cache_mb,
            yearbooks=self.config.yearbooks)
        with _as_plugin_error():
            if self.session is not None:
                self.build = self.session.rebuild(settings, only_changed=self.dirty)
                # A sitemap is for search engines, which never see a preview, and writing it lists every
                # page on every save.
                config.theme.static_templates.discard("sitemap.xml")
                # theme_overrides/main.html: no manifest or service worker, and the page removes any.
                config.extra["guong_preview"] = True
            else:
                self.build = SiteBuild(settings)
        # MkDocs empties site_dir before building: a build writes into the staging folder instead, which
        # replaces the published site in on_post_build only if everything succeeded.
        self.target, config.site_dir = config.site_dir, str(self.build.output_dir)
        return config

    # Before other plugins' on_files (default priority 0), so that they see the generated pages and never
    # the raw profile sources.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.build is not None
        with _as_plugin_error():
            self.build.load(_report)
        self.build.start_outputs()
        return portal_files(files, config, self.build)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.session is not None:
            # MkDocs makes a new environment for each rebuild; compiling the theme's templates anew each
            # time cost a few tenths of a second per save.
            env.bytecode_cache = self.session.theme_templates
        return env

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav_urls = {item.url for item in nav.pages}
        self.fragments = {}
        assert self.build is not None
        self.build.prefetch_bodies(*story_renderer(config, files))
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A body rendered ahead needs no Markdown rendering here.
        return "" if self.build is not None and self.build.rendered_ahead(page.url) else markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        if self.build.rendered_ahead(page.url):
            # Filled in on_page_context. The anchors are unknown until then: MkDocs skips checking links
            # to this page's anchors rather than reporting them missing.
            page.present_anchor_ids = None
            return ""
        body = self.build.body(page.url, html)
        return html if body is None else body

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        assert self.build is not None
        extra = cast(dict[str, Any], context)  # theme_overrides/main.html reads these four
        extra["guong_shared"] = SharedFragments(self.fragments, fragment_key(page.url, self.nav_urls))
        extra["guong_notice_script"] = self.build.notice_script
        if self.build.rendered_ahead(page.url):
            with _as_plugin_error():
                page.content, page.toc = self.build.fetch_body(page.url)
        extra["guong_page"] = self.build.page(page.url)
        extra["guong_meta"] = self.build.meta(page.url)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # MkDocs keeps every page's body until the build ends; nothing reads a generated page's body once
        # the page is written, and together they are the largest part of a big build's memory.
        if self.build is not None and self.build.page(page.url) is not None:
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.build is not None
        with _as_plugin_error():
            self.build.finish()
        config.site_dir = self.target  # for what runs after the build (gh-deploy reads it)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # MkDocs watches the content and mkdocs.yml; pages are also made from the templates, the theme's
        # overrides and the taxonomy, which editors and developers change while previewing.
        assert self.build is not None
        for path in self.build.settings.environment:
            server.watch(str(path))
        # After the first build, what is still alive is what a preview keeps for the whole session (the
        # checked profiles, the kept pieces, compiled templates). Freezing it spares Python's cycle
        # collector from walking it again and again during every rebuild, a cost that grows with the site.
        # The first build's own objects are garbage by now; collect them before freezing.
        gc.collect()
        gc.freeze()
        return server

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.abandon()

    def on_shutdown(self) -> None:
        # A preview does not wait for its index; one may still be running when the server stops.
        if self.build is not None:
            self.build.stop()
        if self.session is not None:
            self.session.cancel_search_index()
