"""Embed pages (/nhung/…) without a browser: which exist, what they list, what they may not contain, and
how long they take at 2,000 profiles. tests/test_embed_browser.py drives them in Chromium."""

from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import CONTENT, SITE
from generator.content.collection import load_collection
from generator.outputs.embeds import MOST, SHOWN, embed_lists, embed_pages
from generator.portal.groups import Groups, newest_first
from generator.portal.pages import Portal, build_portal
from generator.portal.render import embed_snippet

HREF_OR_SRC = re.compile(r'\s(?:href|src|srcset)="([^"]*)"')
LINK = re.compile(r"<a\s[^>]*>")


@pytest.fixture(scope="module")
def samples(taxonomy):
    return load_collection(CONTENT, taxonomy)


@pytest.fixture(scope="module")
def embeds(built_site) -> dict[str, str]:
    """Every file under site/nhung/, by path relative to the site."""
    return {path.relative_to(built_site).as_posix(): path.read_text(encoding="utf-8")
            for path in (built_site / "nhung").rglob("*") if path.is_file()}


def test_every_published_profile_has_an_embed_page(embeds, samples):
    public = samples.public_profiles
    assert len(public) > 20
    missing = [p.slug for p in public if f"nhung/guong/{p.slug}/index.html" not in embeds]
    assert missing == []
    assert sum(1 for path in embeds if path.startswith("nhung/guong/")) == len(public)


def test_every_listing_has_a_list_embed(embeds, taxonomy, samples):
    expected = ["nhung/moi-nhat/index.html", "nhung/xa/cap-huyen/index.html"]
    expected += [f"nhung/linh-vuc/{slug}/index.html" for slug in taxonomy.fields]
    expected += [f"nhung/xa/{slug}/index.html" for slug in taxonomy.communes]
    expected += [f"nhung/don-vi/{slug}/index.html" for slug in taxonomy.units]
    expected += [f"nhung/nam/{year}/index.html" for year in sorted({p.year for p in samples.public_profiles})]
    expected += [f"nhung/phong-trao/{slug}/index.html" for slug in taxonomy.movements]
    lists = sorted(path for path in embeds if path.endswith("/index.html") and not path.startswith("nhung/guong/"))
    assert lists == sorted(expected)
    for asset in ("nhung/nhung.js", "nhung/khung.js", "nhung/nhung.css"):
        assert asset in embeds


def test_no_draft_appears_under_nhung(embeds, samples):
    drafts = [p for p in samples.profiles if not p.is_public]
    assert len(drafts) >= 5
    for path, text in embeds.items():
        for draft in drafts:
            assert draft.slug not in path and draft.slug not in text, (draft.slug, path)
            assert draft.name not in text, (draft.name, path)


def test_drafts_shown_in_the_preview_are_never_embeddable(samples, taxonomy):
    preview = build_portal(samples, include_drafts=True)
    assert any(not p.is_public for p in preview.profiles)
    pages = embed_pages(preview, taxonomy, {}, SITE.name)
    drafts = [p for p in preview.profiles if not p.is_public]
    for path, text in pages.items():
        for draft in drafts:
            assert draft.slug not in path and f"guong/{draft.slug}/" not in text


def test_a_new_commune_lists_the_old_communes_it_absorbed(samples, taxonomy):
    lists = {item.url: item for item in embed_lists(build_portal(samples))}
    new = lists["nhung/xa/ia-tul-2025/"]
    members = {"ia-tul-2025"} | {old.slug for old in taxonomy.absorbed_by("ia-tul-2025")}
    expected = newest_first([p for p in samples.public_profiles if p.commune in members])
    assert {p.commune for p in expected} - {"ia-tul-2025"}, "the samples must have profiles of old communes"
    assert new.total == len(expected)
    assert [p.slug for p in new.profiles] == [p.slug for p in expected][:MOST]
    old = lists["nhung/xa/ia-kdam/"]  # an old commune lists its own profiles only
    assert {p.commune for p in old.profiles} == {"ia-kdam"}


def test_list_embeds_show_six_newest_and_carry_the_rest_hidden(embeds, samples):
    html = embeds["nhung/moi-nhat/index.html"]
    cards = re.findall(r'<li class="nhung-card"( hidden)?>', html)
    assert len(cards) == min(MOST, len(samples.public_profiles))
    assert [bool(hidden) for hidden in cards] == [False] * SHOWN + [True] * (len(cards) - SHOWN)
    newest = newest_first(samples.public_profiles)[0]
    assert html.index(f"guong/{newest.slug}/") < html.index('<li class="nhung-card" hidden>')


def test_embed_pages_are_vietnamese_relative_and_open_links_in_a_new_tab(embeds):
    for path, text in embeds.items():
        if not path.endswith(".html"):
            continue
        assert '<html lang="vi">' in text, path
        urls = [u for value in HREF_OR_SRC.findall(text) for u in re.split(r",\s*", value)]
        assert urls and not [u for u in urls if "//" in u or u.startswith("/")], path  # this site only
        for link in LINK.findall(text):
            assert 'target="_blank"' in link and 'rel="noopener"' in link, (path, link)
    profile = embeds["nhung/guong/ksor-h-blin/index.html"]
    for text in ("Ksor H&#39;Blin", "Pờ Tó", "Sản xuất, kinh doanh", "2020", "Đọc toàn bộ câu chuyện",
                 'href="../../../guong/ksor-h-blin/"', ".webp"):
        assert text in profile, text


def test_profile_and_listing_pages_offer_the_embed_snippet(built_site):
    profile = (built_site / "guong" / "ksor-h-blin" / "index.html").read_text(encoding="utf-8")
    assert "<summary>Nhúng vào trang của bạn</summary>" in profile
    assert 'data-src="../../nhung/guong/ksor-h-blin/"' in profile
    assert "nhung/guong/ksor-h-blin/&#34;" in profile  # in the textarea, escaped
    for url, embed in (("xa/ia-tul-2025/", "nhung/xa/ia-tul-2025/"), ("linh-vuc/y-te/", "nhung/linh-vuc/y-te/"),
                       ("don-vi/phong-gd-dt/", "nhung/don-vi/phong-gd-dt/"), ("xa/cap-huyen/", "nhung/xa/cap-huyen/")):
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        assert f'data-src="../../{embed}"' in html, url


def test_the_snippet_escapes_the_title_and_keeps_a_fallback_height():
    title = 'Tổ "Ánh sáng" & H\'Nơn'
    snippet = embed_snippet("https://iapa.example/guong-sang/", "nhung/guong/a/", title, "profile", SITE.name)
    assert snippet == (
        '<iframe src="https://iapa.example/guong-sang/nhung/guong/a/" '
        'title="Gương sáng Ia Pa: Tổ &quot;Ánh sáng&quot; &amp; H\'Nơn" loading="lazy" '
        'style="display:block;width:100%;height:480px;border:0"></iframe>\n'
        '<script src="https://iapa.example/guong-sang/nhung/nhung.js" async></script>')


def test_profile_text_is_escaped(samples, taxonomy):
    original = samples.public_profiles[0]
    hostile = dataclasses.replace(original, name='<img src=x onerror="alert(1)">', summary="a & b <script>x</script>")
    pages = embed_pages(Portal(pages={}, profiles=[hostile], photos={}, groups=Groups([hostile], taxonomy)), taxonomy, {},
                        SITE.name)
    text = pages[f"nhung/guong/{original.slug}/index.html"]
    assert "<img src=x" not in text and "<script>x" not in text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in text and "a &amp; b &lt;script&gt;" in text
