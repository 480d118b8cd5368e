"""A new profile file with the keys filled in and the suggested story sections (``guong new``)."""

from __future__ import annotations

import json

NEW_PROFILE_TEMPLATE = """\
---
ten: {name_yaml}
loai: {kind}
linh_vuc: {field}
{place}
# thon: Thôn …
# chuc_vu: …
# mo_hinh: …
nam: {year}
tom_tat: {summary}
trang_thai: nhap
# Trước khi chuyển sang 'xuat-ban', hồ sơ cá nhân và hộ gia đình cần ngày nhận văn bản đồng ý công khai:
# dong_y_cong_khai: YYYY-MM-DD
# tre_em: true            # nếu là trẻ em, cần cả ngày người giám hộ đồng ý:
# dong_y_nguoi_giam_ho: YYYY-MM-DD
# phong_trao: [hoc-tap-lam-theo-bac]
# giai_doan: phat-hien
# khen_thuong:
#   - hinh_thuc: Giấy khen của Chủ tịch UBND xã
#     cap: xa
#     so_quyet_dinh: 123/QĐ-UBND
#     ngay: YYYY-MM-DD
# anh: anh/{slug}.jpg
# chu_thich_anh: …
# nguon_anh: …
# tac_gia: …
---

## Thành tích

Viết ở đây những thành tích nổi bật của {name}: kết quả cụ thể, con số, danh hiệu đã nhận.

## Cách làm hay

Kể lại cách làm sáng tạo, hiệu quả: bắt đầu từ đâu, vượt qua khó khăn thế nào.

## Bài học kinh nghiệm

Những điều người khác có thể học được.

## Nhân rộng

Mô hình đã hoặc có thể được nhân rộng ở đâu, như thế nào.
"""


def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def new_profile_text(*, name: str, kind: str, field: str, commune: str | None, unit: str | None,
                     year: int, slug: str) -> str:
    place = "\n".join(
        line for line in (f"xa: {commune}" if commune else "", f"don_vi: {unit}" if unit else "") if line
    )
    summary = f"Tóm tắt một đoạn (20–400 ký tự) về {name}: vì sao đây là gương điển hình tiêu biểu."
    return NEW_PROFILE_TEMPLATE.format(
        name_yaml=_yaml_text(name), name=name, kind=kind, field=field, place=place, year=year,
        summary=_yaml_text(summary), slug=slug,
    )
