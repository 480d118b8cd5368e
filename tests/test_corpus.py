"""The broken-file corpus in tests/corpus/: each file has one defect; each defect gets its message at the
right line; the good files beside them are not blamed; everything is reported in one run."""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS

# file (under guong/) → (line, column or None, severity, code, a fragment of the Vietnamese message)
EXPECTED = {
    "loi-khoa-sai-chinh-ta.md": (4, 1, "lỗi", "unknown-key", "khóa 'linh_vu' không có trong định dạng hồ sơ; có phải 'linh_vuc'?"),
    "loi-nam-khong-phai-so.md": (6, 1, "lỗi", "wrong-type", "'nam' (năm) phải là một năm gồm 4 chữ số"),
    "loi-linh-vuc-khong-co.md": (4, 1, "lỗi", "unknown-value", "lĩnh vực 'giao-duc' không có; có phải 'giao-duc-dao-tao'?"),
    "loi-xa-viet-ten.md": (5, 1, "lỗi", "unknown-value", "xã 'Ia Kđăm' không có; có phải 'ia-kdam'?"),
    "loi-don-vi-khong-co.md": (5, 1, "lỗi", "unknown-value", "đơn vị 'cong-an' không có; có phải 'cong-an-huyen'?"),
    "loi-phong-trao-khong-co.md": (13, 5, "lỗi", "unknown-value", "phong trào 'thi-dua-yeu-nuoc' không có"),
    "loi-loai-khong-hop-linh-vuc.md": (4, 1, "lỗi", "kind-not-allowed", "không nhận loại 'ca-nhan'; chỉ nhận: tap-the"),
    "loi-thieu-dong-y.md": (8, 1, "lỗi", "missing-consent", "phải có 'dong_y_cong_khai'"),
    "loi-tre-em-thieu-giam-ho.md": (11, 1, "lỗi", "missing-guardian-consent", "phải có 'dong_y_nguoi_giam_ho'"),
    "loi-anh-khong-co.md": (11, 1, "lỗi", "photo-missing", "không tìm thấy ảnh 'anh/khong-ton-tai.jpg'"),
    "loi-anh-khong-phai-anh.md": (11, 1, "lỗi", "photo-not-image", "không phải ảnh"),
    "loi-anh-sai-dinh-dang.md": (11, 1, "lỗi", "photo-type", "phải là tệp .jpg, .png hoặc .webp"),
    "loi-anh-ra-ngoai.md": (11, 1, "lỗi", "photo-path", "phải tính từ thư mục content/"),
    "loi-anh-dia-chi-web.md": (11, 1, "lỗi", "photo-path", "không phải địa chỉ web"),
    "nam-2023/loi-trung-slug.md": (1, 1, "lỗi", "duplicate-slug", "trùng với tệp tests/corpus/content/guong/loi-trung-slug.md"),
    "loi-trung-nguoi-b.md": (2, 1, "cảnh báo", "possible-duplicate", "có thể trùng với hồ sơ tests/corpus/content/guong/loi-trung-nguoi-a.md"),
    "loi-ngay-tuong-lai.md": (10, 1, "lỗi", "future-date", "2099-01-01 nằm trong tương lai"),
    "loi-the-script.md": (17, 10, "lỗi", "unsafe-html", "thẻ HTML <script> không được phép"),
    "loi-thuoc-tinh-su-kien.md": (17, 1, "lỗi", "unsafe-html", "thuộc tính 'onerror' trong thẻ <img>"),
    "loi-lien-ket-javascript.md": (17, 13, "lỗi", "unsafe-link", "liên kết 'javascript:alert(1' không được phép"),
    "loi-bai-viet-trong.md": (12, 1, "lỗi", "empty-story", "bài viết trống"),
    "loi-ma-windows-1258.md": (2, 10, "lỗi", "encoding", "tệp không phải UTF-8: có vẻ dùng bảng mã Windows-1258"),
    "loi-ma-tcvn3.md": (2, 10, "lỗi", "encoding", "tệp không phải UTF-8: có vẻ dùng bảng mã TCVN3"),
    "loi-ma-vni.md": (2, 11, "lỗi", "encoding", "tệp không phải UTF-8: có vẻ dùng bảng mã VNI-Windows"),
    "loi-cu-phap-yaml.md": (7, 10, "lỗi", "yaml-syntax", "lỗi cú pháp YAML: dấu ngoặc kép (\") mở ở đây nhưng không được đóng"),
    "loi-dung-tab.md": (6, 1, "lỗi", "yaml-syntax", "có ký tự Tab"),
    "loi-khong-co-khai-bao.md": (1, 1, "lỗi", "no-front-matter", "dòng đầu tiên của tệp phải là '---'"),
    "loi-tep-rong.md": (1, 1, "lỗi", "empty-file", "tệp rỗng"),
    "loi-khai-bao-khong-dong.md": (1, 1, "lỗi", "unclosed-front-matter", "không có dòng '---' đóng lại"),
    "loi-khoa-lap-lai.md": (7, 1, "lỗi", "duplicate-key", "khóa 'ten' bị lặp lại (đã có ở dòng 2)"),
    "loi-tom-tat-ngan.md": (7, 1, "lỗi", "too-short", "'tom_tat' (tóm tắt) quá ngắn (13 ký tự; cần ít nhất 20)"),
    "loi-thieu-trang-thai.md": (1, 1, "lỗi", "missing-key", "thiếu khóa bắt buộc 'trang_thai'"),
    "loi-nam-ngoai-khoang.md": (6, 1, "lỗi", "out-of-range", "'nam' (năm) 1999 không hợp lệ"),
    "loi-ngay-sai-dang.md": (9, 1, "lỗi", "bad-date", "viết theo dạng YYYY-MM-DD: 2024-05-02"),
    "loi-ngay-khong-co-that.md": (9, None, "lỗi", "bad-date", "ngày '2024-02-30' không có thật"),
    "loi-the-python.md": (6, None, "lỗi", "yaml-tag", "không được phép trong hồ sơ"),
    "loi-bi-danh-yaml.md": (7, None, "lỗi", "yaml-alias", "không dùng neo/bí danh YAML"),
    "loi-thieu-xa-don-vi.md": (1, 1, "lỗi", "missing-place", "cần ít nhất một trong hai khóa 'xa' (xã) hoặc 'don_vi'"),
    "loi-khen-thuong-ca-hai.md": (12, 5, "lỗi", "commendation-kind", "ghi đúng một trong hai"),
    "loi-khen-cap-huyen-sau-sap-nhap.md": (13, 5, "lỗi", "level-abolished", "cấp 'huyen' không còn sau ngày 30/06/2025"),
    "Loi Ten Tep Co Dau Cach.md": (1, 1, "lỗi", "bad-slug", "hãy đổi tên thành 'loi-ten-tep-co-dau-cach.md'"),
    "loi-trang-thai-sai.md": (8, 1, "lỗi", "unknown-value", "trạng thái 'xuatban' không có; có phải 'xuat-ban'?"),
    "loi-noi-bat-khong-phai-dung-sai.md": (11, 1, "lỗi", "wrong-type", "chỉ nhận true (có) hoặc false (không)"),
    "loi-dang-truoc-dong-y.md": (10, 1, "lỗi", "published-before-consent", "trước ngày đồng ý công khai"),
    "loi-danh-hieu-khong-co.md": (12, 5, "lỗi", "unknown-value", "có phải 'Chiến sĩ thi đua cơ sở'?"),
    "loi-ky-tu-dao-chieu.md": (17, 18, "lỗi", "direction-override", "U+202E"),
}
GOOD_FILES = ["tot-nguyen-thi-mau.md", "tot-bom-crlf.md", "tot-nfd.md", "tot-tap-the.md",
              "loi-trung-slug.md", "loi-trung-nguoi-a.md"]
PREFIX = "tests/corpus/content/guong/"


@pytest.fixture(scope="module")
def report(request):
    import contextlib
    import io
    import os

    from generator.cli import main

    os.chdir(request.config.rootpath)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "tests/corpus/content", "--format", "json"])
    return code, json.loads(out.getvalue())


def test_corpus_has_at_least_thirty_broken_files():
    broken = [name for name in EXPECTED if EXPECTED[name][2] == "lỗi"]
    assert len(broken) >= 30
    on_disk = {p.relative_to(CORPUS / "guong").as_posix() for p in (CORPUS / "guong").rglob("*.md")}
    assert set(EXPECTED) | set(GOOD_FILES) == on_disk


def test_check_exits_1_on_the_corpus(report):
    code, data = report
    assert code == 1
    assert data["files"] == len(EXPECTED) + len(GOOD_FILES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_defect_is_reported_at_its_line(report, name):
    line, column, severity, code, fragment = EXPECTED[name]
    problems = [p for p in report[1]["problems"] if p["path"] == PREFIX + name]
    matching = [p for p in problems if p["code"] == code and fragment in p["message"]]
    assert matching, f"{name}: expected {code!r} with {fragment!r}, got {problems}"
    problem = matching[0]
    assert problem["line"] == line
    if column is not None:
        assert problem["column"] == column
    assert problem["severity"] == ("error" if severity == "lỗi" else "warning")


def test_each_broken_file_gets_only_problems_about_its_own_defect(report):
    by_file: dict[str, list[dict]] = {}
    for problem in report[1]["problems"]:
        by_file.setdefault(problem["path"], []).append(problem)
    for name, (_, _, _, code, _) in EXPECTED.items():
        codes = {p["code"] for p in by_file[PREFIX + name]}
        # a misspelt required key is also, necessarily, a missing required key
        assert codes - {"missing-key"} == {code} - {"missing-key"}, (name, codes)


def test_good_files_are_not_blamed(report):
    blamed = {p["path"] for p in report[1]["problems"]}
    for name in GOOD_FILES:
        assert PREFIX + name not in blamed


def test_text_output_uses_path_line_column_and_vietnamese_labels(guong, monkeypatch, request):
    monkeypatch.chdir(request.config.rootpath)
    run = guong("check", "tests/corpus/content")
    assert run.code == 1
    assert f"{PREFIX}loi-linh-vuc-khong-co.md:4:1: lỗi: lĩnh vực 'giao-duc' không có; có phải 'giao-duc-dao-tao'?" in run.lines
    assert any(line.startswith(f"{PREFIX}loi-trung-nguoi-b.md:2:1: cảnh báo: ") for line in run.lines)
    assert run.lines[-1] == f"Đã kiểm tra {len(EXPECTED) + len(GOOD_FILES)} tệp: 46 lỗi ở 45 tệp, 1 cảnh báo."
    assert "Traceback" not in run.out + run.err
