"""The rules of the profile format, applied to one read file; builds the Profile when it is valid."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content.fields import (
    COMMENDATION_KEYS,
    FIRST_YEAR,
    KEYS,
    MAX_PHOTO_BYTES,
    PHOTO_EXTENSIONS,
    Key,
    Type,
)
from generator.content.model import Commendation, Profile
from generator.content.personal_data import find_personal_data, personal_data_message
from generator.content.problems import Problem, Severity
from generator.content.reader import SourceDocument, is_date
from generator.content.story import INVISIBLE_CONTROL, check_story
from generator.content.taxonomy import KINDS, PERSONAL_KINDS, STAGES, STATUSES, Taxonomy
from generator.content.text import match_key, short_date, slugify

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DMY_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
# A year, a date or true/false written in quotes: YAML reads them as text.
_YEAR = re.compile(r"^\s*\d{4}\s*$")
_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_DECISION_NUMBER = re.compile(r"^\d+[A-Za-z]?[/-]\S")  # 1234/QĐ-UBND, and 27-QĐ/HĐTN of Party and Youth Union bodies


class ProfileChecker:
    """Checks one SourceDocument at a time against the format and the taxonomy."""

    def __init__(self, taxonomy: Taxonomy, content_root: Path, today: dt.date) -> None:
        self.taxonomy = taxonomy
        self.content_root = content_root
        self.content_root_resolved = content_root.resolve()
        self.today = today
        self.choice_lookup = self._choice_lists(taxonomy)
        # A set per list: `value in lookup.values()` scans the whole list, for every value of every profile.
        self._valid_choices = {name: frozenset(lookup.values()) for name, lookup in self.choice_lookup.items()}
        self._title_keys = {match_key(t.name): t for t in taxonomy.titles}
        self._form_keys = [match_key(f) for f in taxonomy.forms]

    @staticmethod
    def _choice_lists(taxonomy: Taxonomy) -> dict[str, dict[str, str]]:
        """For each list: lookup spelling (slug form of the slug, name or alias) → valid value."""
        def by_name(items: dict[str, Any]) -> dict[str, str]:
            lookup = {slugify(item.name): slug for slug, item in items.items()}
            lookup.update({slug: slug for slug in items})
            return lookup

        def fixed(values: dict[str, str]) -> dict[str, str]:
            return {slug: slug for slug in values} | {slugify(n): s for s, n in values.items()}

        return {
            "kinds": fixed(KINDS),
            "statuses": fixed(STATUSES),
            "stages": fixed(STAGES),
            "fields": by_name(taxonomy.fields),
            "communes": taxonomy.commune_lookup | {slug: slug for slug in taxonomy.communes},
            "units": by_name(taxonomy.units),
            "movements": by_name(taxonomy.movements),
            "levels": by_name(taxonomy.levels),
        }

    # ----------------------------------------------------------------------------------------------
    def check(self, doc: SourceDocument) -> tuple[Profile | None, list[Problem]]:
        report = _Report(doc)
        front = doc.front
        slug = doc.path.stem
        if not SLUG_PATTERN.match(slug):
            report.error((1, 1), "bad-slug",
                         f"tên tệp '{doc.path.name}' không đúng dạng: chỉ dùng chữ thường không dấu, số và "
                         f"dấu '-'; hãy đổi tên thành '{slugify(slug) or 'ten-ho-so'}.md'")
        for key in front:
            if key not in KEYS:
                report.error(doc.position(key), "unknown-key", _unknown_key_message(key, KEYS))
        for spec in KEYS.values():
            if spec.required and spec.name not in front:
                report.error((1, 1), "missing-key", f"thiếu khóa bắt buộc '{spec.name}' ({spec.label})")
            elif spec.required and front[spec.name] is None:
                report.error(doc.position(spec.name), "missing-key",
                             f"khóa '{spec.name}' ({spec.label}) chưa có giá trị")
        values = {name: self._check_value(report, KEYS[name], front[name], (name,))
                  for name in front if name in KEYS and front[name] is not None}
        self._check_rules(report, values)
        if "anh" in values and values["anh"] is not None:
            self._check_photo(report, values["anh"])
        for issue in check_story(doc.body, doc.controls):
            report.add((doc.body_line + issue.line - 1, issue.column), Severity.ERROR, issue.code, issue.message)
        self._check_personal_data(report, values.get("tom_tat"))
        if report.has_errors:
            return None, report.problems
        return self._profile(doc, slug, values), report.problems

    # ----------------------------------------------------------------------------------------------
    def _check_value(self, report: _Report, key: Key, value: Any, where: tuple) -> Any:
        """The value if it has the right type and is allowed; None (after reporting) if not."""
        # Where the value was written and how the key is named are only looked up to report a problem:
        # most values are fine, and this runs for every value of every profile.
        doc = report.doc
        kind = key.type
        if kind is Type.TEXT:
            if not isinstance(value, str):
                report.error(doc.position(*where), "wrong-type", f"{_label(key)} phải là chữ; nếu giá trị là số hoặc "
                                                                 "ngày, hãy đặt trong ngoặc kép")
                return None
            text = value.strip()
            control = INVISIBLE_CONTROL.search(text) if doc.controls else None
            if control:
                # The same rule as in the story: these characters reorder what readers see (a name or a
                # keyword could display as something else entirely), and nothing in a profile needs them.
                report.error(doc.position(*where), "direction-override",
                             f"{_label(key)} có ký tự điều khiển chiều chữ vô hình "
                             f"(U+{ord(control.group()):04X}) ở vị trí "
                             f"{control.start() + 1}; nó có thể làm đảo lộn văn bản hiển thị — hãy xóa nó")
                return None
            if key.min_length and len(text) < key.min_length:
                report.error(doc.position(*where), "too-short",
                             f"{_label(key)} quá ngắn ({len(text)} ký tự; cần ít nhất {key.min_length})")
                return None
            if key.max_length and len(text) > key.max_length:
                report.error(doc.position(*where), "too-long",
                             f"{_label(key)} quá dài ({len(text)} ký tự; tối đa {key.max_length})")
                return None
            return text
        if kind is Type.CHOICE:
            return self._check_choice(report, key, value, where)
        if kind is Type.YEAR:
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and _YEAR.match(value):
                    report.error(doc.position(*where), "wrong-type", _unquote_message(key, value))
                    return None
                report.error(doc.position(*where), "wrong-type",
                             f"{_label(key)} phải là một năm gồm 4 chữ số, ví dụ 2024")
                return None
            last = self.today.year + 1
            if not FIRST_YEAR <= value <= last:
                report.error(doc.position(*where), "out-of-range",
                             f"{_label(key)} {value} không hợp lệ; phải từ {FIRST_YEAR} đến {last}")
                return None
            return value
        if kind is Type.DATE:
            return self._check_date(report, key, value, where)
        if kind is Type.BOOL:
            if not isinstance(value, bool):
                if isinstance(value, str) and value.strip() in ("true", "false"):
                    report.error(doc.position(*where), "wrong-type", _unquote_message(key, value))
                    return None
                report.error(doc.position(*where), "wrong-type", f"{_label(key)} chỉ nhận true (có) hoặc false (không)")
                return None
            return value
        if kind is Type.CHOICE_LIST or kind is Type.TEXT_LIST:
            return self._check_list(report, key, value, where)
        if kind is Type.COMMENDATIONS:
            return self._check_commendations(report, value)
        if kind is Type.PATH:
            if not isinstance(value, str) or not value.strip():
                report.error(doc.position(*where), "wrong-type",
                             f"{_label(key)} phải là đường dẫn tới tệp ảnh, ví dụ anh/ten-anh.jpg")
                return None
            return value.strip()
        raise AssertionError(key.type)  # every Type is handled above

    def _check_date(self, report: _Report, key: Key, value: Any, where: tuple) -> dt.date | None:
        if is_date(value) and value <= self.today:
            return value
        label, position = _label(key), report.doc.position(*where)
        if isinstance(value, dt.datetime):
            report.error(position, "wrong-type", f"{label} chỉ ghi ngày, không ghi giờ: {value.date().isoformat()}")
            return None
        if isinstance(value, str) and _ISO_DATE.match(value) and _real_date(value.strip()):
            report.error(position, "wrong-type", _unquote_message(key, value))
            return None
        if not is_date(value):
            hint = "viết theo dạng YYYY-MM-DD, ví dụ 2024-03-15"
            dmy = _DMY_DATE.match(str(value)) if isinstance(value, str) else None
            if dmy:
                day, month, year = (int(part) for part in dmy.groups())
                hint = f"viết theo dạng YYYY-MM-DD: {year:04d}-{month:02d}-{day:02d}"
            report.error(position, "bad-date", f"{label} không phải ngày hợp lệ; {hint}")
            return None
        if value > self.today:
            report.error(position, "future-date",
                         f"{label} {value.isoformat()} nằm trong tương lai (hôm nay là {self.today.isoformat()})")
            return None
        return value

    def _check_choice(self, report: _Report, key: Key, value: Any, where: tuple) -> str | None:
        if isinstance(value, str) and value in self._valid_choices[key.choices or ""]:
            return value
        lookup = self.choice_lookup[key.choices or ""]
        position = report.doc.position(*where)
        shown = value if isinstance(value, str) else str(value)
        suggestion = suggest(shown, lookup)
        hint = f"; có phải '{suggestion}'?" if suggestion else f"; các giá trị hợp lệ: {_list_values(lookup)}"
        report.error(position, "unknown-value", f"{key.label} '{shown}' không có{hint}")
        return None

    def _check_list(self, report: _Report, key: Key, value: Any, where: tuple) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            report.error(report.doc.position(*where), "wrong-type",
                         f"'{key.name}' ({key.label}) phải là danh sách: "
                         "mỗi mục một dòng bắt đầu bằng '- ', hoặc [mục 1, mục 2]")
            return None
        item_key = _item_key(key)
        items: list[str] = []
        for index, item in enumerate(value):
            checked = self._check_value(report, item_key, item, where + (index,))
            if checked is None:
                continue
            if checked in items:
                report.warning(report.doc.position(*where, index), "duplicate-item",
                               f"'{checked}' ghi hai lần trong '{key.name}'")
                continue
            items.append(checked)
        return tuple(items)

    def _check_commendations(self, report: _Report, value: Any) -> tuple[Commendation, ...] | None:
        doc = report.doc
        if not isinstance(value, list):
            report.error(doc.position("khen_thuong"), "wrong-type",
                         "'khen_thuong' phải là danh sách; mỗi lần khen thưởng bắt đầu bằng '- danh_hieu: …' "
                         "hoặc '- hinh_thuc: …'")
            return None
        result: list[Commendation] = []
        for index, item in enumerate(value):
            where = ("khen_thuong", index)
            if not isinstance(item, dict):
                report.error(doc.position(*where), "wrong-type",
                             "mỗi mục 'khen_thuong' gồm các khóa danh_hieu hoặc hinh_thuc, cap, so_quyet_dinh, ngay")
                continue
            ok = True
            for sub in item:
                if sub not in COMMENDATION_KEYS:
                    report.error(doc.position(*where, sub), "unknown-key", _unknown_key_message(sub, COMMENDATION_KEYS))
                    ok = False
            checked = {sub: self._check_value(report, COMMENDATION_KEYS[sub], item[sub], where + (sub,))
                       for sub in item if sub in COMMENDATION_KEYS and item[sub] is not None}
            for sub, key in COMMENDATION_KEYS.items():
                if key.required and item.get(sub) is None:
                    report.error(doc.position(*where), "missing-key", f"mục khen thưởng thiếu '{sub}' ({key.label})")
                    ok = False
            title, form = checked.get("danh_hieu"), checked.get("hinh_thuc")
            if ("danh_hieu" in item) == ("hinh_thuc" in item):
                report.error(doc.position(*where), "commendation-kind",
                             "mỗi mục khen thưởng ghi đúng một trong hai: 'danh_hieu' (danh hiệu thi đua) "
                             "hoặc 'hinh_thuc' (hình thức khen thưởng)")
                ok = False
            if title is not None and match_key(title) not in self._title_keys:
                names = {t.name: t.name for t in self.taxonomy.titles}
                guess = suggest(title, {slugify(n): n for n in names})
                hint = f"; có phải '{guess}'?" if guess else ""
                report.error(doc.position(*where, "danh_hieu"), "unknown-value",
                             f"danh hiệu '{title}' không có trong danh mục khen thưởng{hint}")
                ok = False
            if form is not None and not any(_starts_with_words(match_key(form), f) for f in self._form_keys):
                report.error(doc.position(*where, "hinh_thuc"), "unknown-value",
                             f"hình thức '{form}' không có; phải bắt đầu bằng một trong: "
                             f"{', '.join(self.taxonomy.forms)}")
                ok = False
            level, date = checked.get("cap"), checked.get("ngay")
            until = self.taxonomy.levels[level].until if level else None
            if until is not None and date and date > until:
                report.error(doc.position(*where, "cap"), "level-abolished",
                             f"cấp '{level}' không còn sau ngày {until.strftime('%d/%m/%Y')} "
                             f"(bỏ cấp huyện từ {short_date(until + dt.timedelta(days=1))}), "
                             f"nhưng ngày khen là {date.isoformat()}")
                ok = False
            number = checked.get("so_quyet_dinh")
            if number and not _DECISION_NUMBER.match(number):
                report.warning(doc.position(*where, "so_quyet_dinh"), "decision-number",
                               f"số quyết định '{number}' thường có dạng '1234/QĐ-UBND' hoặc '27-QĐ/HĐTN'")
            if ok and None not in (level, date) and (title or form):
                result.append(Commendation(title, form, level, number, date))
        return tuple(result)

    # ----------------------------------------------------------------------------------------------
    def _check_rules(self, report: _Report, values: dict[str, Any]) -> None:
        doc = report.doc
        kind, field_slug = values.get("loai"), values.get("linh_vuc")
        if kind and field_slug:
            field = self.taxonomy.fields[field_slug]
            if kind not in field.kinds:
                allowed = ", ".join(field.kinds)
                report.error(doc.position("linh_vuc"), "kind-not-allowed",
                             f"lĩnh vực '{field_slug}' ({field.name}) không nhận loại '{kind}'; chỉ nhận: {allowed}")
        if doc.front.get("xa") in (None, "") and doc.front.get("don_vi") in (None, ""):  # left out or empty
            report.error((1, 1), "missing-place",
                         "cần ít nhất một trong hai khóa 'xa' (xã) hoặc 'don_vi' (cơ quan, đơn vị)")
        commune, year = values.get("xa"), values.get("nam")
        if commune and year:
            info = self.taxonomy.communes[commune]
            if info.since is not None and year < info.since.year:
                report.warning(doc.position("xa"), "commune-period",
                               f"xã '{commune}' chỉ có từ {info.since.strftime('%d/%m/%Y')}, nhưng năm là {year}; "
                               "hồ sơ trước đó ghi xã cũ")
            merged_on = self.taxonomy.communes[info.merged_into].since if info.merged_into else None
            if info.merged_into and merged_on is not None and year > merged_on.year:
                report.warning(doc.position("xa"), "commune-period",
                               f"xã '{commune}' đã sáp nhập vào '{info.merged_into}' từ {short_date(merged_on)}; "
                               f"hồ sơ năm {year} "
                               f"nên ghi xa: {info.merged_into}")
        status = values.get("trang_thai")
        published = status == "xuat-ban"
        if kind in PERSONAL_KINDS and "dong_y_cong_khai" not in doc.front and published:
            report.error(doc.position("trang_thai"), "missing-consent",
                         f"hồ sơ {KINDS[kind].lower()} muốn xuất bản phải có 'dong_y_cong_khai': ngày nhận văn bản "
                         "đồng ý công khai thông tin (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15)")
        minor = values.get("tre_em") is True
        if minor and kind and kind != "ca-nhan":  # a collective or a household is not a minor
            report.error(doc.position("tre_em"), "minor-collective", "'tre_em' chỉ dùng cho hồ sơ cá nhân")
        if minor and "dong_y_nguoi_giam_ho" not in doc.front:
            report.add(doc.position("tre_em"), Severity.ERROR if published else Severity.WARNING,
                       "missing-guardian-consent",
                       "hồ sơ trẻ em phải có 'dong_y_nguoi_giam_ho': ngày người giám hộ đồng ý công khai "
                       "(cần cả sự đồng ý của trẻ từ đủ 7 tuổi, ghi ở 'dong_y_cong_khai')")
        if "dong_y_nguoi_giam_ho" in doc.front and not minor:
            report.warning(doc.position("dong_y_nguoi_giam_ho"), "guardian-without-minor",
                           "có 'dong_y_nguoi_giam_ho' nhưng không ghi 'tre_em: true'")
        consent, posted = values.get("dong_y_cong_khai"), values.get("ngay_dang")
        if published and consent and posted and posted < consent:
            report.error(doc.position("ngay_dang"), "published-before-consent",
                         f"ngày đăng {posted.isoformat()} trước ngày đồng ý công khai {consent.isoformat()}")
        if "anh" not in doc.front:
            for key in ("chu_thich_anh", "nguon_anh"):
                if key in doc.front:
                    report.warning(doc.position(key), "caption-without-photo", f"có '{key}' nhưng không có 'anh'")

    def _check_personal_data(self, report: _Report, summary: str | None) -> None:
        """Warn about phone numbers, ID numbers and e-mail addresses in the texts that get published in
        full (summary and story), at the line where each is written."""
        doc = report.doc
        if summary:
            for match in find_personal_data(summary):
                report.warning(doc.position("tom_tat"), "personal-data",
                               personal_data_message(match.kind, match.text, "tóm tắt"))
        for match in find_personal_data(doc.body):
            line = doc.body.count("\n", 0, match.start)
            column = match.start - (doc.body.rfind("\n", 0, match.start) + 1) + 1
            report.warning((doc.body_line + line, column), "personal-data",
                           personal_data_message(match.kind, match.text, "bài viết"))

    def _check_photo(self, report: _Report, value: str) -> None:
        position = report.doc.position("anh")
        if "\\" in value:
            report.error(position, "photo-path",
                         f"đường dẫn ảnh dùng dấu '/', không dùng '\\': {value.replace(chr(92), '/')}")
            return
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^//", value):
            report.error(position, "photo-path", "ảnh phải là tệp trong thư mục content/, không phải địa chỉ web; "
                                                 "hãy tải ảnh về, đặt vào content/anh/ và ghi anh: anh/ten-anh.jpg")
            return
        relative = PurePosixPath(value)
        if relative.is_absolute() or re.match(r"^[a-zA-Z]:", value) or ".." in relative.parts:
            report.error(position, "photo-path", f"đường dẫn ảnh '{value}' phải tính từ thư mục content/ "
                                                 "(ví dụ anh/ten-anh.jpg), không dùng '/' ở đầu, ổ đĩa hay '..'")
            return
        extension = relative.suffix.lower()
        if extension not in PHOTO_EXTENSIONS:
            report.error(position, "photo-type", f"ảnh '{value}' phải là tệp .jpg, .png hoặc .webp")
            return
        path = self.content_root / relative
        try:
            resolved = path.resolve()
            resolved.relative_to(self.content_root_resolved)
        except (ValueError, OSError):
            report.error(position, "photo-path", f"ảnh '{value}' trỏ ra ngoài thư mục content/")
            return
        if not resolved.is_file():
            report.error(position, "photo-missing", f"không tìm thấy ảnh '{value}' (tìm ở {path.as_posix()})")
            return
        size = resolved.stat().st_size
        if size > MAX_PHOTO_BYTES:
            report.error(position, "photo-too-large",
                         f"ảnh '{value}' nặng {size / 1024 / 1024:.1f} MB, quá {MAX_PHOTO_BYTES // 1024 // 1024} MB; "
                         "hãy thu nhỏ ảnh (chiều rộng 2000 điểm ảnh là đủ)")
            return
        from PIL import Image, UnidentifiedImageError  # here: most checks of one file need no image library

        try:
            with Image.open(resolved) as image:
                actual = image.format
        except (UnidentifiedImageError, OSError):
            report.error(position, "photo-not-image", f"tệp '{value}' không phải ảnh (hoặc ảnh bị hỏng)")
            return
        if actual != PHOTO_EXTENSIONS[extension]:
            report.warning(position, "photo-type", f"tệp '{value}' thực ra là ảnh {actual}, đuôi tệp không khớp")

    # ----------------------------------------------------------------------------------------------
    def _profile(self, doc: SourceDocument, slug: str, values: dict[str, Any]) -> Profile:
        return Profile(slug=slug, source_path=doc.path, body=doc.body, body_line=doc.body_line,
                       front_matter=dict(doc.front),
                       **{key.attribute: values.get(key.name, key.absent) for key in KEYS.values()})


class _Report:
    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def add(self, position: tuple[int, int], severity: Severity, code: str, message: str) -> None:
        self.problems.append(Problem(self.doc.display, position[0], position[1], severity, code, message))

    def error(self, position: tuple[int, int], code: str, message: str) -> None:
        self.add(position, Severity.ERROR, code, message)

    def warning(self, position: tuple[int, int], code: str, message: str) -> None:
        self.add(position, Severity.WARNING, code, message)


def _label(key: Key) -> str:
    """How a key is named in messages."""
    return f"'{key.name}' ({key.label})"


def _unquote_message(key: Key, value: str) -> str:
    """For a value that would be right without its quotes (nam: "2024")."""
    return (f"giá trị của {_label(key)} không được đặt trong ngoặc: hãy bỏ dấu ngoặc, viết "
            f"{key.name}: {value.strip()}")


def _real_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@cache
def _item_key(key: Key) -> Key:
    """The key an item of a list key is checked against (made once per list key, not once per profile)."""
    return Key(key.name, Type.CHOICE if key.type is Type.CHOICE_LIST else Type.TEXT, key.label,
               choices=key.choices, max_length=key.max_length, min_length=1)


def suggest(value: str, lookup: dict[str, str]) -> str | None:
    """The valid value nearest to what the editor wrote (compared in slug form), if any is close."""
    query = slugify(value)
    if not query:
        return None
    if query in lookup:
        return lookup[query]
    from rapidfuzz import fuzz, process  # only a wrong value needs it: not imported for every check

    best = process.extractOne(query, list(lookup), scorer=fuzz.WRatio, score_cutoff=75)
    return lookup[best[0]] if best else None


def _unknown_key_message(key: str, known: dict[str, Key]) -> str:
    from rapidfuzz import fuzz, process

    guess = process.extractOne(key, list(known), scorer=fuzz.ratio, score_cutoff=60)
    hint = f"; có phải '{guess[0]}'?" if guess else f"; các khóa hợp lệ: {', '.join(known)}"
    return f"khóa '{key}' không có trong định dạng hồ sơ{hint}"


def _list_values(lookup: dict[str, str]) -> str:
    return ", ".join(sorted(set(lookup.values())))


def _starts_with_words(text: str, prefix: str) -> bool:
    return text == prefix or text.startswith(prefix + " ")
