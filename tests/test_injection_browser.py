"""An injection corpus built into a real site and loaded in a real browser: every free-text field of a
profile carries script tags, event-handler attributes, javascript: and data: URLs, attribute-breaking
quotes, SVG with script and a JSON-breaking </script>. Every kind of page is loaded and no script runs;
the feeds, the API and the Open Graph tags give the payloads back as text, exactly.

The story is not part of the corpus here: `guong check` and the build refuse unsafe stories outright (the
last tests prove it), so the built profiles carry a story with nothing but allowed Markdown."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
import yaml
from PIL import Image

from conftest import CONTENT, VALID_FRONT_MATTER, new_project
from generator.mkdocs_edge.adapter import BuildFailed, build_site
from site_server import serve

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "\"'><svg onload=window.__pwned=1>",
    "'\"><img src=x onerror=alert(1)>",
    "javascript:window.__pwned=1",
    "data:text/html,<script>alert(1)</script>",
    "<svg><script>window.__pwned=1</script></svg>",
    "</script><script>window.__pwned=1</script>",
    "<a href=\"javascript:alert(1)\">bấm</a>",
    "';window.__pwned=1;//",
    "{{ 7*7 }}{% raw %}${alert(1)}",
    "<iframe srcdoc=\"<script>parent.__pwned=1</script>\">",
    "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    "<!--<script>window.__pwned=1</script>-->",
]
SEARCH_WORD = "Hlưm"
SEARCH_QUERY = "hlum"  # typed without marks: the search folds diacritics
FIELD, COMMUNE, UNIT, YEAR, MOVEMENT = "nong-thon-moi", "ia-tul", "phong-gd-dt", 2024, None


def _front(index: int, payload: str) -> dict:
    tag = f"X{index}"  # a unique, searchable mark per profile
    return {
        "ten": f"Kpă {SEARCH_WORD} {tag} {payload}",
        "loai": "ca-nhan",
        "linh_vuc": FIELD,
        "xa": COMMUNE,
        "don_vi": UNIT,
        "nam": YEAR,
        "tom_tat": f"Tóm tắt {SEARCH_WORD} {tag}: {payload} — hồ sơ kiểm thử, hư cấu.",
        "trang_thai": "xuat-ban",
        "dong_y_cong_khai": dt.date(2024, 5, 2),
        "ngay_dang": dt.date(2024, 6, 1) + dt.timedelta(days=index),
        "thon": f"Thôn {payload}"[:120],
        "chuc_vu": f"Chức vụ {payload}",
        "mo_hinh": f"Mô hình {payload}",
        "phong_trao": [MOVEMENT] if MOVEMENT else [],
        "giai_doan": "nhan-rong",
        "khen_thuong": [{"hinh_thuc": f"Giấy khen {payload}", "cap": "xa", "so_quyet_dinh": f"12/QĐ-UBND {payload}"[:60],
                         "ngay": dt.date(2024, 1, 5)}],
        "anh": "anh/mau.jpg",
        "chu_thich_anh": f"Chú thích {payload}",
        "nguon_anh": f"Nguồn {payload}",
        "noi_bat": True,
        "tac_gia": f"Tác giả {payload}"[:120],
        "tu_khoa": [payload[:60], f"khóa {tag}"],
    }


SAFE_STORY = ("## Thành tích\n\nCâu chuyện chỉ có Markdown được phép: **đậm**, *nghiêng*, "
              "[một liên kết](https://example.org/) và `mã`.\n")


@pytest.fixture(scope="module")
def movement(taxonomy):
    return next(iter(taxonomy.movements))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, movement) -> tuple[Path, list[dict]]:
    """(the built site, the front matter of each payload profile)."""
    project = new_project(tmp_path_factory.mktemp("injection"))
    content = project / "content"
    (content / "guong").mkdir(parents=True)
    (content / "anh").mkdir()
    shutil.copy(CONTENT / "index.md", content / "index.md")
    Image.new("RGB", (320, 240), (120, 90, 60)).save(content / "anh" / "mau.jpg")
    fronts = []
    for index, payload in enumerate(PAYLOADS):
        front = _front(index, payload)
        front["phong_trao"] = [movement]
        fronts.append(front)
        text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        (content / "guong" / f"tiem-ma-{index:02d}.md").write_text(f"---\n{text}---\n\n{SAFE_STORY}", encoding="utf-8")
    site = build_site(project / "mkdocs.yml")
    return site, fronts


def _field_texts(front: dict) -> list[str]:
    """Every free-text value of a profile, as it must come back."""
    texts = [front[k] for k in ("ten", "tom_tat", "thon", "chuc_vu", "mo_hinh", "chu_thich_anh", "nguon_anh", "tac_gia")]
    return texts + list(front["tu_khoa"])


# ------------------------------------------------------------------------------------------------
# In the browser

def _pages(movement: str) -> list[str]:
    return [
        "", "guong/tiem-ma-00/", "guong/tiem-ma-02/", "guong/tiem-ma-07/", "guong/tiem-ma-11/",
        f"linh-vuc/{FIELD}/", "linh-vuc/", f"xa/{COMMUNE}/", "xa/ia-tul-2025/", "xa/", f"don-vi/{UNIT}/", "don-vi/",
        f"nam/{YEAR}/", f"phong-trao/{movement}/", "thong-ke/",
        f"tim-kiem/?q={SEARCH_QUERY}", f"tim-kiem/?q={SEARCH_QUERY}&xa=Ia+Tul",
        "nhung/guong/tiem-ma-00/", "nhung/guong/tiem-ma-07/", f"nhung/xa/{COMMUNE}/", f"nhung/linh-vuc/{FIELD}/",
        f"nhung/don-vi/{UNIT}/", "nhung/moi-nhat/",
    ]


def test_no_payload_runs_on_any_kind_of_page(corpus, movement, browser):
    site, fronts = corpus
    with serve(site, "/guong-sang/") as (base, _):
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in _pages(movement):
            response = page.goto(base + path, wait_until="load")
            assert response is not None and response.status == 200, path
            if path.startswith("tim-kiem/"):
                # The results are drawn from Pagefind's index (10 a page): the payload profiles are found and
                # their names come back as text.
                page.wait_for_function("document.querySelectorAll('#tim-kiem-ket-qua li').length >= 10",
                                       timeout=20_000)
                titles = page.locator(".guong-search__title").all_inner_texts()
                assert len(titles) == 10 and set(titles) <= {f["ten"] for f in fronts}, titles
                excerpts = " ".join(page.locator(".guong-search__excerpt").all_inner_texts())
                assert SEARCH_WORD in excerpts
            else:
                page.wait_for_timeout(50)  # onload/onerror handlers of broken images fire just after load
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert dialogs == [], (path, dialogs)
            # The payloads are shown as the text the editor typed, not dropped and not doubly escaped.
            body = page.inner_text("body")
            if path.startswith("guong/"):
                front = fronts[int(path.split("-")[-1].strip("/"))]
                for text in _field_texts(front)[:-2] + [front["khen_thuong"][0]["so_quyet_dinh"]]:
                    assert text in body, (path, text)  # keywords are not shown on the page, only searched
                assert page.locator("h1").first.inner_text() == front["ten"]
            elif path.startswith("nhung/guong/"):
                front = fronts[int(path.split("-")[-1].strip("/"))]
                assert front["ten"] in body, path
            elif path in (f"linh-vuc/{FIELD}/", f"xa/{COMMUNE}/", f"nam/{YEAR}/"):
                assert fronts[0]["ten"] in body and fronts[7]["ten"] in body, path
        # No inserted element either: a payload that became markup would show up here even if inert.
        page.goto(base + "guong/tiem-ma-02/", wait_until="load")
        assert page.locator("main svg[onload], main img[onerror], main iframe[srcdoc]").count() == 0
        page.close()


# ------------------------------------------------------------------------------------------------
# In the files

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script", re.IGNORECASE | re.DOTALL)


def test_inline_scripts_are_never_broken_out_of(corpus):
    site, fronts = corpus
    checked = 0
    for path in site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        parsed = lxml.html.fromstring(raw)
        inline = [el for el in parsed.iter("script") if not el.get("src")]
        found = _INLINE_SCRIPT.findall(raw)
        assert len(found) == len(parsed.findall(".//script")), path  # no script element opened by content
        for attributes, text in found:
            assert "__pwned" not in text and "alert(1)" not in text, (path, text[:200])
            if "json" in attributes:
                json.loads(text)  # cut short by a stray "</script" it would not parse
                checked += 1
        for element in inline:
            assert "</script" not in (element.text or "").lower()
    assert checked >= 1  # the search page's counts are JSON in a script element


def test_open_graph_and_head_carry_the_payload_as_text(corpus):
    site, fronts = corpus
    for index, front in enumerate(fronts):
        tree = lxml.html.parse(str(site / "guong" / f"tiem-ma-{index:02d}" / "index.html")).getroot()
        meta = {el.get("property") or el.get("name"): el.get("content") for el in tree.iter("meta")}
        assert front["ten"] in meta["og:title"], meta["og:title"]
        assert meta["og:description"].startswith(front["tom_tat"][:60]) or front["tom_tat"] in meta["og:description"]
        assert front["ten"] in tree.findtext(".//title")
        for el in tree.iter("meta", "link"):
            assert not any(name.startswith("on") for name in el.attrib), lxml.html.tostring(el)


def test_feeds_and_api_give_the_payloads_back_exactly(corpus):
    site, fronts = corpus
    by_name = {f["ten"]: f for f in fronts}
    atom = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=ns) for entry in atom.findall("a:entry", ns)]
    assert sorted(titles) == sorted(by_name)
    for entry in atom.findall("a:entry", ns):
        front = by_name[entry.findtext("a:title", namespaces=ns)]
        summary = entry.find("a:summary", ns)
        assert summary is not None and summary.get("type", "text") == "text" and summary.text == front["tom_tat"]
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert sorted(item["title"] for item in feed["items"]) == sorted(by_name)
    for item in feed["items"]:
        assert item["summary"] == by_name[item["title"]]["tom_tat"]
        assert "content_html" not in item or "__pwned" not in item["content_html"]
    api = json.loads((site / "api" / "guong.json").read_text(encoding="utf-8"))
    assert sorted(p["ten"] for p in api["guong"]) == sorted(by_name)
    for record in api["guong"]:
        front = by_name[record["ten"]]
        for key in ("tom_tat", "thon", "chuc_vu", "mo_hinh", "chu_thich_anh", "nguon_anh", "tac_gia"):
            assert record[key] == front[key], key
        assert record["tu_khoa"] == front["tu_khoa"]
        assert record["khen_thuong"][0]["so_quyet_dinh"] == front["khen_thuong"][0]["so_quyet_dinh"]
    for path in (site / "api").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every API file parses


def test_a_payload_story_is_refused_by_check_and_fails_the_build(guong, tmp_path):
    project = new_project(tmp_path / "project")
    (project / "content" / "guong").mkdir(parents=True)
    shutil.copy(CONTENT / "index.md", project / "content" / "index.md")
    stories = {
        "the-script": "<script>window.__pwned=1</script>",
        "su-kien": '<img src="x.png" onerror="window.__pwned=1">',
        "lien-ket": "[bấm vào](javascript:alert(1))",
        "du-lieu": '<a href="data:text/html,<script>alert(1)</script>">xem</a>',
        "svg": "<svg><script>alert(1)</script></svg>",
        "khung": '<iframe src="https://example.org/"></iframe>',
        "dao-chieu": "Tên \u202eđảo\u202c chiều",
    }
    for slug, story in stories.items():
        (project / "content" / "guong" / f"{slug}.md").write_text(
            f"---\n{VALID_FRONT_MATTER}---\n\n## Thành tích\n\n{story}\n", encoding="utf-8")
    run = guong("check", project / "content")
    assert run.code == 1
    for slug in stories:
        assert any(f"guong/{slug}.md:15:" in line and ": lỗi: " in line for line in run.lines), (slug, run.out)
    with pytest.raises(BuildFailed):
        build_site(project / "mkdocs.yml")
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]
