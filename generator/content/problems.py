"""Problems found in content, and the two ways they are printed (editor lines and JSON)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

# Characters that would break the one-problem-per-line format, or reorder it on the terminal, when a
# message quotes what the editor wrote (a key with a line break, a value with U+202E).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _one_line(text: str) -> str:
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        """The word printed to editors."""
        return "lỗi" if self is Severity.ERROR else "cảnh báo"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, located at the line and column an editor should look at."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    """Stable identifier of the rule (e.g. ``unknown-key``), for tools and tests."""
    message: str
    """What is wrong and how to fix it, in Vietnamese."""

    def format(self) -> str:
        return f"{self.location}: {self.severity.label}: {self.text}"

    @property
    def location(self) -> str:
        """`path:line:col`, as the printed line begins."""
        return f"{_one_line(self.path)}:{self.line}:{self.column}"

    @property
    def text(self) -> str:
        """The message as printed (on one line)."""
        return _one_line(self.message)

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def display_path(path: Path, base: Path | None = None) -> str:
    """The path as the editor typed it relative to where they are, with forward slashes."""
    # A string prefix test: Path.relative_to, once per file, showed up in profiles of the check.
    prefix = (base or Path.cwd()).as_posix().rstrip("/") + "/"
    text = path.as_posix()
    return text[len(prefix):] if text.startswith(prefix) else text


def summary_line(problems: list[Problem], file_count: int) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    files_with_errors = len({p.path for p in problems if p.severity is Severity.ERROR})
    if not problems:
        return f"Đã kiểm tra {file_count} tệp: không có lỗi."
    return (
        f"Đã kiểm tra {file_count} tệp: {errors} lỗi ở {files_with_errors} tệp, {warnings} cảnh báo."
    )


def problems_to_json(problems: list[Problem], file_count: int) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return json.dumps(
        {
            "files": file_count,
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": [p.to_json() for p in problems],
        },
        ensure_ascii=False,
        indent=2,
    )
