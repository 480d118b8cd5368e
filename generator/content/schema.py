"""The front matter as JSON Schema (draft 2020-12), for editor extensions and other tools' CI.

Generated from the same key table and taxonomy the checker uses, so the two cannot drift apart. Rules
that need more than one value or the file system (consent, photo files, dates in the future) are only
in ``guong check``.
"""

from __future__ import annotations

from typing import Any

from generator.content.fields import COMMENDATION_KEYS, FIRST_YEAR, KEYS, Key, Type
from generator.content.taxonomy import KINDS, PERSONAL_KINDS, STAGES, STATUSES, Taxonomy

SCHEMA_ID = "https://guong-sang.iapa.invalid/schema/ho-so.schema.json"


def front_matter_schema(taxonomy: Taxonomy, last_year: int) -> dict[str, Any]:
    choices = {
        "kinds": list(KINDS),
        "statuses": list(STATUSES),
        "stages": list(STAGES),
        "fields": list(taxonomy.fields),
        "communes": list(taxonomy.communes),
        "units": list(taxonomy.units),
        "movements": list(taxonomy.movements),
        "levels": list(taxonomy.levels),
    }

    def describe(key: Key) -> dict[str, Any]:
        schema: dict[str, Any] = {"title": key.label, "description": key.help}
        if key.type is Type.TEXT:
            schema["type"] = "string"
            if key.min_length:
                schema["minLength"] = key.min_length
            if key.max_length:
                schema["maxLength"] = key.max_length
        elif key.type is Type.YEAR:
            schema.update(type="integer", minimum=FIRST_YEAR, maximum=last_year)
        elif key.type is Type.DATE:
            schema.update(type="string", format="date", pattern=r"^\d{4}-\d{2}-\d{2}$")
        elif key.type is Type.BOOL:
            schema["type"] = "boolean"
        elif key.type is Type.CHOICE:
            schema.update(type="string", enum=choices[key.choices or ""])
        elif key.type is Type.CHOICE_LIST:
            schema.update(type="array", uniqueItems=True,
                          items={"type": "string", "enum": choices[key.choices or ""]})
        elif key.type is Type.TEXT_LIST:
            schema.update(type="array", items={"type": "string", "minLength": 1, "maxLength": key.max_length})
        elif key.type is Type.COMMENDATIONS:
            schema.update(type="array", items={
                "type": "object",
                "properties": {name: describe(sub) for name, sub in COMMENDATION_KEYS.items()},
                "required": [name for name, sub in COMMENDATION_KEYS.items() if sub.required],
                "oneOf": [{"required": ["danh_hieu"]}, {"required": ["hinh_thuc"]}],
                "additionalProperties": False,
            })
        elif key.type is Type.PATH:
            schema.update(type="string", pattern=r"^(?!/)(?!.*\.\.)(?!.*://)[^\\]+\.(jpg|jpeg|png|webp|JPG|JPEG|PNG|WEBP)$")
        return schema

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Hồ sơ gương điển hình tiên tiến (phần khai báo)",
        "type": "object",
        "properties": {name: describe(key) for name, key in KEYS.items()},
        "required": [name for name, key in KEYS.items() if key.required],
        "anyOf": [{"required": ["xa"]}, {"required": ["don_vi"]}],
        "allOf": [
            *(
                {"if": {"properties": {"linh_vuc": {"const": slug}}, "required": ["linh_vuc"]},
                 "then": {"properties": {"loai": {"enum": list(field.kinds)}}}}
                for slug, field in taxonomy.fields.items()
            ),
            {"if": {"properties": {"trang_thai": {"const": "xuat-ban"},
                                   "loai": {"enum": sorted(PERSONAL_KINDS)}},
                    "required": ["trang_thai", "loai"]},
             "then": {"required": ["dong_y_cong_khai"]}},
            {"if": {"properties": {"trang_thai": {"const": "xuat-ban"}, "tre_em": {"const": True}},
                    "required": ["trang_thai", "tre_em"]},
             "then": {"required": ["dong_y_nguoi_giam_ho"]}},
        ],
        "additionalProperties": False,
    }
