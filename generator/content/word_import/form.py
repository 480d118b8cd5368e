"""Interpreting a report read by `document`: the form's sections, the name, role and place, the story of
section II, the commendations of section III, and the personal facts of section I that are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from generator.content.fields import COMMENDATION_KEYS, KEYS
from generator.content.personal_data import find_personal_data
from generator.content.taxonomy import Taxonomy
from generator.content.text import fold, match_key, slugify
from generator.content.word_import.document import (
    Block,
    BodyReader,
    Paragraph,
    Photo,
    ReportError,
    Table,
    open_document,
)

SUMMARY_MAX = KEYS["tom_tat"].max_length or 400
SUMMARY_MIN = KEYS["tom_tat"].min_length or 20
SUMMARY_TARGET = 200
"""Sentences are added until the summary is this long: a card shows about that much."""


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
    document = open_document(data)
    reader = BodyReader(document)
    blocks = reader.blocks()
    if not any((b.text.strip() if isinstance(b, Paragraph) else any(any(c.strip() for c in r) for r in b.cells))
               for b in blocks):
        raise ReportError("tài liệu trống: không có chữ nào để nhập")
    report = Report(converted=reader.converted)
    _Interpreter(report, blocks, taxonomy, today, reader).run()
    return report



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
                 reader: BodyReader) -> None:
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


