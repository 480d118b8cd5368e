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
    help: str = ""
    """One sentence for editors on what to write (the workbench's field hint, the schema's description)."""

    @property
    def absent(self) -> object:
        """The `Profile` value when the key is left out."""
        if self.type is Type.BOOL:
            return False
        return () if self.type in (Type.CHOICE_LIST, Type.TEXT_LIST, Type.COMMENDATIONS) else None


KEYS: dict[str, Key] = {
    key.name: key
    for key in [
        Key("ten", Type.TEXT, "tên", "name", required=True, min_length=2, max_length=200,
            help="Tên được công bố của người, tập thể hoặc hộ gia đình (ví dụ: Hộ ông Ksor Nhoang)."),
        Key("loai", Type.CHOICE, "loại", "kind", required=True, choices="kinds",
            help="Cá nhân, tập thể hay hộ gia đình; lĩnh vực đã chọn phải cho phép loại này."),
        Key("linh_vuc", Type.CHOICE, "lĩnh vực", "field", required=True, choices="fields",
            help="Một trong mười hai lĩnh vực của Kế hoạch 105/KH-UBND."),
        Key("xa", Type.CHOICE, "xã", "commune", choices="communes",
            help="Xã của gương điển hình (xã cũ trước sáp nhập hoặc xã mới); điền xã hoặc đơn vị, ít nhất một."),
        Key("don_vi", Type.CHOICE, "đơn vị", "unit", choices="units",
            help="Cơ quan, đơn vị cấp huyện, hoặc nơi người đó công tác; điền xã hoặc đơn vị, ít nhất một."),
        Key("thon", Type.TEXT, "thôn, làng", "village", max_length=120,
            help="Thôn, làng, buôn, plei (không bắt buộc)."),
        Key("chuc_vu", Type.TEXT, "chức vụ", "role", max_length=200,
            help="Chức vụ, ví dụ: Bí thư Chi bộ kiêm Trưởng thôn."),
        Key("mo_hinh", Type.TEXT, "tên mô hình", "model_name", max_length=200,
            help="Tên riêng của mô hình, ví dụ: Tủ bánh 0 đồng."),
        Key("nam", Type.YEAR, "năm", "year", required=True,
            help="Năm được lựa chọn hoặc công nhận là gương điển hình."),
        Key("tom_tat", Type.TEXT, "tóm tắt", "summary", required=True, min_length=20, max_length=400,
            help="Một đoạn 20–400 ký tự, hiện trên thẻ, trong bản tin và kết quả tìm kiếm."),
        Key("trang_thai", Type.CHOICE, "trạng thái", "status", required=True, choices="statuses",
            help="Chỉ hồ sơ 'Xuất bản' mới hiện trên cổng thông tin."),
        Key("dong_y_cong_khai", Type.DATE, "ngày đồng ý công khai", "consent_date",
            help="Ngày nhận văn bản đồng ý công khai; bắt buộc với cá nhân và hộ gia đình trước khi xuất bản."),
        Key("tre_em", Type.BOOL, "trẻ em", "minor",
            help="Đánh dấu nếu là trẻ em; khi đó cần cả ngày người giám hộ đồng ý."),
        Key("dong_y_nguoi_giam_ho", Type.DATE, "ngày người giám hộ đồng ý", "guardian_consent_date",
            help="Ngày người giám hộ đồng ý công khai (chỉ cho trẻ em)."),
        Key("phong_trao", Type.CHOICE_LIST, "phong trào", "movements", choices="movements",
            help="Các phong trào thi đua mà gương điển hình thuộc về."),
        Key("giai_doan", Type.CHOICE, "giai đoạn", "stage", choices="stages",
            help="Giai đoạn trong quy trình: phát hiện, bồi dưỡng, nhân rộng, biểu dương."),
        Key("khen_thuong", Type.COMMENDATIONS, "khen thưởng", "commendations",
            help="Mỗi khen thưởng: danh hiệu hoặc hình thức, cấp khen, số quyết định, ngày."),
        Key("anh", Type.PATH, "ảnh", "photo",
            help="Ảnh JPG, PNG hoặc WebP, tối đa 5 MB; vị trí GPS trong ảnh được xóa khi tải lên."),
        Key("chu_thich_anh", Type.TEXT, "chú thích ảnh", "photo_caption", max_length=300,
            help="Chú thích ảnh; cũng là lời mô tả ảnh cho người khiếm thị."),
        Key("nguon_anh", Type.TEXT, "nguồn ảnh", "photo_credit", max_length=200,
            help="Người chụp hoặc nơi cung cấp ảnh."),
        Key("noi_bat", Type.BOOL, "nổi bật", "featured",
            help="Đánh dấu để giới thiệu trên trang chủ."),
        Key("ngay_dang", Type.DATE, "ngày đăng", "published_date",
            help="Ngày đăng; để trống thì lấy ngày xuất bản đầu tiên."),
        Key("tac_gia", Type.TEXT, "tác giả", "author", max_length=120,
            help="Tên người viết bài (ban biên tập)."),
        Key("tu_khoa", Type.TEXT_LIST, "từ khóa", "keywords", max_length=60,
            help="Từ khóa tự do, giúp tìm kiếm."),
    ]
}

COMMENDATION_KEYS: dict[str, Key] = {
    key.name: key
    for key in [
        Key("danh_hieu", Type.TEXT, "danh hiệu", max_length=200,
            help="Danh hiệu thi đua, ví dụ: Chiến sĩ thi đua cơ sở (điền danh hiệu hoặc hình thức)."),
        Key("hinh_thuc", Type.TEXT, "hình thức khen thưởng", max_length=200,
            help="Hình thức khen thưởng, ví dụ: Giấy khen của Chủ tịch UBND xã."),
        Key("cap", Type.CHOICE, "cấp khen", required=True, choices="levels",
            help="Cấp ra quyết định khen thưởng."),
        Key("so_quyet_dinh", Type.TEXT, "số quyết định", max_length=60,
            help="Ví dụ: 1234/QĐ-UBND."),
        Key("ngay", Type.DATE, "ngày", required=True,
            help="Ngày ký quyết định."),
    ]
}

PHOTO_EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
FIRST_YEAR = 2000
