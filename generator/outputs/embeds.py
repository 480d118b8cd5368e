"""Pages that other sites embed in an iframe (the district e-portal, commune and school sites): /nhung/…

An embed page is a small document of its own — no header, sidebar or footer, none of the theme's
scripts — that shows compact cards and links out to the full page in a new tab. It loads only files of
this site (nhung/nhung.css, nhung/khung.js, the site's fonts and thumbnails), so a host page that frames
it sends its visitors to no third party. khung.js reports the document's height to the host page, where
nhung/nhung.js resizes the iframe; without either script the iframe keeps the snippet's height and
scrolls.

Like the search index these pages are written straight into the output folder (build/site_build.py):
they are not engine pages (no theme, no sitemap entry) and are swapped in with the rest. Links are
relative, so the embeds work wherever the site is hosted (/, /guong-sang/).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.content.model import Profile
from generator.content.taxonomy import KINDS, Taxonomy
from generator.outputs.kept_pieces import ProfileMemo
from generator.portal.pages import EMBED_ROOT, Portal, embed_url, profile_url
from generator.portal.photos import PhotoSet

SHOWN = 6
"""Cards a list embed shows; `?n=` on the iframe's address shows up to `MOST` (khung.js)."""
MOST = 24
"""Cards a list embed carries; the rest of a long list is on the full listing page."""


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


def embed_lists(portal: Portal) -> list[EmbedList]:
    """The list embeds: the latest, and one for each group (portal/groups.py) as its listing page has.
    Public profiles only, even in a preview."""
    public = portal.newest
    lists = [EmbedList(EMBED_ROOT + "moi-nhat/", "", "Mới đăng", "Gương điển hình mới đăng",
                       public[:MOST], len(public))]
    lists += [EmbedList(embed_url(group.url), group.url, group.kind_name, group.title, group.newest[:MOST],
                        len(group.newest))
              for group in portal.groups]
    return lists


def template_environment() -> Environment:
    """The embeds' own environment when no page renderer's is at hand (tests, other engines)."""
    return Environment(loader=PackageLoader("generator.portal", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def embed_pages(portal: Portal, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet], site_name: str, *,
                env: Environment | None = None, memo: ProfileMemo | None = None) -> dict[str, str]:
    """Every embed page as {output path relative to the site folder: HTML}. `memo`: profiles' embed pages
    kept from an earlier call.

    Each template is compiled once (the environment caches it) and every page is a single render with
    plain values, so the cost per page stays small."""
    env = env or template_environment()
    memo = memo if memo is not None else ProfileMemo()
    profile_template = env.get_template("embed_profile.html")
    list_template = env.get_template("embed_list.html")

    def place(p: Profile) -> str:
        return taxonomy.place_name(p.commune, p.unit)

    def card(p: Profile) -> dict:
        return {"profile": p, "photo": photos.get(p.slug), "place": place(p),
                "field": taxonomy.fields[p.field].name, "url": profile_url(p)}

    def profile_page(p: Profile) -> str:
        target = embed_url(profile_url(p))
        return profile_template.render(root="../" * target.count("/"), site_name=site_name, card=card(p),
                                       kind=KINDS[p.kind])

    pages: dict[str, str] = {}
    for profile in portal.profiles:
        if not profile.is_public:  # the preview shows drafts; nothing embeddable may
            continue
        target = embed_url(profile_url(profile))
        pages[target + "index.html"] = memo.get("embed", profile, photos.get(profile.slug), profile_page)
    for item in embed_lists(portal):
        pages[item.url + "index.html"] = list_template.render(
            root="../" * item.url.count("/"), site_name=site_name, list=item,
            cards=[card(p) for p in item.profiles], shown=SHOWN)
    return pages
