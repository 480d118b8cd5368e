"""The taxonomy: fields, communes, units, movements, quotas and commendations, read from the YAML files
in ``generator/danh-muc/`` that editors maintain (or from another folder given by the caller)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.content.text import fold, slugify

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "danh-muc"
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Fixed by the profile format (content-format.md), not by the taxonomy data: tools key on these values.
KINDS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "ho-gia-dinh": "Hộ gia đình"}
STATUSES = {"nhap": "Bản nháp", "cho-duyet": "Chờ duyệt", "xuat-ban": "Xuất bản"}
STAGES = {"phat-hien": "Phát hiện", "boi-duong": "Bồi dưỡng", "nhan-rong": "Nhân rộng", "bieu-duong": "Biểu dương"}
PERSONAL_KINDS = frozenset({"ca-nhan", "ho-gia-dinh"})
"""Kinds whose publication needs recorded consent (personal data law 91/2025/QH15)."""


class TaxonomyError(Exception):
    """A taxonomy data file is missing or malformed; the message names the file and entry."""


@dataclass(frozen=True)
class Field:
    slug: str
    name: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Commune:
    slug: str
    name: str
    gso_code: str
    merged_into: str | None
    """Slug of the new commune this old commune became part of on 1/7/2025."""
    since: dt.date | None
    """For the new communes: the date they came into being."""
    aliases: tuple[str, ...]

    @property
    def is_new(self) -> bool:
        return self.since is not None


@dataclass(frozen=True)
class Unit:
    slug: str
    name: str
    quota_group: str


@dataclass(frozen=True)
class Movement:
    slug: str
    name: str


@dataclass(frozen=True)
class QuotaGroup:
    slug: str
    name: str
    minimum: int
    maximum: int | None


@dataclass(frozen=True)
class PlanPeriod:
    slug: str
    name: str
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Title:
    name: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class IssuerLevel:
    slug: str
    name: str
    until: dt.date | None
    """Last day this level existed (district level ends 30/6/2025)."""


@dataclass(frozen=True)
class Taxonomy:
    fields: dict[str, Field]
    communes: dict[str, Commune]
    units: dict[str, Unit]
    movements: dict[str, Movement]
    quota_groups: dict[str, QuotaGroup]
    periods: tuple[PlanPeriod, ...]
    titles: tuple[Title, ...]
    forms: tuple[str, ...]
    levels: dict[str, IssuerLevel]

    @cached_property
    def merger_date(self) -> dt.date | None:
        """The day the new communes came into being (1/7/2025; the old ones existed until the day
        before), from their dates in xa.yml; None for a taxonomy without new communes."""
        return min((c.since for c in self.communes.values() if c.since is not None), default=None)

    def place_name(self, commune: str | None, unit: str | None) -> str:
        """Where a profile is from, as cards and search results say it: its commune, else its unit (a
        checked profile has one or the other)."""
        if commune:
            return self.communes[commune].name
        assert unit is not None
        return self.units[unit].name

    def absorbed_by(self, new_slug: str) -> list[Commune]:
        """Old communes merged into the new commune `new_slug`, in data-file order."""
        return [c for c in self.communes.values() if c.merged_into == new_slug]

    def period_of(self, year: int) -> PlanPeriod | None:
        return next((p for p in self.periods if p.first_year <= year <= p.last_year), None)

    @cached_property
    def commune_lookup(self) -> dict[str, str]:
        """Folded names, aliases and slugs of communes → slug, for suggestions when a value is wrong."""
        lookup: dict[str, str] = {}
        for commune in self.communes.values():
            for spelling in (commune.name, *commune.aliases):
                lookup[slugify(spelling)] = commune.slug
            lookup[fold(commune.slug)] = commune.slug
        return lookup


def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    directory = directory or DEFAULT_DIR
    reader = _DataReader(directory)
    fields = {
        item["slug"]: Field(item["slug"], item["ten"], tuple(reader.kinds(item, "loai")))
        for item in reader.entries("linh-vuc.yml", ("slug", "ten", "loai"))
    }
    communes = {
        item["slug"]: Commune(
            slug=item["slug"], name=item["ten"], gso_code=str(item["ma_gso"]),
            merged_into=item.get("sap_nhap_vao"), since=reader.date(item, "tu_ngay", "xa.yml"),
            aliases=tuple(item.get("ten_khac") or ()),
        )
        for item in reader.entries("xa.yml", ("slug", "ten", "ma_gso"))
    }
    for commune in communes.values():
        if commune.merged_into and commune.merged_into not in communes:
            raise TaxonomyError(f"{reader.name('xa.yml')}: xã '{commune.slug}' sáp nhập vào "
                                f"'{commune.merged_into}' nhưng không có xã đó trong tệp")
    quota_data = reader.mapping("chi-tieu.yml", ("nhom", "giai_doan"))
    groups_data = _require(quota_data, "nhom", reader.name("chi-tieu.yml"))
    if not isinstance(groups_data, dict):
        raise TaxonomyError(f"{reader.name('chi-tieu.yml')}: 'nhom' phải gồm các mục "
                            "'slug: {ten, toi_thieu, toi_da}'")
    quota_groups = {
        str(slug): QuotaGroup(str(slug), group["ten"], reader.number(group, "toi_thieu", "chi-tieu.yml"),
                              reader.number(group, "toi_da", "chi-tieu.yml", optional=True))
        for slug, group in ((slug, reader.item(group, ("ten", "toi_thieu"), "chi-tieu.yml", f"nhom '{slug}'"))
                            for slug, group in groups_data.items())
    }
    periods = tuple(
        PlanPeriod(str(p["slug"]), p["ten"], reader.number(p, "tu_nam", "chi-tieu.yml"),
                   reader.number(p, "den_nam", "chi-tieu.yml"))
        for p in reader.items(_require(quota_data, "giai_doan", reader.name("chi-tieu.yml")),
                              ("slug", "ten", "tu_nam", "den_nam"), "chi-tieu.yml", "giai_doan")
    )
    units = {
        item["slug"]: Unit(item["slug"], item["ten"], item["nhom"])
        for item in reader.entries("don-vi.yml", ("slug", "ten", "nhom"))
    }
    for unit in units.values():
        if unit.quota_group not in quota_groups:
            raise TaxonomyError(f"{reader.name('don-vi.yml')}: đơn vị '{unit.slug}' có nhóm '{unit.quota_group}' "
                                f"không có trong chi-tieu.yml ({', '.join(quota_groups)})")
    movements = {
        item["slug"]: Movement(item["slug"], item["ten"])
        for item in reader.entries("phong-trao.yml", ("slug", "ten"))
    }
    awards = reader.mapping("khen-thuong.yml", ("danh_hieu", "hinh_thuc", "cap"))
    awards_name = reader.name("khen-thuong.yml")
    titles = tuple(Title(t["ten"], tuple(t.get("doi_tuong") or KINDS))
                   for t in reader.items(_require(awards, "danh_hieu", awards_name), ("ten",), "khen-thuong.yml",
                                         "danh_hieu"))
    forms = tuple(str(f) for f in _require(awards, "hinh_thuc", awards_name))
    levels = {
        lv["slug"]: IssuerLevel(lv["slug"], lv["ten"], reader.date(lv, "den_ngay", "khen-thuong.yml"))
        for lv in reader.items(_require(awards, "cap", awards_name), ("slug", "ten"), "khen-thuong.yml", "cap")
    }
    return Taxonomy(fields, communes, units, movements, quota_groups, periods, titles, forms, levels)


class _DataReader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def name(self, file_name: str) -> str:
        return (self.directory / file_name).as_posix()

    def load(self, file_name: str) -> Any:
        path = self.directory / file_name
        try:
            text = path.read_text(encoding="utf-8-sig")
            try:
                # libyaml: every command reads the taxonomy first, and the pure-Python parser took a
                # noticeable part of checking one file.
                return yaml.load(text, Loader=_FAST_LOADER)
            except yaml.YAMLError:
                return yaml.safe_load(text)  # a broken file is reported with the messages it always had
        except FileNotFoundError:
            raise TaxonomyError(f"{path.as_posix()}: thiếu tệp danh mục") from None
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise TaxonomyError(f"{path.as_posix()}: tệp danh mục hỏng ({error})") from None

    def mapping(self, file_name: str, keys: tuple[str, ...]) -> dict[str, Any]:
        data = self.load(file_name)
        if not isinstance(data, dict):
            raise TaxonomyError(f"{self.name(file_name)}: tệp phải gồm các khóa {', '.join(repr(k) for k in keys)}")
        return data

    def items(self, data: Any, required: tuple[str, ...], file_name: str, section: str) -> list[dict[str, Any]]:
        """The entries of a list inside a file (`giai_doan`, `danh_hieu`, `cap`), each with `required`."""
        if not isinstance(data, list):
            raise TaxonomyError(f"{self.name(file_name)}: '{section}' phải là một danh sách các mục '- …'")
        return [self.item(entry, required, file_name, f"{section}, mục thứ {number}")
                for number, entry in enumerate(data, start=1)]

    def item(self, entry: Any, required: tuple[str, ...], file_name: str, where: str) -> dict[str, Any]:
        if not isinstance(entry, dict):
            raise TaxonomyError(f"{self.name(file_name)}: {where} không có dạng 'khóa: giá trị'")
        missing = [key for key in required if entry.get(key) in (None, "")]
        if missing:
            raise TaxonomyError(f"{self.name(file_name)}: {where} thiếu {', '.join(missing)}")
        return entry

    def number(self, entry: dict[str, Any], key: str, file_name: str, *, optional: bool = False) -> Any:
        value = entry.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise TaxonomyError(f"{self.name(file_name)}: '{key}: {value}' phải là một số nguyên")
        return value

    def date(self, entry: dict[str, Any], key: str, file_name: str) -> dt.date | None:
        value = entry.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise TaxonomyError(f"{self.name(file_name)}: '{entry.get('slug', '')}': '{key}: {value}' phải là "
                                "ngày dạng YYYY-MM-DD, ví dụ 2025-07-01")
        return value

    def entries(self, file_name: str, required: tuple[str, ...]) -> list[dict[str, Any]]:
        data = self.load(file_name)
        if not isinstance(data, list) or not data:
            raise TaxonomyError(f"{self.name(file_name)}: tệp phải là một danh sách các mục '- slug: …'")
        seen: set[str] = set()
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise TaxonomyError(f"{self.name(file_name)}: mục thứ {number} không có dạng 'khóa: giá trị'")
            missing = [key for key in required if item.get(key) in (None, "")]
            if missing:
                raise TaxonomyError(f"{self.name(file_name)}: mục thứ {number} thiếu {', '.join(missing)}")
            slug = str(item["slug"])
            if slug != slugify(slug) or slug in seen:
                raise TaxonomyError(f"{self.name(file_name)}: mục thứ {number}: slug '{slug}' "
                                    "trùng hoặc không đúng dạng a-z0-9-")
            seen.add(slug)
        return data

    def kinds(self, item: dict[str, Any], key: str) -> list[str]:
        values = item[key]
        if not isinstance(values, list) or any(v not in KINDS for v in values):
            raise TaxonomyError(f"{self.name('linh-vuc.yml')}: '{item['slug']}': {key} phải là danh sách trong "
                                f"{', '.join(KINDS)}")
        return values


def _require(data: dict[str, Any], key: str, file_name: str) -> Any:
    if key not in data or not data[key]:
        raise TaxonomyError(f"{file_name}: thiếu khóa '{key}'")
    return data[key]
