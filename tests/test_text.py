import unicodedata

import pytest

from generator.content.text import canonical, collation_key, fold, given_name, match_key, person_sort_key, slugify


@pytest.mark.parametrize(
    "written, expected",
    [
        ("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("Khoẻ", "Khỏe"), ("tuỳ", "tùy"), ("hoà bình", "hòa bình"),
        ("Hòa", "Hòa"), ("Hoàng", "Hoàng"), ("Quý", "Quý"), ("giữa", "giữa"), ("người", "người"),
        ("ngoài", "ngoài"), ("khuỷu", "khuỷu"), ("thuở", "thuở"), ("Nguyễn", "Nguyễn"), ("gìn", "gìn"),
        ("Ksor H'Nơn", "Ksor H'Nơn"), ("Đức", "Đức"), ("oà", "òa"),
    ],
)
def test_canonical_tone_placement(written, expected):
    assert canonical(written) == expected


def test_canonical_normalises_nfd_input():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    assert canonical(decomposed) == "Nguyễn Thị Hòa"
    assert unicodedata.is_normalized("NFC", canonical(decomposed))


@pytest.mark.parametrize(
    "text, folded",
    [("Đinh Văn Đức", "dinh van duc"), ("Người tốt việc tốt", "nguoi tot viec tot"), ("Ia Mrơn", "ia mron"),
     ("Ksor H’Nơn", "ksor h'non"), (unicodedata.normalize("NFD", "Giáo dục"), "giao duc")],
)
def test_fold_removes_every_mark_and_maps_d(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "text, slug",
    [("Đinh Văn Đức", "dinh-van-duc"), ("Nguyễn Thị Hoà", "nguyen-thi-hoa"), ("Ksor H'Nơn", "ksor-h-non"),
     ("Trường Tiểu học Kim Đồng", "truong-tieu-hoc-kim-dong"), ("  Hộ ông Rơ Mah Đăm  ", "ho-ong-ro-mah-dam")],
)
def test_slugify_maps_d_to_d_not_dj(text, slug):
    assert slugify(text) == slug


def test_match_key_ignores_tone_placement_case_and_spacing():
    assert match_key("Võ Thị Hoà") == match_key("võ thị  Hòa")
    assert match_key("Võ Thị Hoà") != match_key("Võ Thị Hoa")


def test_collation_follows_the_vietnamese_alphabet():
    words = ["đá", "da", "ăn", "an", "ân", "ba", "dê", "ơi", "ôi", "ư", "u", "y"]
    assert sorted(words, key=collation_key) == ["an", "ăn", "ân", "ba", "da", "dê", "đá", "ôi", "ơi", "u", "ư", "y"]


def test_collation_orders_tones_none_huyen_hoi_nga_sac_nang():
    assert sorted(["má", "mạ", "mà", "ma", "mã", "mả"], key=collation_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_people_sort_by_given_name_then_full_name():
    names = ["Nguyễn Văn Đức", "Trần Thị An", "Ksor H'Nơn", "Lê Văn Dũng", "Phạm Thị Ánh", "Rơ Mah Ăng",
             "Đỗ Thị An"]
    assert sorted(names, key=person_sort_key) == [
        "Đỗ Thị An", "Trần Thị An", "Phạm Thị Ánh", "Rơ Mah Ăng", "Lê Văn Dũng", "Nguyễn Văn Đức", "Ksor H'Nơn",
    ]


def test_given_name_drops_the_jrai_womens_prefix():
    assert given_name("Ksor H’Blin") == "Blin"
    assert given_name("Siu Thu") == "Thu"
