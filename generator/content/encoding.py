"""Recognise the legacy Vietnamese encodings that old office files still arrive in.

No maintained library decodes TCVN3 or VNI (charset detectors only know the ISO and Windows code
pages), so the two tables below are small and hand-written. A profile file is never converted: they
name the likely encoding in an error message. The Word importer converts with them the runs whose font
declares the encoding (.VnTime is TCVN3, VNI-Times is VNI), and says that it did.
"""

from __future__ import annotations

import unicodedata

from generator.content.text import fold

# TCVN3 (ABC, fonts .VnTime): one byte per lowercase precomposed letter; uppercase base letters.
_TCVN3_LETTERS = (
    "ăâêôơưđ" + "ĂÂÊÔƠƯĐ",
    bytes(range(0xA8, 0xAF)) + bytes(range(0xA1, 0xA8)),
)
_TCVN3_TONED = {
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3 = {byte: ch for ch, byte in zip(*_TCVN3_LETTERS, strict=True)} | _TCVN3_TONED

# VNI-Windows: a base letter followed by bytes that add the marks (lowercase and capital forms), and
# single bytes for đ, ư, ơ and the toned i ("Trường" is stored as "Tröôøng": ư and ơ are letters of their
# own, not a horn added to u and o).
_VNI_MARKS = {
    0xF9: "\u0301", 0xF8: "\u0300", 0xFB: "\u0309", 0xF5: "\u0303", 0xEF: "\u0323",
    0xE2: "\u0302", 0xE1: "\u0302\u0301", 0xE0: "\u0302\u0300", 0xE5: "\u0302\u0309",
    0xE3: "\u0302\u0303", 0xE4: "\u0302\u0323",
    0xEA: "\u0306", 0xE9: "\u0306\u0301", 0xE8: "\u0306\u0300", 0xFA: "\u0306\u0309",
    0xFC: "\u0306\u0303", 0xEB: "\u0306\u0323",
    0xD9: "\u0301", 0xD8: "\u0300", 0xDB: "\u0309", 0xD5: "\u0303", 0xCF: "\u0323",
    0xC2: "\u0302", 0xC1: "\u0302\u0301", 0xC0: "\u0302\u0300", 0xC5: "\u0302\u0309",
    0xC3: "\u0302\u0303", 0xC4: "\u0302\u0323",
    0xCA: "\u0306", 0xC9: "\u0306\u0301", 0xC8: "\u0306\u0300", 0xDA: "\u0306\u0309",
    0xDC: "\u0306\u0303", 0xCB: "\u0306\u0323",
}
_VNI_SINGLE = {0xF1: "đ", 0xD1: "Đ", 0xF6: "ư", 0xD6: "Ư", 0xF4: "ơ", 0xD4: "Ơ",
               0xEC: "ì", 0xED: "í", 0xE6: "ỉ", 0xF3: "ĩ", 0xF2: "ị",
               0xCC: "Ì", 0xCD: "Í", 0xC6: "Ỉ", 0xD3: "Ĩ", 0xD2: "Ị"}

# Frequent Vietnamese words: a decoding that produces many of them is the right one.
_COMMON_WORDS = frozenset(
    "của và người các được những một không trong đã với cho là có này thôn xã năm để đến từ "
    "nhân dân việc làm gia đình học sinh trường công tác phong trào thi đua điển hình".split()
)

ENCODING_NAMES = {
    "tcvn3": "TCVN3 (ABC, phông .VnTime)",
    "vni": "VNI-Windows (phông VNI-Times)",
    "cp1258": "Windows-1258",
}


def _decode_tcvn3(data: bytes) -> str:
    return "".join(_TCVN3.get(b, chr(b)) for b in data)


def _decode_vni(data: bytes) -> str:
    out: list[str] = []
    for b in data:
        if b in _VNI_MARKS and out and fold(out[-1]).isalpha():
            out.append(_VNI_MARKS[b])
        else:
            out.append(_VNI_SINGLE.get(b, chr(b)))
    return unicodedata.normalize("NFC", "".join(out))


def _decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


_DECODERS = {"tcvn3": _decode_tcvn3, "vni": _decode_vni, "cp1258": _decode_cp1258}


def decode_legacy(data: bytes, name: str) -> str:
    """`data` in the legacy encoding `name` ("tcvn3", "vni", "cp1258") as NFC text."""
    return unicodedata.normalize("NFC", _DECODERS[name](data))


def guess_legacy_encoding(data: bytes) -> str | None:
    """Name ("tcvn3", "vni", "cp1258") of the legacy encoding that best explains `data`, or None."""
    sample = data[:65536]
    scores = {}
    for name, decode in _DECODERS.items():
        words = decode(sample).lower().split()
        scores[name] = sum(1 for word in words if word.strip(".,;:!?()\"'") in _COMMON_WORDS)
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= 2 else None
