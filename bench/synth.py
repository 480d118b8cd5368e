"""Synthetic profiles for benchmarks: valid, varied, Vietnamese, fictional; deterministic for a seed."""

from __future__ import annotations

import collections
import functools
import random
import re
import shutil
from pathlib import Path

from PIL import Image

from generator.content.taxonomy import Taxonomy, load_taxonomy

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Ksor", "Rơ Mah", "Siu", "Kpă",
           "Rah Lan", "Nay", "Puih"]
_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Ngọc", "H'"]
_GIVEN = ["An", "Bình", "Chung", "Dũng", "Đức", "Hoa", "Hòa", "Hùng", "Lan", "Mai", "Nơn", "Blin", "Yam", "Thu",
          "Tuấn", "Xuân", "Ánh", "Ơn", "Kpuih", "Hlơn", "Duyên", "Phương", "Thủy", "Lực"]
_SAMPLES = Path(__file__).resolve().parent.parent / "content" / "guong"
_WORD = re.compile(r"[^\W\d_]+")
_SECTIONS = ["## Thành tích", "## Cách làm hay", "## Bài học kinh nghiệm", "## Nhân rộng"]


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[list[str], list[int]]:
    """Words of the shipped sample stories with their frequencies. Drawing from them gives synthetic
    stories the frequency profile of real Vietnamese text (a few syllables such as "và", "được",
    "người" in every story, a long tail of rarer ones), which is what a search index's size depends on."""
    counts: collections.Counter[str] = collections.Counter()
    for sample in sorted(_SAMPLES.glob("*.md")):
        body = sample.read_text(encoding="utf-8").split("\n---", 2)[-1]
        counts.update(word.lower() for word in _WORD.findall(body))
    words = sorted(counts)
    return words, [counts[word] for word in words]


def _sentence(rng: random.Random) -> str:
    words, weights = _vocabulary()
    words = rng.choices(words, weights, k=rng.randint(9, 18))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _story(rng: random.Random, word_target: int) -> str:
    parts, words = [], 0
    for section in _SECTIONS:
        parts.append(section + "\n")
        paragraph = []
        while words < word_target * (_SECTIONS.index(section) + 1) / len(_SECTIONS):
            sentence = _sentence(rng)
            paragraph.append(sentence)
            words += len(sentence.split())
        parts.append(" ".join(paragraph) + "\n")
    return "\n".join(parts)


def generate(folder: Path, count: int, *, seed: int = 105, photo_share: float = 0.25,
             taxonomy: Taxonomy | None = None) -> Path:
    """Write `count` valid profiles into folder/content/guong (and photos into folder/content/anh);
    return the content folder."""
    taxonomy = taxonomy or load_taxonomy()
    rng = random.Random(seed)
    content = folder / "content"
    (content / "guong").mkdir(parents=True, exist_ok=True)
    (content / "anh").mkdir(exist_ok=True)
    fields = list(taxonomy.fields.values())
    old_communes = [c.slug for c in taxonomy.communes.values() if not c.is_new]
    new_communes = [c.slug for c in taxonomy.communes.values() if c.is_new]
    units = list(taxonomy.units)
    movements = list(taxonomy.movements)
    for index in range(count):
        field = fields[index % len(fields)]
        kind = field.kinds[index % len(field.kinds)]
        year = 2019 + index % 8
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)} {index}".replace("H' ", "H'")
        if kind == "tap-the":
            name = f"Tập thể mẫu số {index}"
        elif kind == "ho-gia-dinh":
            name = f"Hộ ông {name}"
        slug = f"mau-{index:05d}"
        place = f"xa: {rng.choice(new_communes if year >= 2025 else old_communes)}"
        if index % 5 == 0:
            place += f"\ndon_vi: {rng.choice(units)}"
        photo = ""
        if rng.random() < photo_share:
            image_path = content / "anh" / f"{slug}.jpg"
            Image.new("RGB", (1200, 800), (rng.randint(60, 200), rng.randint(60, 160), 90)).save(image_path, quality=70)
            photo = f"anh: anh/{slug}.jpg\nchu_thich_anh: Ảnh minh họa (tổng hợp)\n"
        published = index % 10 != 0
        text = (
            "---\n"
            f"ten: {name}\nloai: {kind}\nlinh_vuc: {field.slug}\n{place}\nthon: Thôn {index % 17 + 1}\n"
            f"nam: {year}\n"
            f"tom_tat: Hồ sơ tổng hợp số {index} cho phép đo: {_sentence(rng)}\n".replace(": " + "H", ": H")
            .replace("đo: ", "đo — ")
            + f"trang_thai: {'xuat-ban' if published else 'nhap'}\n"
            f"dong_y_cong_khai: {year}-03-0{1 + index % 9}\n"
            f"phong_trao: [{rng.choice(movements)}]\n"
            f"giai_doan: {rng.choice(['phat-hien', 'boi-duong', 'nhan-rong', 'bieu-duong'])}\n"
            f"{photo}"
            f"ngay_dang: {year}-06-1{index % 10}\n"
            f"tac_gia: Ban biên tập\n"
            f"tu_khoa: [tổng hợp, {field.slug}]\n"
            "---\n\n"
            + _story(rng, rng.randint(420, 900))
        )
        (content / "guong" / f"{slug}.md").write_text(text, encoding="utf-8")
    return content


def site_project(folder: Path, count: int) -> Path:
    """A site project in `folder` with `count` synthetic profiles, a home page, and this checkout's
    mkdocs.yml and theme overrides, as the build benchmarks use it; returns the content folder."""
    folder.mkdir(parents=True, exist_ok=True)
    content = generate(folder, count)
    (content / "index.md").write_text("# Gương sáng Ia Pa\n\nBản đo hiệu năng.\n", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "mkdocs.yml", folder)
    shutil.copytree(root / "theme_overrides", folder / "theme_overrides")
    return content
