"""Builds never half-fail: a crash inside a build step or a kill in the middle of writing leaves the
published folder byte-for-byte as it was, what a killed build leaves behind does not break the next one,
and a rebuild drops the pages of deleted profiles. (An invalid profile and an unpublished profile are
covered in test_site.py.)"""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.synth import generate
from conftest import CONTENT, new_project
from generator.atomic_files import write_atomically
from generator.mkdocs_edge.adapter import build_site


def _project(tmp_path: Path, *, samples: bool = True) -> Path:
    return new_project(tmp_path / "project", samples=samples)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(project: Path) -> list[str]:
    # A build deletes the previous site in a detached process (.site.xoa-…): give it time to finish.
    deadline = time.monotonic() + 120
    while any(p.name.startswith(".site.xoa-") for p in project.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A project with a published site, and the hash of every file in it."""
    project = _project(tmp_path_factory.mktemp("publish"))
    site = build_site(project / "mkdocs.yml")
    return project, _hashes(site)


@pytest.mark.parametrize("step", ["generator.build.site_build.feed_files", "generator.build.site_build.embed_pages",
                                  "generator.build.site_build.api_files", "generator.portal.render.BodyRenderer.render"])
def test_a_crash_in_a_build_step_leaves_the_published_site_untouched(published, monkeypatch, caplog, step):
    project, before = published

    def crash(*args, **kwargs):
        raise RuntimeError("hỏng giữa chừng (thử)")

    monkeypatch.setattr(step, crash)
    with pytest.raises(Exception) as failure:
        build_site(project / "mkdocs.yml")
    # Steps run in a child process report their failure through MkDocs' log; in-process ones raise it.
    assert "hỏng giữa chừng" in str(failure.value) + caplog.text
    assert _hashes(project / "site") == before
    assert _leftovers(project) == []


def test_a_killed_build_leaves_the_site_as_it_was_and_the_next_build_cleans_up(tmp_path):
    project = _project(tmp_path, samples=False)
    generate(project, 300)
    shutil.copy(CONTENT / "index.md", project / "content" / "index.md")
    guong = Path(sys.executable).parent / "guong"
    first = subprocess.run([guong, "build"], cwd=project, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    before = _hashes(project / "site")
    # Change every profile, so that a half-written site would differ from the published one.
    for path in (project / "content" / "guong").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("Hồ sơ tổng hợp", "Hồ sơ đã sửa"), encoding="utf-8")

    build = subprocess.Popen([guong, "build"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = project / f".site.dang-dung-{build.pid}"
    deadline = time.monotonic() + 300
    # Kill it once it is writing pages into the staging folder.
    while not (staging / "guong").is_dir() or not any((staging / "guong").iterdir()):
        assert build.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert build.returncode == -signal.SIGKILL
    assert staging.is_dir()  # it did die halfway
    assert _hashes(project / "site") == before

    again = subprocess.run([guong, "build"], cwd=project, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert _leftovers(project) == []
    assert "Hồ sơ đã sửa" in (project / "site" / "guong" / "mau-00001" / "index.html").read_text(encoding="utf-8")


def test_a_build_killed_between_the_two_renames_gets_its_site_back(published):
    """The swap moves the published folder aside, then the new one in; a kill between the two leaves no
    site/ at all. The next build puts the previous one back before anything else."""
    project, before = published
    dead_pid = _dead_pid()
    retired = project / f".site.cu-{dead_pid}"
    (project / "site").rename(retired)
    (project / f".site.dang-dung-{dead_pid}").mkdir()
    (project / f".site.dang-dung-{dead_pid}" / "index.html").write_text("nửa chừng", encoding="utf-8")
    from generator.build.staging import recover_leftovers

    recover_leftovers(project / "site")
    assert _hashes(project / "site") == before
    assert _leftovers(project) == []


def test_a_leftover_staging_folder_does_not_break_the_next_build(tmp_path):
    project = _project(tmp_path)
    stale = project / f".site.dang-dung-{_dead_pid()}"
    (stale / "guong" / "cu").mkdir(parents=True)
    (stale / "guong" / "cu" / "index.html").write_text("<p>trang cũ</p>", encoding="utf-8")
    site = build_site(project / "mkdocs.yml")
    assert (site / "index.html").is_file() and not (site / "guong" / "cu").exists()
    assert _leftovers(project) == []


def test_a_previous_site_whose_deletion_was_stopped_is_removed_by_the_next_build(tmp_path):
    project = _project(tmp_path)
    half_deleted = project / f".site.xoa-{_dead_pid()}-1"
    (half_deleted / "guong").mkdir(parents=True)
    build_site(project / "mkdocs.yml")
    build_site(project / "mkdocs.yml")  # its own previous site goes to a detached deleting process
    assert _leftovers(project) == []


def test_a_rebuild_removes_the_pages_of_deleted_profiles(tmp_path):
    project = _project(tmp_path)
    site = build_site(project / "mkdocs.yml")
    assert (site / "guong" / "ksor-h-blin" / "index.html").exists()
    (project / "content" / "guong" / "ksor-h-blin.md").unlink()
    build_site(project / "mkdocs.yml")
    assert not (site / "guong" / "ksor-h-blin").exists()
    assert not (site / "nhung" / "guong" / "ksor-h-blin").exists()
    assert not list((site / "anh").glob("ksor-h-blin*"))
    for name in ("sitemap.xml", "feed.xml", "feed.json", "api/guong.json"):
        assert "ksor-h-blin" not in (site / name).read_text(encoding="utf-8"), name


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _mkdocs_build(project: Path) -> subprocess.CompletedProcess:
    """`mkdocs build`, the command users of MkDocs reach for (not `guong build`)."""
    return subprocess.run([Path(sys.executable).parent / "mkdocs", "build"], cwd=project, capture_output=True,
                          text=True, timeout=600)


def test_plain_mkdocs_build_never_half_fails(tmp_path):
    project = _project(tmp_path)
    first = _mkdocs_build(project)
    assert first.returncode == 0, first.stderr
    before = _hashes(project / "site")

    # An invalid profile: MkDocs used to empty site/ before the plugin refused the content.
    broken = project / "content" / "guong" / "ksor-h-blin.md"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("linh_vuc: san-xuat-kinh-doanh", "linh_vuc: san-xuat"), encoding="utf-8")
    failed = _mkdocs_build(project)
    assert failed.returncode == 1
    errors = [line for line in failed.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR   -  generator: content/guong/ksor-h-blin.md:4:1: lỗi: lĩnh vực 'san-xuat' không có; "
        "có phải 'san-xuat-kinh-doanh'?",
        "ERROR   -  1 lỗi trong hồ sơ (xem các dòng trên); chạy 'guong check' để xem chi tiết.",
    ]
    assert _hashes(project / "site") == before
    assert _leftovers(project) == []

    # A crash in the middle of laying out pages: a theme override that cannot render.
    broken.write_text(good, encoding="utf-8")
    override = project / "theme_overrides" / "guong" / "profile.html"
    override.parent.mkdir(exist_ok=True)
    override.write_text("{{ khong_co_bien_nay.thuoc_tinh }}", encoding="utf-8")
    crashed = _mkdocs_build(project)
    assert crashed.returncode != 0 and "khong_co_bien_nay" in crashed.stderr
    assert _hashes(project / "site") == before
    assert _leftovers(project) == []

    override.unlink()
    again = _mkdocs_build(project)
    assert again.returncode == 0, again.stderr
    # The same files (the API's say when they were made; Pagefind names its chunks anew each time).
    assert ({path for path in _hashes(project / "site") if not path.startswith("pagefind/")}
            == {path for path in before if not path.startswith("pagefind/")})
    assert _leftovers(project) == []


def test_a_file_whose_writing_fails_keeps_its_old_content(tmp_path):
    """A photo, card or book interrupted while it is written (here: its encoder fails) is the old file."""
    target = tmp_path / "anh" / "chan-dung.webp"
    write_atomically(target, b"old")

    def half_then_fail(stream) -> None:
        stream.write(b"half of the new")
        raise OSError("No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["chan-dung.webp"]
