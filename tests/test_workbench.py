"""`guong soan`: the generated Decap configuration, the local-backend protocol over content/, the checks on
every save, photo uploads and the server's guards, against a real `guong soan` process."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import random
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from conftest import new_project
from generator.content.fields import COMMENDATION_KEYS, KEYS, Type
from generator.workbench.decap_config import decap_config, git_host_config
from workbench_server import GUONG, post, workbench

PROFILE = "content/guong/buon-to-nong.md"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return new_project(tmp_path_factory.mktemp("soan"), samples=True)


@pytest.fixture(scope="module")
def api(project) -> str:
    with workbench(project) as url:
        yield url + "api/v1"


def entry_data(api: str, path: str = PROFILE) -> dict:
    status, entry = post(api, {"action": "getEntry", "params": {"path": path}})
    assert status == 200, entry
    return json.loads(entry["data"])


def persist(api: str, path: str, data: dict, *, new: bool = False) -> tuple[int, dict]:
    return post(api, {"action": "persistEntry", "params": {
        "dataFiles": [{"path": path, "slug": Path(path).stem, "raw": json.dumps(data, ensure_ascii=False)}],
        "assets": [], "options": {"newEntry": new}}})


def guong_check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([GUONG, "check", *map(str, paths)], capture_output=True, text=True, encoding="utf-8")


# ---- the configuration ------------------------------------------------------------------------------
def test_configuration_has_every_key_and_every_taxonomy_value(taxonomy):
    config = decap_config(taxonomy, proxy_url="http://127.0.0.1:8010/api/v1")
    fields = {f["name"]: f for f in config["collections"][0]["fields"]}
    assert list(fields) == [*KEYS, "body"]
    for name, key in KEYS.items():
        assert fields[name]["label"] == key.label[0].upper() + key.label[1:]
        assert fields[name]["hint"] == key.help and key.help
    commendation = {f["name"]: f for f in fields["khen_thuong"]["fields"]}
    assert list(commendation) == list(COMMENDATION_KEYS)

    def stored(field: dict) -> list:
        return [o["value"] if isinstance(o, dict) else o for o in field["options"]]

    assert stored(fields["linh_vuc"]) == list(taxonomy.fields)
    assert stored(fields["xa"]) == list(taxonomy.communes)
    assert stored(fields["don_vi"]) == list(taxonomy.units)
    assert stored(fields["phong_trao"]) == list(taxonomy.movements) and fields["phong_trao"]["multiple"]
    assert stored(commendation["cap"]) == list(taxonomy.levels)
    assert stored(commendation["danh_hieu"]) == [t.name for t in taxonomy.titles]
    communes = {o["value"]: o["label"] for o in fields["xa"]["options"]}
    assert communes["ia-tul"] == "Ia Tul (trước 1/7/2025)"
    assert communes["ia-tul-2025"] == "Ia Tul (từ 1/7/2025)"
    for name, key in KEYS.items():
        if key.type is Type.DATE:
            assert fields[name]["widget"] == "datetime" and fields[name]["format"] == "YYYY-MM-DD"
    assert fields["anh"]["widget"] == "image"
    assert fields["body"]["default"].startswith("## Thành tích\n")
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


def test_git_host_configuration_for_an_office_of_several_editors(taxonomy):
    config = git_host_config(taxonomy, repo="van-phong/guong-sang")
    assert config["backend"] == {"name": "github", "repo": "van-phong/guong-sang", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"
    assert config["collections"][0]["format"] == "frontmatter"
    printed = subprocess.run([GUONG, "soan", "--cau-hinh-git", "van-phong/guong-sang"], capture_output=True,
                             text=True, encoding="utf-8")
    assert printed.returncode == 0 and "name: github\n" in printed.stdout and "label: Tên\n" in printed.stdout


# ---- reading ----------------------------------------------------------------------------------------
def test_the_list_holds_every_profile_as_json(api, project):
    status, entries = post(api, {"action": "entriesByFolder",
                                 "params": {"folder": "content/guong", "extension": "md", "depth": 1}})
    assert status == 200
    assert [e["file"]["path"] for e in entries] == sorted(
        f"content/guong/{p.name}" for p in (project / "content/guong").glob("*.md"))
    data = json.loads(entries[0]["data"])
    assert data["ten"] == "Buôn Tơ Nông" and data["khen_thuong"][0]["ngay"] == "2024-12-18"
    assert data["body"].startswith("> **Hồ sơ mẫu (hư cấu):**")


def test_the_list_follows_files_changed_outside_the_editor(api, project):
    # A colleague's change pulled with Git, or a fix made in a text editor, while the workbench runs.
    def listed_village() -> str:
        status, entries = post(api, {"action": "entriesByFolder",
                                     "params": {"folder": "content/guong", "extension": "md", "depth": 1}})
        assert status == 200
        return next(json.loads(e["data"])["thon"] for e in entries if e["file"]["path"] == PROFILE)

    path = project / PROFILE
    before = path.read_text(encoding="utf-8")
    first = listed_village()
    assert listed_village() == first
    path.write_text(before.replace(f"thon: {first}\n", "thon: Buôn Chư Knông (sửa bằng Notepad)\n"), encoding="utf-8")
    try:
        assert listed_village() == "Buôn Chư Knông (sửa bằng Notepad)"
    finally:
        path.write_text(before, encoding="utf-8")
    assert listed_village() == first


# ---- saving -----------------------------------------------------------------------------------------
def test_a_valid_edit_changes_only_its_line_and_passes_guong_check(api, project):
    before = (project / PROFILE).read_text(encoding="utf-8")
    data = entry_data(api)
    data["thon"] = "Buôn Tơ Nông (đã sửa)"
    data["tre_em"] = False  # a tick box Decap fills in, left unticked, adds nothing to the file
    status, result = persist(api, PROFILE, data)
    assert status == 200, result
    after = (project / PROFILE).read_text(encoding="utf-8")
    assert after == before.replace("thon: Buôn Tơ Nông\n", "thon: Buôn Tơ Nông (đã sửa)\n")
    checked = guong_check(project / PROFILE)
    assert checked.returncode == 0, checked.stdout


def test_text_is_written_in_nfc_as_utf8(api, project):
    data = entry_data(api)
    data["chuc_vu"] = unicodedata.normalize("NFD", "Trưởng buôn")
    assert persist(api, PROFILE, data)[0] == 200
    raw = (project / PROFILE).read_bytes()
    assert "chuc_vu: Trưởng buôn\n".encode() in raw
    assert unicodedata.is_normalized("NFC", raw.decode("utf-8"))


def test_a_save_with_errors_writes_nothing_and_says_what_guong_check_says(api, project):
    path = "content/guong/cao-thi-my-duyen.md"
    before = (project / path).read_bytes()
    data = entry_data(api, path)
    data["tom_tat"] = "Quá ngắn"
    data["nam"] = 1990
    status, result = persist(api, path, data)
    assert status == 422
    assert result == {"error": "Chưa lưu: hồ sơ còn 2 lỗi (xem khung bên phải).\n"
                               "content/guong/cao-thi-my-duyen.md:7:1: lỗi: 'nam' (năm) 1990 không hợp lệ; "
                               "phải từ 2000 đến 2027\n"
                               "content/guong/cao-thi-my-duyen.md:8:1: lỗi: 'tom_tat' (tóm tắt) quá ngắn "
                               "(8 ký tự; cần ít nhất 20)"}
    assert (project / path).read_bytes() == before
    assert not [p for p in (project / "content/guong").iterdir() if p.name.startswith(".")]


def test_the_preview_check_gives_the_messages_and_the_portal_page(api, project):
    check = api.replace("/api/v1", "/api/kiem-tra")
    data = entry_data(api)
    status, result = post(check, {"params": {"path": PROFILE, "data": data}})
    assert status == 200 and result["problems"] == [] and result["errors"] == 0
    assert '<article class="guong-profile"' in result["html"] and "<h1 data-pagefind-weight=\"10\">Buôn Tơ Nông</h1>" \
        in result["html"]
    data["xa"] = ""
    status, result = post(check, {"params": {"path": PROFILE, "data": data}})
    assert result["errors"] == 1 and result["html"] == ""
    assert result["problems"] == ["content/guong/buon-to-nong.md:1:1: lỗi: cần ít nhất một trong hai khóa 'xa' (xã) "
                                  "hoặc 'don_vi' (cơ quan, đơn vị)"]


def test_a_new_profile_is_named_by_the_slug_rule_and_never_overwrites(api, project):
    data = {"ten": "Nguyễn Văn Đức", "loai": "ca-nhan", "linh_vuc": "nguoi-tot-viec-tot", "xa": "ia-tul",
            "nam": 2024, "tom_tat": "Hồ sơ mẫu (hư cấu): anh Đức sửa cầu cho cả thôn suốt mười năm.",
            "trang_thai": "nhap", "tre_em": False, "noi_bat": False, "thon": "", "phong_trao": [],
            "khen_thuong": [{"hinh_thuc": "Giấy khen của Chủ tịch UBND xã", "cap": "xa", "so_quyet_dinh":
                             "12/QĐ-UBND", "ngay": "2024-05-01", "danh_hieu": ""}], "dong_y_cong_khai": "",
            "body": "## Thành tích\r\n\r\nSửa cầu."}
    path = "content/guong/nguyen-van-duc.md"
    assert persist(api, path, data, new=True)[0] == 200
    assert (project / path).read_text(encoding="utf-8") == (
        "---\nten: Nguyễn Văn Đức\nloai: ca-nhan\nlinh_vuc: nguoi-tot-viec-tot\nxa: ia-tul\nnam: 2024\n"
        "tom_tat: 'Hồ sơ mẫu (hư cấu): anh Đức sửa cầu cho cả thôn suốt mười năm.'\ntrang_thai: nhap\n"
        "khen_thuong:\n  - hinh_thuc: Giấy khen của Chủ tịch UBND xã\n    cap: xa\n    so_quyet_dinh: 12/QĐ-UBND\n"
        "    ngay: 2024-05-01\n---\n## Thành tích\n\nSửa cầu.\n")
    assert guong_check(project / path).returncode == 0
    status, result = persist(api, path, data | {"ten": "Người khác"}, new=True)
    assert status == 422 and result["error"].splitlines()[1] == (
        "content/guong/nguyen-van-duc.md:1:1: lỗi: đã có hồ sơ tên tệp 'nguyen-van-duc.md'; hãy đặt tên khác "
        "hoặc mở hồ sơ đó để sửa")
    assert "Nguyễn Văn Đức" in (project / path).read_text(encoding="utf-8")
    status, result = persist(api, "content/guong/Nguyen_Van_Duc.md", data, new=True)
    assert status == 422 and "tên tệp 'Nguyen_Van_Duc.md' không đúng dạng" in result["error"]


def test_deleting_is_refused(api, project):
    status, result = post(api, {"action": "deleteFile", "params": {"path": PROFILE}})
    assert status == 403 and result == {"error": "trình soạn thảo không xóa tệp; hãy đổi trạng thái hồ sơ hoặc "
                                                 "nhờ quản trị viên xóa"}
    assert (project / PROFILE).exists()


# ---- photos -----------------------------------------------------------------------------------------
def _jpeg_with_location() -> bytes:
    image, exif = Image.new("RGB", (64, 48), "red"), Image.Exif()
    exif[0x8825] = {1: "N", 2: (13.0, 30.0, 0.0)}
    exif[0x0110] = "May anh mau"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(api: str, name: str, data: bytes) -> tuple[int, dict]:
    return post(api, {"action": "persistMedia", "params": {"asset": {
        "path": f"content/anh/{name}", "content": base64.b64encode(data).decode(), "encoding": "base64"}}})


def test_a_photo_is_stored_with_an_ascii_name_and_without_its_location(api, project):
    status, stored = upload(api, "Ảnh anh Đức.JPG", _jpeg_with_location())
    assert status == 200 and stored["path"] == "content/anh/anh-anh-duc.jpg" and stored["name"] == "anh-anh-duc.jpg"
    with Image.open(project / "content/anh/anh-anh-duc.jpg") as saved:
        exif = saved.getexif()
        assert 0x8825 not in exif and exif[0x0110] == "May anh mau" and saved.size == (64, 48)


def test_what_is_not_a_photo_is_refused_with_a_message(api, project):
    assert upload(api, "bao-cao.docx", b"PK\x03\x04")[1] == {
        "error": "'bao-cao.docx' không phải ảnh JPG, PNG hoặc WebP; hãy chọn tệp ảnh khác"}
    assert upload(api, "gia.jpg", b"not an image")[1] == {
        "error": "'gia.jpg' không phải tệp ảnh đọc được (hỏng hoặc sai định dạng)"}
    status, result = upload(api, "lon.jpg", b"\xff" * (5 * 1024 * 1024 + 1))
    assert status == 422 and result == {"error": "ảnh 'lon.jpg' nặng 5.0 MB, quá giới hạn 5 MB; hãy thu nhỏ ảnh "
                                                 "rồi tải lên lại"}
    assert not {"bao-cao.docx", "gia.jpg", "lon.jpg"} & set(os.listdir(project / "content/anh"))


def test_the_media_library_gets_small_previews_without_location_and_a_chosen_photo_its_original(api, project):
    # A phone photo copied into content/anh/ by hand: 2400×1600, over a megabyte, its location in EXIF,
    # taken holding the phone upright (EXIF orientation 6: the pixels are stored on their side).
    pixels = random.Random(105).randbytes(2400 * 1600 * 3)
    image = Image.frombytes("RGB", (2400, 1600), pixels).filter(ImageFilter.GaussianBlur(1))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (13.0, 30.0, 0.0)}
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif.tobytes())
    original = out.getvalue()
    assert len(original) > 1_000_000
    (project / "content/anh/le-hoi-mua-2024.jpg").write_bytes(original)

    status, library = post(api, {"action": "getMedia", "params": {"mediaFolder": "content/anh"}})
    assert status == 200
    listed = {item["name"]: item for item in library}
    assert set(listed) == {p.name for p in (project / "content/anh").iterdir()}
    item = listed["le-hoi-mua-2024.jpg"]
    assert item["path"] == "content/anh/le-hoi-mua-2024.jpg" and item["encoding"] == "base64"
    preview = base64.b64decode(item["content"])
    assert len(preview) < len(original) // 20
    with Image.open(io.BytesIO(preview)) as shown:
        assert shown.format == "JPEG" and shown.size == (320, 480)  # upright, at most 480 px
        assert not shown.getexif()
    # The same photo asked for by its path (Decap shows a profile's own photo so) is the original.
    status, single = post(api, {"action": "getMediaFile", "params": {"path": "content/anh/le-hoi-mua-2024.jpg"}})
    assert status == 200 and base64.b64decode(single["content"]) == original and single["id"] == item["id"]
    # Made once: kept in the project's cache for the next page load and the next start.
    assert [p.read_bytes() for p in (project / ".cache/guong/soan-anh").glob(f"{item['id']}.jpg")] == [preview]


# ---- guards -----------------------------------------------------------------------------------------
def test_requests_from_another_origin_or_host_are_refused(api, project):
    before = (project / PROFILE).read_bytes()
    data = entry_data(api) | {"thon": "Bị sửa từ trang khác"}
    body = {"action": "persistEntry", "params": {"dataFiles": [{"path": PROFILE, "raw": json.dumps(data)}],
                                                 "assets": []}}
    assert post(api, body, origin="http://trang-la.example") == (
        403, {"error": "yêu cầu không đến từ trang soạn thảo này"})
    assert post(api, body, origin=None)[0] == 403
    assert post(api, body, origin="null")[0] == 403
    port = api.split(":")[2].split("/")[0]
    # A rebinding DNS name reaches 127.0.0.1 but names itself in Host.
    assert post(api, body, origin=f"http://rebind.example:{port}", host=f"rebind.example:{port}") == (
        421, {"error": "Host không hợp lệ"})
    assert (project / PROFILE).read_bytes() == before


@pytest.mark.parametrize("path", ["content/guong/../../mkdocs.yml", "/etc/passwd", "mkdocs.yml",
                                  "content/guong/sub/x.md", "content\\guong\\x.md", "content/anh/x.md"])
def test_paths_outside_the_profile_folder_are_refused(api, path):
    status, result = post(api, {"action": "getEntry", "params": {"path": path}})
    assert status == 403 and result == {"error": f"đường dẫn '{path}' không thuộc thư mục content/guong/"}


def test_a_symbolic_link_out_of_content_is_refused(api, project, tmp_path):
    outside = tmp_path / "ngoai.md"
    outside.write_text("---\nten: Ngoài\n---\n", encoding="utf-8")
    link = project / "content/guong/lien-ket.md"
    link.symlink_to(outside)
    try:
        status, result = post(api, {"action": "getEntry", "params": {"path": "content/guong/lien-ket.md"}})
        assert status == 403
        status, _ = persist(api, "content/guong/lien-ket.md", {"ten": "x"})
        assert status == 403 and outside.read_text(encoding="utf-8") == "---\nten: Ngoài\n---\n"
    finally:
        link.unlink()


def test_an_oversized_request_is_refused_unread(api):
    host, port = api.split("/")[2].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/api/v1")
    connection.putheader("Origin", f"http://{host}:{port}")
    connection.putheader("Content-Length", str(8 * 1024 * 1024 + 1))
    connection.endheaders()  # the body is never sent: the answer comes from the headers alone
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read()) == {"error": "dữ liệu gửi lên quá lớn (tối đa 8 MB)"}


def test_the_server_listens_on_loopback_only(api):
    port = int(api.split(":")[2].split("/")[0])
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
    assert listening and all(" 127.0.0.1:" in line for line in listening.strip().splitlines()), listening


def test_without_decap_installed_the_editor_says_how_to_install_it(project, tmp_path):
    result = subprocess.run([GUONG, "soan", str(project / "content"), "--no-browser", "--port", "0"],
                            capture_output=True, text=True, encoding="utf-8",
                            env=os.environ | {"GUONG_DECAP_DIR": str(tmp_path / "khong-co")})
    assert result.returncode == 2
    assert result.stderr == (f"lỗi: chưa có trình soạn thảo Decap CMS ({tmp_path / 'khong-co'}); chạy "
                             "scripts/setup.sh để cài\n")
