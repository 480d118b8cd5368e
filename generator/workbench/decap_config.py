"""Decap CMS's configuration, generated from the key table and the taxonomy that `guong check` and
`guong schema` use: a new key or taxonomy entry reaches the editor's form without anyone writing YAML.

The collection uses the custom format `guong-json` (registered by static/soan.js): the browser exchanges
a profile with the server as JSON, and the server alone reads and writes the YAML front matter, with the
same reader and rules as `guong check`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.content.fields import COMMENDATION_KEYS, FIRST_YEAR, KEYS, Key, Type
from generator.content.taxonomy import KINDS, STAGES, STATUSES, Taxonomy
from generator.content.text import short_date

COLLECTION = "guong"
PROFILE_FOLDER = "content/guong"
MEDIA_FOLDER = "content/anh"
PUBLIC_FOLDER = "anh"
"""How a profile refers to a photo: `anh: anh/<file>` (relative to content/)."""
WIRE_FORMAT = "guong-json"

NEW_PROFILE_STORY = """\
## Thành tích

Những thành tích nổi bật: kết quả cụ thể, con số, danh hiệu đã nhận.

## Cách làm hay

Cách làm sáng tạo, hiệu quả: bắt đầu từ đâu, vượt qua khó khăn thế nào.

## Bài học kinh nghiệm

Những điều người khác có thể học được.

## Nhân rộng

Mô hình đã hoặc có thể được nhân rộng ở đâu, như thế nào.
"""
"""The suggested sections a new profile starts with (as `guong new` writes them)."""


def choice_options(taxonomy: Taxonomy) -> dict[str, list[dict[str, str]]]:
    """Each choice list as Decap select options: the name shown, the slug stored."""
    merger = taxonomy.merger_date

    def commune_label(commune: Any) -> str:
        if commune.merged_into and merger is not None:
            return f"{commune.name} (trước {short_date(merger)})"
        return commune.name

    def options(pairs: Any) -> list[dict[str, str]]:
        return [{"label": label, "value": value} for value, label in pairs]

    return {
        "kinds": options(KINDS.items()),
        "statuses": options(STATUSES.items()),
        "stages": options(STAGES.items()),
        "fields": options((slug, field.name) for slug, field in taxonomy.fields.items()),
        "communes": options((slug, commune_label(c)) for slug, c in taxonomy.communes.items()),
        "units": options((slug, unit.name) for slug, unit in taxonomy.units.items()),
        "movements": options((slug, m.name) for slug, m in taxonomy.movements.items()),
        "levels": options((slug, level.name) for slug, level in taxonomy.levels.items()),
    }


def _label(key: Key) -> str:
    return key.label[:1].upper() + key.label[1:]


def _widget(key: Key, options: dict[str, list[dict[str, str]]], taxonomy: Taxonomy, last_year: int,
            ) -> dict[str, Any]:
    field: dict[str, Any] = {"name": key.name, "label": _label(key), "hint": key.help, "required": key.required}
    if key.type is Type.TEXT:
        long_text = (key.max_length or 0) > 200
        field["widget"] = "text" if long_text else "string"
    elif key.type is Type.YEAR:
        field.update(widget="number", value_type="int", min=FIRST_YEAR, max=last_year)
    elif key.type is Type.DATE:
        # Stored as the format writes dates (2024-12-18), shown the Vietnamese way (18/12/2024).
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY", time_format=False,
                     picker_utc=True, default="")
    elif key.type is Type.BOOL:
        field.update(widget="boolean", default=False)
    elif key.type is Type.CHOICE:
        field.update(widget="select", options=options[key.choices or ""])
    elif key.type is Type.CHOICE_LIST:
        field.update(widget="select", multiple=True, options=options[key.choices or ""])
    elif key.type is Type.TEXT_LIST:
        field.update(widget="list", allow_add=True, field={"name": "tu", "label": "Từ khóa", "widget": "string"})
    elif key.type is Type.COMMENDATIONS:
        sub_fields = []
        for sub in COMMENDATION_KEYS.values():
            widget = _widget(sub, options, taxonomy, last_year)
            if sub.name == "danh_hieu":
                # A closed list: the checker accepts only the taxonomy's titles.
                widget.update(widget="select", options=[t.name for t in taxonomy.titles])
            if sub.name == "hinh_thuc":
                widget["hint"] = f"{sub.help} Bắt đầu bằng một trong: {', '.join(taxonomy.forms)}."
            if sub.name in ("danh_hieu", "hinh_thuc"):
                widget["required"] = False
            sub_fields.append(widget)
        field.update(widget="list", label_singular="khen thưởng", summary="{{fields.danh_hieu}}{{fields.hinh_thuc}}",
                     fields=sub_fields)
    elif key.type is Type.PATH:
        field.update(widget="image", choose_url=False, media_library={"config": {"multiple": False}})
    return field


def decap_config(taxonomy: Taxonomy, *, proxy_url: str, today: dt.date | None = None) -> dict[str, Any]:
    """The configuration `CMS.init` gets (load_config_file off: nothing else is fetched)."""
    last_year = (today or dt.date.today()).year + 1
    options = choice_options(taxonomy)
    fields = [_widget(key, options, taxonomy, last_year) for key in KEYS.values()]
    fields.append({"name": "body", "label": "Bài viết", "widget": "markdown", "default": NEW_PROFILE_STORY,
                   # Raw Markdown first: the rich-text mode re-writes the whole story when it saves.
                   "modes": ["raw", "rich_text"],
                   "hint": "Kể câu chuyện theo các mục gợi ý; mỗi tiêu đề mục bắt đầu bằng '## '."})
    return {
        "load_config_file": False,
        "locale": "vi",
        "backend": {"name": "proxy", "proxy_url": proxy_url, "branch": "main"},
        "publish_mode": "simple",
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "show_preview_links": False,
        # File names follow the slug rule (ASCII, đ → d); the server refuses any other.
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{
            "name": COLLECTION,
            "label": "Gương điển hình",
            "label_singular": "gương điển hình",
            "description": "Mỗi hồ sơ là một tệp trong content/guong/; tên tệp là địa chỉ trang /guong/<tên-tệp>/.",
            "folder": PROFILE_FOLDER,
            "extension": "md",
            "format": WIRE_FORMAT,
            "create": True,
            "delete": False,
            "slug": "{{ten}}",
            "identifier_field": "ten",
            "summary": "{{ten}} · {{nam}}",
            "sortable_fields": ["ten", "nam"],
            "fields": fields,
        }],
    }


def git_host_config(taxonomy: Taxonomy, *, repo: str, branch: str = "main") -> dict[str, Any]:
    """The same configuration for an office with several editors: Decap talks to a Git host (GitHub) and
    every change goes through the editorial workflow (draft, review, publish) as a pull request (see
    docs/soan-thao.md)."""
    config = decap_config(taxonomy, proxy_url="/api/v1")
    config.pop("load_config_file")
    config["backend"] = {"name": "github", "repo": repo, "branch": branch}
    config["publish_mode"] = "editorial_workflow"
    # No workbench server in between: Decap reads and writes the YAML itself, and `guong check` runs in
    # the repository's CI (or as its pre-commit hook) instead of at every save.
    config["collections"][0]["format"] = "frontmatter"
    return config
