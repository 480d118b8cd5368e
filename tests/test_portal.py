"""The portal model and page bodies, without any site engine."""

from __future__ import annotations

import pytest

from conftest import CONTENT, SITE, VALID_FRONT_MATTER
from generator.content.collection import load_collection
from generator.portal.pages import PER_PAGE, build_portal, profile_url
from generator.portal.render import BodyRenderer, relative_url, sanitize_story


@pytest.fixture(scope="module")
def samples(taxonomy):
    return load_collection(CONTENT, taxonomy)


@pytest.fixture(scope="module")
def portal(samples):
    return build_portal(samples)


def _slugs_listed(portal, url: str) -> set[str]:
    """Every profile listed on a listing, across all its pages."""
    slugs = set()
    for page in portal.pages.values():
        if page.url == url or page.url.startswith(url + "trang/"):
            for group in page.context["groups"]:
                slugs.update(p.slug for p in group.profiles)
    return slugs


def test_every_published_profile_has_its_page_and_no_draft_has_one(portal, samples):
    public = {p.slug for p in samples.profiles if p.is_public}
    drafts = {p.slug for p in samples.profiles if not p.is_public}
    assert drafts, "the samples include drafts"
    pages = {url for url in portal.pages if url.startswith("guong/")}
    assert pages == {f"guong/{slug}/" for slug in public}


def test_each_profile_is_on_its_field_commune_and_new_commune_pages(portal, samples, taxonomy):
    for profile in samples.public_profiles:
        assert profile.slug in _slugs_listed(portal, f"linh-vuc/{profile.field}/")
        if profile.commune:
            assert profile.slug in _slugs_listed(portal, f"xa/{profile.commune}/")
            merged_into = taxonomy.communes[profile.commune].merged_into
            if merged_into:
                assert profile.slug in _slugs_listed(portal, f"xa/{merged_into}/")
        else:
            assert profile.slug in _slugs_listed(portal, "xa/cap-huyen/")
        if profile.unit:
            assert profile.slug in _slugs_listed(portal, f"don-vi/{profile.unit}/")
        assert profile.slug in _slugs_listed(portal, f"nam/{profile.year}/")
        for movement in profile.movements:
            assert profile.slug in _slugs_listed(portal, f"phong-trao/{movement}/")


def test_no_draft_is_listed_anywhere(portal, samples):
    drafts = {p.slug for p in samples.profiles if not p.is_public}
    for page in portal.pages.values():
        for key in ("groups", "featured", "latest", "related"):
            value = page.context.get(key) or []
            profiles = [p for g in value for p in g.profiles] if key == "groups" else value
            assert not drafts & {p.slug for p in profiles}, page.url


def test_statistics_count_only_published_profiles(portal, samples):
    stats = portal.pages["thong-ke/"].context
    assert stats["total"] == len(samples.public_profiles)
    assert sum(count for _, count in stats["fields"]) == len(samples.public_profiles)


def test_new_commune_page_groups_the_old_communes_it_absorbed(portal):
    page = portal.pages["xa/ia-tul-2025/"]
    titles = [g.title for g in page.context["groups"]]
    assert any("Ia Kdăm" in t for t in titles) and any("Chư Mố" in t for t in titles)
    assert "Ia Kdăm, Chư Mố, Ia Tul, Ia Broăi" in page.context["note"]["text"]
    old = portal.pages["xa/ia-kdam/"].context["note"]
    assert old["url"] == "xa/ia-tul-2025/" and "sáp nhập vào xã mới Ia Tul" in old["text"]


def test_listings_paginate_24_a_page_with_stable_urls(tmp_path, taxonomy):
    root = tmp_path / "content"
    (root / "guong").mkdir(parents=True)
    for index in range(PER_PAGE * 2 + 3):
        front = VALID_FRONT_MATTER.replace("Nguyễn Thị Mẫu", f"Nguyễn Thị Mẫu {index:02d}")
        (root / "guong" / f"mau-{index:02d}.md").write_text(f"---\n{front}---\n\nCâu chuyện.\n", encoding="utf-8")
    portal = build_portal(load_collection(root, taxonomy))
    assert {"xa/ia-tul/", "xa/ia-tul/trang/2/", "xa/ia-tul/trang/3/"} <= set(portal.pages)
    assert "xa/ia-tul/trang/4/" not in portal.pages
    sizes = [sum(len(g.profiles) for g in portal.pages[u].context["groups"])
             for u in ("xa/ia-tul/", "xa/ia-tul/trang/2/", "xa/ia-tul/trang/3/")]
    assert sizes == [24, 24, 3]
    # the new commune continues the old commune's group across its page break
    second = portal.pages["xa/ia-tul-2025/trang/2/"].context["groups"]
    assert second[0].title.endswith("(tiếp)")


def test_listings_sort_people_by_given_name(portal):
    from generator.content.text import person_sort_key

    for url in ("nam/2024/", "linh-vuc/can-bo-cong-chuc/", "xa/po-to/"):
        listed = [p for g in portal.pages[url].context["groups"] for p in g.profiles]
        persons = [p.name for p in listed if p.kind == "ca-nhan"]
        assert len(persons) >= 2, url
        assert persons == sorted(persons, key=person_sort_key), url


def test_drafts_are_shown_only_in_preview_with_a_banner(samples, taxonomy):
    preview = build_portal(samples, include_drafts=True)
    draft = next(p for p in samples.profiles if not p.is_public)
    page = preview.pages[profile_url(draft)]
    assert page.draft
    html = BodyRenderer(taxonomy, SITE).render(page, story_html="<p>x</p>")
    assert "BẢN NHÁP" in html


@pytest.mark.parametrize("page", ["", "xa/", "guong/a/", "xa/ia-tul/trang/2/"])
@pytest.mark.parametrize("target", ["", "guong/a/", "xa/ia-tul/", "anh/a-1234-480.webp"])
def test_relative_urls_resolve_to_the_target_under_any_sub_path(page, target):
    from urllib.parse import urljoin

    for root in ("https://example.org/", "https://example.org/guong-sang/"):
        assert urljoin(root + page, relative_url(page, target)) == root + target


def test_story_html_is_sanitised():
    dirty = '<h2 id="thanh-tich">Thành tích</h2><p onclick="x()">a<script>alert(1)</script></p><a href="javascript:x">b</a>'
    clean = sanitize_story(dirty)
    assert '<h2 id="thanh-tich">' in clean
    assert "onclick" not in clean and "<script" not in clean and "javascript:" not in clean


def test_field_values_are_escaped_in_page_bodies(portal, taxonomy):
    page = portal.pages[next(u for u in portal.pages if u.startswith("guong/"))]
    profile = page.context["profile"]
    original = profile.name
    profile.name = '<img src=x onerror="alert(1)">'
    try:
        html = BodyRenderer(taxonomy, SITE).render(page, story_html="")
    finally:
        profile.name = original
    assert "<img src=x" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
