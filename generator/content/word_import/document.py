"""Reading a .docx: its paragraphs and tables as blocks, with each run decoded by its font (TCVN3 and VNI
text is told from Unicode by the run's font), merged cells spread over the grid, and its pictures.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.content.encoding import decode_legacy
from generator.content.text import nfc

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


def open_document(data: bytes) -> Any:
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


class BodyReader:
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


