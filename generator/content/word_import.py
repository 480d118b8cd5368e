"""Read a Word achievement report (báo cáo thành tích, .docx) into the fields and story of a draft profile
(``guong nhap``).

The reports follow the forms of Nghị định 98/2023/NĐ-CP, Phụ lục I (Mẫu 02 for collectives, Mẫu 03 for
individuals) and of the decree that replaced it; this module keys on their section headings, not on form
numbers: the text before section I and section I give the name, role and place, section "II. THÀNH TÍCH
ĐẠT ĐƯỢC" becomes the story and the tables of section "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG" the
commendations. Section I is never copied: the format has no place for the personal facts it holds, and
ethnicity and religion are sensitive data (Law 91/2025/QH15). Only the kinds of facts left out are
reported, never their values.

The document is read with python-docx's element tree rather than converted to HTML or Markdown first: a
run's font is what tells TCVN3 (.VnTime) and VNI text from Unicode, and the cells that a merge covers are
needed to give every row of a commendation table its year.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.content.encoding import ENCODING_NAMES, decode_legacy
from generator.content.fields import COMMENDATION_KEYS, KEYS
from generator.content.personal_data import find_personal_data
from generator.content.taxonomy import Taxonomy
from generator.content.text import fold, match_key, nfc, slugify

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Inside an OLE container the stream names are stored in UTF-16: an Office file encrypted with a password
# has an "EncryptedPackage" stream, an old binary Word file a "WordDocument" stream.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")

SUMMARY_MAX = KEYS["tom_tat"].max_length or 400
SUMMARY_MIN = KEYS["tom_tat"].min_length or 20
SUMMARY_TARGET = 200
"""Sentences are added until the summary is this long: a card shows about that much."""


class ReportError(Exception):
    """The file cannot be imported; the message (Vietnamese) says why and what to do."""


# --- reading the document ---------------------------------------------------------------------------

@dataclass
class Paragraph:
    text: str
    style: str
    """The paragraph style's name, lowercased ("heading 2", "list bullet")."""
    list_format: str | None = None
    """Numbering format of a Word list item ("bullet", "decimal", …), None when not in a list."""
    list_level: int = 0
    bold: bool = False
    images: list[str] = field(default_factory=list)
    """Relationship ids of the pictures in the paragraph."""


@dataclass
class Table:
    cells: list[list[str]]
    """Rows of grid cells: a merged cell's text in every grid cell it covers, across and down."""
    continued: list[list[bool]]
    """True where a grid cell continues a horizontal merge (shown empty in the story's table)."""
    images: list[str] = field(default_factory=list)


Block = Paragraph | Table


@dataclass
class Photo:
    data: bytes
    extension: str
    """".jpg" or ".png"."""


@dataclass
class Report:
    """What was read from one report. Holds no value of section I besides the name, role and place."""

    name: str | None = None
    kind: str | None = None
    commune: str | None = None
    unit: str | None = None
    role: str | None = None
    year: int | None = None
    summary: str | None = None
    story: str = ""
    commendations: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    """Commendation rows that could not be completed, with what is missing (written as comments)."""
    photo: Photo | None = None
    left_out: list[str] = field(default_factory=list)
    """Labels of the kinds of personal facts found in section I and not copied, in a fixed order (some labels
    have commas: list them with '; ')."""
    dropped_sentences: int = 0
    """Sentences of section II dropped because they repeat a personal fact of section I."""
    converted: dict[str, int] = field(default_factory=dict)
    """Paragraphs and cells converted from a legacy encoding to Unicode, by encoding."""
    has_awards_section: bool = False
    notes: list[str] = field(default_factory=list)
    """Other things the editor should know (Vietnamese)."""


def read_report(data: bytes, taxonomy: Taxonomy, today: dt.date) -> Report:
    """The report in `data` (the bytes of a .docx file). Raises ReportError for a file that is not one."""
    document = _open(data)
    reader = _BodyReader(document)
    blocks = reader.blocks()
    if not any((b.text.strip() if isinstance(b, Paragraph) else any(any(c.strip() for c in r) for r in b.cells))
               for b in blocks):
        raise ReportError("tài liệu trống: không có chữ nào để nhập")
    report = Report(converted=reader.converted)
    _Interpreter(report, blocks, taxonomy, today, reader).run()
    return report


def _open(data: bytes) -> Any:
    if data[:8] == _OLE_MAGIC:
        if _ENCRYPTED_STREAM in data:
            raise ReportError("tệp được đặt mật khẩu (mã hóa), không đọc được. Hãy mở tệp trong Word, bỏ mật khẩu "
                              "(Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại "
                              "rồi nhập lại")
        if _WORD_STREAM in data:
            raise ReportError("đây là tệp Word cũ (.doc), chưa nhập được. Hãy mở tệp trong Word và lưu lại dạng "
                              ".docx (Tệp → Lưu thành → Tài liệu Word (*.docx)), rồi nhập tệp .docx đó")
        raise ReportError("tệp không phải tài liệu Word (.docx)")
    if not data.startswith(b"PK"):
        raise ReportError("tệp không phải tài liệu Word (.docx)" if data.strip() else "tệp rỗng, không có nội dung")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):  # the last: a garbled zip version
        raise ReportError("tệp .docx bị hỏng (không mở được). Hãy mở lại trong Word, lưu thành tệp mới rồi nhập "
                          "lại") from None
    if "word/document.xml" not in names:
        raise ReportError("tệp không phải tài liệu Word (.docx): không có phần nội dung của Word "
                          "(có thể là tệp Excel, PowerPoint hoặc tệp nén khác)")
    import docx  # here: only this command needs it

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError:  # python-docx's word for another main part type: .docm, .dotx
        raise ReportError("tệp không phải tài liệu Word .docx thông thường (có thể là tệp mẫu hoặc tệp có macro). "
                          "Hãy lưu lại dạng Tài liệu Word (*.docx), rồi nhập lại") from None
    except Exception:  # noqa: BLE001 - a damaged package fails inside the zip, XML or OPC layers in many ways
        raise ReportError("tệp .docx bị hỏng (không đọc được nội dung). Hãy mở lại trong Word, lưu thành tệp mới "
                          "rồi nhập lại") from None


def _on(element: Any, name: str) -> bool:
    """A Word on/off property (w:b, w:vanish): present and not switched off."""
    child = element.find(_W + name) if element is not None else None
    return child is not None and child.get(_W + "val") not in ("0", "false", "off")


class _BodyReader:
    """The body as paragraphs and tables, text in Unicode NFC with legacy-font runs converted."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.converted: dict[str, int] = {}
        styles = document.styles.element
        self.styles: dict[str, Any] = {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}
        self.default_paragraph_style = next(
            (sid for sid, s in self.styles.items()
             if s.get(_W + "type") == "paragraph" and s.get(_W + "default") in ("1", "true")), None)
        defaults = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default_font = self._font_of(defaults)
        self.style_levels: dict[str, int] = {}
        self.numbering = self._numbering_formats()

    # -- styles
    @staticmethod
    def _font_of(rpr: Any) -> str | None:
        fonts = rpr.find(_W + "rFonts") if rpr is not None else None
        if fonts is None:
            return None
        # Characters from U+0080 on (all of TCVN3's and VNI's letters) are drawn in the hAnsi font.
        return fonts.get(_W + "hAnsi") or fonts.get(_W + "ascii")

    def _style_chain(self, style_id: str | None) -> Iterator[Any]:
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            based = style.find(_W + "basedOn")
            style_id = based.get(_W + "val") if based is not None else None

    def _style_font(self, style_id: str | None) -> str | None:
        for style in self._style_chain(style_id):
            font = self._font_of(style.find(_W + "rPr"))
            if font:
                return font
        return None

    def _style_bold(self, style_id: str | None) -> bool:
        return any(_on(style.find(_W + "rPr"), "b") for style in self._style_chain(style_id))

    def _numbering_formats(self) -> dict[str, dict[int, str]]:
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract = {}
        for item in numbering.iter(_W + "abstractNum"):
            levels = {}
            for lvl in item.iter(_W + "lvl"):
                fmt = lvl.find(_W + "numFmt")
                level = _int(lvl.get(_W + "ilvl"), 0)
                levels[level] = fmt.get(_W + "val") if fmt is not None else "decimal"
                linked = lvl.find(_W + "pStyle")
                if linked is not None:  # a list style ("List Bullet 2") names its level here, not in the style
                    self.style_levels[linked.get(_W + "val")] = level
            abstract[item.get(_W + "abstractNumId")] = levels
        formats = {}
        for num in numbering.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            if ref is not None:
                formats[num.get(_W + "numId")] = abstract.get(ref.get(_W + "val"), {})
        return formats

    # -- body
    def blocks(self) -> list[Block]:
        out: list[Block] = []
        self._collect(self.document.element.body, out)
        return out

    def _collect(self, container: Any, out: list[Block]) -> None:
        for child in container:
            if child.tag == _W + "p":
                out.extend(self._paragraphs(child))
            elif child.tag == _W + "tbl":
                out.append(self._table(child))
            elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):  # content controls
                self._collect(child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child, out)

    def _paragraphs(self, p: Any) -> list[Paragraph]:
        ppr = p.find(_W + "pPr")
        style_el = ppr.find(_W + "pStyle") if ppr is not None else None
        style_id = style_el.get(_W + "val") if style_el is not None else self.default_paragraph_style
        style_name = ""
        if style_id in self.styles:
            name_el = self.styles[style_id].find(_W + "name")
            style_name = (name_el.get(_W + "val") or "").lower() if name_el is not None else ""
        list_format, list_level = self._list_of(ppr, style_id)
        paragraph_font = self._style_font(style_id) or self.default_font
        paragraph_bold = self._style_bold(style_id)
        pieces: list[str] = []
        bold_flags: list[bool] = []
        images: list[str] = []
        converted: str | None = None
        for run in self._runs(p):
            rpr = run.find(_W + "rPr")
            text = self._run_text(run, images)
            if not text:
                continue
            if _on(rpr, "vanish"):  # hidden text is not part of what the writer shows
                continue
            rstyle = rpr.find(_W + "rStyle") if rpr is not None else None
            rstyle_id = rstyle.get(_W + "val") if rstyle is not None else None
            font = self._font_of(rpr) or self._style_font(rstyle_id) or paragraph_font
            unicode_text = self._to_unicode(text, font)
            if unicode_text != text:
                converted = _legacy_encoding(font)
            pieces.append(unicode_text)
            if unicode_text.strip():
                bold_flags.append(_on(rpr, "b") or self._style_bold(rstyle_id) or paragraph_bold)
        if converted:
            self.converted[converted] = self.converted.get(converted, 0) + 1
        text = nfc("".join(pieces))
        bold = bool(bold_flags) and all(bold_flags)
        lines = text.split("\n")
        result = [Paragraph(line, style_name, list_format, list_level, bold) for line in lines]
        result[0].images = images
        return result

    def _list_of(self, ppr: Any, style_id: str | None) -> tuple[str | None, int]:
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        linked_style = None
        if numpr is None:  # a list style ("List Bullet") carries its numbering itself
            for style in self._style_chain(style_id):
                style_ppr = style.find(_W + "pPr")
                numpr = style_ppr.find(_W + "numPr") if style_ppr is not None else None
                if numpr is not None:
                    linked_style = style.get(_W + "styleId")
                    break
        if numpr is None:
            return None, 0
        num_id = numpr.find(_W + "numId")
        level_el = numpr.find(_W + "ilvl")
        if level_el is not None:
            level = _int(level_el.get(_W + "val"), 0)
        else:
            level = self.style_levels.get(linked_style or "", 0)
        number = num_id.get(_W + "val") if num_id is not None else None
        if number in (None, "0"):  # numId 0 switches numbering off
            return None, 0
        return self.numbering.get(number, {}).get(level, "decimal"), level

    def _runs(self, element: Any) -> Iterator[Any]:
        for child in element:
            tag = child.tag
            if tag == _W + "r":
                yield child
            elif tag in (_W + "del", _W + "moveFrom", _W + "pPr", _W + "txbxContent", _MC + "Fallback"):
                continue  # deleted text, text boxes and the duplicate fallback of new drawing features
            elif isinstance(tag, str):
                yield from self._runs(child)

    def _run_text(self, run: Any, images: list[str]) -> str:
        out: list[str] = []
        for child in _walk(run):
            tag = child.tag
            if tag == _W + "t":
                out.append(child.text or "")
            elif tag == _W + "tab":
                out.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif tag == _A_BLIP:
                images.append(child.get(_R + "embed") or "")
            elif tag == _V_IMAGEDATA:
                images.append(child.get(_R + "id") or "")
        return "".join(out)

    @staticmethod
    def _to_unicode(text: str, font: str | None) -> str:
        encoding = _legacy_encoding(font)
        # Text that already has Vietnamese letters beyond Latin-1 was typed in Unicode, whatever the font.
        if encoding is None or any(0x100 <= ord(ch) <= 0x1EFF for ch in text):
            return text
        converted = _decode_chars(text, encoding)
        # In .VnTimeH and the other "H" fonts every letter is drawn as a capital.
        if encoding == "tcvn3" and font and font.rstrip().upper().endswith("H"):
            converted = converted.upper()
        return converted

    def _table(self, tbl: Any) -> Table:
        cells: list[list[str]] = []
        continued: list[list[bool]] = []
        images: list[str] = []
        above: dict[int, str] = {}  # text of the cell a vertical merge started in, by grid column
        for tr in tbl.findall(_W + "tr"):  # direct children: a nested table is part of its cell's text
            row: list[str] = []
            flags: list[bool] = []
            trpr = tr.find(_W + "trPr")
            before = trpr.find(_W + "gridBefore") if trpr is not None else None
            for _ in range(min(_int(before.get(_W + "val"), 0), 64) if before is not None else 0):
                row.append("")
                flags.append(False)
            for tc in tr.findall(_W + "tc"):
                tcpr = tc.find(_W + "tcPr")
                span_el = tcpr.find(_W + "gridSpan") if tcpr is not None else None
                # Bounded: a damaged span must not make a table millions of cells wide.
                span = min(max(_int(span_el.get(_W + "val"), 1), 1), 64) if span_el is not None else 1
                merge = tcpr.find(_W + "vMerge") if tcpr is not None else None
                column = len(row)
                if merge is not None and merge.get(_W + "val") != "restart":
                    text = above.get(column, "")
                else:
                    parts: list[Block] = []
                    self._collect(tc, parts)
                    for part in parts:
                        images.extend(part.images)
                    text = "\n".join(p.text.strip() if isinstance(p, Paragraph) else
                                     " ".join(" ".join(r) for r in p.cells) for p in parts).strip()
                    if merge is not None:
                        above[column] = text
                    else:
                        above.pop(column, None)
                for index in range(max(span, 1)):
                    row.append(text)
                    flags.append(index > 0)
            cells.append(row)
            continued.append(flags)
        width = max((len(r) for r in cells), default=0)
        for row, flags in zip(cells, continued, strict=True):
            row.extend([""] * (width - len(row)))
            flags.extend([False] * (width - len(flags)))
        return Table(cells, continued, images)

    def image(self, relationship: str) -> tuple[bytes, str] | None:
        try:
            part = self.document.part.related_parts[relationship]
        except KeyError:
            return None
        return part.blob, (getattr(part, "content_type", "") or "").lower()


def _walk(element: Any) -> Iterator[Any]:
    """The elements under `element`, without text boxes (their own paragraphs, not this run's text), the
    fallback copy that Word keeps of a drawing for older readers, and deleted text."""
    for child in element:
        if child.tag in (_W + "txbxContent", _MC + "Fallback", _W + "delText", _W + "instrText"):
            continue
        yield child
        yield from _walk(child)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:  # a hand-edited or generated file may hold anything here
        return default


def _legacy_encoding(font: str | None) -> str | None:
    name = (font or "").strip().lower()
    if name.startswith(".vn"):
        return "tcvn3"
    if name.startswith("vni"):
        return "vni"
    return None


def _decode_chars(text: str, encoding: str) -> str:
    """Word stores a legacy font's bytes as the Windows-1252 characters of the same codes."""
    out: list[str] = []
    chunk = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            chunk.append(code)
            continue
        try:
            chunk += ch.encode("cp1252")
            continue
        except UnicodeEncodeError:
            pass
        out.append(decode_legacy(bytes(chunk), encoding))
        chunk.clear()
        out.append(ch)
    out.append(decode_legacy(bytes(chunk), encoding))
    return "".join(out)


# --- interpreting the form ---------------------------------------------------------------------------

def _key(text: str) -> str:
    """Folded text with punctuation as single spaces, for matching headings and labels."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def _folded_same_length(text: str) -> str:
    """`text` folded one character at a time, so that positions in it are positions in `text`."""
    return "".join((fold(ch) or "\x00")[0] for ch in text)


_SECTION_HEADINGS = {
    "I": ("so luoc ly lich", "so luoc dac diem", "dac diem tinh hinh", "ly lich"),
    "II": ("thanh tich dat duoc",),
    "III": ("cac hinh thuc da duoc khen thuong", "hinh thuc da duoc khen thuong", "cac hinh thuc khen thuong"),
}
_ROMAN = re.compile(r"^\s*(?:phần\s+)?([IVX]+)\s*[.):/\-–]\s*(.*)$", re.IGNORECASE)
# The signature block after the last section: the confirmation of the superior and the reporter's name.
_SIGNATURE = ("xac nhan cua", "nguoi bao cao", "ky ghi ro ho", "ky ten dong dau", "thu truong don vi",
              "ky dong dau")

# Labels of section I (and of the lines above it), folded. The first four are read; the others are the
# personal facts that are left out, each reported under its label.
_READ_LABELS = {
    "name": ("ho va ten", "ho ten"),
    "collective": ("ten tap the de nghi", "ten tap the", "ten don vi de nghi", "ten don vi", "ten co quan"),
    "role": ("chuc vu",),
    "workplace": ("don vi cong tac", "co quan cong tac", "noi cong tac", "co quan don vi cong tac"),
}
_LEFT_OUT_LABELS = {
    "ngày sinh": ("sinh ngay", "ngay sinh", "ngay thang nam sinh", "nam sinh"),
    "giới tính": ("gioi tinh",),
    "dân tộc": ("dan toc",),
    "tôn giáo": ("ton giao",),
    "quê quán": ("que quan", "nguyen quan", "noi sinh"),
    "nơi ở, địa chỉ": ("tru quan", "noi o", "cho o", "dia chi", "thuong tru", "tam tru", "noi cu tru",
                       "ho khau"),
    "số CMND/CCCD": ("so cmnd", "cmnd", "so cccd", "cccd", "can cuoc", "chung minh nhan dan", "so dinh danh"),
    "điện thoại, thư điện tử": ("dien thoai", "so dien thoai", "email", "e mail", "thu dien tu"),
    "thông tin Đảng, đoàn thể": ("ngay vao dang", "ngay chinh thuc", "dang vien", "ngay vao doan", "doan vien",
                                 "hoi vien", "to chuc dang", "dang bo", "chi bo"),
    "trình độ, học hàm, học vị": ("trinh do", "hoc ham", "hoc vi"),
}
# Facts whose values are looked for in section II too (a story that repeats them drops the sentence).
_SENSITIVE = ("ngày sinh", "dân tộc", "tôn giáo", "quê quán", "nơi ở, địa chỉ", "số CMND/CCCD",
              "điện thoại, thư điện tử", "thông tin Đảng, đoàn thể")
_NO_VALUE = {"khong", "khong co", "chua", "chua co", "ko"}


def _label_pattern() -> re.Pattern[str]:
    labels = {label: kind for kind, names in _READ_LABELS.items() for label in names}
    labels |= {label: kind for kind, names in _LEFT_OUT_LABELS.items() for label in names}
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    # A label starts a line or follows a space, tab, bullet or separator; a few more words ("Sinh ngày,
    # tháng, năm"), a note in brackets ("Họ tên (Ghi đầy đủ bằng chữ in thường…)") and a colon may follow.
    return re.compile(r"(?:^|(?<=[\s;,.\-+*\u2022\u2013]))(" + alternatives
                      + r")((?:[ ,]+[a-z]+){0,4}?)\s*(?:\([^)]*\))?\s*:")


_LABEL = _label_pattern()
_LABEL_KIND = {label: kind for kind, names in (*_READ_LABELS.items(), *_LEFT_OUT_LABELS.items()) for label in names}
_REPORT_DATE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_BULLET = re.compile(r"^\s*(?:[-+*\u2022\u2013\u2014\u25cf\u25aa\u00b7]|\uf0b7|\uf0a7)\s+")
_NUMBERED_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)[.)]?\s+(\S.*)$")
_LETTER_HEADING = re.compile(r"^\s*([a-zđ])[).]\s+(\S.*)$")
_DECISION_NUMBER = re.compile(r"(?<![\w/])(\d+[A-Za-z]?\s*[/-]\s*[A-ZĐ][\wĐđ]*(?:\s*[-/]\s*[\wĐđ]+)*)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_DMY_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
_DATA_YEAR = re.compile(r"^\s*(?:19|20)\d{2}(?!\d)")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")

# Abbreviations of titles that reports use in their tables.
_TITLE_ALIASES = {
    "cstd co so": "Chiến sĩ thi đua cơ sở", "cstdcs": "Chiến sĩ thi đua cơ sở",
    "cstd cap co so": "Chiến sĩ thi đua cơ sở", "chien si thi dua cap co so": "Chiến sĩ thi đua cơ sở",
    "cstd cap tinh": "Chiến sĩ thi đua bộ, ban, ngành, tỉnh", "chien si thi dua cap tinh":
        "Chiến sĩ thi đua bộ, ban, ngành, tỉnh",
    "ldtt": "Lao động tiên tiến", "tap the ldtt": "Tập thể lao động tiên tiến",
    "tap the ldxs": "Tập thể lao động xuất sắc",
}
# Who issued a commendation → issuer level, first match wins: the People's Committees by their own level
# first, and a bare "tỉnh" (a provincial department or association) only after them, because a district's
# committee is often named with its province ("UBND huyện Ia Pa, tỉnh Gia Lai").
_LEVEL_RULES: tuple[tuple[str, str], ...] = (
    (r"\bchu tich nuoc\b", "nha-nuoc"),
    (r"\bthu tuong\b|\bchinh phu\b", "thu-tuong"),
    (r"\b(?:ubnd|uy ban nhan dan) tinh\b", "bo-nganh-tinh"),
    (r"\b(?:ubnd|uy ban nhan dan) huyen\b", "huyen"),
    (r"\b(?:ubnd|uy ban nhan dan) xa\b", "xa"),
    (r"^bo \b|\bbo truong\b|\btrung uong\b|\btinh\b", "bo-nganh-tinh"),
)


class _Interpreter:
    def __init__(self, report: Report, blocks: list[Block], taxonomy: Taxonomy, today: dt.date,
                 reader: _BodyReader) -> None:
        self.report = report
        self.blocks = blocks
        self.taxonomy = taxonomy
        self.today = today
        self.reader = reader
        self.values: dict[str, list[str]] = {}
        """Values of section I by kind: read ones are used, left-out ones only to keep them out of the story."""
        self.report_date: dt.date | None = None

    def run(self) -> None:
        sections = self._split()
        if "II" not in sections:
            raise ReportError("không tìm thấy mục 'II. THÀNH TÍCH ĐẠT ĐƯỢC'; tệp không giống báo cáo thành tích "
                              "theo mẫu nên chưa nhập")
        head = sections.get("", []) + sections.get("I", [])
        for block in head:
            if isinstance(block, Paragraph):
                self._labels(block.text)
            else:
                for row in block.cells:
                    self._labels("\t".join(dict.fromkeys(row)))
        self._header(sections.get("", []))
        self._place(sections.get("", []))
        self._kind(sections)
        self.report.left_out = [label for label in _LEFT_OUT_LABELS if label in self.values]
        self._story(sections["II"])
        if "III" in sections:
            self.report.has_awards_section = True
            self._awards(sections["III"])
        self._photo()

    # -- sections
    def _split(self) -> dict[str, list[Block]]:
        sections: dict[str, list[Block]] = {"": []}
        current: str | None = ""
        for block in self.blocks:
            if isinstance(block, Paragraph):
                which = _section_of(block.text)
                if which == "end":
                    current = None
                    continue
                if which is not None:
                    current = which
                    sections.setdefault(which, [])
                    continue
            elif current and _is_signature(block):
                current = None
            if current is not None:
                sections[current].append(block)
        return sections

    # -- section I and above
    def _labels(self, line: str) -> None:
        folded = _folded_same_length(line)
        matches = list(_LABEL.finditer(folded))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
            value = line[match.end():end].strip(" \t.;,")
            kind = _LABEL_KIND[match.group(1)]
            if value and not set(value) <= set(".…_ "):
                self.values.setdefault(kind, []).append(value)
            elif kind in _LEFT_OUT_LABELS:
                self.values.setdefault(kind, [])
        if not matches:
            key = _key(_BULLET.sub("", line))
            for kind, names in _LEFT_OUT_LABELS.items():
                if any(key.startswith(name + " ") or key == name for name in names):
                    self.values.setdefault(kind, []).append(line.strip())

    def _header(self, head: list[Block]) -> None:
        report = self.report
        names = self.values.get("name") or []
        if names:
            report.name = _tidy_name(names[0])
        elif self.values.get("collective"):
            report.name = _tidy_name(self.values["collective"][0], person=False)
        else:
            for block in head:
                if isinstance(block, Paragraph):
                    match = re.search(r"(?:^|\s)(?:cho|của)\s+(?:tập thể|đơn vị)\s*:?\s+(.+)$", block.text,
                                      re.IGNORECASE)
                    if match:
                        report.name = _tidy_name(match.group(1), person=False)
                        self.values.setdefault("collective", []).append(match.group(1))
                        break
        roles = self.values.get("role") or []
        if roles:
            report.role = " ".join(roles[0].split())[: KEYS["chuc_vu"].max_length or 200]
        for block in head:
            if isinstance(block, Paragraph):
                match = _REPORT_DATE.search(_key(block.text))
                if match:
                    day, month, year = (int(g) for g in match.groups())
                    try:
                        self.report_date = dt.date(year, month, day)
                    except ValueError:
                        self.report_date = None
                    report.year = year
                    break

    def _place(self, head: list[Block]) -> None:
        candidates = [*self.values.get("collective", []), *self.values.get("workplace", [])]
        candidates += [b.text for b in head if isinstance(b, Paragraph) and b.text.strip()]
        after_merger = self._after_merger()
        for text in candidates:
            unit = _find_unit(text, self.taxonomy)
            if unit:
                self.report.unit = unit
                return
            commune = _find_commune(text, self.taxonomy, after_merger)
            if commune:
                self.report.commune = commune
                return

    def _after_merger(self) -> bool:
        merger = self.taxonomy.merger_date
        if merger is None:
            return False
        if self.report_date is not None:
            return self.report_date >= merger
        return self.report.year is not None and self.report.year > merger.year

    def _kind(self, sections: dict[str, list[Block]]) -> None:
        if self.report.name and self.report.name.startswith(("Hộ ", "hộ ")):
            self.report.kind = "ho-gia-dinh"
        elif self.values.get("name"):
            self.report.kind = "ca-nhan"
        elif self.values.get("collective"):
            self.report.kind = "tap-the"

    # -- section II
    def _story(self, blocks: list[Block]) -> None:
        scrub = self._sensitive_values()
        writer = _StoryWriter(scrub)
        for block in blocks:
            writer.add(block)
        self.report.story = writer.markdown()
        self.report.dropped_sentences = writer.dropped
        self.report.summary = _summary(writer.plain_paragraphs)

    def _sensitive_values(self) -> list[re.Pattern[str]]:
        patterns = []
        for kind in _SENSITIVE:
            for value in self.values.get(kind, []):
                value = " ".join(value.split())
                if _key(value) in _NO_VALUE or len(_key(value)) < 3:
                    continue
                words = value.split()
                # One word ("Jrai", "Kinh") only as written, capitalised, so "kinh tế" is not taken for it.
                flags = 0 if len(words) == 1 else re.IGNORECASE
                patterns.append(re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)",
                                           flags))
        return patterns

    # -- section III
    def _awards(self, blocks: list[Block]) -> None:
        hint: str | None = None
        tables = 0
        for block in blocks:
            if isinstance(block, Paragraph):
                key = _key(block.text)
                if "danh hieu" in key:
                    hint = "danh_hieu"
                elif "hinh thuc" in key or "khen thuong" in key:
                    hint = "hinh_thuc"
                continue
            tables += 1
            if not self._award_table(block, hint):
                self.report.notes.append(f"bảng thứ {tables} của mục III không có cột năm và danh hiệu hoặc hình "
                                         "thức khen thưởng nên chưa đọc; hãy ghi 'khen_thuong' theo bảng đó")
        if tables == 0:
            self.report.notes.append("mục III không có bảng khen thưởng; hãy ghi 'khen_thuong' theo báo cáo")

    def _award_table(self, table: Table, hint: str | None) -> bool:
        rows = table.cells
        header_rows = 0
        while header_rows < len(rows) and not any(_DATA_YEAR.match(c) for c in rows[header_rows]):
            header_rows += 1
        if header_rows == 0 or header_rows == len(rows):
            return False
        width = len(rows[0])
        headers = [_key(" ".join(dict.fromkeys(rows[r][c] for r in range(header_rows)))) for c in range(width)]
        columns: dict[str, list[int]] = {"year": [], "award": [], "decision": [], "issuer": []}
        for index, header in enumerate(headers):
            if header in ("stt", "tt", "so tt") or header.startswith("stt "):
                continue
            # Mẫu 03's "Số, ngày, tháng, năm của quyết định công nhận danh hiệu…" names a title but holds the
            # decision, so what a header starts with counts first.
            if header.startswith("nam"):
                columns["year"].append(index)
            elif header.startswith(("so ", "quyet dinh", "ngay")) or header == "so":
                columns["decision"].append(index)
            elif header.startswith(("co quan", "cap ")):
                columns["issuer"].append(index)
            elif "danh hieu" in header or "hinh thuc" in header:
                columns["award"].append(index)
            elif "quyet dinh" in header:
                columns["decision"].append(index)
        if not columns["award"]:
            return False
        column_hint = hint
        award_header = headers[columns["award"][0]]
        if "danh hieu" in award_header and "hinh thuc" not in award_header:
            column_hint = "danh_hieu"
        elif "hinh thuc" in award_header and "danh hieu" not in award_header:
            column_hint = "hinh_thuc"
        for row in rows[header_rows:]:
            def text(kind: str, row: list[str] = row) -> str:
                return " ".join(dict.fromkeys(row[i].strip() for i in columns[kind] if row[i].strip()))

            award = " ".join(text("award").split())
            if not award:
                continue
            self._award(award, text("decision"), text("issuer"), text("year"), column_hint)
        return True

    def _award(self, award: str, decision: str, issuer: str, year_text: str, hint: str | None) -> None:
        item: dict[str, Any] = {}
        problems: list[str] = []
        title = _match_title(award, self.taxonomy)
        form = _match_form(award, self.taxonomy)
        if title and (hint != "hinh_thuc" or not form):
            item["danh_hieu"] = title
        elif form:
            item["hinh_thuc"] = award[: COMMENDATION_KEYS["hinh_thuc"].max_length or 200]
        else:
            item["danh_hieu" if hint == "danh_hieu" else "hinh_thuc"] = award
            problems.append("không khớp danh mục khen thưởng")
        level = _level(issuer, award, decision)
        if level:
            item["cap"] = level
        else:
            problems.append("chưa rõ cấp khen")
        # The decision is in its own column in the forms; some reports write it after the award instead.
        where = decision if (_DECISION_NUMBER.search(decision) or _date_in(decision)) else f"{award} {issuer}"
        number = _DECISION_NUMBER.search(where)
        if number:
            item["so_quyet_dinh"] = re.sub(r"\s+", "", number.group(1))
        date = _date_in(where.replace(number.group(1), " ") if number else where)
        if date is not None and date > self.today:
            date = None
            problems.append("ngày quyết định nằm trong tương lai")
        if date is not None:
            item["ngay"] = date
        elif "ngày quyết định nằm trong tương lai" not in problems:
            year = _YEAR.search(year_text)
            problems.append(f"thiếu ngày quyết định{f', năm {year.group(1)}' if year else ''}")
        until = self.taxonomy.levels[level].until if level else None
        if until is not None and date is not None and date > until:
            problems.append(f"cấp '{level}' không còn sau ngày {until.strftime('%d/%m/%Y')}")
        if problems:
            self.report.unmatched.append((item, "; ".join(problems)))
        else:
            self.report.commendations.append(item)

    # -- photo
    def _photo(self) -> None:
        ids = [rid for block in self.blocks for rid in block.images if rid]
        for rid in ids:
            found = self.reader.image(rid)
            if found is None:
                continue
            photo = _usable_photo(*found)
            if photo is not None:
                self.report.photo = photo
                break
            self.report.notes.append("có ảnh trong báo cáo nhưng không dùng được (không phải ảnh JPEG/PNG đọc "
                                     "được); hãy thêm ảnh bằng tay")
            break
        extra = len(ids) - 1
        if extra > 0:
            self.report.notes.append(f"bỏ qua {extra} ảnh khác trong báo cáo (chỉ lấy ảnh đầu tiên)")


def _section_of(text: str) -> str | None:
    """ "I", "II", "III" for a section heading, "end" for the signature block or a later section."""
    text = text.strip()
    if len(text) > 160:
        return None
    key = _key(text)
    if text.isupper() and any(key.startswith(words) for words in _SIGNATURE):
        return "end"
    match = _ROMAN.match(text)
    rest = _key(match.group(2)) if match else key
    for section, headings in _SECTION_HEADINGS.items():
        if any(rest.startswith(words) for words in headings) and (match or text.isupper()):
            return section
    if match and match.group(1).upper() not in ("I", "II", "III") and text.isupper():
        return "end"  # IV. and later (proposals, confirmations): not part of the profile
    return None


def _is_signature(table: Table) -> bool:
    key = _key(" ".join(" ".join(row) for row in table.cells[:2]))
    return any(words in key for words in _SIGNATURE)


def _tidy_name(value: str, person: bool = True) -> str:
    value = " ".join(value.split()).strip(" .;,")
    value = re.sub(r"\s*\([^)]*\)\s*$", "", value) if person else value
    if value.isupper():  # forms ask for lower case; a name typed in capitals is given its initials only
        value = " ".join("'".join(part[:1].upper() + part[1:].lower() for part in word.split("'"))
                         for word in value.split())
        if not person:
            words = value.split()
            value = " ".join([words[0], *(w.lower() for w in words[1:])]) if words else value
    return value[: KEYS["ten"].max_length or 200]


def _find_unit(text: str, taxonomy: Taxonomy) -> str | None:
    slug = f"-{slugify(text)}-"
    for key, unit in sorted(((slugify(u.name), u.slug) for u in taxonomy.units.values()),
                            key=lambda pair: -len(pair[0])):
        if f"-{key}-" in slug:
            return unit
    return None


def _find_commune(text: str, taxonomy: Taxonomy, after_merger: bool) -> str | None:
    slug = f"-{slugify(text)}-"
    new_by_name = {slugify(c.name.split("(")[0]): c.slug for c in taxonomy.communes.values() if c.is_new}
    old_by_name: dict[str, str] = {}
    for commune in taxonomy.communes.values():
        if not commune.is_new:
            for spelling in (commune.name, *commune.aliases):
                old_by_name[slugify(spelling)] = commune.slug
    for prefix in ("-xa-", "-"):  # "xã Ia Tul" first; a bare name only when no "xã …" is written
        for name in sorted({*old_by_name, *new_by_name}, key=len, reverse=True):
            if f"{prefix}{name}-" not in slug:
                continue
            # "Ia Pa" alone is the former district; "xã Ia Pa" only exists from the merger on.
            if name in new_by_name and after_merger and (prefix == "-xa-" or name in old_by_name):
                return new_by_name[name]
            if name in old_by_name:
                return old_by_name[name]
    return None


def _match_title(text: str, taxonomy: Taxonomy) -> str | None:
    key = match_key(re.sub(r"^\s*danh hiệu\s*:?\s*", "", text, flags=re.IGNORECASE)).rstrip(" .")
    for title in taxonomy.titles:
        if match_key(title.name) == key:
            return title.name
    return _TITLE_ALIASES.get(_key(key))


def _match_form(text: str, taxonomy: Taxonomy) -> str | None:
    key = match_key(text)
    for form in taxonomy.forms:
        form_key = match_key(form)
        if key == form_key or key.startswith(form_key + " "):
            return form
    return None


def _level(issuer: str, award: str, decision: str) -> str | None:
    key = _key(" ".join((issuer, award, decision)))
    certificate = _key(award).startswith("giay khen")
    for pattern, level in _LEVEL_RULES:
        # A Giấy khen is never of the province's level: one from a provincial department is its head's.
        if level == "bo-nganh-tinh" and certificate and not pattern.startswith(r"\b(?:ubnd"):
            continue
        if re.search(pattern, key):
            return level
    # Anyone else who signs a commendation is the head of an agency, school, association or unit.
    return "co-quan-don-vi" if key else None


def _date_in(text: str) -> dt.date | None:
    match = _DMY.search(text) or _DMY_WORDS.search(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _usable_photo(data: bytes, content_type: str) -> Photo | None:
    from PIL import Image, UnidentifiedImageError  # only a report with a picture needs it

    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            image.load()
            if image_format in ("JPEG", "PNG") and len(data) <= 5 * 1024 * 1024:
                return Photo(data, ".jpg" if image_format == "JPEG" else ".png")
            # Another raster format (GIF, BMP, TIFF) or a photo above the format's 5 MB: re-encode.
            converted = image.convert("RGB")
            converted.thumbnail((2000, 2000))
            out = io.BytesIO()
            converted.save(out, "JPEG", quality=88)
            return Photo(out.getvalue(), ".jpg")
    except (UnidentifiedImageError, OSError, ValueError):  # drawings (EMF, WMF) and broken pictures
        return None


def _summary(paragraphs: list[str]) -> str | None:
    """The first sentences of the achievements that fit the summary's length limit."""
    # A sentence that introduces a list or table ("Kết quả như sau:") says nothing on a card.
    sentences = [s for p in paragraphs for s in _sentences(p) if not s.endswith(":")]
    summary = ""
    for sentence in sentences:
        if len(summary) >= SUMMARY_TARGET:
            break
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) <= SUMMARY_MAX:
            summary = candidate
            continue
        if not summary:  # one long first sentence: cut at a word, marked as cut
            cut = sentence[: SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
            summary = cut + "…"
        break
    return summary if len(summary) >= SUMMARY_MIN else None


class _StoryWriter:
    """Section II as Markdown: sub-headings as ## sections, Word lists and typed bullets as lists, tables as
    pipe tables."""

    def __init__(self, scrub: list[re.Pattern[str]]) -> None:
        self.scrub = scrub
        self.chunks: list[tuple[str, str]] = []  # (kind, markdown); list items are joined without blank lines
        self.plain_paragraphs: list[str] = []
        self.dropped = 0
        self.numbers: dict[int, int] = {}

    def _clean(self, text: str) -> str:
        """The text without the sentences that repeat a personal fact of section I or hold an ID number."""
        text = " ".join(text.replace("\t", " ").split())
        if not self.scrub and not _has_id(text):
            return text
        kept = []
        for sentence in _sentences(text):
            if any(p.search(sentence) for p in self.scrub) or _has_id(sentence):
                self.dropped += 1
                continue
            kept.append(sentence)
        return " ".join(kept)

    def add(self, block: Block) -> None:
        if isinstance(block, Table):
            self._table(block)
            return
        raw = block.text.strip()
        if not raw:
            return
        heading = self._heading(block, raw)
        if heading is not None:
            level, title, rest = heading
            self.numbers.clear()
            self.chunks.append(("heading", f"{'#' * level} {_escape_inline(title)}"))
            if rest:
                self._paragraph(rest)
            return
        if block.list_format or _BULLET.match(raw):
            text = self._clean(_BULLET.sub("", raw) if not block.list_format else raw)
            if not text:
                return
            ordered = block.list_format not in (None, "bullet", "none")
            indent = "    " * min(block.list_level, 3)
            kind = f"item:{'ordered' if ordered else 'bullet'}:{block.list_level}"
            if block.list_level == 0 and self.chunks and self.chunks[-1][0].startswith("item:") \
                    and self.chunks[-1][0].endswith(":0") and self.chunks[-1][0] != kind:
                self.numbers.clear()  # another kind of list begins: it needs a blank line and its own numbers
            if ordered:
                number = self.numbers.get(block.list_level, 0) + 1
                self.numbers[block.list_level] = number
                marker = f"{number}."
            else:
                marker = "-"
            self.chunks.append((kind, f"{indent}{marker} {_escape_inline(text)}"))
            return
        self._paragraph(raw)

    def _heading(self, block: Paragraph, raw: str) -> tuple[int, str, str] | None:
        style = block.style
        if style.startswith("heading") or style.startswith("tiêu đề"):
            digits = re.findall(r"\d+", style)
            level = min(max(int(digits[0]) + 1 if digits else 2, 2), 4)
            return level, _strip_number(raw).rstrip(" :"), ""
        numbered = _NUMBERED_HEADING.match(raw) or _LETTER_HEADING.match(raw)
        if numbered and not block.list_format:
            body = numbered.group(2)
            level = 3 if ("." in numbered.group(1) or numbered.re is _LETTER_HEADING) else 2
            lead, colon, rest = body.partition(":")
            if colon and len(lead) <= 120 and rest.strip():
                return level, lead.strip(), rest.strip()
            if len(body) <= 120 and not body.rstrip().endswith((".", ";", ",")):
                return level, body.rstrip(" :"), ""
            return None
        if block.bold and len(raw) <= 120 and not raw.endswith((".", ";", ",")) and not block.list_format:
            return 3, raw.rstrip(" :"), ""
        return None

    def _paragraph(self, raw: str) -> None:
        text = self._clean(raw)
        if not text:
            return
        self.numbers.clear()
        self.chunks.append(("paragraph", _escape_block(text)))
        self.plain_paragraphs.append(text)

    def _table(self, table: Table) -> None:
        self.numbers.clear()
        rows = []
        for cells, flags in zip(table.cells, table.continued, strict=True):
            shown = []
            for text, continued in zip(cells, flags, strict=True):
                value = "" if continued else "<br>".join(
                    _escape_inline(self._clean(line)).replace("|", "\\|") for line in text.split("\n")
                    if line.strip())
                shown.append(value)
            if any(shown):
                rows.append(shown)
        if not rows:
            return
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        self.chunks.append(("table", "\n".join(lines)))

    def markdown(self) -> str:
        if not self.chunks:
            return ""
        chunks = self.chunks if self.chunks[0][0] == "heading" else [("heading", "## Thành tích"), *self.chunks]
        out = chunks[0][1]
        for (previous, _), (kind, text) in zip(chunks, chunks[1:], strict=False):
            same_list = previous.startswith("item:") and kind.startswith("item:") and not (
                previous.endswith(":0") and kind.endswith(":0") and previous != kind)
            out += ("\n" if same_list else "\n\n") + text
        return out + "\n"


def _sentences(text: str) -> list[str]:
    """Sentences: a break after '.', '!', '?' or '…' where the next word starts with a capital or a digit."""
    out: list[str] = []
    for piece in _SENTENCE_BREAK.split(text.strip()):
        first = piece.lstrip("\"“(")[:1]
        if out and not (first.isupper() or first.isdigit()):
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


def _has_id(text: str) -> bool:
    return any(m.kind == "citizen-id" for m in find_personal_data(text))


def _strip_number(text: str) -> str:
    match = _NUMBERED_HEADING.match(text) or _LETTER_HEADING.match(text)
    return match.group(2) if match else text


def _escape_inline(text: str) -> str:
    # Word text is plain: "<" must not start HTML; "*" and "_" are kept as the writer typed them.
    return text.replace("<", "&lt;")


def _escape_block(text: str) -> str:
    """A paragraph that Markdown would otherwise read as a heading, quote, list or rule."""
    text = _escape_inline(text)
    if re.match(r"^(?:#|>|[-+*]\s|\d+[.)]\s|={3,}|-{3,})", text):
        match = re.match(r"^(\d+)([.)])", text)
        return f"{match.group(1)}\\{match.group(2)}{text[match.end():]}" if match else "\\" + text
    return text


# --- the draft file ----------------------------------------------------------------------------------

def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (JSON strings are valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class DraftChoices:
    """The values the draft gets: read from the report unless the editor gave them."""

    name: str | None
    kind: str | None
    field: str | None
    commune: str | None
    unit: str | None
    year: int | None
    photo: str | None
    """Path of the saved photo relative to content/ ("anh/x.jpg")."""


def draft_text(report: Report, choices: DraftChoices) -> str:
    """The profile file: front matter (draft status) and the story."""
    lines = ["---"]

    def required(key: str, value: str | None, hint: str) -> None:
        lines.append(f"{key}: {value}" if value is not None else f"{key}:  # CẦN ĐIỀN: {hint}")

    required("ten", _yaml_text(choices.name) if choices.name else None, "tên người, tập thể hoặc hộ gia đình")
    required("loai", choices.kind, "ca-nhan, tap-the hoặc ho-gia-dinh")
    required("linh_vuc", choices.field, "slug lĩnh vực, xem generator/danh-muc/linh-vuc.yml")
    if choices.commune:
        lines.append(f"xa: {choices.commune}")
    if choices.unit:
        lines.append(f"don_vi: {choices.unit}")
    if not choices.commune and not choices.unit:
        lines.append("# CẦN ĐIỀN một trong hai: xa: <slug xã, xem xa.yml> hoặc don_vi: <slug đơn vị, xem don-vi.yml>")
    if report.role:
        lines.append(f"chuc_vu: {_yaml_text(report.role)}")
    required("nam", str(choices.year) if choices.year else None, "năm được lựa chọn, ví dụ 2024")
    required("tom_tat", _yaml_text(report.summary) if report.summary else None,
             f"một đoạn {SUMMARY_MIN}–{SUMMARY_MAX} ký tự về thành tích")
    lines.append("trang_thai: nhap")
    if choices.kind in (None, "ca-nhan", "ho-gia-dinh"):
        lines.append("# Trước khi chuyển sang 'xuat-ban', hồ sơ cá nhân và hộ gia đình cần ngày nhận văn bản "
                     "đồng ý công khai:")
        lines.append("# dong_y_cong_khai: YYYY-MM-DD")
    if report.commendations:
        lines.append("khen_thuong:")
        for item in report.commendations:
            lines.extend(_commendation_lines(item))
    if report.unmatched:
        lines.append("# Các mục khen thưởng chưa ghi được; sửa rồi bỏ dấu '#' ở đầu dòng (và thêm 'khen_thuong:' "
                     "nếu chưa có):")
        for item, problem in report.unmatched:
            lines.append(f"#   ({problem})")
            lines.extend("# " + line for line in _commendation_lines(item))
    if choices.photo:
        lines.append(f"anh: {choices.photo}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + report.story


def _commendation_lines(item: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("danh_hieu", "hinh_thuc", "cap", "so_quyet_dinh", "ngay"):
        if key not in item:
            continue
        value = item[key]
        shown = value.isoformat() if isinstance(value, dt.date) else (
            value if key == "cap" else _yaml_text(value))
        out.append(f"{'  - ' if not out else '    '}{key}: {shown}")
    return out


def encoding_label(name: str) -> str:
    return ENCODING_NAMES.get(name, name)
