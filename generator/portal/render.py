"""Page bodies as HTML, from the templates in generator/portal/templates/ (a site may override any of them in
theme_overrides/guong/).

The environment autoescapes: every value from a profile is editor input and is shown escaped. Links are
relative to the page, so the site works wherever it is hosted (/, /guong-sang/, a file:// copy).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import nh3
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup

from generator.content.model import Profile
from generator.content.taxonomy import Taxonomy
from generator.portal.charts import Bar, bar_chart
from generator.portal.groups import published_on
from generator.portal.pages import EMBED_ROOT, Page, profile_url
from generator.portal.photos import PhotoSet
from generator.portal.qr import QrCodes
from generator.portal.quotas import STATUS_LABELS
from generator.portal.site import Site

# What a story may contain once rendered: ammonia's safe defaults plus heading ids (the table of
# contents links to them) and the classes Markdown extensions put on tables and admonitions.
_STORY_ATTRIBUTES = {tag: {"id"} for tag in ("h1", "h2", "h3", "h4", "h5", "h6")}
_STORY_GENERIC_ATTRIBUTES = {"class", "title", "lang"}


def relative_url(from_url: str, target: str) -> str:
    """`target` (site-relative, "" for the home page) as seen from the page at `from_url`.

    Every page URL is a directory ("xa/ia-tul/"), so climbing one level per path segment reaches the
    site root; cheaper than posixpath.relpath, which is called for every link of every page."""
    depth = from_url.count("/")
    return ("../" * depth + target) or "./"


_TABLE_START = re.compile(r"<table\b[^>]*>")


def wrap_tables(html: str) -> str:
    """Each table of a story in a box that scrolls sideways on a phone and that a keyboard can focus
    to scroll (WCAG 2.1.1), styled like the site's own tables."""
    if "<table" not in html:
        return html
    html = _TABLE_START.sub('<div class="guong-table-wrap" tabindex="0" role="region" aria-label="Bảng">'
                            '<table class="guong-table">', html)
    return html.replace("</table>", "</table></div>")


def sanitize_story(html: str) -> str:
    """The rendered story without anything that could run code (defence in depth: `guong check`
    already refuses unsafe HTML in the source)."""
    return nh3.clean(
        html,
        attributes={**_STORY_ATTRIBUTES, "*": _STORY_GENERIC_ATTRIBUTES, "a": {"href", "hreflang"},
                    "img": {"src", "alt", "width", "height", "loading"}, "td": {"align"}, "th": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


FALLBACK_HEIGHT = {"profile": 480, "list": 640}
"""An embed snippet's iframe height in px, kept only when nhung.js cannot run on the host page."""


def embed_snippet(base: str, target: str, title: str, kind: str, site_name: str) -> str:
    """The HTML a portal administrator pastes: the iframe, then the resizing script.

    `base` is the site's absolute address ending in "/"; `target` the embed's site-relative URL."""
    def e(text: str) -> str:  # attribute values in double quotes; "H'Blin" stays readable
        return html.escape(text, quote=False).replace('"', "&quot;")

    return (f'<iframe src="{e(base + target)}" title="{e(site_name + ": " + title)}" loading="lazy" '
            f'style="display:block;width:100%;height:{FALLBACK_HEIGHT[kind]}px;border:0"></iframe>\n'
            f'<script src="{e(base + EMBED_ROOT)}nhung.js" async></script>')


class TemplateCache(BytecodeCache):
    """Compiled templates kept in memory across the rebuilds of a live preview (a new renderer is made
    for each build, with the taxonomy of that build). Jinja keys each entry by the template's source, so
    an edited template is compiled again."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


class BodyRenderer:
    def __init__(self, taxonomy: Taxonomy, site: Site, override_dir: Path | None = None, *,
                 template_cache: TemplateCache | None = None, qr_codes: QrCodes | None = None) -> None:
        loaders: list[BaseLoader] = [PackageLoader("generator.portal", "templates")]
        if override_dir is not None:
            loaders.insert(0, FileSystemLoader(str(override_dir / "guong")))
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                               bytecode_cache=template_cache,
                               trim_blocks=True, lstrip_blocks=True)
        self._cards: dict[tuple[str, str, int], Markup] = {}
        self.env.filters["vn_date"] = lambda d: d.strftime("%d/%m/%Y") if d else ""
        self.env.globals.update(
            profile_url=profile_url, published_on=published_on, bar_chart=_chart, Bar=Bar,
            status_labels=STATUS_LABELS,
            # The embed snippet's absolute URLs when a reader has no JavaScript; the page's own script
            # rewrites them from its location (the site may be reached under another address).
            site_url=site.url or "/", embed_snippet=partial(embed_snippet, site_name=site.name),
            field_name=lambda p: taxonomy.fields[p.field].name,
            commune_name=lambda p: taxonomy.place_name(p.commune, p.unit),
            # A profile page's print layout leads back online: a QR code of its public address.
            print_qr=lambda target: Markup(qr_codes.svg(site.root + target)) if qr_codes and site.url else None,
        )

    def render(self, page: Page, *, story_html: str | None = None,
               photos: Mapping[str, PhotoSet] | None = None) -> str:
        photos = photos or {}
        context: dict[str, Any] = dict(page.context)
        context.update(
            page=page,
            url=lambda target: relative_url(page.url, target),
            photo_of=lambda profile: photos.get(profile.slug),
            card_html=lambda profile, heading: self._card(profile, heading, page.url, photos),
            story=Markup(wrap_tables(sanitize_story(story_html))) if story_html is not None else None,
        )
        return self.env.get_template(page.template).render(context)

    def _card(self, profile: Profile, heading: str, page_url: str, photos: Mapping[str, PhotoSet]) -> Markup:
        # A card only depends on the profile and on how deep the page is (its links are relative), and
        # the same card is on the profile's related lists and several listings: render it once.
        # A renderer lives for one build, so a changed profile never shows an old card.
        key = (profile.slug, heading, page_url.count("/"))
        card = self._cards.get(key)
        if card is None:
            card = Markup(self.env.get_template("_card.html").render(
                p=profile, heading=heading, url=lambda target: relative_url(page_url, target),
                photo_of=lambda other: photos.get(other.slug)))
            self._cards[key] = card
        return card


def _chart(chart_id: str, title: str, bars: list[Bar], description: str | None = None) -> Markup:
    # charts.bar_chart escapes every label itself
    return Markup(bar_chart(chart_id, title, bars, description=description))
