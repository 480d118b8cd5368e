"""Profiles per commune and per unit against the plan's quotas (Kế hoạch 105, III.1), per plan period."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Profile
from generator.content.taxonomy import PlanPeriod, QuotaGroup, Taxonomy
from generator.content.text import collation_key


@dataclass(frozen=True)
class QuotaRow:
    kind: str
    """"xa" or "don-vi"."""
    slug: str
    name: str
    count: int
    group: QuotaGroup

    @property
    def quota_label(self) -> str:
        return quota_label(self.group.minimum, self.group.maximum)

    @property
    def status(self) -> str:
        return quota_status(self.count, self.group.minimum, self.group.maximum)


STATUS_LABELS = {"thieu": "Chưa đủ", "dat": "Đạt", "vuot": "Vượt"}
"""A count against its quota, as `guong stats`, the statistics page and its charts say it."""


def quota_status(count: int, minimum: int, maximum: int | None) -> str:
    """"thieu" (under), "dat" (within) or "vuot" (over the quota)."""
    if count < minimum:
        return "thieu"
    if maximum is not None and count > maximum:
        return "vuot"
    return "dat"


def quota_label(minimum: int, maximum: int | None) -> str:
    """"≥ 5", "5–7", or "5" for an exact number."""
    if maximum is None:
        return f"≥ {minimum}"
    if maximum == minimum:
        return str(minimum)
    return f"{minimum}–{maximum}"


@dataclass(frozen=True)
class PeriodQuotas:
    period: PlanPeriod
    communes: list[QuotaRow]
    units: list[QuotaRow]
    total: int


def counted_profiles(profiles: list[Profile]) -> list[Profile]:
    """Profiles that count towards the quotas: selected ones (awaiting approval or published), not drafts."""
    return [p for p in profiles if p.status != "nhap"]


def quota_table(profiles: list[Profile], taxonomy: Taxonomy) -> list[PeriodQuotas]:
    tables = []
    for period in taxonomy.periods:
        in_period = [p for p in profiles if period.first_year <= p.year <= period.last_year]
        commune_rows = []
        for commune in taxonomy.communes.values():
            # An old commune exists until its merger and the new one from that day: both in that year.
            if commune.since is not None:
                exists = period.last_year >= commune.since.year
            else:
                merged_on = taxonomy.communes[commune.merged_into].since if commune.merged_into else None
                exists = merged_on is None or period.first_year <= merged_on.year
            count = sum(1 for p in in_period if p.commune == commune.slug)
            if exists or count:
                commune_rows.append(QuotaRow("xa", commune.slug, commune.name, count, taxonomy.quota_groups["xa"]))
        unit_rows = [
            QuotaRow("don-vi", unit.slug, unit.name, sum(1 for p in in_period if p.unit == unit.slug),
                     taxonomy.quota_groups[unit.quota_group])
            for unit in sorted(taxonomy.units.values(), key=lambda u: collation_key(u.name))
        ]
        tables.append(PeriodQuotas(period, commune_rows, unit_rows, len(in_period)))
    return tables
