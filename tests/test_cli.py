"""The `guong` command as editors and other tools use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import frontmatter
import jsonschema
import pytest
import yaml
from PIL import Image

from conftest import VALID_BODY, VALID_FRONT_MATTER
from generator.content.collection import load_collection


def test_valid_profile_exits_0(guong, content):
    content("nguyen-thi-mau")
    run = guong("check", content.root)
    assert run.code == 0
    assert run.lines[-1] == "Đã kiểm tra 1 tệp: không có lỗi."


def test_warnings_alone_still_exit_0(guong, content):
    content("a", VALID_FRONT_MATTER.replace("nam: 2024", "nam: 2026"))  # old commune after the merger
    run = guong("check", content.root)
    assert run.code == 0
    assert "cảnh báo: xã 'ia-tul' đã sáp nhập vào 'ia-tul-2025'" in run.out


def test_usage_errors_exit_2(guong, tmp_path):
    assert guong("check", tmp_path / "khong-co").code == 2
    run = guong("check", "--format", "xml")
    assert run.code == 2
    assert "lỗi cách dùng" in run.err
    assert guong("lenh-khong-co").code == 2


def test_json_format_has_the_same_problems(guong, content):
    content("a", VALID_FRONT_MATTER.replace("linh_vuc: giao-duc-dao-tao", "linh_vuc: y-te-xa"))
    text = guong("check", content.root)
    data = json.loads(guong("check", content.root, "--format", "json").out)
    assert data["errors"] == 1 and data["warnings"] == 0
    problem = data["problems"][0]
    assert {"path", "line", "column", "severity", "code", "message"} <= problem.keys()
    assert f"{problem['path']}:{problem['line']}:{problem['column']}: lỗi: {problem['message']}" in text.lines


def test_all_problems_of_all_files_in_one_run(guong, content):
    for index in range(5):
        content(f"ho-so-{index}", VALID_FRONT_MATTER.replace("nam: 2024", f"nam: {1990 + index}"))
    content("ho-so-tot")
    run = guong("check", content.root)
    assert run.code == 1
    assert sum("lỗi: 'nam' (năm)" in line for line in run.lines) == 5
    assert "ho-so-tot" not in run.out


def test_checking_a_single_file(guong, content):
    path = content("mot-tep", VALID_FRONT_MATTER.replace("loai: ca-nhan", "loai: canhan"))
    run = guong("check", path)
    assert run.code == 1
    assert "loại 'canhan' không có; có phải 'ca-nhan'?" in run.out


def test_checking_several_paths_at_once(guong, content, tmp_path, monkeypatch):
    """As pre-commit passes them: files and folders mixed, a file named twice (also through its folder)
    checked once, one summary over all, the exit code of the whole."""
    monkeypatch.chdir(tmp_path)
    content("a")
    content("b", VALID_FRONT_MATTER.replace("loai: ca-nhan", "loai: canhan"))
    other = tmp_path / "other" / "guong"
    other.mkdir(parents=True)
    (other / "c.md").write_text((content.root / "guong" / "b.md").read_text(encoding="utf-8")
                                .replace("loai: canhan", "loai: ca-nhan").replace("nam: 2024", 'nam: "2024"'),
                                encoding="utf-8")
    run = guong("check", "content/guong/b.md", "content/guong/a.md", "other", "content/guong/b.md")
    assert run.lines == [
        "content/guong/b.md:3:1: lỗi: loại 'canhan' không có; có phải 'ca-nhan'?",
        "other/guong/c.md:6:1: lỗi: giá trị của 'nam' (năm) không được đặt trong ngoặc: hãy bỏ dấu ngoặc, viết nam: 2024",
        "Đã kiểm tra 3 tệp: 2 lỗi ở 2 tệp, 0 cảnh báo.",
    ]
    assert (run.code, run.err) == (1, "")
    data = json.loads(guong("check", "content/guong/a.md", "other", "--format", "json").out)
    assert (data["files"], data["errors"], [p["path"] for p in data["problems"]]) == (2, 1, ["other/guong/c.md"])

    run = guong("check", "content/guong/a.md", "content")
    assert (run.code, run.lines[-1]) == (1, "Đã kiểm tra 2 tệp: 1 lỗi ở 1 tệp, 0 cảnh báo.")
    assert guong("check", "content/guong/a.md").code == 0
    # One missing path is a usage error, whatever the others hold.
    run = guong("check", "content/guong/a.md", "content/guong/khong-co.md")
    assert (run.code, run.out, run.err) == (2, "", "lỗi cách dùng: không tìm thấy 'content/guong/khong-co.md'\n")


def test_the_same_exemplar_twice_is_found_among_the_files_given(guong, content, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content("a")
    content("b")
    run = guong("check", "content/guong/a.md", "content/guong/b.md")
    assert run.lines == [
        "content/guong/b.md:2:1: cảnh báo: 'Nguyễn Thị Mẫu' có thể trùng với hồ sơ content/guong/a.md "
        "(cùng tên, cùng xã hoặc đơn vị, cùng năm)",
        "Đã kiểm tra 2 tệp: 0 lỗi ở 0 tệp, 1 cảnh báo.",
    ]
    assert run.code == 0


# --- input hygiene --------------------------------------------------------------------------------

def test_bom_crlf_and_nfd_are_read_as_clean_nfc(content, taxonomy):
    text = f"---\n{VALID_FRONT_MATTER}---\n\n{VALID_BODY}".replace("Nguyễn Thị Mẫu", "Lê Thị Hoà")
    raw = b"\xef\xbb\xbf" + unicodedata.normalize("NFD", text).replace("\n", "\r\n").encode("utf-8")
    (content.root / "guong" / "le-thi-hoa.md").write_bytes(raw)
    collection = load_collection(content.root, taxonomy)
    assert collection.problems == []
    profile = collection.profiles[0]
    assert profile.name == "Lê Thị Hoà" and unicodedata.is_normalized("NFC", profile.name)
    assert "\r" not in profile.body and unicodedata.is_normalized("NFC", profile.body)


def test_a_50_mb_file_gets_a_clear_error_without_hanging(guong, content):
    big = content.root / "guong" / "tep-qua-lon.md"
    with open(big, "wb") as handle:
        handle.write(f"---\n{VALID_FRONT_MATTER}---\n".encode())
        handle.truncate(50 * 1024 * 1024)
    started = time.monotonic()
    run = guong("check", content.root)
    assert time.monotonic() - started < 10  # generous: it must not read or parse 50 MB
    assert run.code == 1
    assert "tep-qua-lon.md:1:1: lỗi: tệp quá lớn (50.0 MB)" in run.out


def test_utf16_file_is_named(guong, content):
    (content.root / "guong" / "utf16.md").write_bytes(f"---\n{VALID_FRONT_MATTER}---\n\nx\n".encode("utf-16"))
    run = guong("check", content.root)
    assert "tệp lưu ở dạng UTF-16" in run.out


def test_billion_laughs_is_refused_quickly(guong, content):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (content.root / "guong" / "bom.md").write_text("---\n" + "\n".join(lines) + "\n---\n\nx\n", encoding="utf-8")
    started = time.monotonic()
    run = guong("check", content.root)
    assert time.monotonic() - started < 5
    assert "bom.md:2:5: lỗi:" in run.out and "neo/bí danh YAML" in run.out


def test_photo_over_5_mb_is_refused(guong, content):
    (content.root / "anh").mkdir()
    photo = content.root / "anh" / "lon.png"
    Image.new("RGB", (2600, 1800)).save(photo)
    with open(photo, "ab") as handle:  # pad past 5 MB; still a readable PNG
        handle.write(b"\0" * (5 * 1024 * 1024))
    content("a", VALID_FRONT_MATTER + "anh: anh/lon.png\n")
    run = guong("check", content.root)
    assert "a.md:11:1: lỗi: ảnh 'anh/lon.png' nặng 5." in run.out


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_photo_symlink_leaving_content_is_refused(guong, content, tmp_path):
    outside = tmp_path / "bi-mat.jpg"
    Image.new("RGB", (10, 10)).save(outside)
    (content.root / "anh").mkdir()
    (content.root / "anh" / "lien-ket.jpg").symlink_to(outside)
    content("a", VALID_FRONT_MATTER + "anh: anh/lien-ket.jpg\n")
    assert "trỏ ra ngoài thư mục content/" in guong("check", content.root).out


def test_drafts_need_no_consent_but_published_people_do(guong, content):
    draft = VALID_FRONT_MATTER.replace("trang_thai: xuat-ban", "trang_thai: nhap").replace("dong_y_cong_khai: 2024-05-02\n", "")
    content("ban-nhap", draft)
    assert guong("check", content.root).code == 0
    collective = VALID_FRONT_MATTER.replace("loai: ca-nhan", "loai: tap-the").replace("dong_y_cong_khai: 2024-05-02\n", "")
    content("tap-the", collective)
    assert guong("check", content.root).code == 0  # collectives need no personal consent


def test_bad_content_never_shows_a_traceback_from_the_installed_command(content):
    content("a", "ten: [\n")
    (content.root / "guong" / "b.md").write_bytes(b"\xff\xfe\x00garbage")
    guong_exe = Path(sys.executable).with_name("guong")
    result = subprocess.run([str(guong_exe), "check", str(content.root)], capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "a.md:3:1: lỗi: lỗi cú pháp YAML" in result.stdout and "b.md:1:1: lỗi:" in result.stdout


# --- guong new ------------------------------------------------------------------------------------

def test_new_then_check_passes(guong, tmp_path):
    root = tmp_path / "content"
    run = guong("new", "--ten", "Đinh Văn Đức", "--loai", "ca-nhan", "--linh-vuc", "giao-duc-dao-tao",
                "--xa", "ia-tul", "--nam", "2024", "--thu-muc", root)
    assert run.code == 0
    path = root / "guong" / "dinh-van-duc.md"
    post = frontmatter.load(path)  # an independent front matter reader sees the same values
    assert post["ten"] == "Đinh Văn Đức" and post["trang_thai"] == "nhap" and post["xa"] == "ia-tul"
    for section in ("## Thành tích", "## Cách làm hay", "## Bài học kinh nghiệm", "## Nhân rộng"):
        assert section in post.content
    assert guong("check", root).code == 0


def test_new_refuses_to_overwrite(guong, tmp_path):
    args = ["new", "--ten", "Ksor H'Blin", "--loai", "ca-nhan", "--linh-vuc", "nguoi-tot-viec-tot",
            "--xa", "ia-mron", "--thu-muc", tmp_path]
    assert guong(*args).code == 0
    path = tmp_path / "guong" / "ksor-h-blin.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nBài đã viết.\n", encoding="utf-8")
    before = path.read_bytes()
    run = guong(*args)
    assert run.code == 1
    assert "không ghi đè" in run.err
    assert path.read_bytes() == before


def test_new_rejects_values_outside_the_taxonomy_with_a_suggestion(guong, tmp_path):
    run = guong("new", "--ten", "A B", "--loai", "ca-nhan", "--linh-vuc", "giao-duc", "--xa", "ia-tul",
                "--thu-muc", tmp_path)
    assert run.code == 2
    assert "lĩnh vực 'giao-duc' không có; có phải 'giao-duc-dao-tao'?" in run.err
    run = guong("new", "--ten", "A B", "--loai", "ca-nhan", "--linh-vuc", "thon-lang-van-hoa", "--xa", "ia-tul",
                "--thu-muc", tmp_path)
    assert run.code == 2 and "không nhận loại 'ca-nhan'" in run.err
    assert not (tmp_path / "guong").exists()


# --- guong stats and schema -----------------------------------------------------------------------

def test_stats_flags_under_and_over_quota(guong, content):
    for index in range(8):
        content(f"xa-{index}", VALID_FRONT_MATTER.replace("Nguyễn Thị Mẫu", f"Nguyễn Thị Mẫu {index}")
                .replace("nam: 2024", "nam: 2022"))
    unit = VALID_FRONT_MATTER.replace("xa: ia-tul", "don_vi: cong-an-huyen").replace("nam: 2024", "nam: 2022")
    content("cong-an", unit)
    run = guong("stats", content.root)
    assert run.code == 0
    section = run.out.split("== Giai đoạn 2021–2025: 9 hồ sơ ==")[1].split("==")[0]
    rows = {line.split("  ")[1].strip(): line for line in section.splitlines() if line.startswith("  ")}
    assert rows["Ia Tul"].split()[-1] == "Vượt" and " 8 " in rows["Ia Tul"] and "5–7" in rows["Ia Tul"]
    assert rows["Pờ Tó"].split()[-1] == "đủ"  # "Chưa đủ"
    assert "Chưa đủ" in rows["Công an huyện"] and "≥ 5" in rows["Công an huyện"]
    data = json.loads(guong("stats", content.root, "--format", "json").out)
    period = next(p for p in data if p["giai_doan"] == "2021-2025")
    ia_tul = next(r for r in period["xa"] if r["slug"] == "ia-tul")
    assert ia_tul == {"slug": "ia-tul", "ten": "Ia Tul", "so_luong": 8, "toi_thieu": 5, "toi_da": 7, "danh_gia": "vuot"}


def test_schema_is_valid_json_schema_and_agrees_with_the_checker(guong, content, tmp_path):
    out = tmp_path / "schema.json"
    assert guong("schema", "--output", out).code == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    def as_json(front: str) -> dict:
        return json.loads(json.dumps(yaml.safe_load(front), default=str))

    assert list(validator.iter_errors(as_json(VALID_FRONT_MATTER))) == []
    for broken in (
        VALID_FRONT_MATTER.replace("linh_vuc: giao-duc-dao-tao", "linh_vu: giao-duc-dao-tao"),
        VALID_FRONT_MATTER.replace("linh_vuc: giao-duc-dao-tao", "linh_vuc: thon-lang-van-hoa"),
        VALID_FRONT_MATTER.replace("dong_y_cong_khai: 2024-05-02\n", ""),
        VALID_FRONT_MATTER.replace("xa: ia-tul\n", ""),
    ):
        assert list(validator.iter_errors(as_json(broken))), broken
        content("x", broken)
        assert guong("check", content.root).code == 1
