"""The draft profile file written from an interpreted report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.content.encoding import ENCODING_NAMES
from generator.content.word_import.form import SUMMARY_MAX, SUMMARY_MIN, Report


def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (JSON strings are valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class DraftChoices:
    """The values the draft gets: read from the report unless the editor gave them."""

    name: str | None
    kind: str | None
    field: str | None
    commune: str | None
    unit: str | None
    year: int | None
    photo: str | None
    """Path of the saved photo relative to content/ ("anh/x.jpg")."""


def draft_text(report: Report, choices: DraftChoices) -> str:
    """The profile file: front matter (draft status) and the story."""
    lines = ["---"]

    def required(key: str, value: str | None, hint: str) -> None:
        lines.append(f"{key}: {value}" if value is not None else f"{key}:  # CẦN ĐIỀN: {hint}")

    required("ten", _yaml_text(choices.name) if choices.name else None, "tên người, tập thể hoặc hộ gia đình")
    required("loai", choices.kind, "ca-nhan, tap-the hoặc ho-gia-dinh")
    required("linh_vuc", choices.field, "slug lĩnh vực, xem generator/danh-muc/linh-vuc.yml")
    if choices.commune:
        lines.append(f"xa: {choices.commune}")
    if choices.unit:
        lines.append(f"don_vi: {choices.unit}")
    if not choices.commune and not choices.unit:
        lines.append("# CẦN ĐIỀN một trong hai: xa: <slug xã, xem xa.yml> hoặc don_vi: <slug đơn vị, xem don-vi.yml>")
    if report.role:
        lines.append(f"chuc_vu: {_yaml_text(report.role)}")
    required("nam", str(choices.year) if choices.year else None, "năm được lựa chọn, ví dụ 2024")
    required("tom_tat", _yaml_text(report.summary) if report.summary else None,
             f"một đoạn {SUMMARY_MIN}–{SUMMARY_MAX} ký tự về thành tích")
    lines.append("trang_thai: nhap")
    if choices.kind in (None, "ca-nhan", "ho-gia-dinh"):
        lines.append("# Trước khi chuyển sang 'xuat-ban', hồ sơ cá nhân và hộ gia đình cần ngày nhận văn bản "
                     "đồng ý công khai:")
        lines.append("# dong_y_cong_khai: YYYY-MM-DD")
    if report.commendations:
        lines.append("khen_thuong:")
        for item in report.commendations:
            lines.extend(_commendation_lines(item))
    if report.unmatched:
        lines.append("# Các mục khen thưởng chưa ghi được; sửa rồi bỏ dấu '#' ở đầu dòng (và thêm 'khen_thuong:' "
                     "nếu chưa có):")
        for item, problem in report.unmatched:
            lines.append(f"#   ({problem})")
            lines.extend("# " + line for line in _commendation_lines(item))
    if choices.photo:
        lines.append(f"anh: {choices.photo}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + report.story


def _commendation_lines(item: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("danh_hieu", "hinh_thuc", "cap", "so_quyet_dinh", "ngay"):
        if key not in item:
            continue
        value = item[key]
        shown = value.isoformat() if isinstance(value, dt.date) else (
            value if key == "cap" else _yaml_text(value))
        out.append(f"{'  - ' if not out else '    '}{key}: {shown}")
    return out


def encoding_label(name: str) -> str:
    return ENCODING_NAMES.get(name, name)
