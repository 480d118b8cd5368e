"""The shipped sample content: valid, fictional and marked as such, and covering the taxonomy."""

from __future__ import annotations

import re

import pytest

from conftest import CONTENT
from generator.content.collection import load_collection


@pytest.fixture(scope="module")
def samples(taxonomy):
    return load_collection(CONTENT, taxonomy)


def test_guong_check_passes_on_the_samples(guong):
    run = guong("check", CONTENT)
    assert run.code == 0, run.out
    assert " 0 lỗi" in run.lines[-1] or "không có lỗi" in run.lines[-1]


def test_at_least_36_profiles_all_valid(samples):
    assert samples.file_count >= 36
    assert len(samples.profiles) == samples.file_count


def test_every_sample_is_visibly_marked_fictional(samples):
    for profile in samples.profiles:
        assert profile.body.lstrip().startswith("> **Hồ sơ mẫu (hư cấu):**"), profile.slug
        assert "hồ sơ mẫu" in profile.keywords, profile.slug


def test_samples_contain_no_phone_id_or_email(samples):
    pattern = re.compile(r"\b0\d{9}\b|\b\d{12}\b|[\w.+-]+@[\w-]+\.\w+")
    for profile in samples.profiles:
        assert not pattern.search(profile.body + profile.summary), profile.slug


def test_samples_cover_the_taxonomy(samples, taxonomy):
    published = samples.public_profiles
    assert {p.field for p in published} == set(taxonomy.fields)
    old = {c.slug for c in taxonomy.communes.values() if not c.is_new}
    new = {c.slug for c in taxonomy.communes.values() if c.is_new}
    assert old <= {p.commune for p in published}
    assert new <= {p.commune for p in published if p.year >= 2025}
    assert {p.kind for p in published} == {"ca-nhan", "tap-the", "ho-gia-dinh"}
    assert sum(1 for p in published if p.commendations) >= 10
    assert any(p.status != "xuat-ban" for p in samples.profiles)  # drafts
    assert any(p.unit and not p.commune for p in published)  # district-level agencies
    assert any(p.minor for p in published)


def test_stats_prints_the_quota_table_for_the_samples(guong):
    run = guong("stats", CONTENT)
    assert run.code == 0
    assert "== Kế hoạch 105/KH-UBND (2019–2020):" in run.out
    assert "Ia Tul" in run.out and "Công an huyện" in run.out and "5–7" in run.out
