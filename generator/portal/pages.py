"""The public portal as data: which pages exist, at which URL, listing which profiles.

Nothing here knows about MkDocs. An engine turns each `Page` into an output page: it renders `story`
(Markdown) to HTML when there is one, then asks for the page body (build/site_build.py `SiteBuild.body`,
portal/render.py). Which profiles a listing holds is portal/groups.py's to say.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator.content.collection import Collection
from generator.content.model import Profile
from generator.content.taxonomy import KINDS, STAGES, Taxonomy
from generator.content.text import short_date
from generator.portal.groups import (
    COMMUNE,
    FIELD,
    MOVEMENT,
    UNIT,
    YEAR,
    Group,
    Groups,
    Section,
    newest_first,
    published_on,
)
from generator.portal.quotas import counted_profiles, quota_table
from generator.portal.search_filters import FILTERS, THUMB_ANCHOR, facet_counts

PER_PAGE = 24
RELATED_COUNT = 6
LATEST_COUNT = 6
EMBED_ROOT = "nhung/"
"""Embeds for other sites mirror the URL of the page they stand for (generator/outputs/embeds.py)."""


@dataclass
class Page:
    """One output page. `url` is site-relative with a trailing slash ("" for the home page)."""

    url: str
    title: str
    template: str
    """Body template in generator/portal/templates (or theme_overrides/guong/)."""
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    story: str | None = None
    """Markdown to render as the page's story (profile pages only)."""
    draft: bool = False
    image: str | None = None
    """The source photo (content-relative) of a profile page. It is published only as derivatives: for a
    URL use the build's PhotoSet (share_cards.page_meta does)."""

    @property
    def src_uri(self) -> str:
        """The source path an engine with directory URLs maps to `url` ("xa/ia-tul/" ← "xa/ia-tul.md")."""
        return "index.md" if not self.url else self.url.rstrip("/") + ".md"


@dataclass
class Portal:
    pages: dict[str, Page]
    """By URL."""
    profiles: list[Profile]
    """The profiles that appear on the site, in Vietnamese order."""
    photos: dict[str, Profile]
    """Profiles with a photo, by slug; the engine adapter derives their renditions."""
    groups: Groups

    @cached_property
    def newest(self) -> list[Profile]:
        """The published profiles, newest first: what the site's feeds, API and latest embed carry (a
        preview's drafts are in `profiles`, never here)."""
        return newest_first(p for p in self.profiles if p.is_public)


def build_portal(collection: Collection, *, include_drafts: bool = False, per_page: int = PER_PAGE) -> Portal:
    """Every page of the site. Drafts (and profiles without needed consent) are left out entirely unless
    `include_drafts` (the live preview), where they carry a draft banner."""
    taxonomy = collection.taxonomy
    shown = [p for p in collection.profiles if p.is_public or include_drafts]
    groups = Groups(shown, taxonomy)
    builder = _PortalBuilder(taxonomy, shown, groups, per_page)
    builder.build()
    return Portal(builder.pages, shown, {p.slug: p for p in shown if p.photo}, groups)


class _PortalBuilder:
    def __init__(self, taxonomy: Taxonomy, profiles: list[Profile], groups: Groups, per_page: int) -> None:
        self.taxonomy = taxonomy
        self.profiles = profiles
        self.groups = groups
        self.per_page = per_page
        self.pages: dict[str, Page] = {}
        self.by_field = {g.slug: g.profiles for g in groups.by_kind[FIELD]}
        # Related profiles share the profile's own commune, not a group it is in through a merger.
        self.by_commune = _index(profiles, lambda p: [p.commune] if p.commune else [])
        # Newest-first lists for related profiles, sorted once per build: sorting each profile's
        # candidates anew made the build quadratic in the number of profiles.
        newest = {id(p): (-published_on(p).toordinal(), p.slug) for p in profiles}
        self._newest_key = lambda p: newest[id(p)]
        def newest_first(index: dict[Any, list[Profile]]) -> dict[Any, list[Profile]]:
            return {key: sorted(group, key=self._newest_key) for key, group in index.items()}
        self.newest_by_field = newest_first(self.by_field)
        self.newest_by_commune = newest_first(self.by_commune)
        self.newest_by_place = newest_first(_index(profiles, lambda p: [(p.field, p.commune)] if p.commune else []))

    def build(self) -> None:
        for profile in self.profiles:
            self._profile_page(profile)
        self._home()
        self._fields()
        self._communes()
        self._units()
        self._years()
        self._movements()
        self._statistics()
        self._add(Page(url="tim-kiem/", title="Tìm kiếm", template="search.html",
                       description="Tìm gương điển hình theo tên, thôn, mô hình, lĩnh vực, xã, năm.",
                       context={"facets": facet_counts(self.profiles, self.groups),
                                "filters": list(FILTERS.items()), "thumb_anchor": THUMB_ANCHOR}))

    # -- pages ------------------------------------------------------------------------------------
    def _add(self, page: Page) -> None:
        self.pages[page.url] = page

    def _profile_page(self, profile: Profile) -> None:
        commune = self.taxonomy.communes.get(profile.commune or "")
        new_commune = self.taxonomy.communes.get(commune.merged_into) if commune and commune.merged_into else None
        self._add(Page(
            url=profile_url(profile),
            title=profile.name,
            template="profile.html",
            description=profile.summary,
            story=profile.body,
            draft=not profile.is_public,
            image=profile.photo,
            context={
                "profile": profile,
                "kind": KINDS[profile.kind],
                "field": self.taxonomy.fields[profile.field],
                "commune": commune,
                "new_commune": new_commune,
                "unit": self.taxonomy.units.get(profile.unit or ""),
                "movements": [self.taxonomy.movements[m] for m in profile.movements],
                "stage": STAGES.get(profile.stage or ""),
                "levels": self.taxonomy.levels,
                "related": self._related(profile),
                "published_on": published_on(profile),
                "embed_url": embed_url(profile_url(profile)) if profile.is_public else None,
            },
        ))

    def _related(self, profile: Profile) -> list[Profile]:
        """Same field and commune first, then same field or same commune; newest first within each."""
        chosen: dict[str, Profile] = {}

        def take(candidates: Iterable[Profile]) -> None:
            for other in candidates:
                if len(chosen) == RELATED_COUNT:
                    return
                if other.slug != profile.slug and other.slug not in chosen:
                    chosen[other.slug] = other

        if profile.commune:
            take(self.newest_by_place[(profile.field, profile.commune)])
        take(heapq.merge(self.newest_by_field.get(profile.field, []),
                         self.newest_by_commune.get(profile.commune, []) if profile.commune else [],
                         key=self._newest_key))
        return list(chosen.values())

    def _home(self) -> None:
        latest = sorted(self.profiles, key=lambda p: (published_on(p), p.slug), reverse=True)[:LATEST_COUNT]
        self._add(Page(
            url="",
            title="Trang chủ",
            template="home.html",
            description="Gương điển hình tiên tiến, người tốt việc tốt huyện Ia Pa, tỉnh Gia Lai.",
            context={
                "featured": [p for p in self.profiles if p.featured],
                "latest": latest,
                "fields": [(f, len(self.by_field.get(f.slug, []))) for f in self.taxonomy.fields.values()],
                "communes": self._entries(COMMUNE),
                "total": len(self.profiles),
                "counts": {kind: sum(1 for p in self.profiles if p.kind == kind) for kind in KINDS},
                "kinds": KINDS,
            },
        ))

    def _fields(self) -> None:
        self._index_page("linh-vuc/", "Lĩnh vực", "Mười hai lĩnh vực của Kế hoạch 105/KH-UBND.", self._entries(FIELD))
        for group in self.groups.by_kind[FIELD]:
            self._listing(group)

    def _entries(self, kind: str) -> list[tuple[str, str, int]]:
        """An index page's links: each group's name, listing URL and number of profiles."""
        return [(group.name, group.url, len(group.profiles)) for group in self.groups.by_kind[kind]]

    def _communes(self) -> None:
        merger = self.taxonomy.merger_date
        description = "Các xã và cơ quan cấp huyện."
        if merger:
            description = (f"Chín xã cũ (đến {short_date(merger - dt.timedelta(days=1))}), ba xã mới "
                           f"(từ {short_date(merger)}) và các cơ quan cấp huyện.")
        self._index_page("xa/", "Xã", description, self._entries(COMMUNE), template="communes.html",
                         extra={"old": [c for c in self.taxonomy.communes.values() if not c.is_new],
                                "new": [c for c in self.taxonomy.communes.values() if c.is_new],
                                "merger_date": merger,
                                "absorbed": {c.slug: self.taxonomy.absorbed_by(c.slug)
                                             for c in self.taxonomy.communes.values() if c.is_new}})
        for group in self.groups.by_kind[COMMUNE]:
            commune = self.taxonomy.communes.get(group.slug)
            if commune is None:
                note = {"text": "Hồ sơ của cơ quan, đơn vị cấp huyện không gắn với một xã."}
            elif commune.since is not None:  # a new commune
                names = ", ".join(old.name for old in self.taxonomy.absorbed_by(commune.slug))
                note = {"text": f"Xã mới thành lập từ {commune.since:%d/%m/%Y} trên cơ sở các xã "
                                f"{names}; trang này gồm cả hồ sơ của các xã cũ đó."}
            elif commune.merged_into:
                new = self.taxonomy.communes[commune.merged_into]
                note = {"text": f"Từ {new.since:%d/%m/%Y}, xã {commune.name} sáp nhập vào xã mới "
                                f"{new.name.split(' (')[0]}.",
                        "url": f"xa/{new.slug}/", "link_text": f"Xem trang xã {new.name}"}
            else:
                note = None
            self._listing(group, note=note)

    def _units(self) -> None:
        self._index_page("don-vi/", "Cơ quan, đơn vị", "Các cơ quan, ban, ngành, đoàn thể cấp huyện.",
                         self._entries(UNIT))
        for group in self.groups.by_kind[UNIT]:
            self._listing(group)

    def _years(self) -> None:
        self._index_page("nam/", "Theo năm", "Năm gương điển hình được lựa chọn, công nhận.", self._entries(YEAR))
        for group in self.groups.by_kind[YEAR]:
            self._listing(group)

    def _movements(self) -> None:
        self._index_page("phong-trao/", "Phong trào thi đua",
                         "Các phong trào, cuộc vận động nêu trong Kế hoạch 105/KH-UBND.", self._entries(MOVEMENT))
        for group in self.groups.by_kind[MOVEMENT]:
            self._listing(group)

    def _statistics(self) -> None:
        # The public statistics count what the public can see: published profiles only.
        public = [p for p in self.profiles if p.is_public]
        periods = [t for t in quota_table(counted_profiles(public), self.taxonomy) if t.total]
        self._add(Page(
            url="thong-ke/",
            title="Thống kê",
            template="stats.html",
            description="Số gương điển hình theo xã, đơn vị, lĩnh vực, năm và giai đoạn, so với chỉ tiêu kế hoạch.",
            context={
                "periods": periods,
                "fields": [(self.taxonomy.fields[g.slug], len(g.newest)) for g in self.groups.by_kind[FIELD]],
                "years": [(int(g.slug), len(g.newest)) for g in reversed(self.groups.by_kind[YEAR])],
                "stages": [(label, sum(1 for p in public if p.stage == slug)) for slug, label in STAGES.items()]
                + [("Chưa ghi giai đoạn", sum(1 for p in public if not p.stage))],
                "total": len(public),
            },
        ))

    # -- helpers ----------------------------------------------------------------------------------
    def _index_page(self, url: str, title: str, description: str, entries: list[tuple[str, str, int]],
                    *, template: str = "index.html", extra: dict[str, Any] | None = None) -> None:
        self._add(Page(url=url, title=title, template=template, description=description,
                       context={"entries": entries, **(extra or {})}))

    def _listing(self, group: Group, *, note: dict | None = None) -> None:
        """A group's listing, in pages of `per_page` cards; sections continue across page breaks."""
        url, title = group.url, group.title
        items = [(section, profile) for section in group.sections for profile in section.profiles]
        page_count = max(1, -(-len(items) // self.per_page))
        for number in range(1, page_count + 1):
            chunk = items[(number - 1) * self.per_page:number * self.per_page]
            page_groups: list[Section] = []
            for section, profile in chunk:
                if not page_groups or page_groups[-1].title != section.title:
                    continued = number > 1 and chunk[0][0] is section and not page_groups
                    heading = section.title + (" (tiếp)" if continued and section.title else "")
                    page_groups.append(Section(heading, section.url, []))
                page_groups[-1].profiles.append(profile)
            page_url = url if number == 1 else f"{url}trang/{number}/"
            self._add(Page(
                url=page_url,
                title=title if number == 1 else f"{title} — trang {number}",
                template="listing.html",
                description=f"{group.kind_name}: {title}. {len(items)} gương điển hình.",
                context={
                    "heading": title, "kicker": group.kind_name, "groups": page_groups, "total": len(items),
                    "note": note, "page_number": number, "page_count": page_count,
                    "page_urls": [url if n == 1 else f"{url}trang/{n}/" for n in range(1, page_count + 1)],
                    # Feeds exist only for groups with published profiles (outputs/feeds.py); a preview's
                    # drafts must not make a page announce a feed that is not there.
                    "feed_url": url if group.newest else None,
                    "embed_url": embed_url(url),
                },
            ))


def profile_url(profile: Profile) -> str:
    return f"guong/{profile.slug}/"


def embed_url(page_url: str) -> str:
    """The embed of the page at `page_url` ("guong/<slug>/" → "nhung/guong/<slug>/")."""
    return EMBED_ROOT + page_url


def _index(profiles: Iterable[Profile], keys_of) -> dict[Any, list[Profile]]:
    """Profiles by each key `keys_of` gives; lists keep the (Vietnamese) order of `profiles`."""
    index: dict[Any, list[Profile]] = {}
    for profile in profiles:
        for key in keys_of(profile):
            index.setdefault(key, []).append(profile)
    return index
