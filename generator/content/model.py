"""The content model: a validated profile, as every later stage (pages, search, feeds, API) sees it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.content.taxonomy import PERSONAL_KINDS
from generator.content.text import collation_key, match_key, person_sort_key


@dataclass(frozen=True)
class Commendation:
    title: str | None
    """Danh hiệu thi đua (`danh_hieu`)."""
    form: str | None
    """Hình thức khen thưởng (`hinh_thuc`)."""
    level: str | None
    decision_number: str | None
    date: dt.date | None

    @property
    def label(self) -> str:
        return self.title or self.form or ""


@dataclass
class Profile:
    """One exemplar. Attribute names are English; `front_matter` keeps the editor's keys and values
    (NFC) exactly, for outputs whose contract is the Vietnamese keys (the JSON API)."""

    slug: str
    source_path: Path
    name: str
    kind: str
    field: str
    commune: str | None
    unit: str | None
    year: int
    summary: str
    status: str
    body: str
    body_line: int
    consent_date: dt.date | None = None
    minor: bool = False
    guardian_consent_date: dt.date | None = None
    village: str | None = None
    role: str | None = None
    model_name: str | None = None
    movements: tuple[str, ...] = ()
    stage: str | None = None
    commendations: tuple[Commendation, ...] = ()
    photo: str | None = None
    """Path relative to the content folder, with forward slashes."""
    photo_caption: str | None = None
    photo_credit: str | None = None
    featured: bool = False
    published_date: dt.date | None = None
    author: str | None = None
    keywords: tuple[str, ...] = ()
    front_matter: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def has_needed_consent(self) -> bool:
        if self.kind in PERSONAL_KINDS and self.consent_date is None:
            return False
        if self.minor and self.guardian_consent_date is None:
            return False
        return True

    @property
    def is_public(self) -> bool:
        """Only these may appear anywhere in the built site, its search, feeds, API and sitemap."""
        return self.status == "xuat-ban" and self.has_needed_consent

    @cached_property
    def sort_key(self) -> tuple:
        """Vietnamese order; people (and households, by the head's name) by given name first."""
        if self.kind == "tap-the":
            return (collation_key(self.name),)
        return person_sort_key(self.name)

    @cached_property
    def name_key(self) -> str:
        """The name as compared when looking for the same exemplar written twice."""
        return match_key(self.name)
