"""Find what looks like someone's contact or identity data in free text: Vietnamese phone numbers, citizen
ID numbers (CCCD, 12 digits) and e-mail addresses.

These become warnings, not errors: a unit's switchboard number may be meant to be public, but an editor
should decide that knowingly. The patterns are narrow on purpose, so that years, decision numbers
("1875/QĐ-UBND"), money ("12.500.000 đồng") and counts ("30–40 lượt") never trigger them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A run of digits with single spaces, dots or dashes between groups, not glued to other digits, letters,
# '/' (decision numbers) or a decimal part.
_SEP = r"[ .\-]?"
_PHONE = re.compile(
    r"(?<![\w/+.,])"
    r"(?:\+84|\(\+84\)|0084|0)" + _SEP + r"\d(?:" + _SEP + r"\d){7,9}"
    r"(?![\w/]|[.,]\d)"
)
# CCCD: 12 digits, the first three the province of registration (001–096), so it always starts with 0.
_CITIZEN_ID = re.compile(r"(?<![\w/.,])0\d{2}(?:[ .]?\d{3}){3}(?![\w/]|[.,]\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

KIND_LABELS = {
    "phone": "số điện thoại",
    "citizen-id": "số căn cước công dân (CCCD)",
    "email": "địa chỉ thư điện tử",
}


@dataclass(frozen=True)
class PersonalDataMatch:
    start: int
    """Index of the match in the text."""
    kind: str
    text: str


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and not candidate.lstrip().startswith("0"):
        digits = "0" + digits[2:]
    # Mobile numbers have 10 digits (03x, 05x, 07x, 08x, 09x); landlines 11 (02xx area codes).
    if len(digits) == 10:
        return digits[1] in "35789"
    return len(digits) == 11 and digits[1] == "2"


def find_personal_data(text: str) -> list[PersonalDataMatch]:
    """Every match, in the order it appears; overlapping matches are reported once."""
    found: list[PersonalDataMatch] = []
    taken: list[range] = []

    def add(start: int, end: int, kind: str, value: str) -> None:
        if any(start < span.stop and end > span.start for span in taken):
            return
        taken.append(range(start, end))
        found.append(PersonalDataMatch(start, kind, value))

    if "@" in text:
        for match in _EMAIL.finditer(text):
            add(match.start(), match.end(), "email", match.group())
    if "0" not in text and "+84" not in text:  # every phone and ID pattern needs one of these
        return sorted(found, key=lambda m: m.start)
    for match in _CITIZEN_ID.finditer(text):
        add(match.start(), match.end(), "citizen-id", match.group())
    for match in _PHONE.finditer(text):
        if _is_phone(match.group()):
            add(match.start(), match.end(), "phone", match.group())
    return sorted(found, key=lambda m: m.start)


def personal_data_message(kind: str, value: str, where: str) -> str:
    return (f"{where} có vẻ chứa {KIND_LABELS[kind]} ('{value}'). Đây là dữ liệu cá nhân: theo Nghị định "
            "13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân (nay là Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 và Nghị định "
            "356/2025/NĐ-CP), chỉ được công khai khi chính người đó đồng ý rõ ràng cho việc này. Nếu không thật "
            "cần thiết, hãy xóa; nếu là số của cơ quan được phép công bố, có thể bỏ qua cảnh báo này")
