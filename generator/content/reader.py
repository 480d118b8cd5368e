"""Read one profile file: bytes → clean text → front matter values with their line numbers → body.

Everything an editor's file can do wrong before the content rules apply (encoding, BOM, line endings,
YAML syntax, YAML features that have no place in a profile) is turned into a Problem here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.content.encoding import ENCODING_NAMES, guess_legacy_encoding
from generator.content.problems import Problem, Severity
from generator.content.story import INVISIBLE_CONTROL_UTF8
from generator.content.text import nfc

try:  # the C parser is several times faster; fall back where libyaml is missing
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _Loader(_Parser, yaml.resolver.Resolver):
    """Composes nodes only (values are built by _Builder); tag resolution is cached because every
    profile repeats the same keys and many of the same values."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.resolver.Resolver.__init__(self)

    def resolve(self, kind, value, implicit):
        # Called by the parser for every key and value: module globals rather than attribute lookups.
        if kind is not _ScalarNode or len(value) > 64:
            return _resolve(self, kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = _RESOLVED[key] = _resolve(self, kind, value, implicit)
            if len(_RESOLVED) > 50_000:
                _RESOLVED.clear()
        return tag


_RESOLVED: dict[tuple, str] = {}
_resolve = yaml.resolver.Resolver.resolve
_ScalarNode = yaml.ScalarNode

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A profile is a few kilobytes; anything this big is a mistake (a pasted document, a binary)."""
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_NESTING = 8
MAX_FLOW_BRACKETS = 64

Position = tuple[int, int]
"""(line, column), both 1-based, in the editor's file."""
KeyPath = tuple[str | int, ...]

_BOM = b"\xef\xbb\xbf"
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_FENCE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
"""A fence as a whole line of a text whose only line break is \\n."""
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

# PyYAML's syntax messages, said again in Vietnamese with what the editor should do.
_YAML_MESSAGES = [
    ("found character '\\t'", "có ký tự Tab; YAML chỉ dùng dấu cách để thụt lề"),
    ("mapping values are not allowed",
     "dấu ':' không đúng chỗ — nếu giá trị có dấu ':', hãy đặt cả giá trị trong ngoặc kép"),
    ("could not find expected ':'", "thiếu dấu ':' sau tên khóa (mỗi dòng phải có dạng 'khóa: giá trị')"),
    ("while scanning a quoted scalar", "thiếu dấu ngoặc kép đóng"),
    ("did not find expected key", "thụt lề không đều hoặc dòng không có dạng 'khóa: giá trị'"),
    ("expected <block end>", "thụt lề không đều"),
    ("did not find expected '-' indicator", "thụt lề của danh sách không đều"),
    ("found undefined alias", "dùng bí danh YAML (*) không được phép trong hồ sơ"),
    ("while parsing a flow", "thiếu dấu ']' hoặc '}' đóng"),
    ("while scanning an alias", "ký tự '*' ở đầu giá trị: hãy đặt giá trị trong ngoặc kép"),
    ("while scanning an anchor", "ký tự '&' ở đầu giá trị: hãy đặt giá trị trong ngoặc kép"),
    ("found character '@'", "ký tự '@' hoặc '`' không được đứng đầu giá trị: hãy đặt giá trị trong ngoặc kép"),
    ("found character '`'", "ký tự '@' hoặc '`' không được đứng đầu giá trị: hãy đặt giá trị trong ngoặc kép"),
    ("found unknown escape character", "dấu '\\' trong ngoặc kép không hợp lệ; dùng ngoặc đơn hoặc bỏ dấu '\\'"),
    ("found a tab character", "có ký tự Tab; YAML chỉ dùng dấu cách để thụt lề"),
]


@dataclass
class SourceDocument:
    """A profile file that could be read: its front matter values and where each one was written."""

    path: Path
    display: str
    front: dict[str, Any]
    positions: dict[KeyPath, Position]
    body: str
    body_line: int
    """Line of the file on which the body (the story) starts."""
    front_line_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    controls: bool = True
    """False when neither the story nor any value can contain an invisible direction control (see _read)."""

    def position(self, *key_path: str | int) -> Position:
        """Where the key (or list item) was written; the nearest enclosing key if not found."""
        for end in range(len(key_path), 0, -1):
            found = self.positions.get(tuple(key_path[:end]))
            if found:
                return found
        return (1, 1)


class _Reject(Exception):
    """Stops reading a file; carries the problem that says why."""

    def __init__(self, line: int, column: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message


def read_source(path: Path, display: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Read and parse one profile; None and the problems when it cannot be read at all."""
    try:
        return _read(path, display), []
    except _Reject as reject:
        return None, [Problem(display, reject.line, reject.column, Severity.ERROR, reject.code, reject.message)]


def read_text(path: Path, display: str, data: bytes) -> tuple[SourceDocument | None, list[Problem]]:
    """Read a profile given as bytes, as `read_source` reads the file at `path` (the workbench checks a
    save this way before anything is written)."""
    try:
        document = _parse(path, display, _decode(data))
    except _Reject as reject:
        return None, [Problem(display, reject.line, reject.column, Severity.ERROR, reject.code, reject.message)]
    document.controls = INVISIBLE_CONTROL_UTF8.search(data) is not None or b"\\" in data
    return document, []


def _read(path: Path, display: str) -> SourceDocument:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _Reject(1, 1, "file-too-large",
                          f"tệp quá lớn ({size / 1024 / 1024:.1f} MB); một hồ sơ không quá "
                          f"{MAX_FILE_BYTES // 1024 // 1024} MB — có thể đã dán nhầm cả một tài liệu hoặc tệp nhị phân")
        data = path.read_bytes()
    except OSError as error:
        raise _Reject(1, 1, "unreadable", f"không đọc được tệp ({error.strerror})") from None
    text = _decode(data)
    document = _parse(path, display, text)
    # Decoding, NFC and line endings neither make nor remove these characters, so the file's bytes tell
    # whether the text has one; a value can also get one from a YAML escape ("\u202e"), which needs a '\'.
    document.controls = INVISIBLE_CONTROL_UTF8.search(data) is not None or b"\\" in data
    return document


def _decode(data: bytes) -> str:
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if not data or data.isspace():  # what `not data.strip()` says, without copying the file
        raise _Reject(1, 1, "empty-file", "tệp rỗng: hồ sơ cần phần khai báo giữa hai dòng '---' và bài viết")
    if data.find(b"\x00", 0, 8192) >= 0:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise _Reject(1, 1, "encoding",
                          "tệp lưu ở dạng UTF-16; hãy lưu lại dạng UTF-8 (Notepad: Lưu thành… → Mã hóa: UTF-8)")
        raise _Reject(1, 1, "binary-file", "tệp nhị phân, không phải văn bản Markdown")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        legacy = guess_legacy_encoding(data)
        if legacy:
            detail = (f"có vẻ dùng bảng mã {ENCODING_NAMES[legacy]}. Hãy chuyển sang Unicode: mở Unikey → "
                      f"Công cụ chuyển mã (Ctrl+Shift+F6), chọn nguồn '{ENCODING_NAMES[legacy].split(' ')[0]}', "
                      "đích 'Unicode', rồi lưu tệp dạng UTF-8")
        else:
            detail = "hãy mở tệp và lưu lại dạng UTF-8 (Notepad: Lưu thành… → Mã hóa: UTF-8)"
        raise _Reject(line, column, "encoding", f"tệp không phải UTF-8: {detail}") from None
    # Windows and old Mac line endings; NFC so that NFD input (Unikey "tổ hợp", macOS) compares equal.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text)


def _parse(path: Path, display: str, text: str) -> SourceDocument:
    # The text is cut at offsets rather than split into lines and joined again: the story, most of the
    # file, is then copied once.
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if not _FENCE.match(first_line) or first_line.startswith("..."):
        raise _Reject(1, 1, "no-front-matter",
                      "thiếu phần khai báo: dòng đầu tiên của tệp phải là '---', tiếp theo là các dòng "
                      "'khóa: giá trị', rồi một dòng '---' nữa trước bài viết")
    fence = _FENCE_LINE.search(text, first_end + 1) if first_end >= 0 else None
    if fence is None:
        raise _Reject(1, 1, "unclosed-front-matter",
                      "phần khai báo mở bằng '---' ở dòng 1 nhưng không có dòng '---' đóng lại")
    closing = text.count("\n", 0, fence.start())  # index of the closing line, as in text.split("\n")
    front_text = text[first_end + 1:fence.start() - 1]
    if len(front_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise _Reject(2, 1, "front-matter-too-large",
                      f"phần khai báo quá dài (hơn {MAX_FRONT_MATTER_BYTES // 1024} KB); bài viết đặt sau dòng '---'")
    _check_flow_depth(front_text)
    body = text[fence.end() + 1:]
    front, positions = _load_yaml(front_text)
    return SourceDocument(path=path, display=display, front=front, positions=positions,
                          body=body, body_line=closing + 2, front_line_count=closing - 1)


def _check_flow_depth(front_text: str) -> None:
    """Refuse absurd bracket nesting before the (recursive) C composer sees it; the limit is far above
    anything a profile needs and far below what could exhaust the stack."""
    if front_text.count("[") + front_text.count("{") <= MAX_FLOW_BRACKETS:
        return
    depth = 0
    for index, ch in enumerate(front_text):
        if ch in "[{":
            depth += 1
            if depth > MAX_FLOW_BRACKETS:
                line = front_text.count("\n", 0, index) + 2
                raise _Reject(line, 1, "too-deep", "giá trị lồng nhau quá sâu; hồ sơ không cần cấu trúc như vậy")
        elif ch in "]}" and depth:
            depth -= 1


def _load_yaml(front_text: str) -> tuple[dict[str, Any], dict[KeyPath, Position]]:
    loader = _Loader(front_text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 2, mark.column + 1) if mark else (2, 1)
        unclosed = _unclosed_quote(front_text, line)
        if unclosed is not None:
            raise _Reject(*unclosed) from None
        raise _Reject(line, column, "yaml-syntax", f"lỗi cú pháp YAML: {_yaml_message(error)}") from None
    except yaml.YAMLError as error:
        raise _Reject(2, 1, "yaml-syntax", f"lỗi cú pháp YAML: {error}") from None
    finally:
        loader.dispose()
    if root is None:
        return {}, {}
    if "&" in front_text:
        _refuse_anchors(front_text)
    if not isinstance(root, yaml.MappingNode):
        raise _Reject(root.start_mark.line + 2, 1, "front-matter-shape",
                      "phần khai báo phải gồm các dòng 'khóa: giá trị'")
    builder = _Builder()
    front = builder.mapping(root, ())
    return front, builder.positions


# A value that opens with a quote, after a key ("ten: ") or a list dash ("- ").
_OPENING_QUOTE = re.compile(r"""^ *(?:- +)?(?:[^\s"'#:][^:#]*: +)?(?:- +)?(["'])""")
_QUOTE_NAMES = {'"': "ngoặc kép", "'": "nháy đơn"}


def _unclosed_quote(front_text: str, error_line: int) -> tuple[int, int, str, str] | None:
    """Where a quote that is never closed on its own line was opened, at or before the line PyYAML
    stopped at. A quoted value may run on over several lines, so PyYAML reads the next keys as part of
    it and stops at whatever quote comes next, lines later; editors mean one line, and the line to fix is
    the one the quote opened on."""
    for index, text in enumerate(front_text.split("\n")[:max(error_line - 1, 0)]):
        opening = _OPENING_QUOTE.match(text)
        if opening is None or _closes(text, opening.end(), opening.group(1)):
            continue
        quote = opening.group(1)
        name = _QUOTE_NAMES[quote]
        return (index + 2, opening.end(), "yaml-syntax",
                f"lỗi cú pháp YAML: dấu {name} ({quote}) mở ở đây nhưng không được đóng; hãy thêm dấu {quote} "
                "ở cuối giá trị, trên cùng dòng")
    return None


def _closes(text: str, start: int, quote: str) -> bool:
    """Whether the quoted value opened just before `start` ends on this line ('' and \\" do not end it)."""
    index = start
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text.startswith("''", index):
                index += 2
                continue
            return True
        index += 1
    return False


def _refuse_anchors(front_text: str) -> None:
    """An anchor nobody refers to composes into a plain value, silently dropping the '&name' the editor
    may have meant as text ("ten: &Hoa" gives "Hoa"); only the scanner still sees it."""
    loader = _Loader(front_text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, yaml.AnchorToken):
                raise _Reject(token.start_mark.line + 2, token.start_mark.column + 1, "yaml-alias",
                              f"không dùng neo/bí danh YAML (& và *) trong hồ sơ; nếu '&{token.value}' là chữ "
                              "của giá trị, hãy đặt cả giá trị trong ngoặc kép")
    finally:
        loader.dispose()


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    english = f"{error.context or ''} {error.problem or ''}"
    for needle, vietnamese in _YAML_MESSAGES:
        if needle in english:
            return vietnamese
    return f"không đọc được phần khai báo ({(error.problem or error.context or '').strip()})"


class _Builder:
    """Turns YAML nodes into plain values, remembering where each key and list item was written."""

    def __init__(self) -> None:
        self.positions: dict[KeyPath, Position] = {}
        self._seen: set[int] = set()

    def value(self, node: yaml.Node, key_path: KeyPath) -> Any:
        if id(node) in self._seen:
            # The composer resolves aliases by reusing the node: a second visit is an alias, and
            # refusing them also refuses "billion laughs" documents without expanding them.
            raise _Reject(*_at(node), "yaml-alias",
                          "không dùng neo/bí danh YAML (& và *) trong hồ sơ; hãy viết giá trị ra")
        self._seen.add(id(node))
        if len(key_path) > MAX_NESTING:
            raise _Reject(*_at(node), "too-deep", "giá trị lồng nhau quá sâu; hồ sơ không cần cấu trúc như vậy")
        if isinstance(node, yaml.ScalarNode):  # most nodes: tested first
            return self.scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, key_path)
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Reject(*_at(node), "yaml-tag", f"thẻ YAML '{node.tag}' không được phép trong hồ sơ")
        items = []
        positions = self.positions
        for index, item in enumerate(node.value):
            here = key_path + (index,)
            mark = item.start_mark
            positions[here] = (mark.line + 2, mark.column + 1)
            items.append(self.value(item, here))
        return items

    def mapping(self, node: yaml.MappingNode, key_path: KeyPath) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise _Reject(*_at(node), "yaml-tag", f"thẻ YAML '{node.tag}' không được phép trong hồ sơ")
        result: dict[str, Any] = {}
        positions, seen = self.positions, self._seen
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == "tag:yaml.org,2002:merge":
                raise _Reject(*_at(key_node), "yaml-alias", "không dùng '<<' (gộp khóa YAML) trong hồ sơ")
            if tag not in _SCALAR_TAGS or not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(*_at(key_node), "front-matter-shape", "tên khóa phải là chữ, ví dụ 'ten: …'")
            key = str(key_node.value)
            here = key_path + (key,)
            if here in positions:
                first_line = positions[here][0]
                raise _Reject(*_at(key_node), "duplicate-key",
                              f"khóa '{key}' bị lặp lại (đã có ở dòng {first_line}); mỗi khóa chỉ ghi một lần")
            mark = key_node.start_mark
            positions[here] = (mark.line + 2, mark.column + 1)
            if (value_node.tag == _STR_TAG and type(value_node) is _ScalarNode and id(value_node) not in seen
                    and len(here) <= MAX_NESTING):
                # What value() does for a plain text value, the most common kind, without the call.
                seen.add(id(value_node))
                text = value_node.value
                result[key] = text if text.isascii() else nfc(text)
            else:
                result[key] = self.value(value_node, here)
        return result

    @staticmethod
    def scalar(node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            value = node.value
            return value if value.isascii() else nfc(value)  # ASCII text is NFC already
        if tag not in _SCALAR_TAGS:
            raise _Reject(*_at(node), "yaml-tag", f"thẻ YAML '{node.tag}' không được phép trong hồ sơ")
        # The safe constructor's own function for the tag, called directly: construct_object's
        # bookkeeping (recursion, deep construction) is for collections, and these are scalars.
        construct = _CONSTRUCTORS[tag]
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                value = construct(_CONSTRUCTOR, node)
            except (ValueError, OverflowError):
                raise _Reject(*_at(node), "bad-date",
                              f"ngày '{node.value}' không có thật; viết theo dạng YYYY-MM-DD, "
                              "ví dụ 2024-03-15") from None
            return value
        try:
            return construct(_CONSTRUCTOR, node)
        except (ValueError, OverflowError):  # e.g. an integer with thousands of digits
            return str(node.value)


_STR_TAG = "tag:yaml.org,2002:str"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
"""Only its scalar functions are used, which keep no state between calls."""
_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors


def _at(node: yaml.Node) -> Position:
    return node.start_mark.line + 2, node.start_mark.column + 1


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
