"""Profiles per commune and per unit against the plan's quotas (Kế hoạch 105, III.1), per plan period."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Profile
from generator.content.taxonomy import PlanPeriod, QuotaGroup, Taxonomy
from generator.content.text import collation_key

MERGE_YEAR = 2025
"""Old communes exist until 30/6/2025 and the new ones from 1/7/2025: both exist in 2025."""


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
        if self.group.maximum is None:
            return f"≥ {self.group.minimum}"
        return f"{self.group.minimum}–{self.group.maximum}"

    @property
    def status(self) -> str:
        """"thieu" (under), "dat" (within) or "vuot" (over the quota)."""
        if self.count < self.group.minimum:
            return "thieu"
        if self.group.maximum is not None and self.count > self.group.maximum:
            return "vuot"
        return "dat"


STATUS_LABELS = {"thieu": "Chưa đủ", "dat": "Đạt", "vuot": "Vượt"}


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
            exists = period.last_year >= MERGE_YEAR if commune.is_new else period.first_year <= MERGE_YEAR
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
