"""Robustness at scale and under change: 10,000 profiles with a quarter broken are all reported in one run
of `guong check`, and `mkdocs serve` keeps serving while profiles are deleted and renamed under it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bench.synth import generate
from conftest import PROJECT_ROOT, new_project
from generator.cli import main
from mkdocs_serve import serving as _serving
from mkdocs_serve import status as _status
from mkdocs_serve import text as _text
from mkdocs_serve import wait_for as _wait_for

TOTAL = 10_000
# Ways an editor breaks a file, applied in turn to every 4th profile: (name, text → broken bytes).
_CORRUPTIONS = [
    ("yaml-syntax", lambda t: t.replace("loai: ", 'loai: "', 1).encode()),
    ("unknown-key", lambda t: t.replace("linh_vuc:", "linh_vu:", 1).encode()),
    ("wrong-type", lambda t: re.sub(r"\nnam: \d+", "\nnam: hai nghìn", t, count=1).encode()),
    ("binary", lambda t: b"\x00\x01\x02PNG" + t.encode()),
    ("empty", lambda t: b""),
    ("legacy-encoding", lambda t: t.encode("cp1258", "replace")),
    ("unsafe-story", lambda t: (t + "\n<script>alert(1)</script>\n").encode()),
    ("missing-key", lambda t: re.sub(r"\ntom_tat: [^\n]*", "", t, count=1).encode()),
    ("yaml-tag", lambda t: t.replace("\nthon: ", "\nthon: !!python/object/apply:os.system ['true'] #", 1).encode()),
    ("no-front-matter", lambda t: t.split("\n---\n", 1)[1].encode()),
    ("direction-override", lambda t: t.replace("\nthon: Thôn", "\nthon: Thôn \u202e", 1).encode()),
    ("bad-date", lambda t: re.sub(r"\nngay_dang: [^\n]*", "\nngay_dang: 2024-02-30", t, count=1).encode()),
]


@pytest.fixture(scope="module")
def big_collection(tmp_path_factory) -> tuple[Path, set[str]]:
    """10,000 profiles: 200 written by bench/synth.py, each copied under 50 names (writing 10,000 stories
    word by word takes the generator ~20 s); every 4th one broken. Returns the folder and the broken names."""
    root = tmp_path_factory.mktemp("big")
    seeds = [p.read_text(encoding="utf-8") for p in sorted((generate(root / "seed", 200, photo_share=0) / "guong").glob("*.md"))]
    folder = root / "content" / "guong"
    folder.mkdir(parents=True)
    broken = set()
    for index in range(TOTAL):
        text = seeds[index % len(seeds)].replace("\nten: ", f"\nten: Bản {index} ", 1)
        name = f"ho-so-{index:05d}.md"
        if index % 4 == 3:
            _, corrupt = _CORRUPTIONS[(index // 4) % len(_CORRUPTIONS)]
            (folder / name).write_bytes(corrupt(text))
            broken.add(name)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    return root / "content", broken


def test_ten_thousand_profiles_with_a_quarter_broken_are_all_reported_in_one_run(big_collection, capsys):
    content, broken = big_collection
    code = main(["check", str(content)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    errors_by_file: dict[str, int] = {}
    for line in out[:-1]:
        match = re.match(r"^(.+?):\d+:\d+: (lỗi|cảnh báo): ", line)
        assert match, line
        if match[2] == "lỗi":
            name = Path(match[1]).name
            errors_by_file[name] = errors_by_file.get(name, 0) + 1
    assert set(errors_by_file) == broken  # every broken file, and only those
    errors = sum(errors_by_file.values())
    assert out[-1].startswith(f"Đã kiểm tra {TOTAL} tệp: {errors} lỗi ở {len(broken)} tệp, ")
    assert len(broken) == TOTAL // 4


# ------------------------------------------------------------------------------------------------
# mkdocs serve

@pytest.mark.parametrize("mode", [[], ["--dirty"]], ids=["full rebuilds", "only affected pages (--dirty)"])
def test_serve_survives_a_profile_deleted_and_another_renamed(tmp_path, mode):
    project = new_project(tmp_path / "project", samples=True)
    with _serving(project, tmp_path / "serve.log", *mode) as (base, server):
        _wait_for(lambda: _status(base + "guong/ksor-h-blin/") == 200, "the first build")
        assert _status(base + "guong/nay-klim/") == 200

        # An edit shows on the profile's page and on the listing that carries its card.
        profile = project / "content" / "guong" / "ksor-h-blin.md"
        profile.write_text(profile.read_text(encoding="utf-8").replace("Chị Ksor H'Blin ở Plei Hek",
                                                                        "Chị Ksor H'Blin (đã sửa) ở Plei Hek"),
                           encoding="utf-8")
        _wait_for(lambda: "(đã sửa)" in _text(base + "guong/ksor-h-blin/"), "the edited profile's page")
        assert "(đã sửa)" in _text(base + "linh-vuc/san-xuat-kinh-doanh/")
        assert "(đã sửa)" not in _text(base + "guong/nay-klim/")
        # So do the outputs the preview keeps pieces of between rebuilds (generator/outputs/kept_pieces.py).
        for output in ("feed.xml", "api/guong.json", "nhung/guong/ksor-h-blin/",
                       "nhung/linh-vuc/san-xuat-kinh-doanh/"):
            assert "(đã sửa)" in _text(base + output), output

        (project / "content" / "guong" / "nay-klim.md").unlink()
        _wait_for(lambda: _status(base + "guong/nay-klim/") == 404, "the deleted profile's page to go")
        assert server.poll() is None
        # Nor is it in any output made from the model: its embed page, the feeds, the API.
        assert _status(base + "nhung/guong/nay-klim/") == 404
        for output in ("feed.xml", "feed.json", "api/guong.json", "nam/2024/feed.xml"):
            assert "nay-klim" not in _text(base + output), output
        assert _status(base) == 200 and _status(base + "guong/ksor-h-blin/") == 200

        (project / "content" / "guong" / "ksor-h-blin.md").rename(project / "content" / "guong" / "ksor-h-blin-2.md")
        _wait_for(lambda: _status(base + "guong/ksor-h-blin-2/") == 200, "the renamed profile's new page")
        assert _status(base + "guong/ksor-h-blin/") == 404
        assert server.poll() is None and _status(base) == 200


def test_serve_follows_a_template_edit_and_a_taxonomy_edit(tmp_path):
    """What pages are made from besides the profiles (templates, the taxonomy) is not in the page
    fingerprints: an edit there must rebuild every page it shows on, even under --dirty."""
    project = new_project(tmp_path / "project", samples=True)
    shutil.copytree(PROJECT_ROOT / "generator" / "danh-muc", project / "danh-muc")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - guong ", "  - guong:\n      taxonomy_dir: danh-muc\n  #"),
                      encoding="utf-8")
    with _serving(project, tmp_path / "serve.log", "--dirty") as (base, server):
        _wait_for(lambda: _status(base + "guong/ksor-h-blin/") == 200, "the first build")
        assert "Mẫu thẻ đã sửa" not in _text(base + "linh-vuc/y-te/")

        # A page template overridden in the theme: every page with a card changes.
        card = (PROJECT_ROOT / "generator" / "portal" / "templates" / "_card.html").read_text(encoding="utf-8")
        override = project / "theme_overrides" / "guong" / "_card.html"
        override.parent.mkdir()
        override.write_text("<!-- Mẫu thẻ đã sửa -->" + card, encoding="utf-8")
        _wait_for(lambda: "Mẫu thẻ đã sửa" in _text(base + "linh-vuc/y-te/"), "the edited card template")
        assert "Mẫu thẻ đã sửa" in _text(base + "guong/ksor-h-blin/")  # its related profiles

        # A field renamed in the taxonomy: its listing, its profiles' pages and its feed follow.
        fields = project / "danh-muc" / "linh-vuc.yml"
        fields.write_text(fields.read_text(encoding="utf-8").replace("ten: Sản xuất, kinh doanh",
                                                                     "ten: Sản xuất, kinh doanh giỏi"),
                          encoding="utf-8")
        _wait_for(lambda: "Sản xuất, kinh doanh giỏi" in _text(base + "linh-vuc/san-xuat-kinh-doanh/"),
                  "the renamed field's listing")
        assert "Sản xuất, kinh doanh giỏi" in _text(base + "guong/ksor-h-blin/")
        assert "Sản xuất, kinh doanh giỏi" in _text(base + "linh-vuc/san-xuat-kinh-doanh/feed.xml")
        assert server.poll() is None
