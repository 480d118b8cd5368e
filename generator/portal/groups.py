"""The groups of profiles the portal lists, and which profiles each holds: the one place that says so.

A group is a field, an old or new commune, the district level (a unit's profile tied to no commune), a
unit, a year or a movement. Its listing page (portal/pages.py), its embed, its Atom and JSON feeds, its
API file, the search filters and the statistics all take their members from here, so that a profile
is in the same groups everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.content.model import Profile
from generator.content.taxonomy import Taxonomy
from generator.content.text import collation_key

FIELD, COMMUNE, UNIT, YEAR, MOVEMENT = "linh-vuc", "xa", "don-vi", "nam", "phong-trao"
"""Group kinds, named by the URL folder of their listings."""
KIND_NAMES = {FIELD: "Lĩnh vực", COMMUNE: "Xã", UNIT: "Cơ quan, đơn vị", YEAR: "Năm", MOVEMENT: "Phong trào"}
"""What a listing says it is ("Xã: Xã Ia Tul"), in the order the portal lists the kinds."""
DISTRICT_LEVEL_SLUG = "cap-huyen"
DISTRICT_LEVEL_NAME = "Cấp huyện"


def published_on(profile: Profile) -> dt.date:
    """`ngay_dang`, or — when the editor left it out — the consent date or 1 January of `nam`, so that an
    undated profile never jumps ahead of dated ones."""
    return profile.published_date or profile.consent_date or dt.date(profile.year, 1, 1)


def newest_first(profiles: Iterable[Profile]) -> list[Profile]:
    """By publication date, newest first; the slug keeps the order stable between builds."""
    return sorted(profiles, key=lambda p: (published_on(p), p.slug), reverse=True)


@dataclass(frozen=True)
class Section:
    """A heading inside a listing: a new commune's page lists its own profiles, then those of each old
    commune it absorbed under that commune's name."""

    title: str
    url: str | None
    profiles: list[Profile]


@dataclass
class Group:
    kind: str
    slug: str
    name: str
    """As the taxonomy names it ("Ia Tul (trước 1/7/2025)", "2024")."""
    title: str
    """As its listing page is titled ("Xã Ia Tul (trước 1/7/2025)", "Năm 2024")."""
    sections: list[Section]
    profiles: list[Profile] = field(init=False)
    """Every profile shown on the site that the group holds, in listing order (Vietnamese order within
    each section). A preview's drafts are among them."""
    newest: list[Profile] = field(init=False)
    """Its published profiles, newest first: what feeds, the API and embeds carry."""

    def __post_init__(self) -> None:
        self.profiles = [profile for section in self.sections for profile in section.profiles]
        self.newest = newest_first(p for p in self.profiles if p.is_public)

    @property
    def url(self) -> str:
        """Site-relative URL of its listing page."""
        return f"{self.kind}/{self.slug}/"

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


class Groups:
    """Every group of a portal, in the order of the portal's index pages: fields and movements as the
    taxonomy orders them, communes (old, new, then the district level), units by name, years newest
    first. Fields, communes, units and movements exist even when empty (a commune site may link to its
    page before its first profile); years exist when they have a profile."""

    def __init__(self, profiles: list[Profile], taxonomy: Taxonomy) -> None:
        direct: dict[tuple[str, str], list[Profile]] = {}
        for profile in profiles:
            for key in _direct_keys(profile):
                direct.setdefault(key, []).append(profile)
        self._taxonomy = taxonomy
        self.by_kind: dict[str, list[Group]] = {kind: [] for kind in KIND_NAMES}
        self._by_key: dict[tuple[str, str], Group] = {}

        def single(kind: str, slug: str, name: str, title: str) -> None:
            self._add(Group(kind, slug, name, title, [Section("", None, direct.get((kind, slug), []))]))

        for field_ in taxonomy.fields.values():
            single(FIELD, field_.slug, field_.name, field_.name)
        for commune in taxonomy.communes.values():
            own = direct.get((COMMUNE, commune.slug), [])
            sections = [Section("", None, own)]
            if commune.is_new:
                sections = [Section(f"Hồ sơ ghi xã {commune.name}", None, own)] if own else []
                sections += [Section(f"Xã {old.name} (cũ, đã sáp nhập)", f"{COMMUNE}/{old.slug}/",
                                     direct.get((COMMUNE, old.slug), []))
                             for old in taxonomy.absorbed_by(commune.slug)]
            self._add(Group(COMMUNE, commune.slug, commune.name, f"Xã {commune.name}", sections))
        single(COMMUNE, DISTRICT_LEVEL_SLUG, DISTRICT_LEVEL_NAME, DISTRICT_LEVEL_NAME)
        for unit in sorted(taxonomy.units.values(), key=lambda u: collation_key(u.name)):
            single(UNIT, unit.slug, unit.name, unit.name)
        for year in sorted({key[1] for key in direct if key[0] == YEAR}, reverse=True):
            single(YEAR, year, year, f"Năm {year}")
        for movement in taxonomy.movements.values():
            single(MOVEMENT, movement.slug, movement.name, movement.name)

    def _add(self, group: Group) -> None:
        self.by_kind[group.kind].append(group)
        self._by_key[(group.kind, group.slug)] = group

    def __iter__(self):
        for kind in KIND_NAMES:
            yield from self.by_kind[kind]

    def get(self, kind: str, slug: str) -> Group:
        return self._by_key[(kind, slug)]

    def containing(self, profile: Profile) -> list[Group]:
        """The groups `profile` is in: its field, its commune (and the new commune an old one merged
        into) or the district level, its unit, its year, its movements."""
        keys = _direct_keys(profile)
        if profile.commune:
            merged_into = self._taxonomy.communes[profile.commune].merged_into
            if merged_into:
                keys.insert(2, (COMMUNE, merged_into))
        return [self._by_key[key] for key in keys]


def _direct_keys(profile: Profile) -> list[tuple[str, str]]:
    keys = [(FIELD, profile.field)]
    if profile.commune:
        keys.append((COMMUNE, profile.commune))
    elif profile.unit:
        keys.append((COMMUNE, DISTRICT_LEVEL_SLUG))
    if profile.unit:
        keys.append((UNIT, profile.unit))
    keys.append((YEAR, str(profile.year)))
    keys += [(MOVEMENT, movement) for movement in profile.movements]
    return keys
