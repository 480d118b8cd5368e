"""Privacy audit of a real build: drafts, profiles awaiting approval and profiles without the consent they
need carry unique marker strings in every place an editor can write (name, summary, story, photo caption
and credit, keywords, village, role, model, byline, photo file name, file name); not one marker of theirs
may appear in any output file or file name — HTML, JSON, XML, the search index (Pagefind's gzipped
chunks decompressed), images, sitemap — while every marker of the published profiles does (so the scan is
known to look where the data would be). The same holds for a yearbook PDF of their commune, and share
cards are made for the published profiles alone."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import CONTENT, new_project
from generator.cli import main
from generator.mkdocs_edge.adapter import build_site

# slug part → (front matter overrides, public?)
PROFILES = {
    "congkhai1": ({"loai": "ca-nhan", "trang_thai": "xuat-ban", "dong_y_cong_khai": dt.date(2024, 5, 2)}, True),
    "congkhai2": ({"loai": "tap-the", "trang_thai": "xuat-ban"}, True),  # a collective needs no consent
    "nhap1": ({"loai": "ca-nhan", "trang_thai": "nhap", "dong_y_cong_khai": dt.date(2024, 5, 2)}, False),
    "choduyet1": ({"loai": "ca-nhan", "trang_thai": "cho-duyet"}, False),  # no consent yet
    "choduyet2": ({"loai": "ho-gia-dinh", "trang_thai": "cho-duyet", "linh_vuc": "nong-thon-moi"}, False),
    "treem1": ({"loai": "ca-nhan", "trang_thai": "nhap", "tre_em": True, "dong_y_cong_khai": dt.date(2024, 5, 2)},
               False),  # a minor without the guardian's consent
}
TEXT_FIELDS = ["ten", "tom_tat", "thon", "chuc_vu", "mo_hinh", "chu_thich_anh", "nguon_anh", "tac_gia"]


def _marker(profile: str, place: str) -> str:
    # lowercase ASCII letters and digits: one word to the search index, unchanged by any folding
    return f"zq{profile}{place.replace('_', '')}qz"


def _front(key: str, overrides: dict) -> dict:
    front = {
        "ten": f"Kpă {_marker(key, 'ten')}",
        "loai": "ca-nhan",
        "linh_vuc": "nong-thon-moi",
        "xa": "ia-tul",
        "nam": 2024,
        "tom_tat": f"Tóm tắt hư cấu có dấu {_marker(key, 'tom_tat')} để kiểm tra quyền riêng tư.",
        "thon": f"Thôn {_marker(key, 'thon')}",
        "chuc_vu": f"Chức vụ {_marker(key, 'chuc_vu')}",
        "mo_hinh": f"Mô hình {_marker(key, 'mo_hinh')}",
        "anh": f"anh/{_marker(key, 'tepanh')}.jpg",
        "chu_thich_anh": f"Chú thích {_marker(key, 'chu_thich_anh')}",
        "nguon_anh": f"Nguồn {_marker(key, 'nguon_anh')}",
        "tac_gia": f"Tác giả {_marker(key, 'tac_gia')}",
        "tu_khoa": [_marker(key, "tukhoa")],
        "ngay_dang": dt.date(2024, 6, 1),
    }
    front.update(overrides)
    if front["loai"] == "tap-the":
        front["ten"] = f"Tổ hợp tác {_marker(key, 'ten')}"
    if front["loai"] == "ho-gia-dinh":
        front["ten"] = f"Hộ ông {_marker(key, 'ten')}"
    return front


def _markers(key: str) -> list[str]:
    return [_marker(key, p) for p in TEXT_FIELDS + ["tukhoa", "tepanh", "cauchuyen", "slug"]]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = new_project(tmp_path_factory.mktemp("privacy"))
    content = project / "content"
    (content / "guong").mkdir(parents=True)
    (content / "anh").mkdir()
    shutil.copy(CONTENT / "index.md", content / "index.md")
    for index, (key, (overrides, _)) in enumerate(PROFILES.items()):
        front = _front(key, overrides)
        Image.new("RGB", (200, 150), (40 * index, 90, 120)).save(content / front["anh"])
        story = f"## Thành tích\n\nCâu chuyện có dấu {_marker(key, 'cauchuyen')} ở giữa bài.\n"
        text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        (content / "guong" / f"ho-so-{_marker(key, 'slug')}.md").write_text(f"---\n{text}---\n\n{story}", encoding="utf-8")
    return build_site(project / "mkdocs.yml")


def _output_texts(site: Path) -> dict[str, str]:
    """Every output file as searchable text, gzip (Pagefind chunks, sitemap.xml.gz) decompressed; images by
    name only (their bytes are pixels, and their metadata is stripped at build time)."""
    texts = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif path.suffix.lower() in {".webp", ".jpg", ".jpeg", ".png", ".woff2", ".woff", ".ico"}:
            data = b""
        texts[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace").lower()
    return texts


def test_no_marker_of_a_non_public_profile_appears_anywhere(site):
    texts = _output_texts(site)
    assert any(name.startswith("pagefind/") and "pf_" in name for name in texts)  # the index was scanned
    leaks = []
    for key, (_, public) in PROFILES.items():
        if public:
            continue
        for marker in _markers(key):
            leaks += [f"{marker} in the name {name}" for name in texts if marker in name.lower()]
            leaks += [f"{marker} in {name}" for name, text in texts.items() if marker in text]
    assert leaks == []


def test_every_marker_of_a_public_profile_does_appear(site):
    texts = _output_texts(site)
    everything = "\n".join(texts.values())
    search_index = "\n".join(text for name, text in texts.items() if name.startswith("pagefind/"))
    for key, (_, public) in PROFILES.items():
        if not public:
            continue
        for marker in _markers(key):
            if marker == _marker(key, "tepanh"):
                continue  # photos are published under the profile's slug, never the source file's name
            assert marker in everything, marker
        # Name, summary and keywords are what the search index is made of.
        for place in ("ten", "tom_tat", "tukhoa"):
            assert _marker(key, place) in search_index, place
        assert any(_marker(key, "slug") in name for name in texts)  # its page and its photo


@pytest.fixture(scope="module")
def yearbook(site) -> str:
    """The yearbook of the commune every audited profile is in, as its text."""
    project = site.parent
    target = project / "ia-tul.pdf"
    assert main(["ky-yeu", "--xa", "ia-tul", "--config", str(project / "mkdocs.yml"), "--output", str(target)]) == 0
    return subprocess.run(["pdftotext", str(target), "-"], check=True, capture_output=True, text=True).stdout.lower()


def test_no_marker_of_a_non_public_profile_is_in_the_yearbook(yearbook):
    leaks = [marker for key, (_, public) in PROFILES.items() if not public for marker in _markers(key)
             if marker in yearbook]
    assert leaks == []
    # What a book prints of a public profile (not its keywords, nor the photo's file name) is there.
    for key, (_, public) in PROFILES.items():
        if public:
            for marker in _markers(key):
                if marker not in (_marker(key, "tukhoa"), _marker(key, "tepanh")):
                    assert marker in yearbook, marker


def test_share_cards_exist_for_public_profiles_only(site):
    cards = [path.name for path in (site / "anh-chia-se").glob("*.png")]
    public = [_marker(key, "slug") for key, (_, is_public) in PROFILES.items() if is_public]
    assert sorted(name.split("-")[2] for name in cards) == sorted(public)
