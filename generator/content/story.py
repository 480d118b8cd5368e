"""Checks on the story (the Markdown body): it must exist and must not carry HTML that runs code.

Unsafe HTML is an error rather than something dropped silently, so the editor knows their text will not
appear as pasted. Harmless inline HTML is allowed here and sanitised when pages are rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements that run code, load other documents or change how the whole page behaves.
UNSAFE_ELEMENTS = frozenset(
    "script iframe frame frameset object embed applet base meta link form style noscript template "
    "portal".split()
)
_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset("href src action formaction xlink:href data poster background srcset".split())
# Markdown links and images: [text](url) and reference definitions [id]: url
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+)", re.MULTILINE)
INVISIBLE_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
INVISIBLE_CONTROL_UTF8 = re.compile(b"|".join(
    re.escape(chr(code).encode("utf-8")) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
"""The same characters in a file's bytes. Searching bytes with a literal first byte is several times
faster than searching the decoded text with a character class, so a file is searched this way first."""
_SCHEME_WORDS = ("javascript", "vbscript", "data", "file")


@dataclass(frozen=True)
class StoryIssue:
    line: int
    """1-based line within the body."""
    column: int
    code: str
    message: str


class _UnsafeHtmlFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.issues: list[StoryIssue] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        if tag in UNSAFE_ELEMENTS:
            self.issues.append(StoryIssue(line, offset + 1, "unsafe-html",
                                          f"thẻ HTML <{tag}> không được phép trong bài viết (có thể chạy mã "
                                          "hoặc nhúng trang khác); hãy xóa thẻ này"))
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.issues.append(StoryIssue(line, offset + 1, "unsafe-html",
                                              f"thuộc tính '{name}' trong thẻ <{tag}> chạy mã JavaScript; "
                                              "hãy xóa thuộc tính này"))
            elif name in _URL_ATTRIBUTES and value and _UNSAFE_SCHEME.match(value):
                self.issues.append(StoryIssue(line, offset + 1, "unsafe-link",
                                              f"liên kết '{value[:40]}' trong thẻ <{tag}> không được phép; "
                                              "chỉ dùng liên kết http:// hoặc https://"))

    handle_startendtag = handle_starttag


def check_story(body: str, controls: bool = True) -> list[StoryIssue]:
    """Problems in the story, with lines relative to the body's first line. `controls=False` says the
    caller knows the text has no INVISIBLE_CONTROL character."""
    issues: list[StoryIssue] = []
    if not body.strip():
        return [StoryIssue(1, 1, "empty-story",
                           "bài viết trống: sau dòng '---' thứ hai cần có câu chuyện về gương điển hình "
                           "(các mục gợi ý: ## Thành tích, ## Cách làm hay, ## Bài học kinh nghiệm, ## Nhân rộng)")]
    if "<" in body:
        finder = _UnsafeHtmlFinder()
        finder.feed(body)
        finder.close()
        issues.extend(finder.issues)
    # Substring tests first: a case-insensitive regex over every whole story dominated the story check.
    # A scheme needs a ':'; lowering a whole story only when it has one.
    suspicious = ":" in body and _has_scheme_word(body.lower())
    links = _MARKDOWN_LINK.finditer(body) if suspicious else ()
    for match in links:
        url = match.group(1) or match.group(2) or ""
        if _UNSAFE_SCHEME.match(url):
            line, column = _line_column(body, match.start())
            issues.append(StoryIssue(line, column, "unsafe-link",
                                     f"liên kết '{url[:40]}' không được phép; chỉ dùng liên kết http:// hoặc https://"))
    for match in INVISIBLE_CONTROL.finditer(body) if controls else ():
        line, column = _line_column(body, match.start())
        issues.append(StoryIssue(line, column, "direction-override",
                                 f"ký tự điều khiển chiều chữ vô hình (U+{ord(match.group()):04X}) có thể làm "
                                 "đảo lộn văn bản hiển thị; hãy xóa nó"))
    return issues


def _has_scheme_word(lowered: str) -> bool:
    return any(word in lowered for word in _SCHEME_WORDS)


def _line_column(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
