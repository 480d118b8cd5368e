"""A live preview: the same build as build/site_build.py, rebuilt on every save, keeping between
rebuilds whatever did not change, so that a save costs about what the edited profile is in.

Kept for the whole session: the checks of unchanged files, the photo renditions (by the source's size
and modification time), each profile's pieces of the outputs (outputs/kept_pieces.py), the compiled
templates, every page's fingerprint (build/fingerprints.py) and what was written into the server's
folder. Anything pages are made from besides the profiles (configuration, templates, theme, taxonomy)
is the environment: when it changes, nothing kept from the pages or pieces is used again.

A preview writes straight into the server's own folder, shows drafts, writes the outputs once the
pages are written, and lets the search index follow in the background.

A preview never stops at a profile with errors (a real build does): the file's own page shows its
messages, every page shows a notice naming the files with errors (portal/problem_pages.py), and the rest
of the preview — listings, related profiles, feeds, search — goes on with the profile's last version
without errors in this session, or without the profile if it never had one. A photo that cannot be
read is such an error too; the profile is then shown without it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.build.fingerprints import Fingerprints, environment_digest
from generator.build.site_build import BuildError, BuildSettings, SiteBuild
from generator.content.collection import Collection
from generator.content.model import Profile
from generator.content.problems import Problem, Severity, display_path
from generator.outputs.common import write_files
from generator.outputs.kept_pieces import ProfileMemo
from generator.outputs.search_index import SearchIndexError, SearchIndexJob, search_documents
from generator.portal.pages import Portal, build_portal
from generator.portal.photos import PhotoError, PhotoSet
from generator.portal.problem_pages import NOTICE_SCRIPT, BrokenFile, notice_script, page_url_for, problem_page
from generator.portal.render import TemplateCache


class PreviewSession:
    """What a preview keeps from one rebuild to the next; `rebuild` makes each rebuild's build."""

    def __init__(self) -> None:
        self.check_cache: dict = {}
        self.derived: dict[tuple, PhotoSet] = {}
        self.memo = ProfileMemo()
        self.templates = TemplateCache()
        self.theme_templates = TemplateCache()
        """For the engine's own theme templates (MkDocs makes a new environment per rebuild)."""
        self.page_fingerprints: dict[str, str] = {}
        self.environment = ""
        self.written: dict[str, tuple[bytes | str, bytes]] = {}
        """Output files written into the server's folder: their content, and its digest."""
        self.indexed_digest = ""
        self.search_sources_on_disk: dict[Path, bytes] = {}
        self.search_job: SearchIndexJob | None = None
        self.last_good: dict[str, Profile] = {}
        """Each file's last version without errors, by its path as `guong check` prints it."""

    def rebuild(self, settings: BuildSettings, *, only_changed: bool) -> PreviewBuild:
        """The build for this save. `only_changed`: the engine rebuilds only pages whose fingerprint
        changed (`mkdocs serve --dirty`)."""
        self.cancel_search_index()  # the previous save's, if still running: its work is out of date
        return PreviewBuild(settings, self, only_changed=only_changed)

    def cancel_search_index(self) -> None:
        if self.search_job is not None:
            self.search_job.cancel()
            self.search_job = None

    def keep_last_good(self, collection: Collection, base: Path) -> dict[str, BrokenFile]:
        """The files with errors, by path; `collection.profiles` becomes what the preview shows: the
        valid profiles, and the last version without errors of each file that has errors now (if it
        had one). Paths are as `guong check` prints them from `base`."""
        problems: dict[str, list[Problem]] = {}
        for problem in collection.problems:
            problems.setdefault(problem.path, []).append(problem)
        broken_paths = {problem.path for problem in collection.errors}
        current = {display_path(profile.source_path, base): profile for profile in collection.profiles}
        for path, profile in current.items():
            if path not in broken_paths:
                self.last_good[path] = profile
        for path in self.last_good.keys() - current.keys() - problems.keys():
            del self.last_good[path]  # the file is gone
        if not broken_paths:
            return {}  # most saves: the collection is what the preview shows, already in order
        shown = [profile for path, profile in current.items() if path not in broken_paths]
        slugs = {profile.slug for profile in shown}
        broken: dict[str, BrokenFile] = {}
        for path in sorted(broken_paths):
            kept = self.last_good.get(path)
            if kept is not None and kept.slug in slugs:  # another file has its slug now
                kept = None
            if kept is not None:
                shown.append(kept)
                slugs.add(kept.slug)
            broken[path] = BrokenFile(path, tuple(problems[path]), kept)
        shown.sort(key=lambda profile: profile.sort_key)
        collection.profiles = shown
        return broken


class PreviewBuild(SiteBuild):
    search_cache = "tim-kiem-xem-truoc"
    notice_script = NOTICE_SCRIPT
    makes_yearbooks = False  # printing books on every save would hold the preview up

    def __init__(self, settings: BuildSettings, session: PreviewSession, *, only_changed: bool) -> None:
        self.session = session
        self.only_changed = only_changed
        self.unchanged: set[str] = set()
        """URLs of pages whose output from the last rebuild still holds (with `only_changed`)."""
        self.broken: list[BrokenFile] = []
        """The profile files with errors, which a real build would refuse."""
        super().__init__(settings, template_cache=session.templates)

    def _output_dir(self) -> Path:
        return self.settings.site_dir

    def _check_cache(self) -> dict:
        return self.session.check_cache

    def _derive(self, source: Path, slug: str) -> PhotoSet:
        """Renditions remembered by the source's size and modification time: reading and hashing every
        photo on each save cost time in proportion to the number of photos."""
        try:
            stat = source.stat()
        except OSError:
            return self.pipeline.derive(source, slug)  # says what is wrong with the photo
        key = (slug, str(source), stat.st_size, stat.st_mtime_ns)
        derived = self.session.derived
        if key not in derived:
            derived[key] = self.pipeline.derive(source, slug)
        return derived[key]

    def load(self, report: Callable[[Problem], None]) -> Portal:
        session, settings = self.session, self.settings
        environment = environment_digest(settings.environment)
        if environment != session.environment:
            session.memo.clear()
            session.page_fingerprints = {}
            # A kept version may name what the new taxonomy no longer has.
            session.last_good.clear()
            session.environment = environment
        collection = self._check(report)
        broken = session.keep_last_good(collection, settings.project_dir)
        portal = self.portal = build_portal(collection, include_drafts=settings.drafts, per_page=settings.per_page)
        self.photos = {}
        for slug, profile in portal.photos.items():
            try:
                self.photos[slug] = self._derive(settings.docs_dir / (profile.photo or ""), slug)
            except PhotoError as error:
                problem = Problem(display_path(profile.source_path, settings.project_dir), 1, 1, Severity.ERROR,
                                  "photo", str(error))
                report(problem)
                earlier = broken.get(problem.path)
                broken[problem.path] = BrokenFile(problem.path, (*(earlier.problems if earlier else ()), problem),
                                                  earlier.kept if earlier else profile)
        self._add_cards_and_books(portal)
        self.broken = [self._page_for(portal, file) for _, file in sorted(broken.items())]
        session.memo.keep_only(profile.slug for profile in portal.profiles)
        if self.only_changed:
            self._compare_pages(portal)
        return portal

    @staticmethod
    def _page_for(portal: Portal, broken: BrokenFile) -> BrokenFile:
        """The broken file with its page, which takes the place of the profile's own page."""
        url = page_url_for(broken.path, broken.kept, set(portal.pages))
        if url is None:
            return broken
        broken = dataclasses.replace(broken, url=url)
        portal.pages[url] = problem_page(broken)
        return broken

    def _compare_pages(self, portal: Portal) -> None:
        """Which pages need no rebuilding; the pages that are gone (a deleted, renamed or unpublished
        profile) are removed from the server's folder."""
        fingerprints = Fingerprints(self.photos, self.session.memo)
        current = {url: fingerprints.page(page) for url, page in portal.pages.items()}
        previous = self.session.page_fingerprints
        self.unchanged = {url for url, fingerprint in current.items() if previous.get(url) == fingerprint}
        for url in previous.keys() - current.keys():
            (self.output_dir / url / "index.html").unlink(missing_ok=True)
        self.session.page_fingerprints = current

    def start_outputs(self) -> None:
        """A preview writes its outputs after the pages (`finish`), from what it kept."""

    def prefetch_bodies(self, urls: list[str], render_story: Callable[[str], tuple[str, Any]]) -> None:
        """A preview renders few pages per save: no child processes to start."""

    def finish(self) -> Path:
        session, site_dir = self.session, self.output_dir
        outputs = self.model_outputs(session.memo)
        outputs[NOTICE_SCRIPT] = notice_script(self.broken, self.renderer.env)
        write_files(outputs, site_dir, session.written)
        # A deleted profile's embed page, or a group's files once it has no profile left.
        for relative in session.written.keys() - outputs.keys():
            (site_dir / relative).unlink(missing_ok=True)
            del session.written[relative]
        self._start_search_index()
        return site_dir

    def _start_search_index(self) -> None:
        """Re-index in the background once the pages are written, without waiting: the index follows a
        moment after the pages, and is not made again when no indexed text changed."""
        assert self.portal is not None
        session = self.session
        documents = search_documents(self.portal, self.taxonomy, self.photos, memo=session.memo)
        digest = hashlib.blake2b("".join(d.url + d.html for d in documents).encode(), digest_size=16).hexdigest()
        if digest == session.indexed_digest and (self.output_dir / "pagefind" / "pagefind.js").is_file():
            return
        session.indexed_digest = digest
        try:
            session.search_job = SearchIndexJob(documents, self.output_dir, self.settings.cache_dir / self.search_cache,
                                                on_disk=session.search_sources_on_disk, background=True)
        except SearchIndexError as error:
            raise BuildError(str(error)) from None

    def abandon(self) -> None:
        """The server's folder is MkDocs' own: a failed rebuild leaves it as it was."""
        self.stop()
