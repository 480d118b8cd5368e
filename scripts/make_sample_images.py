"""Tạo lại ảnh minh họa cho các hồ sơ mẫu (hư cấu) trong content/guong/.

Ảnh được vẽ hoàn toàn bằng Pillow: nền chuyển màu đất, vài hình khối đơn giản (đồi, ruộng, mặt trời),
chữ cái đầu của tên và dòng chữ "Ảnh minh họa" — cố ý KHÔNG giống ảnh chụp người thật.

Cách dùng (từ thư mục gốc của dự án):

    .venv/bin/python scripts/make_sample_images.py            # tạo ảnh còn thiếu
    .venv/bin/python scripts/make_sample_images.py --force    # vẽ lại tất cả

Script đọc khóa `anh` trong front matter của từng hồ sơ: chỉ hồ sơ có `anh` mới được vẽ ảnh, và đuôi tệp
(.jpg, .png, .webp) quyết định định dạng lưu. Kết quả là tất định: cùng hồ sơ thì cùng ảnh.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SIZE = (1200, 800)
MAX_BYTES = 400 * 1024

# Bảng màu đất: (nền trên, nền dưới, màu khối, màu nhấn).
PALETTES = [
    ((236, 214, 178), (190, 120, 72), (150, 86, 52), (246, 196, 96)),
    ((222, 230, 196), (118, 146, 84), (86, 112, 60), (240, 204, 110)),
    ((240, 222, 200), (168, 96, 80), (128, 68, 58), (250, 210, 140)),
    ((214, 224, 220), (96, 128, 120), (70, 98, 92), (238, 190, 120)),
    ((238, 226, 190), (176, 142, 78), (134, 104, 52), (232, 150, 86)),
    ((230, 212, 222), (142, 104, 120), (108, 76, 92), (244, 200, 120)),
]

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]
FONT_REGULAR_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]

# Những từ mở đầu tên không dùng làm chữ cái đầu ("Hộ ông Kpă Thuăn" → K, T).
_SKIP = {"hộ", "ông", "bà", "anh", "chị"}


def font(candidates: list[str], size: int) -> ImageFont.ImageFont:
    for path in candidates:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def front_matter(path: Path) -> dict:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
    match = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.S)
    return yaml.safe_load(match.group(1)) if match else {}


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s,]+", name) if w and w.lower() not in _SKIP]
    words = [w[2:] if w[:2].lower() in ("h'", "h\u2019") and len(w) > 2 else w for w in words]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / (height - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize(size)


def draw_image(slug: str, name: str) -> Image.Image:
    seed = int(hashlib.sha256(slug.encode()).hexdigest(), 16)
    rng = random.Random(seed)
    top, bottom, block, accent = PALETTES[seed % len(PALETTES)]
    width, height = SIZE
    image = gradient(SIZE, top, bottom)

    shapes = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    # Mặt trời.
    sx, sy, r = rng.randint(760, 1060), rng.randint(90, 220), rng.randint(60, 95)
    draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=accent + (200,))
    # Hai lớp đồi thấp.
    for layer, (base, alpha) in enumerate(((500, 110), (590, 170))):
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base + rng.randint(-50, 40) - layer * 10))
        points.append((width, height))
        draw.polygon(points, fill=block + (alpha,))
    # Các luống ruộng (đường chéo mảnh).
    for i in range(9):
        x0 = -200 + i * 170 + rng.randint(-20, 20)
        draw.line((x0, height, x0 + 260, 640), fill=top + (90,), width=6)
    shapes = shapes.filter(ImageFilter.GaussianBlur(3))
    image = Image.alpha_composite(image.convert("RGBA"), shapes)

    overlay = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    # Vòng tròn chứa chữ cái đầu.
    cx, cy, cr = 330, 360, 200
    draw.ellipse((cx - cr, cy - cr, cx + cr, cy + cr), fill=(255, 255, 255, 150), outline=block + (255,), width=8)
    letters = initials(name)
    big = font(FONT_CANDIDATES, 190 if len(letters) <= 2 else 150)
    draw.text((cx, cy), letters, font=big, fill=block + (255,), anchor="mm")
    # Nhãn "Ảnh minh họa".
    label = font(FONT_CANDIDATES, 56)
    draw.rounded_rectangle((620, 560, 1150, 650), radius=18, fill=(255, 255, 255, 190))
    draw.text((885, 605), "Ảnh minh họa", font=label, fill=(60, 45, 35, 255), anchor="mm")
    small = font(FONT_REGULAR_CANDIDATES, 28)
    draw.text((885, 690), "Hồ sơ mẫu – không phải ảnh thật", font=small, fill=(255, 255, 255, 235), anchor="mm")
    caption = name if len(name) <= 42 else name[:40] + "…"
    draw.text((60, 740), caption, font=small, fill=(255, 255, 255, 235), anchor="lm")
    return Image.alpha_composite(image, overlay).convert("RGB")


def save(image: Image.Image, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = target.suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        image.save(target, "JPEG", quality=82, optimize=True, progressive=True)
    elif suffix == ".png":
        image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, "PNG", optimize=True)
    elif suffix == ".webp":
        image.save(target, "WEBP", quality=80, method=6)
    else:
        raise ValueError(f"đuôi ảnh không hỗ trợ: {target.name}")
    if target.stat().st_size > MAX_BYTES:
        raise SystemExit(f"ảnh {target} lớn hơn {MAX_BYTES // 1024} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="vẽ lại cả những ảnh đã có")
    args = parser.parse_args(argv)
    made = 0
    for profile in sorted((CONTENT / "guong").glob("*.md")):
        data = front_matter(profile)
        photo = data.get("anh")
        if not photo:
            continue
        target = CONTENT / photo
        if target.exists() and not args.force:
            continue
        save(draw_image(profile.stem, str(data.get("ten", profile.stem))), target)
        made += 1
        print(f"đã tạo {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
    print(f"xong: {made} ảnh")
    return 0


if __name__ == "__main__":
    sys.exit(main())
