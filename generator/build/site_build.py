"""One build of the portal, engine-free: content → checked collection → portal → photo renditions → page
bodies → feeds, API, embeds and the search index, written into a staging folder that replaces the
published site only once everything succeeded.

An engine (generator/mkdocs_edge/) drives it in this order: `load` (then it adds the portal's pages and
photo renditions to its own list of files), `start_outputs`, optionally `prefetch_bodies`, one `body`
and `meta` per page as it lays pages out, then `finish` — or `abandon` when anything failed. A live
preview is the same with state kept between rebuilds (build/preview_session.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build.child_processes import BackgroundError, Prefetch, Task, can_fork
from generator.build.staging import recover_leftovers, staging_folder, swap_into_place
from generator.content.collection import Collection, load_collection
from generator.content.problems import Problem
from generator.content.taxonomy import DEFAULT_DIR, TaxonomyError, load_taxonomy
from generator.outputs.api import api_files
from generator.outputs.common import generated_at, write_files
from generator.outputs.embeds import embed_pages
from generator.outputs.feeds import feed_files
from generator.outputs.kept_pieces import ProfileMemo
from generator.outputs.offline import CACHE_CAP_MB, offline_files
from generator.outputs.search_index import SearchIndexError, search_documents, write_search_index
from generator.outputs.yearbook import Book, Printer, site_books, yearbook_path
from generator.portal.card_images import CardMaker, CardText
from generator.portal.fonts import FontError
from generator.portal.groups import Group
from generator.portal.pages import Page, Portal, build_portal, profile_url
from generator.portal.photos import PhotoError, PhotoPipeline, PhotoSet, Rendition
from generator.portal.qr import QrCodes
from generator.portal.render import BodyRenderer, TemplateCache
from generator.portal.share_cards import page_meta
from generator.portal.site import Site

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = PACKAGE_DIR / "portal" / "templates"


class BuildError(Exception):
    """The build cannot go on; the message says why, in Vietnamese, for editors."""


@dataclass(frozen=True)
class BuildSettings:
    """Everything a build is made from besides the content, as the engine's configuration gives it."""

    config_file: Path
    """The engine's configuration file (mkdocs.yml): a preview rebuilds everything when it changes."""
    docs_dir: Path
    """The content folder (profiles in guong/, photos in anh/)."""
    site_dir: Path
    """Where the site is published."""
    site: Site
    cache_dir: Path
    """Photo renditions and search sources, kept between builds."""
    taxonomy_dir: Path | None = None
    """The taxonomy folder; generator/danh-muc by default."""
    theme_dir: Path | None = None
    """The theme's override folder: page templates in its guong/ folder replace the package's."""
    per_page: int = 24
    drafts: bool = False
    """Show drafts (under a banner): a preview does."""
    parallel: bool = True
    """Render page bodies and write the outputs in child processes where the system can fork."""
    offline_cache_mb: float = CACHE_CAP_MB
    """What a visitor's phone may keep of the pages, photos and search files read (outputs/offline.py)."""
    yearbooks: bool = False
    """Each commune, field and year listing offers its yearbook PDF (outputs/yearbook.py)."""

    @property
    def project_dir(self) -> Path:
        return self.config_file.resolve().parent

    @property
    def environment(self) -> list[Path]:
        """What pages are made from besides the profiles: configuration, templates, taxonomy, theme."""
        return [self.config_file, TEMPLATE_DIR, self.taxonomy_dir or DEFAULT_DIR,
                *([self.theme_dir] if self.theme_dir else [])]


class SiteBuild:
    """A full build, published by `finish` into `settings.site_dir` through a staging folder."""

    search_cache = "tim-kiem"
    """The search sources' folder under the cache (a preview keeps its own: both may run at once)."""
    notice_script: str | None = None
    """A preview's script of notices (site-relative), which every page loads; a real build has none."""
    makes_yearbooks = True
    """Whether this kind of build prints the listings' yearbooks when the settings ask (a preview does not)."""

    def __init__(self, settings: BuildSettings, *, template_cache: TemplateCache | None = None) -> None:
        self.settings = settings
        try:
            self.taxonomy = load_taxonomy(settings.taxonomy_dir)
        except TaxonomyError as error:
            raise BuildError(f"lỗi danh mục: {error}") from None
        self.renderer = BodyRenderer(self.taxonomy, settings.site, settings.theme_dir, template_cache=template_cache,
                                     qr_codes=QrCodes(settings.cache_dir))
        self.pipeline = PhotoPipeline(settings.cache_dir)
        self.portal: Portal | None = None
        self.photos: dict[str, PhotoSet] = {}
        self.cards: dict[str, Rendition] = {}
        """Share card images by page URL (public profiles and listings)."""
        self.books: list[Book] = []
        """The yearbooks this build publishes."""
        self._card_maker: CardMaker | None = None
        self._bodies: Prefetch | None = None
        self._outputs: Task | None = None
        self.output_dir = self._output_dir()

    def _output_dir(self) -> Path:
        """Where this build writes: a staging folder beside the published site, left by a failed build
        to be removed."""
        target = self.settings.site_dir
        target.parent.mkdir(parents=True, exist_ok=True)
        recover_leftovers(target)
        staging = staging_folder(target)
        shutil.rmtree(staging, ignore_errors=True)
        return staging

    # -- the model --------------------------------------------------------------------------------
    def load(self, report: Callable[[Problem], None]) -> Portal:
        """Check every profile (each problem goes to `report`), then build the portal and derive the
        photos. Raises BuildError when a profile has errors or a photo cannot be read."""
        collection = self._check(report)
        if collection.errors:
            raise BuildError(f"{len(collection.errors)} lỗi trong hồ sơ (xem các dòng trên); "
                             "chạy 'guong check' để xem chi tiết.")
        self.portal = build_portal(collection, include_drafts=self.settings.drafts, per_page=self.settings.per_page)
        self.photos = {}
        for slug, profile in self.portal.photos.items():
            try:
                self.photos[slug] = self._derive(self.settings.docs_dir / (profile.photo or ""), slug)
            except PhotoError as error:
                raise BuildError(f"{profile.source_path.as_posix()}: lỗi: {error}") from None
        self._add_cards_and_books(self.portal)
        return self.portal

    def _add_cards_and_books(self, portal: Portal) -> None:
        """Share cards for the portal's pages and, when the settings ask, the listings' yearbook links."""
        try:
            self.cards = self._share_cards(portal)
        except FontError as error:
            raise BuildError(str(error)) from None
        if self.settings.yearbooks and self.makes_yearbooks and not self.settings.drafts:
            self._offer_yearbooks(portal)

    def _check(self, report: Callable[[Problem], None]) -> Collection:
        """Every profile read and checked; each problem goes to `report`."""
        settings = self.settings
        collection = load_collection(settings.docs_dir, self.taxonomy, display_base=settings.project_dir,
                                     cache=self._check_cache())
        for problem in collection.problems:
            report(problem)
        return collection

    def _offer_yearbooks(self, portal: Portal) -> None:
        self.books = site_books(portal)
        for book in self.books:
            link = {"url": yearbook_path(book), "count": len(book.profiles)}
            for url in _listing_urls(portal, book.group):
                portal.pages[url].context["yearbook"] = link

    def _share_cards(self, portal: Portal) -> dict[str, Rendition]:
        """A card for each public profile page and for each listing (all of a listing's pages share
        its card). Drafts shown by a preview get none: their pages use the site's card."""
        if self.settings.theme_dir is None:  # no theme folder, no fonts: every page uses the site's card
            return {}
        maker = self._card_maker = CardMaker(self.settings.cache_dir, self.settings.theme_dir)
        site_name, cards = self.settings.site.name, {}
        for profile in portal.profiles:
            if profile.is_public:
                photo = self.photos.get(profile.slug)
                text = CardText(self.taxonomy.fields[profile.field].name, profile.name,
                                ("Xã " if profile.commune else "") + self.taxonomy.place_name(profile.commune, profile.unit),
                                site_name)
                cards[profile_url(profile)] = maker.card(profile.slug, text, photo.thumb_2x if photo else None)
        for group in portal.groups:
            if not group.newest:
                continue
            card = maker.card(f"danh-sach/{group.kind}-{group.slug}", CardText(
                group.kind_name, group.title, f"{len(group.newest)} gương điển hình tiên tiến", site_name), None)
            for url in _listing_urls(portal, group):
                cards[url] = card
        return cards

    def _check_cache(self) -> dict | None:
        return None

    def _derive(self, source: Path, slug: str) -> PhotoSet:
        return self.pipeline.derive(source, slug)

    @property
    def renditions(self) -> Iterable[tuple[str, Path]]:
        """Every image made at build time to publish: photo renditions and share cards (site-relative
        URI, file)."""
        for photo_set in self.photos.values():
            for rendition in (photo_set.full, photo_set.thumb, photo_set.thumb_2x):
                yield rendition.uri, rendition.path
        for card in dict.fromkeys(self.cards.values()):
            yield card.uri, card.path

    # -- outputs made from the model alone --------------------------------------------------------
    def start_outputs(self) -> None:
        """Write the search index, feeds, API and embeds in a child process while the engine lays out
        the pages; `finish` waits for it."""
        assert self.portal is not None
        portal, photos, site_dir = self.portal, self.photos, self.output_dir
        sources = self.settings.cache_dir / self.search_cache

        def write() -> None:
            # The index first: Pagefind is the most memory-hungry step, and early in the build the other
            # processes are at their smallest.
            try:
                write_search_index(search_documents(portal, self.taxonomy, photos), site_dir, sources)
            except SearchIndexError as error:  # its message is for editors: pass it on as it is
                raise BackgroundError(str(error)) from None
            write_files(self.model_outputs(), site_dir)
            if self.books:
                self._write_yearbooks(site_dir)

        self._outputs = Task(write, in_child=self.settings.parallel)

    def _write_yearbooks(self, site_dir: Path) -> None:
        """Publish each book, printed again only when its content changed (cached by content)."""
        assert self.portal is not None
        settings = self.settings
        try:
            printer = Printer(self.portal, self.taxonomy, settings.site, self.renderer.env, self.photos,
                              settings.theme_dir or settings.project_dir / "theme_overrides", settings.cache_dir)
        except FontError as error:
            raise BackgroundError(str(error)) from None
        made_on, kept = generated_at().date(), set()
        for book in self.books:
            cached = printer.cached(book, made_on)
            kept.add(cached)
            target = site_dir / yearbook_path(book)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(cached, target)  # the cache is never rewritten in place: sharing the file is safe
            except OSError:
                shutil.copyfile(cached, target)
        printer.prune(kept)

    def model_outputs(self, memo: ProfileMemo | None = None) -> dict[str, bytes | str]:
        """Feeds, API files and embed pages, by site-relative path."""
        assert self.portal is not None
        portal, photos, site = self.portal, self.photos, self.settings.site
        return {**feed_files(portal, self.taxonomy, photos, site, memo=memo),
                **api_files(portal, self.taxonomy, photos, site, memo=memo),
                **embed_pages(portal, self.taxonomy, photos, site.name, env=self.renderer.env, memo=memo)}

    # -- page bodies ------------------------------------------------------------------------------
    def page(self, url: str) -> Page | None:
        """The portal's page at `url`, None for a page the portal does not make."""
        return self.portal.pages.get(url) if self.portal is not None else None

    def prefetch_bodies(self, urls: list[str], render_story: Callable[[str], tuple[str, Any]]) -> None:
        """Render the bodies of the portal's pages at `urls` in two child processes, in that order (the
        engine's layout order), each fetched with `fetch_body` just before the engine lays it out.
        `render_story(url)` is the engine's own rendering of the page's Markdown: (HTML, and whatever the
        engine wants back with it, such as a table of contents). Only where the system can fork."""
        if not (self.settings.parallel and can_fork()) or self.portal is None:
            return
        pages, renderer, photos = self.portal.pages, self.renderer, self.photos

        def render(url: str) -> tuple[str, Any]:
            story_html, extra = render_story(url)
            return renderer.render(pages[url], story_html=story_html, photos=photos), extra

        self._bodies = Prefetch(render, [url for url in urls if url in pages], children=2)

    def rendered_ahead(self, url: str) -> bool:
        """Whether a child renders this page's body and it is not fetched yet."""
        return self._bodies is not None and url in self._bodies

    def fetch_body(self, url: str) -> tuple[str, Any]:
        assert self._bodies is not None
        try:
            return self._bodies.get(url)
        except BackgroundError as error:
            raise BuildError(f"không dựng được trang {url or '/'}: {error}") from None

    def body(self, url: str, story_html: str) -> str | None:
        """The body of the portal's page at `url` around its rendered story; None for other pages."""
        page = self.page(url)
        return self.renderer.render(page, story_html=story_html, photos=self.photos) if page else None

    def meta(self, url: str) -> dict[str, Any]:
        """What the page at `url` says about itself in its head (share cards, feeds to announce)."""
        return page_meta(self.page(url), self.photos, self.settings.site, self.cards.get(url))

    # -- the end ----------------------------------------------------------------------------------
    def finish(self) -> Path:
        """Wait for the outputs, then put the staged site in place of the published one."""
        self._stop(self._bodies)
        self._bodies = None
        outputs, self._outputs = self._outputs, None
        try:
            if outputs is not None:
                outputs.wait()
        except BackgroundError as error:  # the child passes the index's own errors on as these
            raise BuildError(str(error)) from None
        # Last: the worker lists the theme's files and the search index's, with their digests.
        write_files(offline_files(self.output_dir, self.settings.site, cap_mb=self.settings.offline_cache_mb),
                    self.output_dir)
        swap_into_place(self.output_dir, self.settings.site_dir)
        self.pipeline.prune_unused()  # the build is whole: cached photos it did not use may go
        if self._card_maker is not None:
            self._card_maker.prune_unused()
        return self.settings.site_dir

    def abandon(self) -> None:
        """The build failed: stop its children and remove what it staged; the published site stays."""
        self.stop()
        shutil.rmtree(self.output_dir, ignore_errors=True)

    def stop(self) -> None:
        for child in (self._bodies, self._outputs):
            self._stop(child)
        self._bodies = self._outputs = None

    @staticmethod
    def _stop(child: Prefetch | Task | None) -> None:
        if child is not None:
            child.stop()


def _listing_urls(portal: Portal, group: Group) -> Iterable[str]:
    """The URLs of a group's listing pages (the first, then "trang/2/", …)."""
    url, number = group.url, 1
    while url in portal.pages:
        yield url
        number += 1
        url = f"{group.url}trang/{number}/"
