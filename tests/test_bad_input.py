"""Hostile and careless input that is not random: photo paths that leave content/, file names that would
leave the output folder, direction-override characters in field values, and personal data (phone numbers,
citizen IDs, e-mail addresses) in summaries and stories. See docs/bad-input.md."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import CONTENT, VALID_BODY, VALID_FRONT_MATTER, new_project
from generator.mkdocs_edge.adapter import BuildFailed, build_site

MESSAGE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>lỗi|cảnh báo): (?P<msg>.+)$")


def _problems(run, severity: str | None = None) -> list[re.Match]:
    found = [m for m in map(MESSAGE.match, run.lines) if m]
    return [m for m in found if severity is None or m["sev"] == severity]


# --------------------------------------------------------------------------------------------------
# Photo paths

def _photo_cases(root: Path, outside: Path) -> dict[str, str]:
    """slug → the `anh:` value that must be refused."""
    Image.new("RGB", (40, 30), (200, 10, 10)).save(outside / "ngoai.jpg")
    (root / "anh").mkdir(exist_ok=True)
    os.symlink(outside / "ngoai.jpg", root / "anh" / "lien-ket-ra-ngoai.jpg")
    return {
        "anh-cham-cham": "anh/../../ngoai.jpg",
        "anh-tuyet-doi": str(outside / "ngoai.jpg"),
        "anh-o-dia": "C:/Users/bientap/Pictures/ngoai.jpg",
        "anh-o-dia-gach-nguoc": "C:\\\\Users\\\\bientap\\\\ngoai.jpg",
        "anh-lien-ket": "anh/lien-ket-ra-ngoai.jpg",
        "anh-dia-chi-web": "https://example.org/ngoai.jpg",
        "anh-giao-thuc-tuong-doi": "//example.org/ngoai.jpg",
        "anh-file": "file:///etc/passwd.jpg",
    }


def test_photo_paths_that_leave_content_are_refused_by_check(guong, content, tmp_path):
    cases = _photo_cases(content.root, tmp_path)
    for slug, value in cases.items():
        content(slug, VALID_FRONT_MATTER + f'anh: "{value}"\n')
    run = guong("check", content.root)
    assert run.code == 1
    errors = _problems(run, "lỗi")
    for slug in cases:
        mine = [m for m in errors if m["path"].endswith(f"/{slug}.md")]
        assert mine, f"{slug}: no error in {run.out}"
        assert all(m["line"] == "11" for m in mine), mine  # the `anh:` line
        assert any(word in mine[0]["msg"] for word in ("content/", "địa chỉ web", "dấu '/'")), mine[0]["msg"]


def _project(tmp_path: Path) -> Path:
    return new_project(tmp_path / "project")


def test_photo_paths_that_leave_content_fail_the_build_and_publish_nothing(tmp_path, caplog):
    project = _project(tmp_path)
    root = project / "content"
    shutil.copytree(CONTENT, root)
    cases = _photo_cases(root, tmp_path)
    for slug, value in cases.items():
        (root / "guong" / f"{slug}.md").write_text(f'---\n{VALID_FRONT_MATTER}anh: "{value}"\n---\n\n{VALID_BODY}',
                                                   encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(project / "mkdocs.yml")
    assert "không dựng được trang" in str(failure.value)
    logged = [r.getMessage() for r in caplog.records]
    assert any(f"{len(cases)} lỗi trong hồ sơ" in line for line in logged), logged
    for slug in cases:
        assert any(f"content/guong/{slug}.md:11:1: lỗi: " in line for line in logged), slug
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]


def test_file_names_cannot_make_pages_outside_their_folder(guong, content):
    root = content.root
    (root / "guong" / "nam..").mkdir()
    for name in ["..md", "...md", "-.md", "a..b.md", "%2e%2e.md", "con nguoi.md", "ĐẶNG.md", ".an-giau.md"]:
        (root / "guong" / name).write_text(f"---\n{VALID_FRONT_MATTER}---\n\n{VALID_BODY}", encoding="utf-8")
    (root / "guong" / "nam.." / "x.md").write_text(f"---\n{VALID_FRONT_MATTER}---\n\n{VALID_BODY}", encoding="utf-8")
    from generator.content.collection import load_collection

    collection = load_collection(root)
    # Only names that are slugs become pages; the slug is the file's own name, never its folder.
    assert sorted(p.slug for p in collection.profiles) == ["x"]
    run = guong("check", root)
    # "..md", "...md" and ".an-giau.md" are hidden files (editors' backups), skipped like every dot-file.
    for name in ["-.md", "a..b.md", "%2e%2e.md", "con nguoi.md", "ĐẶNG.md"]:
        assert any(m["path"].endswith("/" + name) and "không đúng dạng" in m["msg"] for m in _problems(run, "lỗi")), name


# --------------------------------------------------------------------------------------------------
# Direction-override characters

@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_direction_override_in_a_field_is_an_error_at_its_line(guong, content, char):
    content("dao-chieu", VALID_FRONT_MATTER + f"thon: Thôn {char}gnal 3\ntu_khoa: [tốt, \"a{char}b\"]\n")
    run = guong("check", content.root)
    assert run.code == 1
    errors = _problems(run, "lỗi")
    assert [(m["line"], f"U+{ord(char):04X}" in m["msg"]) for m in errors] == [("11", True), ("12", True)], run.out
    assert "chiều chữ" in errors[0]["msg"]


def test_direction_override_in_a_commendation_number_is_an_error(guong, content):
    content("dao-chieu-khen", VALID_FRONT_MATTER + "khen_thuong:\n  - hinh_thuc: Giấy khen\n    cap: xa\n"
                                                   "    so_quyet_dinh: \"12/QĐ-UBND\u202e\"\n    ngay: 2024-01-05\n")
    run = guong("check", content.root)
    assert run.code == 1
    assert any(m["line"] == "14" and "U+202E" in m["msg"] for m in _problems(run, "lỗi")), run.out


# --------------------------------------------------------------------------------------------------
# Personal data

PERSONAL = [
    ("0905 123 456", "số điện thoại"),
    ("0905.123.456", "số điện thoại"),
    ("0905123456", "số điện thoại"),
    ("+84 905 123 456", "số điện thoại"),
    ("(+84) 389-123-456", "số điện thoại"),
    ("0269 3851 234", "số điện thoại"),
    ("064123456789", "căn cước"),
    ("064 123 456 789", "căn cước"),
    ("ksor.hblin@gmail.com", "thư điện tử"),
]
NOT_PERSONAL = [
    "Năm 2019 và giai đoạn 2020–2025",
    "Quyết định số 1875/QĐ-UBND ngày 12/3/2024 và 27-QĐ/HĐTN",
    "Thu nhập 12.500.000 đồng mỗi tháng, vốn 1.200.000.000 đồng, quỹ 100 000 000 đồng",
    "Mỗi tháng 30–40 lượt người đến học, 0,5 ha lúa, 0.75 tấn",
    "Ngày 05.06.2024 lúc 07:30, theo Kế hoạch 105/KH-UBND",
]


@pytest.mark.parametrize("value, label", PERSONAL)
def test_personal_data_in_the_story_is_a_warning_at_its_line(guong, content, value, label):
    content("du-lieu-ca-nhan", body=f"## Thành tích\n\nCô giáo mở lớp.\nLiên hệ: {value} để hỏi thêm.\n")
    run = guong("check", content.root)
    assert run.code == 0  # a warning: the editor decides, the build is not blocked
    warnings = _problems(run, "cảnh báo")
    assert len(warnings) == 1, run.out
    # front matter: lines 1–11, blank line 12, story from line 13: "Liên hệ" is on line 16
    assert (warnings[0]["line"], warnings[0]["col"]) == ("16", "10")
    assert label in warnings[0]["msg"] and value in warnings[0]["msg"]
    assert "13/2023/NĐ-CP" in warnings[0]["msg"]


def test_personal_data_in_the_summary_is_a_warning_on_the_summary_line(guong, content):
    front = VALID_FRONT_MATTER.replace("mười năm.", "mười năm. Điện thoại 0912 345 678.")
    content("tom-tat-co-so", front)
    run = guong("check", content.root)
    warnings = _problems(run, "cảnh báo")
    assert [(m["line"], "tóm tắt" in m["msg"]) for m in warnings] == [("7", True)], run.out


def test_years_decisions_money_and_counts_are_not_personal_data(guong, content):
    content("so-lieu", body="## Thành tích\n\n" + "\n\n".join(NOT_PERSONAL) + "\n")
    run = guong("check", content.root)
    assert run.code == 0 and _problems(run) == [], run.out


def test_shipped_samples_have_no_personal_data_warning(guong):
    run = guong("check", CONTENT)
    assert run.code == 0
    assert not [line for line in run.lines if "dữ liệu cá nhân" in line]
