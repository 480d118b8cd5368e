"""The JSON API: static files under /api/ with the published profiles, and their JSON Schemas.

- `api/guong.json`: every published profile;
- `api/<kind>/<slug>.json`: one file per group of portal/groups.py — field, commune, the district level
  (`api/xa/cap-huyen.json`), unit, year, movement — under its listing's URL (an empty list when it has no
  published profile yet, so that a commune site can point at its URL before its first profile); a new
  commune's file includes its absorbed old communes;
- `api/schema/v1/*.json`: the JSON Schemas (draft 2020-12) of these files, from generator/outputs/api-schema/.

Keys are Vietnamese without diacritics, like the front matter. Records are built from an explicit list of
public facts (what the profile page shows), never by copying the front matter, so consent dates, the
minor flag and the workflow status can never leak through a key added later.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.content.model import Profile
from generator.content.taxonomy import KINDS, STAGES, Commune, Taxonomy
from generator.outputs.common import generated_at
from generator.outputs.kept_pieces import ProfileMemo
from generator.portal.groups import COMMUNE, Group, published_on
from generator.portal.pages import Portal, profile_url
from generator.portal.photos import PhotoSet, Rendition
from generator.portal.site import Site

API_VERSION = "1.1"
"""Minor versions only add keys; removing or changing a key publishes a new schema folder (v2)."""
API_FOLDER = "api/"
SCHEMA_FOLDER = "api/schema/v1/"
SCHEMA_SOURCE = Path(__file__).parent / "api-schema"
SCHEMA_FILES = ("guong.json", "nhom.json", "ho-so.json")
"""Published under SCHEMA_FOLDER with the names they have in generator/outputs/api-schema/."""


def api_files(portal: Portal, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet], site: Site, *,
              memo: ProfileMemo | None = None) -> dict[str, bytes]:
    """{site-relative path: file content} for the API and its schemas. `memo`: records and files kept from
    an earlier call."""
    root = site.root
    profiles = portal.newest
    memo = memo if memo is not None else ProfileMemo()
    records = _Records(taxonomy, photos, root, memo)
    stamp = {"phien_ban": API_VERSION, "tao_luc": generated_at().isoformat().replace("+00:00", "Z")}
    files: dict[str, bytes] = {}

    def document(head: dict[str, Any], listed: list[Profile]) -> bytes:
        head = {**stamp, **head, "so_luong": len(listed)}
        opening = json.dumps(head, ensure_ascii=False)[:-1]  # reopen the object to append "guong"
        body = ",".join(records.serialised(p) for p in listed)
        return f'{opening}, "guong": [{body}]}}\n'.encode()

    def add(path: str, head: dict[str, Any], listed: list[Profile]) -> None:
        # A kept file keeps its "tao_luc": that is when its content was made.
        files[path] = memo.get_list(path, listed, photos, lambda: document(head, listed))

    add(API_FOLDER + "guong.json", {}, profiles)
    for group in portal.groups:
        add(f"{API_FOLDER}{group.kind}/{group.slug}.json", {"nhom": records.group(group)}, group.newest)
    for name in SCHEMA_FILES:
        schema = json.loads((SCHEMA_SOURCE / name).read_text(encoding="utf-8"))
        # The schemas refer to each other relatively; an absolute $id makes those references resolve to
        # the published files wherever the site is hosted.
        schema["$id"] = root + SCHEMA_FOLDER + name
        files[SCHEMA_FOLDER + name] = (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


class _Records:
    def __init__(self, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet], root: str, memo: ProfileMemo) -> None:
        self.taxonomy = taxonomy
        self.photos = photos
        self.root = root
        self.memo = memo

    def serialised(self, profile: Profile) -> str:
        # A profile sits in up to five files (all, field, commune, new commune, unit): serialise it once.
        return self.memo.get("api", profile, self.photos.get(profile.slug),
                             lambda p: json.dumps(self.record(p), ensure_ascii=False))

    def named(self, folder: str, slug: str, name: str) -> dict[str, Any]:
        return {"slug": slug, "ten": name, "url": f"{self.root}{folder}/{slug}/"}

    def commune(self, commune: Commune) -> dict[str, Any]:
        return {**self.named("xa", commune.slug, commune.name), "ma_gso": commune.gso_code}

    def group(self, group: Group) -> dict[str, Any]:
        data = {"kieu": group.kind, **self.named(group.kind, group.slug, group.name)}
        if group.kind == COMMUNE and group.slug in self.taxonomy.communes:  # not the district level
            data["ma_gso"] = self.taxonomy.communes[group.slug].gso_code
        return data

    def rendition(self, rendition: Rendition) -> dict[str, Any]:
        return {"url": self.root + rendition.uri, "rong": rendition.width, "cao": rendition.height}

    def record(self, profile: Profile) -> dict[str, Any]:
        t = self.taxonomy
        commune = None
        if profile.commune:
            old = t.communes[profile.commune]
            new = self.commune(t.communes[old.merged_into]) if old.merged_into else None
            commune = {**self.commune(old), "xa_moi": new}
        photo = self.photos.get(profile.slug)
        return {
            "slug": profile.slug,
            "url": self.root + profile_url(profile),
            "ten": profile.name,
            "loai": {"slug": profile.kind, "ten": KINDS[profile.kind]},
            "linh_vuc": self.named("linh-vuc", profile.field, t.fields[profile.field].name),
            "xa": commune,
            "don_vi": self.named("don-vi", profile.unit, t.units[profile.unit].name) if profile.unit else None,
            "nam": profile.year,
            "tom_tat": profile.summary,
            "thon": profile.village,
            "chuc_vu": profile.role,
            "mo_hinh": profile.model_name,
            "phong_trao": [self.named("phong-trao", m, t.movements[m].name) for m in profile.movements],
            "giai_doan": {"slug": profile.stage, "ten": STAGES[profile.stage]} if profile.stage else None,
            "khen_thuong": [
                {
                    "danh_hieu": c.title,
                    "hinh_thuc": c.form,
                    "cap": {"slug": c.level, "ten": t.levels[c.level].name} if c.level in t.levels else None,
                    "so_quyet_dinh": c.decision_number,
                    "ngay": c.date.isoformat() if c.date else None,
                }
                for c in profile.commendations
            ],
            "anh": {
                "day_du": self.rendition(photo.full),
                "thu_nho": self.rendition(photo.thumb),
                "thu_nho_2x": self.rendition(photo.thumb_2x),
            } if photo else None,
            "chu_thich_anh": profile.photo_caption,
            "nguon_anh": profile.photo_credit,
            "noi_bat": profile.featured,
            "ngay_dang": published_on(profile).isoformat(),
            "tac_gia": profile.author,
            "tu_khoa": list(profile.keywords),
        }
