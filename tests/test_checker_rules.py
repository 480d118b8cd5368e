"""Checker rules that no other test pins, each with its exact message: the full `path:line:col: severity:
text` line printed by `guong check`, the rule code and severity in `--format json`, and the exit code.
Also the taxonomy folder's own errors (`--danh-muc`), and `--danh-muc` switching check, stats and schema to
another taxonomy.

Every profile here is VALID_FRONT_MATTER (lines 2–10 of the file) with a few keys changed or added from
line 11 on, written alone into a fresh content folder, so the only problems are the ones under test."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from conftest import VALID_FRONT_MATTER
from generator.content.collection import load_collection
from generator.content.fields import KEYS
from generator.content.model import Profile
from generator.content.taxonomy import DEFAULT_DIR

SLUG = "ho-so"
PATH = f"content/guong/{SLUG}.md"
CHECKED_ONE_FILE = "Đã kiểm tra 1 tệp: "
CLEAN = CHECKED_ONE_FILE + "không có lỗi."

COLLECTIVE = (VALID_FRONT_MATTER.replace("ten: Nguyễn Thị Mẫu", "ten: Trường Tiểu học Kim Đồng")
              .replace("loai: ca-nhan", "loai: tap-the"))
HOUSEHOLD = (VALID_FRONT_MATTER.replace("ten: Nguyễn Thị Mẫu", "ten: Hộ bà Nguyễn Thị Mẫu")
             .replace("loai: ca-nhan", "loai: ho-gia-dinh").replace("linh_vuc: giao-duc-dao-tao", "linh_vuc: vi-nguoi-ngheo"))
COMMENDATION = """\
khen_thuong:
  - danh_hieu: Chiến sĩ thi đua cơ sở
    cap: huyen
    so_quyet_dinh: {number}
    ngay: 2024-01-15
"""


def _with(front: str = VALID_FRONT_MATTER, *, replace: dict[str, str] | None = None, add: str = "") -> str:
    for old, new in (replace or {}).items():
        assert old in front, old
        front = front.replace(old, new)
    return front + add


def _summary(expected: list[tuple]) -> str:
    if not expected:
        return CLEAN
    errors = sum(1 for p in expected if p[2] == "lỗi")
    return f"{CHECKED_ONE_FILE}{errors} lỗi ở {1 if errors else 0} tệp, {len(expected) - errors} cảnh báo."


# id → (front matter, [(line, column, severity word, rule code, message)], exit code)
CASES = {
    # --- commune-period: the profile's year against the 1/7/2025 merger -------------------------
    "commune-period/old-commune-after-merger": (
        _with(replace={"nam: 2024": "nam: 2026"}),
        [(5, 1, "cảnh báo", "commune-period",
          "xã 'ia-tul' đã sáp nhập vào 'ia-tul-2025' từ 1/7/2025; hồ sơ năm 2026 nên ghi xa: ia-tul-2025")],
        0,
    ),
    "commune-period/other-old-commune-after-merger": (
        _with(replace={"xa: ia-tul": "xa: kim-tan", "nam: 2024": "nam: 2027"}),
        [(5, 1, "cảnh báo", "commune-period",
          "xã 'kim-tan' đã sáp nhập vào 'ia-pa-2025' từ 1/7/2025; hồ sơ năm 2027 nên ghi xa: ia-pa-2025")],
        0,
    ),
    "commune-period/new-commune-before-merger": (
        _with(replace={"xa: ia-tul": "xa: ia-tul-2025"}),
        [(5, 1, "cảnh báo", "commune-period",
          "xã 'ia-tul-2025' chỉ có từ 01/07/2025, nhưng năm là 2024; hồ sơ trước đó ghi xã cũ")],
        0,
    ),
    # In 2025 both sets of communes existed (old ones until 30/6, new ones from 1/7): no warning.
    "commune-period/old-commune-in-2025": (_with(replace={"nam: 2024": "nam: 2025"}), [], 0),
    "commune-period/new-commune-in-2025": (
        _with(replace={"xa: ia-tul": "xa: ia-tul-2025", "nam: 2024": "nam: 2025"}), [], 0),
    "commune-period/new-commune-after-merger": (
        _with(replace={"xa: ia-tul": "xa: po-to-2025", "nam: 2024": "nam: 2026"}), [], 0),
    # --- missing-place: a key left empty is no place either (a build needs a commune or a unit) ----
    "missing-place/empty-commune": (
        _with(replace={"xa: ia-tul": "xa:"}),
        [(1, 1, "lỗi", "missing-place", "cần ít nhất một trong hai khóa 'xa' (xã) hoặc 'don_vi' (cơ quan, đơn vị)")],
        1,
    ),
    # --- minor-collective ------------------------------------------------------------------------
    "minor-collective/with-guardian-consent": (
        _with(COLLECTIVE, add="tre_em: true\ndong_y_nguoi_giam_ho: 2024-05-01\n"),
        [(11, 1, "lỗi", "minor-collective", "'tre_em' chỉ dùng cho hồ sơ cá nhân")],
        1,
    ),
    "minor-collective/and-missing-guardian-consent": (
        _with(COLLECTIVE, add="tre_em: true\n"),
        [(11, 1, "lỗi", "minor-collective", "'tre_em' chỉ dùng cho hồ sơ cá nhân"),
         (11, 1, "lỗi", "missing-guardian-consent",
          "hồ sơ trẻ em phải có 'dong_y_nguoi_giam_ho': ngày người giám hộ đồng ý công khai "
          "(cần cả sự đồng ý của trẻ từ đủ 7 tuổi, ghi ở 'dong_y_cong_khai')")],
        1,
    ),
    "minor-collective/household": (
        _with(HOUSEHOLD, add="tre_em: true\ndong_y_nguoi_giam_ho: 2024-05-01\n"),
        [(11, 1, "lỗi", "minor-collective", "'tre_em' chỉ dùng cho hồ sơ cá nhân")],
        1,
    ),
    "minor-collective/tre-em-false-is-fine": (_with(COLLECTIVE, add="tre_em: false\n"), [], 0),
    "minor-collective/individual-minor-is-fine": (
        _with(add="tre_em: true\ndong_y_nguoi_giam_ho: 2024-05-01\n"), [], 0),
    # --- guardian-without-minor ------------------------------------------------------------------
    "guardian-without-minor/no-tre-em": (
        _with(add="dong_y_nguoi_giam_ho: 2024-05-01\n"),
        [(11, 1, "cảnh báo", "guardian-without-minor", "có 'dong_y_nguoi_giam_ho' nhưng không ghi 'tre_em: true'")],
        0,
    ),
    "guardian-without-minor/tre-em-false": (
        _with(add="tre_em: false\ndong_y_nguoi_giam_ho: 2024-05-01\n"),
        [(12, 1, "cảnh báo", "guardian-without-minor", "có 'dong_y_nguoi_giam_ho' nhưng không ghi 'tre_em: true'")],
        0,
    ),
    # --- caption-without-photo (also the photo credit) ---------------------------------------------
    "caption-without-photo/caption": (
        _with(add="chu_thich_anh: Cô giáo trên lớp học buổi tối\n"),
        [(11, 1, "cảnh báo", "caption-without-photo", "có 'chu_thich_anh' nhưng không có 'anh'")],
        0,
    ),
    "caption-without-photo/credit": (
        _with(add="tac_gia: Ban biên tập\nnguon_anh: Trung tâm VH-TT-TT\n"),
        [(12, 1, "cảnh báo", "caption-without-photo", "có 'nguon_anh' nhưng không có 'anh'")],
        0,
    ),
    "caption-without-photo/both": (
        _with(add="chu_thich_anh: Cô giáo trên lớp\nnguon_anh: Trung tâm VH-TT-TT\n"),
        [(11, 1, "cảnh báo", "caption-without-photo", "có 'chu_thich_anh' nhưng không có 'anh'"),
         (12, 1, "cảnh báo", "caption-without-photo", "có 'nguon_anh' nhưng không có 'anh'")],
        0,
    ),
    # --- decision-number: a commendation's so_quyet_dinh ------------------------------------------
    "decision-number/words-first": (
        _with(add=COMMENDATION.format(number="QĐ số 1234")),
        [(14, 5, "cảnh báo", "decision-number",
          "số quyết định 'QĐ số 1234' thường có dạng '1234/QĐ-UBND' hoặc '27-QĐ/HĐTN'")],
        0,
    ),
    "decision-number/number-only": (
        _with(add=COMMENDATION.format(number='"1234"')),
        [(14, 5, "cảnh báo", "decision-number",
          "số quyết định '1234' thường có dạng '1234/QĐ-UBND' hoặc '27-QĐ/HĐTN'")],
        0,
    ),
    "decision-number/space-before-slash": (
        _with(add=COMMENDATION.format(number="1234 /QĐ-UBND")),
        [(14, 5, "cảnh báo", "decision-number",
          "số quyết định '1234 /QĐ-UBND' thường có dạng '1234/QĐ-UBND' hoặc '27-QĐ/HĐTN'")],
        0,
    ),
    "decision-number/word-so-before-the-number": (
        _with(add=COMMENDATION.format(number="Số 1234/QĐ-UBND")),
        [(14, 5, "cảnh báo", "decision-number",
          "số quyết định 'Số 1234/QĐ-UBND' thường có dạng '1234/QĐ-UBND' hoặc '27-QĐ/HĐTN'")],
        0,
    ),
    "decision-number/state-form-is-fine": (_with(add=COMMENDATION.format(number="1234/QĐ-UBND")), [], 0),
    "decision-number/party-form-is-fine": (_with(add=COMMENDATION.format(number="27-QĐ/HĐTN")), [], 0),
    # --- duplicate-item: the second occurrence in a list --------------------------------------------
    "duplicate-item/phong-trao": (
        _with(add="phong_trao:\n  - duy-tri-si-so\n  - hoc-tap-lam-theo-bac\n  - duy-tri-si-so\n"),
        [(14, 5, "cảnh báo", "duplicate-item", "'duy-tri-si-so' ghi hai lần trong 'phong_trao'")],
        0,
    ),
    "duplicate-item/tu-khoa": (
        _with(add="tu_khoa: [dạy chữ, làng xa, dạy chữ]\n"),
        [(11, 29, "cảnh báo", "duplicate-item", "'dạy chữ' ghi hai lần trong 'tu_khoa'")],
        0,
    ),
    "duplicate-item/tu-khoa-after-trimming": (
        _with(add='tu_khoa:\n  - làng xa\n  - " làng xa "\n'),
        [(13, 5, "cảnh báo", "duplicate-item", "'làng xa' ghi hai lần trong 'tu_khoa'")],
        0,
    ),
    # --- too-deep: nesting deeper than the reader allows (MAX_NESTING, MAX_FLOW_BRACKETS) ----------
    "too-deep/flow-lists": (
        _with(add="tu_khoa: [[[[[[[[x]]]]]]]]\n"),
        [(11, 18, "lỗi", "too-deep", "giá trị lồng nhau quá sâu; hồ sơ không cần cấu trúc như vậy")],
        1,
    ),
    "too-deep/block-mappings": (
        _with(add="khen_thuong:\n  - cap:\n      a:\n        b:\n          c:\n            d:\n"
                  "              e:\n                f: 1\n"),
        [(18, 20, "lỗi", "too-deep", "giá trị lồng nhau quá sâu; hồ sơ không cần cấu trúc như vậy")],
        1,
    ),
    "too-deep/block-lists": (
        _with(add="tu_khoa:\n" + "".join("  " * depth + "-\n" for depth in range(1, 8)) + "  " * 8 + "- x\n"),
        [(19, 19, "lỗi", "too-deep", "giá trị lồng nhau quá sâu; hồ sơ không cần cấu trúc như vậy")],
        1,
    ),
    "too-deep/65-brackets": (
        _with(add="tu_khoa: " + "[" * 65 + "]" * 65 + "\n"),
        [(11, 1, "lỗi", "too-deep", "giá trị lồng nhau quá sâu; hồ sơ không cần cấu trúc như vậy")],
        1,
    ),
    # One level less is read, and then refused by the list's own rule, not as too deep.
    "too-deep/one-level-less-is-read": (
        _with(add="tu_khoa: [[[[[[[x]]]]]]]\n"),
        [(11, 11, "lỗi", "wrong-type",
          "'tu_khoa' (từ khóa) phải là chữ; nếu giá trị là số hoặc ngày, hãy đặt trong ngoặc kép")],
        1,
    ),
    # --- a quote opened and never closed: reported where it opened, not where YAML gave up -------
    # The next quote in the file (here the one of mo_hinh, two lines on) ends the value for YAML.
    "unclosed-quote/double-closed-lines-later": (
        _with(replace={"tom_tat: Hồ sơ kiểm thử": 'tom_tat: "Anh Bình sửa cầu: chưa đóng ngoặc. Hồ sơ kiểm thử'},
              add='mo_hinh: "Cầu tre: làng Ơi"\n'),
        [(7, 10, "lỗi", "yaml-syntax",
          'lỗi cú pháp YAML: dấu ngoặc kép (") mở ở đây nhưng không được đóng; hãy thêm dấu " ở cuối giá trị, '
          "trên cùng dòng")],
        1,
    ),
    # No other quote: YAML reads to the end of the front matter.
    "unclosed-quote/double-never-closed": (
        _with(replace={"tom_tat: Hồ sơ kiểm thử": 'tom_tat: "Anh Bình sửa cầu: chưa đóng ngoặc. Hồ sơ kiểm thử'}),
        [(7, 10, "lỗi", "yaml-syntax",
          'lỗi cú pháp YAML: dấu ngoặc kép (") mở ở đây nhưng không được đóng; hãy thêm dấu " ở cuối giá trị, '
          "trên cùng dòng")],
        1,
    ),
    "unclosed-quote/single-in-a-list": (
        _with(add="tu_khoa:\n  - 'cầu tre\n  - làng Ơi\n"),
        [(12, 5, "lỗi", "yaml-syntax",
          "lỗi cú pháp YAML: dấu nháy đơn (') mở ở đây nhưng không được đóng; hãy thêm dấu ' ở cuối giá trị, "
          "trên cùng dòng")],
        1,
    ),
    # Closed quotes with an escaped quote inside, and a name with an apostrophe, are fine.
    "unclosed-quote/closed-with-escapes": (
        _with(replace={"ten: Nguyễn Thị Mẫu": "ten: 'Ksor H''Blin'"},
              add='mo_hinh: "Tủ sách \\"Ánh sáng\\": làng Ơi"\nthon: Plei H\'Lang\n'),
        [],
        0,
    ),
    # --- a year, date or true/false in quotes is text to YAML: the quotes must go -----------------
    "quoted-value/year": (
        _with(replace={"nam: 2024": 'nam: "2024"'}),
        [(6, 1, "lỗi", "wrong-type",
          "giá trị của 'nam' (năm) không được đặt trong ngoặc: hãy bỏ dấu ngoặc, viết nam: 2024")],
        1,
    ),
    "quoted-value/year-in-single-quotes": (
        _with(replace={"nam: 2024": "nam: '2024'"}),
        [(6, 1, "lỗi", "wrong-type",
          "giá trị của 'nam' (năm) không được đặt trong ngoặc: hãy bỏ dấu ngoặc, viết nam: 2024")],
        1,
    ),
    # Not a year even without the quotes: the year rule's own message.
    "quoted-value/not-a-year": (
        _with(replace={"nam: 2024": 'nam: "năm 2024"'}),
        [(6, 1, "lỗi", "wrong-type", "'nam' (năm) phải là một năm gồm 4 chữ số, ví dụ 2024")],
        1,
    ),
    "quoted-value/date": (
        _with(replace={"ngay_dang: 2024-06-01": 'ngay_dang: "2024-06-01"'}),
        [(10, 1, "lỗi", "wrong-type",
          "giá trị của 'ngay_dang' (ngày đăng) không được đặt trong ngoặc: hãy bỏ dấu ngoặc, viết ngay_dang: 2024-06-01")],
        1,
    ),
    "quoted-value/date-that-does-not-exist": (
        _with(replace={"ngay_dang: 2024-06-01": 'ngay_dang: "2024-02-30"'}),
        [(10, 1, "lỗi", "bad-date",
          "'ngay_dang' (ngày đăng) không phải ngày hợp lệ; viết theo dạng YYYY-MM-DD, ví dụ 2024-03-15")],
        1,
    ),
    "quoted-value/bool": (
        _with(add='noi_bat: "true"\n'),
        [(11, 1, "lỗi", "wrong-type",
          "giá trị của 'noi_bat' (nổi bật) không được đặt trong ngoặc: hãy bỏ dấu ngoặc, viết noi_bat: true")],
        1,
    ),
}


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """Run from tmp_path, so that paths print as content/guong/… and danh-muc/…"""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("front, expected, exit_code", CASES.values(), ids=CASES.keys())
def test_rule_message(guong, content, here, front, expected, exit_code):
    content(SLUG, front)
    text = guong("check", "content")
    assert text.lines == [f"{PATH}:{line}:{column}: {severity}: {message}"
                          for line, column, severity, _, message in expected] + [_summary(expected)]
    assert text.err == ""
    assert text.code == exit_code

    data = json.loads(guong("check", "content", "--format", "json").out)
    assert data["problems"] == [
        {"path": PATH, "line": line, "column": column, "severity": "error" if severity == "lỗi" else "warning",
         "code": code, "message": message}
        for line, column, severity, code, message in expected
    ]


def test_duplicate_items_are_kept_once(content, here, taxonomy):
    content(SLUG, _with(add="phong_trao: [duy-tri-si-so, duy-tri-si-so]\ntu_khoa: [dạy chữ, làng xa, dạy chữ]\n"))
    collection = load_collection(Path("content"), taxonomy)
    assert [(p.code, p.format()) for p in collection.problems] == [
        ("duplicate-item", f"{PATH}:11:29: cảnh báo: 'duy-tri-si-so' ghi hai lần trong 'phong_trao'"),
        ("duplicate-item", f"{PATH}:12:29: cảnh báo: 'dạy chữ' ghi hai lần trong 'tu_khoa'"),
    ]
    (profile,) = collection.profiles
    assert (profile.movements, profile.keywords) == (("duy-tri-si-so",), ("dạy chữ", "làng xa"))


# --------------------------------------------------------------------------------------------------
# The taxonomy folder given with --danh-muc

def _copy_taxonomy(folder: Path) -> Path:
    shutil.copytree(DEFAULT_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


# id → (how to break a copy of the default taxonomy, the exact stderr after "lỗi danh mục: ")
BROKEN_TAXONOMIES = {
    "missing-file": (lambda d: (d / "xa.yml").unlink(), "danh-muc/xa.yml: thiếu tệp danh mục"),
    "yaml-syntax": (
        lambda d: _write(d / "phong-trao.yml", "- slug: a\n  ten: [x\n"),
        "danh-muc/phong-trao.yml: tệp danh mục hỏng (while parsing a flow sequence\n"
        '  in "<unicode string>", line 2, column 8:\n'
        "      ten: [x\n"
        "           ^\n"
        "expected ',' or ']', but got '<stream end>'\n"
        '  in "<unicode string>", line 3, column 1:\n'
        "    \n"
        "    ^)",
    ),
    "not-utf8": (
        lambda d: (d / "don-vi.yml").write_bytes(b"- slug: a\n  ten: Ph\xf2ng\n"),
        "danh-muc/don-vi.yml: tệp danh mục hỏng ('utf-8' codec can't decode byte 0xf2 in position 19: "
        "invalid continuation byte)",
    ),
    "not-a-list": (lambda d: _write(d / "phong-trao.yml", "slug: a\nten: A\n"),
                   "danh-muc/phong-trao.yml: tệp phải là một danh sách các mục '- slug: …'"),
    "empty-list-file": (lambda d: _write(d / "linh-vuc.yml", "# chưa có lĩnh vực nào\n"),
                        "danh-muc/linh-vuc.yml: tệp phải là một danh sách các mục '- slug: …'"),
    "item-not-a-mapping": (lambda d: _write(d / "phong-trao.yml", "- slug: a\n  ten: A\n- b\n"),
                           "danh-muc/phong-trao.yml: mục thứ 2 không có dạng 'khóa: giá trị'"),
    "missing-key": (lambda d: _write(d / "phong-trao.yml", "- slug: a\n  ten: A\n- slug: b\n"),
                    "danh-muc/phong-trao.yml: mục thứ 2 thiếu ten"),
    "empty-value": (lambda d: _write(d / "phong-trao.yml", "- slug: a\n  ten:\n"),
                    "danh-muc/phong-trao.yml: mục thứ 1 thiếu ten"),
    "missing-keys": (lambda d: _write(d / "xa.yml", "- ten: Ia Tul\n"),
                     "danh-muc/xa.yml: mục thứ 1 thiếu slug, ma_gso"),
    "bad-slug": (lambda d: _edit(d / "xa.yml", "- slug: ia-tul\n", "- slug: Ia-Tul\n"),
                 "danh-muc/xa.yml: mục thứ 6: slug 'Ia-Tul' trùng hoặc không đúng dạng a-z0-9-"),
    "duplicate-slug": (lambda d: _edit(d / "xa.yml", "- slug: chu-rang\n", "- slug: po-to\n"),
                       "danh-muc/xa.yml: mục thứ 2: slug 'po-to' trùng hoặc không đúng dạng a-z0-9-"),
    "merged-into-unknown-commune": (
        lambda d: _edit(d / "xa.yml", "- slug: ia-pa-2025\n", "- slug: ia-pa-moi\n"),
        "danh-muc/xa.yml: xã 'kim-tan' sáp nhập vào 'ia-pa-2025' nhưng không có xã đó trong tệp",
    ),
    "unit-in-unknown-quota-group": (
        lambda d: _edit(d / "don-vi.yml", "- slug: phong-noi-vu\n  ten: Phòng Nội vụ\n  nhom: don-vi\n",
                        "- slug: phong-noi-vu\n  ten: Phòng Nội vụ\n  nhom: co-quan\n"),
        "danh-muc/don-vi.yml: đơn vị 'phong-noi-vu' có nhóm 'co-quan' không có trong chi-tieu.yml "
        "(xa, don-vi, nganh-dac-thu)",
    ),
    "field-with-unknown-kind": (
        lambda d: _edit(d / "linh-vuc.yml", "  loai: [ho-gia-dinh]\n", "  loai: [ho-gia-đinh]\n"),
        "danh-muc/linh-vuc.yml: 'vi-nguoi-ngheo': loai phải là danh sách trong ca-nhan, tap-the, ho-gia-dinh",
    ),
    "quota-file-not-a-mapping": (lambda d: _write(d / "chi-tieu.yml", "- xa\n"),
                                 "danh-muc/chi-tieu.yml: tệp phải gồm các khóa 'nhom', 'giai_doan'"),
    "awards-file-not-a-mapping": (lambda d: _write(d / "khen-thuong.yml", "- cap\n"),
                                  "danh-muc/khen-thuong.yml: tệp phải gồm các khóa 'danh_hieu', 'hinh_thuc', 'cap'"),
    "quota-group-without-minimum": (lambda d: _edit(d / "chi-tieu.yml", "    toi_thieu: 1\n", ""),
                                    "danh-muc/chi-tieu.yml: nhom 'don-vi' thiếu toi_thieu"),
    "quota-minimum-not-a-number": (lambda d: _edit(d / "chi-tieu.yml", "    toi_thieu: 1\n", "    toi_thieu: nam\n"),
                                   "danh-muc/chi-tieu.yml: 'toi_thieu: nam' phải là một số nguyên"),
    "period-without-first-year": (lambda d: _edit(d / "chi-tieu.yml", "    tu_nam: 2021\n", ""),
                                  "danh-muc/chi-tieu.yml: giai_doan, mục thứ 2 thiếu tu_nam"),
    "title-without-name": (lambda d: _edit(d / "khen-thuong.yml", "  - ten: Lao động tiên tiến\n",
                                           "  - doi_tuong: [ca-nhan]\n"),
                           "danh-muc/khen-thuong.yml: danh_hieu, mục thứ 4 thiếu ten"),
    "level-without-slug": (lambda d: _edit(d / "khen-thuong.yml", "  - slug: thu-tuong\n", "  - ma: thu-tuong\n"),
                           "danh-muc/khen-thuong.yml: cap, mục thứ 2 thiếu slug"),
    "new-commune-date-not-a-date": (lambda d: _edit(d / "xa.yml", "  ten: Pờ Tó (từ 1/7/2025)\n  ma_gso: \"24013\"\n  tu_ngay: 2025-07-01\n",
                                                    "  ten: Pờ Tó (từ 1/7/2025)\n  ma_gso: \"24013\"\n  tu_ngay: 1/7/2025\n"),
                                    "danh-muc/xa.yml: 'po-to-2025': 'tu_ngay: 1/7/2025' phải là ngày dạng YYYY-MM-DD, ví dụ 2025-07-01"),
    "quota-file-missing-key": (lambda d: _edit(d / "chi-tieu.yml", "\ngiai_doan:\n", "\ngiai_doan_cu:\n"),
                               "danh-muc/chi-tieu.yml: thiếu khóa 'giai_doan'"),
    "awards-file-missing-key": (lambda d: _edit(d / "khen-thuong.yml", "\ncap:\n", "\ncap_khen:\n"),
                                "danh-muc/khen-thuong.yml: thiếu khóa 'cap'"),
    "awards-file-empty-key": (lambda d: _edit(d / "khen-thuong.yml", "\nhinh_thuc:\n", "\nhinh_thuc: []\nhinh_thuc_cu:\n"),
                              "danh-muc/khen-thuong.yml: thiếu khóa 'hinh_thuc'"),
}


@pytest.mark.parametrize("break_it, message", BROKEN_TAXONOMIES.values(), ids=BROKEN_TAXONOMIES.keys())
def test_broken_taxonomy_folder(guong, content, here, break_it, message):
    content(SLUG)
    break_it(_copy_taxonomy(here / "danh-muc"))
    run = guong("--danh-muc", "danh-muc", "check", "content")
    assert (run.code, run.out, run.err) == (1, "", f"lỗi danh mục: {message}\n")


@pytest.mark.parametrize("command", [["check", "content"], ["check", "content", "--format", "json"],
                                     ["stats", "content"], ["schema"]])
def test_broken_taxonomy_stops_every_command_the_same_way(guong, content, here, command):
    content(SLUG)
    (_copy_taxonomy(here / "danh-muc") / "khen-thuong.yml").unlink()
    run = guong("--danh-muc", "danh-muc", *command)
    assert (run.code, run.out, run.err) == (1, "", "lỗi danh mục: danh-muc/khen-thuong.yml: thiếu tệp danh mục\n")


# --------------------------------------------------------------------------------------------------
# --danh-muc pointing at another, valid taxonomy: its values are the ones accepted

NEW_FIELD = "- slug: van-hoa-the-thao\n  ten: Văn hóa, thể thao\n  loai: [tap-the, ca-nhan]\n"
NEW_UNIT = "- slug: doi-xung-kich\n  ten: Đội thanh niên xung kích\n  nhom: don-vi\n"


@pytest.fixture
def other_taxonomy(here) -> Path:
    folder = _copy_taxonomy(here / "danh-muc-khac")
    with open(folder / "linh-vuc.yml", "a", encoding="utf-8") as handle:
        handle.write(NEW_FIELD)
    with open(folder / "don-vi.yml", "a", encoding="utf-8") as handle:
        handle.write(NEW_UNIT)
    return folder


def test_check_uses_the_given_taxonomy(guong, content, other_taxonomy):
    content(SLUG, _with(replace={"linh_vuc: giao-duc-dao-tao": "linh_vuc: van-hoa-the-thao"}))

    run = guong("--danh-muc", "danh-muc-khac", "check", "content")
    assert (run.code, run.lines, run.err) == (0, [CLEAN], "")

    run = guong("check", "content")
    assert run.lines == [
        f"{PATH}:4:1: lỗi: lĩnh vực 'van-hoa-the-thao' không có; các giá trị hợp lệ: can-bo-cong-chuc, "
        "co-quan-kieu-mau, cong-dong-ton-giao, giao-duc-dao-tao, hoi-doan-the, nguoi-tot-viec-tot, nong-thon-moi, "
        "quoc-phong-an-ninh, san-xuat-kinh-doanh, thon-lang-van-hoa, vi-nguoi-ngheo, y-te",
        f"{CHECKED_ONE_FILE}1 lỗi ở 1 tệp, 0 cảnh báo.",
    ]
    assert run.code == 1


def test_stats_uses_the_given_taxonomy(guong, content, other_taxonomy):
    content(SLUG, _with(replace={"xa: ia-tul\n": "don_vi: doi-xung-kich\n"}))

    run = guong("--danh-muc", "danh-muc-khac", "stats", "content", "--format", "json")
    assert (run.code, run.err) == (0, "")
    period = next(p for p in json.loads(run.out) if p["giai_doan"] == "2021-2025")
    assert period["tong"] == 1
    assert [row for row in period["don_vi"] if row["so_luong"]] == [
        {"slug": "doi-xung-kich", "ten": "Đội thanh niên xung kích", "so_luong": 1, "toi_thieu": 1, "toi_da": 3,
         "danh_gia": "dat"},
    ]

    run = guong("stats", "content", "--format", "json")
    assert run.code == 1
    assert run.err == ("\nLưu ý: 1 lỗi trong hồ sơ; các hồ sơ lỗi không được tính. Chạy 'guong check' để xem.\n")
    period = next(p for p in json.loads(run.out) if p["giai_doan"] == "2021-2025")
    assert period["tong"] == 0
    assert "doi-xung-kich" not in [row["slug"] for row in period["don_vi"]]


def test_schema_uses_the_given_taxonomy(guong, other_taxonomy):
    default = json.loads(guong("schema").out)["properties"]
    other = json.loads(guong("--danh-muc", "danh-muc-khac", "schema").out)["properties"]
    assert other["linh_vuc"]["enum"] == default["linh_vuc"]["enum"] + ["van-hoa-the-thao"]
    assert other["don_vi"]["enum"] == default["don_vi"]["enum"] + ["doi-xung-kich"]
    assert "van-hoa-the-thao" not in default["linh_vuc"]["enum"]
    assert "doi-xung-kich" not in default["don_vi"]["enum"]


def test_every_key_of_the_table_lands_on_its_own_profile_attribute(content, taxonomy):
    """The checker builds a `Profile` from the key table (generator/content/fields.py): every key names an
    attribute of its own, and a value written under the key is what the attribute holds."""
    attributes = [key.attribute for key in KEYS.values()]
    assert sorted(attributes) == sorted(set(attributes))
    assert set(attributes) <= {field.name for field in dataclasses.fields(Profile)}
    content(SLUG, _with(add="thon: Plei Ơi\nnoi_bat: true\ntu_khoa: [khuyến học]\nphong_trao: [duy-tri-si-so]\n"))
    (profile,) = load_collection(content.root, taxonomy).profiles
    assert (profile.name, profile.village, profile.featured, profile.keywords, profile.movements, profile.stage) == (
        "Nguyễn Thị Mẫu", "Plei Ơi", True, ("khuyến học",), ("duy-tri-si-so",), None)
