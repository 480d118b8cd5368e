"""Pages that other sites embed in an iframe (the district e-portal, commune and school sites): /nhung/…

An embed page is a small document of its own — no header, sidebar or footer, none of the theme's
scripts — that shows compact cards and links out to the full page in a new tab. It loads only files of
this site (nhung/nhung.css, nhung/khung.js, the site's fonts and thumbnails), so a host page that frames
it sends its visitors to no third party. khung.js reports the document's height to the host page, where
nhung/nhung.js resizes the iframe; without either script the iframe keeps the snippet's height and
scrolls.

Like the search index these pages are written after the build, straight into the output folder: they
are not MkDocs pages (no theme, no sitemap entry) and publish.py swaps them in with the rest. Links are
relative, so the embeds work wherever the site is hosted (/, /guong-sang/).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from itertools import chain
from typing import Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.portal.photos import PhotoSet
from generator.outputs.kept_pieces import ProfileMemo
from generator.content.model import Profile
from generator.portal.pages import (DISTRICT_LEVEL_NAME, DISTRICT_LEVEL_SLUG, EMBED_ROOT, Portal, embed_url, profile_url,
                     published_on)
from generator.content.taxonomy import KINDS, Taxonomy

SHOWN = 6
"""Cards a list embed shows; `?n=` on the iframe's address shows up to `MOST` (khung.js)."""
MOST = 24
"""Cards a list embed carries; the rest of a long list is on the full listing page."""
FALLBACK_HEIGHT = {"profile": 480, "list": 640}
"""The snippet's iframe height in px, kept only when nhung.js cannot run on the host page."""
SITE_NAME = "Gương sáng Ia Pa"


@dataclass(frozen=True)
class EmbedList:
    url: str
    """Site-relative URL of the embed ("nhung/xa/ia-tul-2025/")."""
    full_url: str
    """The full page it stands for ("xa/ia-tul-2025/"; "" for the home page)."""
    kicker: str
    title: str
    profiles: list[Profile]
    """Newest first, at most `MOST`."""
    total: int


def embed_snippet(base: str, target: str, title: str, kind: str) -> str:
    """The HTML a portal administrator pastes: the iframe, then the resizing script.

    `base` is the site's absolute address ending in "/"; `target` the embed's site-relative URL."""
    def e(text: str) -> str:  # attribute values in double quotes; "H'Blin" stays readable
        return html.escape(text, quote=False).replace('"', "&quot;")

    return (f'<iframe src="{e(base + target)}" title="{e(SITE_NAME + ": " + title)}" loading="lazy" '
            f'style="display:block;width:100%;height:{FALLBACK_HEIGHT[kind]}px;border:0"></iframe>\n'
            f'<script src="{e(base + EMBED_ROOT)}nhung.js" async></script>')


def newest_first(profiles: list[Profile]) -> list[Profile]:
    return sorted(profiles, key=lambda p: (published_on(p), p.slug), reverse=True)


def embed_lists(portal: Portal, taxonomy: Taxonomy) -> list[EmbedList]:
    """The list embeds: latest, each field, commune (a new one with the old communes it absorbed, as on
    its listing page), the district level and each unit. Public profiles only, even in a preview."""
    public = newest_first([p for p in portal.profiles if p.is_public])
    by_field: dict[str, list[Profile]] = {}
    by_commune: dict[str, list[Profile]] = {}
    by_unit: dict[str, list[Profile]] = {}
    for profile in public:
        by_field.setdefault(profile.field, []).append(profile)
        if profile.commune:
            by_commune.setdefault(profile.commune, []).append(profile)
        if profile.unit:
            by_unit.setdefault(profile.unit, []).append(profile)

    lists = [EmbedList(EMBED_ROOT + "moi-nhat/", "", "Mới đăng", "Gương điển hình mới đăng",
                       public[:MOST], len(public))]

    def add(kind_url: str, slug: str, kicker: str, title: str, members: list[Profile]) -> None:
        full = f"{kind_url}/{slug}/"
        lists.append(EmbedList(embed_url(full), full, kicker, title, members[:MOST], len(members)))

    for field in taxonomy.fields.values():
        add("linh-vuc", field.slug, "Lĩnh vực", field.name, by_field.get(field.slug, []))
    for commune in taxonomy.communes.values():
        members = by_commune.get(commune.slug, [])
        if commune.is_new:
            absorbed = (by_commune.get(old.slug, []) for old in taxonomy.absorbed_by(commune.slug))
            members = newest_first(list(chain(members, *absorbed)))
        add("xa", commune.slug, "Xã", f"Xã {commune.name}", members)
    add("xa", DISTRICT_LEVEL_SLUG, "Xã", DISTRICT_LEVEL_NAME, [p for p in public if p.unit and not p.commune])
    for unit in taxonomy.units.values():
        add("don-vi", unit.slug, "Cơ quan, đơn vị", unit.name, by_unit.get(unit.slug, []))
    return lists


def template_environment() -> Environment:
    """The embeds' own environment when no page renderer's is at hand (tests, other engines)."""
    return Environment(loader=PackageLoader("generator.portal", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def embed_pages(portal: Portal, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet], *,
                env: Environment | None = None, memo: ProfileMemo | None = None) -> dict[str, str]:
    """Every embed page as {output path relative to the site folder: HTML}. `memo`: profiles' embed pages
    kept from an earlier call.

    Each template is compiled once (the environment caches it) and every page is a single render with
    plain values: at 2,000 profiles this stays a small fraction of a second."""
    env = env or template_environment()
    memo = memo if memo is not None else ProfileMemo()
    profile_template = env.get_template("embed_profile.html")
    list_template = env.get_template("embed_list.html")

    def place(p: Profile) -> str:
        return taxonomy.communes[p.commune].name if p.commune else taxonomy.units[p.unit].name

    def card(p: Profile) -> dict:
        return {"profile": p, "photo": photos.get(p.slug), "place": place(p),
                "field": taxonomy.fields[p.field].name, "url": profile_url(p)}

    def profile_page(p: Profile) -> str:
        target = embed_url(profile_url(p))
        return profile_template.render(root="../" * target.count("/"), site_name=SITE_NAME, card=card(p),
                                       kind=KINDS[p.kind])

    pages: dict[str, str] = {}
    for profile in portal.profiles:
        if not profile.is_public:  # the preview shows drafts; nothing embeddable may
            continue
        target = embed_url(profile_url(profile))
        pages[target + "index.html"] = memo.get("embed", profile, photos.get(profile.slug), profile_page)
    for item in embed_lists(portal, taxonomy):
        pages[item.url + "index.html"] = list_template.render(
            root="../" * item.url.count("/"), site_name=SITE_NAME, list=item,
            cards=[card(p) for p in item.profiles], shown=SHOWN)
    return pages
