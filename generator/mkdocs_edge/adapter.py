"""What the MkDocs plugin needs of MkDocs beyond its events: the portal's pages as in-memory MkDocs
files, MkDocs' own rendering of a page's Markdown (for bodies rendered in child processes), navigation
HTML shared between pages, and a whole build run from Python (`guong build`).

Besides plugin.py, this is the only module that imports MkDocs.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import TableOfContents

from generator.build.site_build import BuildSettings, SiteBuild
from generator.build.theme_assets import unpublished_theme_files
from generator.content.collection import PROFILE_FOLDER
from generator.portal.pages import Page
from generator.portal.site import Site

PHOTO_FOLDER = "anh"


class BuildFailed(Exception):
    """The build did not complete; the message says why (in Vietnamese)."""


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Run a full MkDocs build of `config_file` and publish it into its site_dir (or `site_dir`); the
    plugin builds into a staging folder and swaps it in only on success."""
    _show_mkdocs_log()
    config = load_config(str(config_file), strict=strict, **({"site_dir": str(site_dir)} if site_dir else {}))
    target = Path(config.site_dir)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (MkDocsException, SystemExit) as error:
        raise BuildFailed(f"không dựng được trang; trang đã xuất bản trước đó ở {target.as_posix()} "
                          f"được giữ nguyên ({error})") from None
    finally:
        config.plugins.on_shutdown()
    return target


def project_settings(config_file: Path) -> BuildSettings:
    """What a build of `config_file` is made from, for commands that make outputs without building the
    site (`guong ky-yeu`)."""
    try:
        config = load_config(str(config_file))
    except (MkDocsException, SystemExit) as error:
        raise BuildFailed(f"không đọc được {config_file.as_posix()} ({error})") from None
    plugin = config.plugins.get("guong")
    options: Any = getattr(plugin, "config", None)
    project = config_file.resolve().parent
    return BuildSettings(
        config_file=config_file, docs_dir=Path(config.docs_dir), site_dir=Path(config.site_dir),
        site=Site(config.site_name, config.site_description or "", config.site_url or ""),
        cache_dir=project / (options.cache_dir if options else ".cache/guong"),
        taxonomy_dir=Path(options.taxonomy_dir) if options and options.taxonomy_dir else None,
        theme_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None)


def _show_mkdocs_log() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


class GeneratedPage(File):
    """A page made from the portal model. MkDocs rebuilds every generated page on every build; in a
    `--dirty` preview, one marked unchanged keeps the output it already has."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged and super().is_modified()


class CachedImage(File):
    """A photo rendition or share card from the build's cache folder. Published as a hard link to the cached
    file where the file system allows (the cache never rewrites a file in place, it replaces it): a
    2,000-profile site has some 4,000 such images, whose copying was a tenth of a warm build."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        assert self.abs_src_path is not None
        output = Path(self.abs_dest_path)
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.abs_src_path, output)
        except OSError:  # another file system, an existing file (a preview's folder), no hard links
            super().copy_file(dirty)


def portal_files(files: Files, config: MkDocsConfig, site_build: SiteBuild) -> Files:
    """`files` with the profile sources and source photos replaced by the portal's pages and the photos'
    renditions (the source photos are published only as derivatives), and without the theme's files that
    no page uses."""
    for file in list(files):
        if file.src_uri.startswith((f"{PROFILE_FOLDER}/", f"{PHOTO_FOLDER}/")):
            files.remove(file)
    theme_files = [f for f in files if f.generated_by is None and f.src_dir in config.theme.dirs]
    unpublished = set(unpublished_theme_files([f.src_uri for f in theme_files]))
    for file in theme_files:
        if file.src_uri in unpublished:  # Material's scripts and maps, which no page loads
            files.remove(file)
    for uri, path in site_build.renditions:
        if files.get_file_from_path(uri) is None:
            files.append(CachedImage.generated(config, uri, abs_src_path=str(path)))
    unchanged: set[str] = getattr(site_build, "unchanged", set())  # a preview's
    assert site_build.portal is not None
    for page in site_build.portal.pages.values():
        if files.get_file_from_path(page.src_uri) is None:
            generated = GeneratedPage.generated(config, page.src_uri, content=_page_source(page))
            assert isinstance(generated, GeneratedPage)
            generated.unchanged = page.url in unchanged
            files.append(generated)
    return files


def _page_source(page: Page) -> str:
    """The Markdown MkDocs reads for a generated page: metadata, then the story (if any).

    MkDocs' templates do not autoescape, so the title is given already escaped; "hide" keeps the
    story's own headings out of a table of contents on listing pages."""
    meta: dict[str, Any] = {"title": html.escape(page.title), "description": html.escape(page.description)}
    if page.story is None:
        meta["hide"] = ["toc"]
    front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())
    return f"---\n{front}\n---\n\n{page.story or ''}\n"


def story_renderer(config: MkDocsConfig,
                   files: Files) -> tuple[list[str], Callable[[str], tuple[str, TableOfContents]]]:
    """The generated pages' URLs in the order MkDocs lays them out, and MkDocs' own rendering of one
    page's Markdown (so that a story rendered in a child process comes out exactly as in-process)."""
    pages = {file.page.url: file.page for file in files.documentation_pages() if file.page is not None}

    def render(url: str) -> tuple[str, TableOfContents]:
        page = pages[url]
        page.read_source(config)
        page.render(config, files)
        rendered = page.content or "", page.toc
        page.markdown = page.content = None  # the child keeps nothing of a page once it is sent
        return rendered

    return list(pages), render


def fragment_key(page_url: str, nav_urls: set[str]) -> tuple[int, str] | None:
    """Which pages share the same navigation HTML. The sidebar and tabs link only to the nav's pages, all
    one folder deep, so their relative links depend on how deep a page is and on its first folder; no
    nav item is active on a page outside the nav. A nav page has its own (its item is active and holds
    its table of contents)."""
    if page_url in nav_urls:
        return None
    return page_url.count("/"), page_url.split("/", 1)[0]


class SharedFragments:
    """Navigation HTML rendered once per kind of page instead of once per page: with the tabs, the
    sidebar was a large part of the template time (theme_overrides/main.html uses it)."""

    def __init__(self, store: dict, key: tuple[int, str] | None) -> None:
        self._store, self._key = store, key

    def get(self, name: str) -> str | None:
        return self._store.get((name, self._key)) if self._key is not None else None

    def keep(self, name: str, html: str) -> str:
        if self._key is not None:
            self._store[(name, self._key)] = html
        return html
