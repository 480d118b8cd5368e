"""Share cards: every public profile page and every listing announces its own 1200×630 PNG, made at build
time and cached by what is drawn on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import CONTENT, PROJECT_ROOT, SITE
from generator.content.collection import load_collection
from generator.portal.card_images import CARD_SIZE, CardMaker, CardText


@pytest.fixture(scope="module")
def samples(taxonomy):
    return load_collection(CONTENT, taxonomy)


def _og_image(page: Path) -> str:
    match = re.search(r'<meta property="og:image" content="([^"]+)"', page.read_text(encoding="utf-8"))
    assert match, page
    return match[1]


def test_every_public_profile_has_its_own_card(built_site, samples):
    cards = {}
    for profile in samples.public_profiles:
        url = _og_image(built_site / "guong" / profile.slug / "index.html")
        assert url.startswith(SITE.root + f"anh-chia-se/{profile.slug}-") and url.endswith(".png"), url
        cards[profile.slug] = built_site / url.removeprefix(SITE.root)
    assert len(set(cards.values())) == len(samples.public_profiles)
    for path in cards.values():
        with Image.open(path) as image:
            assert (image.format, image.size) == ("PNG", CARD_SIZE)
    published = {p.name for p in (built_site / "anh-chia-se").glob("*.png")}
    assert published == {p.name for p in cards.values()}  # one per public profile, none for drafts
    drafts = [p.slug for p in samples.profiles if not p.is_public]
    assert not any(name.startswith(tuple(drafts)) for name in published)


def test_listings_have_cards_of_their_own(built_site):
    first = _og_image(built_site / "xa" / "po-to-2025" / "index.html")
    assert first.startswith(SITE.root + "anh-chia-se/danh-sach/xa-po-to-2025-")
    assert _og_image(built_site / "linh-vuc" / "y-te" / "index.html") != first
    with Image.open(built_site / first.removeprefix(SITE.root)) as image:
        assert image.size == CARD_SIZE
    # A page that is no listing keeps the site's card.
    assert _og_image(built_site / "thong-ke" / "index.html") == SITE.root + "assets/guong-og.png"


def test_a_card_is_made_once_and_anew_when_its_text_changes(tmp_path):
    maker = CardMaker(tmp_path, PROJECT_ROOT / "theme_overrides")
    text = CardText("Y tế", "Nguyễn Thị Mẫu", "Xã Ia Tul", "Gương sáng Ia Pa")
    first = maker.card("nguyen-thi-mau", text, None)
    written = first.path.stat().st_mtime_ns
    again = CardMaker(tmp_path, PROJECT_ROOT / "theme_overrides").card("nguyen-thi-mau", text, None)
    assert again == first and again.path.stat().st_mtime_ns == written
    changed = maker.card("nguyen-thi-mau", CardText("Y tế", "Nguyễn Thị Mẫu", "Xã Ia Pa", "Gương sáng Ia Pa"), None)
    assert changed.uri != first.uri
    maker.prune_unused()  # this maker used both
    assert first.path.is_file() and changed.path.is_file()
