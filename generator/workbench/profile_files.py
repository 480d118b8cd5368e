"""Profile files as the workbench reads and writes them.

The browser sees a profile as JSON (its front matter values, dates as "YYYY-MM-DD", and `body`); this
module alone turns it into the file. A save keeps every line of the file whose value did not change
(comments included), writes changed values in YAML that reads back as exactly that value, checks the
result with the rules of `guong check`, and writes it (NFC, UTF-8, atomically) only when no error remains.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.atomic_files import write_atomically
from generator.content.fields import COMMENDATION_KEYS, KEYS, Type
from generator.content.model import Profile
from generator.content.problems import Problem, Severity
from generator.content.reader import SourceDocument, read_source, read_text
from generator.content.taxonomy import Taxonomy
from generator.content.text import nfc
from generator.content.validate import ProfileChecker

CONTENT = "content"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOP_LEVEL_KEY = re.compile(r"^([^\s#:'\"-][^:]*):(?:\s|$)")


class PathRefused(Exception):
    """A path from the browser that does not name a file inside content/ (message in Vietnamese)."""


def safe_path(content_root: Path, relative: str, *, folder: str, suffixes: tuple[str, ...]) -> Path:
    """The file `relative` ("content/guong/x.md", as Decap names it) names, if it lies directly in
    content/<folder>/ with one of `suffixes`: no absolute paths, no '..', no symbolic links out."""
    refused = PathRefused(f"đường dẫn '{relative}' không thuộc thư mục {CONTENT}/{folder}/")
    if not isinstance(relative, str) or "\\" in relative or "\x00" in relative:
        raise refused
    parts = PurePosixPath(relative).parts
    if len(parts) != 3 or parts[0] != CONTENT or parts[1] != folder or parts[2] in (".", ".."):
        raise refused
    if not parts[2].lower().endswith(suffixes) or parts[2].startswith("."):
        raise refused
    folder_path = content_root / folder
    target = folder_path / parts[2]
    root = content_root.resolve()
    if folder_path.is_symlink() or target.is_symlink() or not target.resolve().is_relative_to(root):
        raise refused
    return target


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plain(value: Any) -> Any:
    """A value read from YAML as the browser gets it (JSON: dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def wire_entry(path: Path, relative: str, raw: bytes | None = None) -> dict[str, Any]:
    """Decap's entry for one file: `data` is the JSON its `guong-json` format parses. `raw`: the file's
    bytes when the caller has read them already."""
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": relative, "id": None}}
    document, problems = read_source(path, relative)
    if document is None:
        # The form cannot show a file that does not parse: the text goes into the story, and the
        # preview shows why (a save is refused until the file is fixed, so nothing is lost).
        data: dict[str, Any] = {"body": raw.decode("utf-8", "replace"), "_loi_tep": [p.format() for p in problems]}
    else:
        data = {key: _plain(value) for key, value in document.front.items()} | {"body": document.body}
    return {"data": json.dumps(data, ensure_ascii=False), "file": {"path": relative, "id": file_id(raw)}}


def _typed(key_type: Type | None, value: Any) -> Any:
    """A value from the form in the type the file holds; None for an empty one (the key is left out)."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        value = nfc(value.replace("\r\n", "\n").replace("\r", "\n"))
        if key_type is Type.DATE and _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value
    if key_type is Type.COMMENDATIONS and isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, dict):
                sub_types = {name: sub.type for name, sub in COMMENDATION_KEYS.items()}
                typed = {k: _typed(sub_types.get(k), v) for k, v in item.items()}
                item = {k: v for k, v in typed.items() if v is not None}
            items.append(item)
        return items or None
    if isinstance(value, list):
        return [_typed(None, v) for v in value if _typed(None, v) is not None] or None
    return value


def form_values(data: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """The front matter values of a form: typed, empty ones left out, an untouched 'no' tick box too."""
    values = {}
    for key, value in data.items():
        if key == "body" or key.startswith("_"):
            continue
        spec = KEYS.get(key)
        typed = _typed(spec.type if spec else None, value)
        if spec is not None and spec.type is Type.BOOL and typed is False and key not in original:
            continue
        if typed is not None:
            values[key] = typed
    return values


class _Dumper(yaml.SafeDumper):
    """List items indented under their key, as the sample profiles and `guong new` write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _yaml_lines(key: str, value: Any) -> list[str]:
    text = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000)
    return text.rstrip("\n").split("\n")


def _blocks(front_lines: list[str]) -> tuple[list[tuple[str, list[str], list[str]]], list[str]]:
    """The file's top-level keys in order, each with the comment lines above it and its own lines; and
    the comment lines after the last key."""
    blocks: list[tuple[str, list[str], list[str]]] = []
    pending: list[str] = []
    for line in front_lines:
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            blocks.append((match.group(1).strip(), pending, [line]))
            pending = []
        elif blocks and line.startswith((" ", "\t")) and not pending:
            blocks[-1][2].append(line)
        else:
            pending.append(line)
    return blocks, pending


def profile_text(data: dict[str, Any], original: SourceDocument | None, original_text: str | None) -> str:
    """The file for the form's values: the original's lines for every value that did not change."""
    before = original.front if original is not None else {}
    values = form_values(data, before)
    order = {key: index for index, key in enumerate(KEYS)}
    out: list[tuple[str | None, list[str]]] = []
    tail: list[str] = []
    if original is not None and original_text is not None:
        lines = original_text.split("\n")
        blocks, tail = _blocks(lines[1:1 + original.front_line_count])
        for key, comments, own in blocks:
            if key in values:
                kept = own if before.get(key) == values[key] else _yaml_lines(key, values[key])
                out.append((key, comments + kept))
            elif comments:
                out.append((None, comments))
    present = {key for key, _ in out}
    for key, value in values.items():
        if key in present:
            continue
        rank = order.get(key, len(order))
        position = 0
        for index, (other, _) in enumerate(out):
            if other is not None and order.get(other, len(order)) <= rank:
                position = index + 1
        out.insert(position, (key, _yaml_lines(key, value)))
    front = [line for _, lines in out for line in lines] + tail
    body = data.get("body") or ""
    body = nfc(str(body).replace("\r\n", "\n").replace("\r", "\n"))
    if body and not body.endswith("\n"):
        body += "\n"
    return "---\n" + "\n".join(front) + "\n---\n" + body


@dataclass
class SaveResult:
    text: str
    problems: list[Problem]
    written: bool
    profile: Profile | None = None
    """The checked profile, when the text has no error."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


class ProfileFiles:
    """content/guong/ for the workbench: list, read, check and write profiles."""

    FOLDER = "guong"

    def __init__(self, content_root: Path, taxonomy: Taxonomy) -> None:
        self.content_root = content_root
        self.taxonomy = taxonomy
        self._listed: dict[str, dict[str, Any]] = {}
        """Each file's entry as last listed: Decap lists every profile on each page load, and a file whose
        bytes are the same (same hash) is not parsed again."""

    def path(self, relative: str) -> Path:
        return safe_path(self.content_root, relative, folder=self.FOLDER, suffixes=(".md",))

    def entries(self) -> list[dict[str, Any]]:
        folder = self.content_root / self.FOLDER
        names = sorted(p.name for p in folder.glob("*.md") if not p.name.startswith(".") and not p.is_symlink())
        listed = {}
        for name in names:
            path, relative = folder / name, f"{CONTENT}/{self.FOLDER}/{name}"
            try:
                raw = path.read_bytes()
            except OSError:
                listed[relative] = wire_entry(path, relative)  # an entry that says it cannot be read
                continue
            entry = self._listed.get(relative)
            if entry is None or entry["file"]["id"] != file_id(raw):
                entry = wire_entry(path, relative, raw)
            listed[relative] = entry
        self._listed = listed
        return list(listed.values())

    def entry(self, relative: str) -> dict[str, Any]:
        return wire_entry(self.path(relative), relative)

    def check(self, relative: str, data: dict[str, Any], *, new_entry: bool = False) -> SaveResult:
        """The file the form's values make and what `guong check` says of it; nothing is written."""
        path = self.path(relative)
        original, original_text = None, None
        if path.is_file() and not new_entry:
            original, _ = read_source(path, relative)
            if original is not None:
                original_text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
                original_text = nfc(original_text.removeprefix("\ufeff"))
        text = profile_text(data, original, original_text)
        document, problems = read_text(path, relative, text.encode("utf-8"))
        profile = None
        if document is not None:
            checker = ProfileChecker(self.taxonomy, self.content_root, dt.date.today())
            profile, problems = checker.check(document)
        if new_entry and path.exists():
            problems = [Problem(relative, 1, 1, Severity.ERROR, "duplicate-slug",
                                f"đã có hồ sơ tên tệp '{path.name}'; hãy đặt tên khác hoặc mở hồ sơ đó để sửa"),
                        *problems]
        return SaveResult(text, problems, written=False, profile=profile)

    def save(self, relative: str, data: dict[str, Any], *, new_entry: bool = False) -> SaveResult:
        result = self.check(relative, data, new_entry=new_entry)
        if not result.errors:
            write_atomically(self.path(relative), result.text.encode("utf-8"), durable=True)
            result.written = True
        return result
