"""Vietnamese text: normalisation, tone placement, folding, slugs and collation.

Every other module goes through these functions, so that "Hoà" and "Hòa", NFD and NFC input, and
"Đức" typed as "duc" are treated alike wherever names are matched, sorted or turned into URLs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

# The five tone marks as combining characters (huyền, hỏi, ngã, sắc, nặng).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Vowels that carry their own mark (circumflex, breve, horn); a tone prefers these letters.
_MARKED_VOWELS = set("ăâêôơưĂÂÊÔƠƯ")
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def nfc(text: str) -> str:
    """Unicode NFC, the form every stored and compared string is kept in."""
    return unicodedata.normalize("NFC", text)


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Return the syllable without its tone mark (NFC) and the tone mark, if any."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = next((ch for ch in decomposed if ch in _TONES), None)
    if tone is None:
        return nfc(decomposed), None
    return nfc(decomposed.replace(tone, "", 1)), tone


def _tone_position(bare: str) -> int | None:
    """Index of the letter that carries the tone in a toneless syllable (traditional placement).

    Traditional ("old style") placement is the form most Vietnamese government documents use:
    hòa, thủy, khỏe; a closed syllable puts it on the last vowel (hoàng, toán).
    """
    lower = bare.lower()
    start = 0
    # "qu" and "gi" are initial consonants when another vowel follows: quý, giữa.
    if lower.startswith("qu") and len(lower) > 2 and lower[2] in _VOWELS:
        start = 2
    elif lower.startswith("gi") and len(lower) > 2 and lower[2] in _VOWELS:
        start = 2
    vowel_positions = [i for i in range(start, len(bare)) if bare[i] in _VOWELS]
    if not vowel_positions:
        if start == 2:  # "gì", "gìn": the i of gi is the vowel.
            return 1
        return None
    # Only the first contiguous run of vowels is the nucleus.
    run = [vowel_positions[0]]
    for index in vowel_positions[1:]:
        if index != run[-1] + 1:
            break
        run.append(index)
    marked = [i for i in run if bare[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]  # "ươ" takes it on ơ
    closed = run[-1] + 1 < len(bare)
    if closed or len(run) == 1:
        return run[-1]
    if len(run) == 2:
        return run[0]
    return run[1]


def _canonical_match(match: re.Match[str]) -> str:
    syllable = match.group(0)
    return syllable if syllable.isascii() else _canonical_syllable(syllable)


@lru_cache(maxsize=65536)
def _canonical_syllable(syllable: str) -> str:
    # Cached: names and keywords are made of a few thousand syllables, each seen again and again.
    bare, tone = _split_tone(syllable)
    if tone is None:
        return syllable
    position = _tone_position(bare)
    if position is None:
        return syllable
    return nfc(bare[: position + 1] + tone + bare[position + 1 :])


def canonical(text: str) -> str:
    """NFC with the tone of every syllable in its traditional place: "Hoà" → "Hòa", "Thuỷ" → "Thủy"."""
    return _WORD.sub(_canonical_match, nfc(text))


def fold(text: str) -> str:
    """Lowercase text with every mark removed and đ mapped to d, for accent-blind matching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def match_key(text: str) -> str:
    """Key under which two spellings of one name count as the same (case, tone placement, spacing)."""
    return " ".join(canonical(text.translate(_APOSTROPHES)).casefold().split())


def slugify(text: str) -> str:
    """ASCII slug a-z0-9- with đ → d (many slug libraries turn đ into "dj")."""
    return _slugify(nfc(text), replacements=[["đ", "d"], ["Đ", "D"]], lowercase=True)


# Vietnamese alphabetical order; letters outside it (f, j, w, z, digits) sort by code point after it.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}


@lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key in Vietnamese order: letters first (a ă â … đ …), then tones (none, huyền, hỏi, ngã,
    sắc, nặng), then the text itself so that the order is total and stable."""
    letters: list[int] = []
    tones: list[int] = []
    # The tone of each word is taken apart from its letters, so where it sits (Hoà/Hòa) cannot matter.
    for word in _WORD.findall(nfc(text).lower()):
        bare, tone = _split_tone(word)
        for ch in bare:
            letters.append(_LETTER_RANK.get(ch, len(_ALPHABET) + ord(ch)))
        letters.append(-1)  # word boundary sorts before any letter: "An" < "An Bình" < "Ana"
        tones.append(_TONES.get(tone, 0) if tone else 0)
    return tuple(letters), tuple(tones), text


def given_name(full_name: str) -> str:
    """The given name: the last word, without the Jrai women's prefix "H'" (Ksor H'Nơn → Nơn)."""
    words = full_name.translate(_APOSTROPHES).split()
    if not words:
        return ""
    last = words[-1]
    if last[:2].lower() == "h'" and len(last) > 2:
        last = last[2:]
    return last


def person_sort_key(full_name: str) -> tuple:
    """People sort by given name, then by the full name (Vietnamese order)."""
    return collation_key(given_name(full_name)), collation_key(full_name)


def short_date(day: dt.date) -> str:
    """A date as Vietnamese writes it in running text, without leading zeros ("1/7/2025")."""
    return f"{day.day}/{day.month}/{day.year}"
