"""The search filters (facets) of a profile, and their counts over the whole site.

The search page shows the counts from `facet_counts` before anyone searches, so a visitor can browse by
filter without downloading any part of the index; the index (search_index.py) carries the same values.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from generator.content.model import Profile
from generator.content.taxonomy import KINDS, STAGES, Taxonomy

# Filter names as shown to citizens; the search page keeps them in the URL under these slugs.
FILTERS = {
    "linh-vuc": "Lĩnh vực",
    "xa": "Xã",
    "don-vi": "Đơn vị",
    "nam": "Năm",
    "loai": "Loại",
    "phong-trao": "Phong trào",
    "giai-doan": "Giai đoạn",
}


def search_filters(profile: Profile, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Filter values of a profile. An old commune's profile is also under the new commune it merged
    into, so choosing a new commune includes the old communes it absorbed."""
    communes: list[str] = []
    if profile.commune:
        commune = taxonomy.communes[profile.commune]
        communes.append(commune.name)
        if commune.merged_into:
            communes.append(taxonomy.communes[commune.merged_into].name)
    return {
        FILTERS["linh-vuc"]: [taxonomy.fields[profile.field].name],
        FILTERS["xa"]: communes,
        FILTERS["don-vi"]: [taxonomy.units[profile.unit].name] if profile.unit else [],
        FILTERS["nam"]: [str(profile.year)],
        FILTERS["loai"]: [KINDS[profile.kind]],
        FILTERS["phong-trao"]: [taxonomy.movements[m].name for m in profile.movements],
        FILTERS["giai-doan"]: [STAGES[profile.stage]] if profile.stage else [],
    }


def facet_counts(profiles: Iterable[Profile], taxonomy: Taxonomy) -> dict[str, dict[str, int]]:
    """{filter name: {value: number of public profiles}}, the shape Pagefind's filters() returns."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FILTERS.values()}
    for profile in profiles:
        if profile.is_public:
            for name, values in search_filters(profile, taxonomy).items():
                counts[name].update(values)
    return {name: dict(values) for name, values in counts.items()}
