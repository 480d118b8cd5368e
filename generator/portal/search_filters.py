"""The search filters (facets) of a profile, and their counts over the whole site.

The search page shows the counts from `facet_counts` before anyone searches, so a visitor can browse by
filter without downloading any part of the index; the index (outputs/search_index.py) carries the same values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from generator.content.model import Profile
from generator.content.taxonomy import KINDS, STAGES
from generator.portal.groups import COMMUNE, FIELD, MOVEMENT, UNIT, YEAR, Groups

# Filter names as shown to citizens; the search page keeps them in the URL under these slugs.
# A group kind's filter has the kind's slug; the search page (tim-kiem.js) reads this table from the page.
FILTERS = {
    FIELD: "Lĩnh vực",
    COMMUNE: "Xã",
    UNIT: "Đơn vị",
    YEAR: "Năm",
    "loai": "Loại",
    MOVEMENT: "Phong trào",
    "giai-doan": "Giai đoạn",
}

THUMB_ANCHOR = "anh-nho:"
"""Prefix of the id that carries a search result's thumbnail in its index document (an id travels with
the result unindexed; the search page reads this value from the page)."""


def search_filters(profile: Profile, groups: Groups) -> dict[str, list[str]]:
    """Filter values of a profile: the names of the groups it is in (so an old commune's profile is also
    under the new commune it merged into, and choosing a new commune includes the old communes it
    absorbed), then its kind and stage."""
    values: dict[str, list[str]] = {name: [] for name in FILTERS.values()}
    for group in groups.containing(profile):
        values[FILTERS[group.kind]].append(group.name)
    values[FILTERS["loai"]].append(KINDS[profile.kind])
    if profile.stage:
        values[FILTERS["giai-doan"]].append(STAGES[profile.stage])
    return values


def facet_counts(profiles: Iterable[Profile], groups: Groups) -> dict[str, dict[str, int]]:
    """{filter name: {value: number of public profiles}}, the shape Pagefind's filters() returns."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FILTERS.values()}
    for profile in profiles:
        if profile.is_public:
            for name, values in search_filters(profile, groups).items():
                counts[name].update(values)
    return {name: dict(values) for name, values in counts.items()}
