"""Shared fixtures: the project's paths, the taxonomy, and a way to run the `guong` command in-process."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.taxonomy import load_taxonomy
from generator.portal.site import Site

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT_ROOT / "content"
SITE = Site("Gương sáng Ia Pa", "Gương điển hình tiên tiến, người tốt việc tốt huyện Ia Pa, tỉnh Gia Lai",
            "http://127.0.0.1:8000/")
"""The samples' site as mkdocs.yml describes it, for outputs made without a build."""
CORPUS = Path(__file__).resolve().parent / "corpus" / "content"

VALID_FRONT_MATTER = """\
ten: Nguyễn Thị Mẫu
loai: ca-nhan
linh_vuc: giao-duc-dao-tao
xa: ia-tul
nam: 2024
tom_tat: Hồ sơ kiểm thử, hư cấu. Cô giáo dạy chữ cho trẻ em ở làng xa suốt mười năm.
trang_thai: xuat-ban
dong_y_cong_khai: 2024-05-02
ngay_dang: 2024-06-01
"""
VALID_BODY = "## Thành tích\n\nCô giáo mở lớp học buổi tối cho trẻ em trong làng.\n"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def guong(capsys):
    """Run `guong ARGS…` in this process and return its exit code and output."""

    def run(*args: str | Path) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy()


@pytest.fixture
def content(tmp_path):
    """An empty content folder and a helper that writes one profile into it."""
    root = tmp_path / "content"
    (root / "guong").mkdir(parents=True)

    def write(slug: str, front: str = VALID_FRONT_MATTER, body: str = VALID_BODY) -> Path:
        path = root / "guong" / f"{slug}.md"
        path.write_text(f"---\n{textwrap.dedent(front)}---\n\n{body}", encoding="utf-8")
        return path

    write.root = root  # type: ignore[attr-defined]
    return write


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample content built once, for real, with `guong build` (MkDocs + Material, strict)."""
    from generator.mkdocs_edge.adapter import build_site

    site = tmp_path_factory.mktemp("built") / "site"
    build_site(PROJECT_ROOT / "mkdocs.yml", site_dir=site, strict=True)
    return site


def new_project(folder: Path, *, samples: bool = False) -> Path:
    """A site project in `folder` (created if needed): the project's own mkdocs.yml and theme overrides,
    and with `samples` a copy of the shipped content."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", folder)
    shutil.copytree(PROJECT_ROOT / "theme_overrides", folder / "theme_overrides")
    if samples:
        shutil.copytree(CONTENT, folder / "content")
    return folder


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the run."""
    from browser import chromium

    with chromium() as launched:
        yield launched

