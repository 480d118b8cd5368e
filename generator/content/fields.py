"""The front matter keys of a profile (content-format.md), described once: validation, the schema and the
`Profile` the checker builds all read this table. Adding a key is a row here, its `Profile` attribute, and
its uses (a page, the API's explicit list of public facts)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Type(Enum):
    TEXT = "text"
    YEAR = "year"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    """One value of a fixed list or of a taxonomy list (see `choices`)."""
    CHOICE_LIST = "choice-list"
    TEXT_LIST = "text-list"
    COMMENDATIONS = "commendations"
    PATH = "path"


@dataclass(frozen=True)
class Key:
    name: str
    type: Type
    label: str
    """How the key is named in messages to editors."""
    attribute: str = ""
    """The `Profile` attribute that holds the checked value."""
    required: bool = False
    choices: str | None = None
    """Which list a CHOICE value comes from: kinds, statuses, stages, fields, communes, units, movements."""
    min_length: int | None = None
    max_length: int | None = None

    @property
    def absent(self) -> object:
        """The `Profile` value when the key is left out."""
        if self.type is Type.BOOL:
            return False
        return () if self.type in (Type.CHOICE_LIST, Type.TEXT_LIST, Type.COMMENDATIONS) else None


KEYS: dict[str, Key] = {
    key.name: key
    for key in [
        Key("ten", Type.TEXT, "tên", "name", required=True, min_length=2, max_length=200),
        Key("loai", Type.CHOICE, "loại", "kind", required=True, choices="kinds"),
        Key("linh_vuc", Type.CHOICE, "lĩnh vực", "field", required=True, choices="fields"),
        Key("xa", Type.CHOICE, "xã", "commune", choices="communes"),
        Key("don_vi", Type.CHOICE, "đơn vị", "unit", choices="units"),
        Key("thon", Type.TEXT, "thôn, làng", "village", max_length=120),
        Key("chuc_vu", Type.TEXT, "chức vụ", "role", max_length=200),
        Key("mo_hinh", Type.TEXT, "tên mô hình", "model_name", max_length=200),
        Key("nam", Type.YEAR, "năm", "year", required=True),
        Key("tom_tat", Type.TEXT, "tóm tắt", "summary", required=True, min_length=20, max_length=400),
        Key("trang_thai", Type.CHOICE, "trạng thái", "status", required=True, choices="statuses"),
        Key("dong_y_cong_khai", Type.DATE, "ngày đồng ý công khai", "consent_date"),
        Key("tre_em", Type.BOOL, "trẻ em", "minor"),
        Key("dong_y_nguoi_giam_ho", Type.DATE, "ngày người giám hộ đồng ý", "guardian_consent_date"),
        Key("phong_trao", Type.CHOICE_LIST, "phong trào", "movements", choices="movements"),
        Key("giai_doan", Type.CHOICE, "giai đoạn", "stage", choices="stages"),
        Key("khen_thuong", Type.COMMENDATIONS, "khen thưởng", "commendations"),
        Key("anh", Type.PATH, "ảnh", "photo"),
        Key("chu_thich_anh", Type.TEXT, "chú thích ảnh", "photo_caption", max_length=300),
        Key("nguon_anh", Type.TEXT, "nguồn ảnh", "photo_credit", max_length=200),
        Key("noi_bat", Type.BOOL, "nổi bật", "featured"),
        Key("ngay_dang", Type.DATE, "ngày đăng", "published_date"),
        Key("tac_gia", Type.TEXT, "tác giả", "author", max_length=120),
        Key("tu_khoa", Type.TEXT_LIST, "từ khóa", "keywords", max_length=60),
    ]
}

COMMENDATION_KEYS: dict[str, Key] = {
    key.name: key
    for key in [
        Key("danh_hieu", Type.TEXT, "danh hiệu", max_length=200),
        Key("hinh_thuc", Type.TEXT, "hình thức khen thưởng", max_length=200),
        Key("cap", Type.CHOICE, "cấp khen", required=True, choices="levels"),
        Key("so_quyet_dinh", Type.TEXT, "số quyết định", max_length=60),
        Key("ngay", Type.DATE, "ngày", required=True),
    ]
}

PHOTO_EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
FIRST_YEAR = 2000
