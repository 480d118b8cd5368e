"""What a live preview shows of profile files with errors instead of going silent: each file's own page
(/guong/<slug>/) with its messages, the same lines `guong check` prints, and a notice on every other
page naming the files with errors. A real build never shows these: it refuses to publish while any
error remains (build/site_build.py).

Which version of a broken profile the rest of the preview shows (its last version without errors) is
the preview session's to say (build/preview_session.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from jinja2 import Environment

from generator.content.model import Profile
from generator.content.problems import Problem, Severity
from generator.content.validate import SLUG_PATTERN
from generator.portal.pages import Page, profile_url

NOTICE_SCRIPT = "xem-truoc/loi.js"
"""The notice, as a script every preview page loads: a save that breaks or fixes a profile then changes
one file, not every page of the site (a --dirty preview rebuilds only the pages whose content changed)."""


@dataclass(frozen=True)
class BrokenFile:
    """A profile file with at least one error."""

    path: str
    """As `guong check` prints it."""
    problems: tuple[Problem, ...]
    """All of the file's problems, warnings too, in the file's order."""
    kept: Profile | None = None
    """Its last version without errors in this preview, which the listings go on showing; None when
    there is none (a file broken since the preview started, or new and broken from the start)."""
    url: str | None = None
    """Its page; None when it has none (a file name that is no slug, or a slug another file's page has)."""

    @property
    def name(self) -> str:
        return self.kept.name if self.kept is not None else PurePosixPath(self.path).name

    @property
    def error_count(self) -> int:
        return sum(1 for problem in self.problems if problem.severity is Severity.ERROR)


def page_url_for(path: str, kept: Profile | None, taken: set[str]) -> str | None:
    """The page a broken file's messages go on: the page it has or would have (/guong/<file name>/),
    unless that page is another file's."""
    stem = PurePosixPath(path).stem
    if not SLUG_PATTERN.match(stem):
        return None
    url = f"guong/{stem}/"
    if url in taken and (kept is None or profile_url(kept) != url):
        return None
    return url


def problem_page(broken: BrokenFile) -> Page:
    assert broken.url is not None
    return Page(url=broken.url, title=f"Hồ sơ có lỗi: {broken.name}", template="problems.html",
                description=f"{broken.path}: {broken.error_count} lỗi", context={"broken": broken})


def notice_script(broken: list[BrokenFile], env: Environment) -> str:
    """The script that puts the notice where it is loaded (theme_overrides/main.html, at the top of
    every page's content); it does nothing when no file has errors. Links are made from the script's
    own address, so the notice is the same file for pages at every depth."""
    html = env.get_template("_problems_notice.html").render(files=broken) if broken else ""
    return _SCRIPT.replace("NOTICE_HTML", json.dumps(html))


_SCRIPT = """\
// The live preview's notice of profiles with errors (generator/portal/problem_pages.py), made anew on
// every rebuild; never in a published site.
(function (html) {
  var script = document.currentScript;
  if (!html || !script) { return; }
  var root = new URL("../", script.src);
  var box = document.createElement("div");
  box.innerHTML = html;
  box.querySelectorAll("a[data-guong-href]").forEach(function (link) {
    link.href = new URL(link.getAttribute("data-guong-href"), root).href;
  });
  var next = script.nextSibling;
  while (box.firstChild) { script.parentNode.insertBefore(box.firstChild, next); }
})(NOTICE_HTML);
"""
