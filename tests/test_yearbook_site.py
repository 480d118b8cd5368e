"""The `yearbooks` plugin option: every commune, field and year listing with published profiles offers its
yearbook PDF, and a rebuild prints again only the books whose profiles changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import CONTENT, new_project
from generator.mkdocs_edge.adapter import build_site

SLUGS = ["ksor-h-blin", "phan-dinh-loc", "truong-tieu-hoc-ia-rong"]
BOOKS = {  # listing → its book's profiles (Ksor H'Blin: Pờ Tó; the other two: Ia Tul, merged into Ia Tul 2025)
    "xa/po-to/", "xa/po-to-2025/", "xa/ia-tul/", "xa/ia-tul-2025/", "linh-vuc/san-xuat-kinh-doanh/",
    "linh-vuc/nguoi-tot-viec-tot/", "linh-vuc/giao-duc-dao-tao/", "nam/2020/", "nam/2021/", "nam/2024/",
}


def _project(folder: Path) -> Path:
    project = new_project(folder)
    (project / "content" / "guong").mkdir(parents=True)
    (project / "content" / "anh").mkdir()
    shutil.copy(CONTENT / "index.md", project / "content")
    for slug in SLUGS:
        shutil.copy(CONTENT / "guong" / f"{slug}.md", project / "content" / "guong")
        shutil.copy(CONTENT / "anh" / f"{slug}.jpg", project / "content" / "anh")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - guong ", "  - guong:\n      yearbooks: true\n"),
                      encoding="utf-8")
    return project


def _books(site: Path) -> dict[str, Path]:
    return {path.parent.relative_to(site).as_posix() + "/": path for path in site.rglob("*.pdf")}


def test_listings_offer_their_yearbooks_and_unchanged_books_are_not_printed_again(tmp_path):
    project = _project(tmp_path / "project")
    site = build_site(project / "mkdocs.yml")
    books = _books(site)
    assert set(books) == BOOKS
    for listing, pdf in books.items():
        assert pdf.name == f"ky-yeu-{listing.strip('/').replace('/', '-')}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        html = (site / listing / "index.html").read_text(encoding="utf-8")
        link = re.search(r'<p class="guong-yearbook"><a href="([^"]+)" download>Tải kỷ yếu \(PDF, khổ A4, (\d) ', html)
        assert link and (site / listing / link[1]).resolve() == pdf.resolve()
    cached = {p.name: p.stat().st_mtime_ns for p in (project / ".cache" / "guong" / "ky-yeu").glob("*.pdf")}
    assert len(cached) == len(BOOKS)

    story = project / "content" / "guong" / "ksor-h-blin.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nMột đoạn mới của câu chuyện.\n", encoding="utf-8")
    site = build_site(project / "mkdocs.yml")
    assert set(_books(site)) == BOOKS
    after = {p.name: p.stat().st_mtime_ns for p in (project / ".cache" / "guong" / "ky-yeu").glob("*.pdf")}
    kept = {name for name in after if after[name] == cached.get(name)}
    # Ksor H'Blin is in Pờ Tó, Pờ Tó 2025, her field and her year: those four are printed anew (and the old
    # ones removed from the cache), the other six are the very files of the first build.
    assert len(kept) == 6 and len(after) == len(BOOKS)
    assert not any(name.startswith(("xa-po-to-", "linh-vuc-san-xuat-kinh-doanh-")) for name in kept)


def test_yearbooks_are_off_by_default(built_site):
    assert not list(built_site.rglob("*.pdf"))
    assert "guong-yearbook" not in (built_site / "xa" / "po-to" / "index.html").read_text(encoding="utf-8")
