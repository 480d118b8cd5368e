"""Property-based fuzzing of the loader, the validator and `guong check` with random and mutated profiles.

Whatever an editor's file contains — wrong types, huge values, deep nesting, YAML anchors, aliases and
tags, binary bytes, mixed encodings, very long lines — the tools answer with messages in the editor's
format and never with a traceback, and nothing in the file is ever executed. The example budget is fixed
and the runs derandomised, so CI is deterministic and fast (see docs/bad-input.md for the counts).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID_BODY, VALID_FRONT_MATTER
from generator.cli import main
from generator.content.fields import COMMENDATION_KEYS, KEYS
from generator.content.problems import Severity
from generator.content.reader import read_source
from generator.content.validate import ProfileChecker

MESSAGE = re.compile(r"^(?P<path>[^\n]+?):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): (?P<sev>lỗi|cảnh báo): (?P<msg>[^\n]+)$")
SUMMARY = re.compile(r"^Đã kiểm tra \d+ tệp: ")
VALID = f"---\n{VALID_FRONT_MATTER}---\n\n{VALID_BODY}".encode()

# Budgets: enough variety to find the classic failures, small enough for CI (see docs/bad-input.md).
FAST = settings(max_examples=500, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
CLI = settings(FAST, max_examples=60)

_workdir = Path(tempfile.mkdtemp(prefix="guong-fuzz-"))
(_workdir / "content" / "guong").mkdir(parents=True)


@pytest.fixture(scope="module")
def checker(taxonomy):
    yield ProfileChecker(taxonomy, _workdir / "content", dt.date(2025, 6, 1))
    shutil.rmtree(_workdir, ignore_errors=True)


def _check(checker: ProfileChecker, data: bytes, name: str = "mau.md"):
    """Read and check one file the way `guong check` does; return (profile, problems)."""
    path = _workdir / "content" / "guong" / name
    path.write_bytes(data)
    document, problems = read_source(path, f"content/guong/{name}")
    if document is None:
        return None, problems
    profile, more = checker.check(document)
    return profile, problems + more


def _assert_well_formed(profile, problems, name: str = "mau.md") -> None:
    for problem in problems:
        line = problem.format()
        match = MESSAGE.match(line)
        assert match, f"badly formatted message: {line!r}"
        assert match["path"] == f"content/guong/{name}"
        assert problem.message.strip(), line
    errors = [p for p in problems if p.severity is Severity.ERROR]
    # A file either becomes a profile or says why not: never refused in silence, never half-accepted.
    assert (profile is None) == bool(errors), (profile, problems)


# ------------------------------------------------------------------------------------------------
# Strategies

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30), st.just("HUGE-INT"),  # becomes a 5,000-digit integer after dumping
    st.floats(allow_nan=True, allow_infinity=True),
    _text, st.text(min_size=300, max_size=2000),
    st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.sampled_from(["xuat-ban", "ca-nhan", "ia-tul", "giao-duc-dao-tao", "2024-02-30", "12/3/2024", "Ia Kđăm"]),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(_text, st.sampled_from(list(COMMENDATION_KEYS))), inner, max_size=4)),
    max_leaves=20)
_keys = st.one_of(st.sampled_from(list(KEYS)), _text)


@st.composite
def random_front_matter(draw) -> bytes:
    """A front matter of random keys (mostly real ones) with values of any type and shape."""
    base = yaml.safe_load(VALID_FRONT_MATTER)
    for key in draw(st.lists(_keys, max_size=6)):
        base[key] = draw(_values)
    for key in draw(st.lists(st.sampled_from(list(base)), max_size=3)):
        base.pop(key, None)
    text = yaml.safe_dump(base, allow_unicode=draw(st.booleans()), default_flow_style=draw(st.sampled_from([None, True, False])),
                          width=draw(st.sampled_from([80, 10**6])))
    text = text.replace("HUGE-INT", "9" * 5000)
    return f"---\n{text}---\n\n{VALID_BODY}".encode()


# Snippets an editor (or an attacker) might paste into front matter.
DANGEROUS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    '!!python/object/new:os.system ["touch {marker}"]',
    "!!python/name:os.system",
    "!!python/module:os",
    '!!python/object:__main__.X {{a: 1}}',
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!!omap [a: 1]",
    "!!timestamp 2024-01-01",
    "!<tag:yaml.org,2002:python/object/apply:os.system> [\"touch {marker}\"]",
    "!ENV [HOME]",
    "!!merge {{a: 1}}",
    "&neo giá trị",
    "*neo",
    "&a [1, 2]\nkhac: *a",
    "{{<<: {{a: 1}}}}",
    "? [phức, tạp]\n: khóa",
]
_MUTATIONS = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=24)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.sampled_from([
        b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\t", b"\x1b[31m", b"\xe2\x80\xae", b"\xc3", b"\xed\xa0\x80",
        "Nguyễn Đức".encode("cp1258", "replace"), "Hòa".encode("utf-16"), "đ".encode("latin-1", "replace"), b"---\n", b"...\n",
        b": ", b"- ", b"[", b"{", b"]", b"}", b"'", b'"', b"\\", b"#", b"|\n", b">\n", b"%YAML 1.1\n", b"%TAG ! tag:x,2000:\n",
        b"x" * 70_000, b"\nnam: " + b"9" * 5000 + b"\n", b"- " * 500, b"[" * 80, b"  " * 200 + b"a: 1\n",
    ])),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 40)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6), st.integers(1, 200)),
    st.tuples(st.just("payload"), st.integers(0, 10**6), st.sampled_from(DANGEROUS)),
)


def _mutate(data: bytes, mutations) -> bytes:
    for kind, where, what in mutations:
        at = where % (len(data) + 1)
        if kind == "insert":
            data = data[:at] + what + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + what:]
        elif kind == "duplicate":
            data = data[:at] + data[at:at + what] * 2 + data[at + what:]
        else:
            data = data[:at] + what.format(marker=_workdir / "MARKER").encode() + data[at:]
    return data


@st.composite
def mutated_profile(draw) -> bytes:
    return _mutate(VALID, draw(st.lists(_MUTATIONS, min_size=1, max_size=5)))


@st.composite
def dangerous_profile(draw) -> tuple[bytes, str]:
    """A valid profile with one dangerous YAML construct as some key's value, list item or key."""
    snippet = draw(st.sampled_from(DANGEROUS)).format(marker=_workdir / "MARKER")
    key = draw(st.sampled_from(["ten", "tom_tat", "thon", "tu_khoa", "khen_thuong", "nam", "moi"]))
    lines = VALID_FRONT_MATTER.splitlines()
    shape = draw(st.sampled_from(["value", "item", "nested", "key", "document"]))
    if shape == "value":
        extra = f"{key}: {snippet}"
    elif shape == "item":
        extra = f"{key}:\n  - a\n  - {snippet}"
    elif shape == "nested":
        extra = f"{key}:\n  - so_quyet_dinh: {snippet}"
    elif shape == "key":
        extra = f"{snippet.splitlines()[0]}: 1"
    else:
        lines, extra = [], snippet
    lines = [line for line in lines if not line.startswith(f"{key}:")]
    at = draw(st.integers(0, len(lines)))
    front = "\n".join(lines[:at] + [extra] + lines[at:])
    return f"---\n{front}\n---\n\n{VALID_BODY}".encode(), shape


# ------------------------------------------------------------------------------------------------
# Properties of the loader and validator

@FAST
@given(data=random_front_matter())
def test_random_front_matter_gets_messages_not_exceptions(checker, data):
    profile, problems = _check(checker, data)
    _assert_well_formed(profile, problems)


@FAST
@given(data=mutated_profile())
def test_mutated_files_get_messages_not_exceptions(checker, data):
    profile, problems = _check(checker, data)
    _assert_well_formed(profile, problems)
    assert not (_workdir / "MARKER").exists()


@FAST
@given(case=dangerous_profile())
def test_tags_anchors_and_aliases_are_refused_and_never_run(checker, case):
    data, shape = case
    profile, problems = _check(checker, data)
    _assert_well_formed(profile, problems)
    assert profile is None, data.decode()
    assert not (_workdir / "MARKER").exists()


@FAST
@given(text=st.text(max_size=300), raw=st.binary(max_size=300))
def test_arbitrary_text_and_bytes_get_messages_not_exceptions(checker, text, raw):
    for data in (text.encode("utf-8", "surrogatepass"), raw, b"---\n" + raw + b"\n---\nx\n",
                 b"---\n" + text.encode("utf-8", "surrogatepass") + b"\n---\nx\n"):
        profile, problems = _check(checker, data)
        _assert_well_formed(profile, problems)


def test_every_legacy_encoding_and_utf16_is_named(checker):
    front = VALID.decode()
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "cp1258", "latin-1", "utf-32"):
        profile, problems = _check(checker, front.encode(codec, "replace"))
        _assert_well_formed(profile, problems)
        assert profile is None and problems[0].code in {"encoding", "binary-file"}, (codec, problems)


def test_very_long_lines_and_values_are_refused_with_a_size(checker):
    cases = {
        "tom_tat: " + "á" * 20_000: "too-long",  # a 40 KB line: under the front matter limit
        "tom_tat: " + "a" * 70_000: "front-matter-too-large",
        "tu_khoa: [" + "a, " * 30_000 + "b]": "front-matter-too-large",
    }
    for line, code in cases.items():
        data = VALID.decode().replace("tom_tat:", "x_cu:", 1).replace("---\n", f"---\n{line}\n", 1)
        profile, problems = _check(checker, data.encode())
        _assert_well_formed(profile, problems)
        assert code in {p.code for p in problems}, (code, problems)
    profile, problems = _check(checker, VALID + b"x" * (3 * 1024 * 1024))
    assert [p.code for p in problems] == ["file-too-large"]


def test_billion_laughs_is_refused_without_expanding(checker):
    levels = ['lol0: "lol"'] + [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i > 1 else '"lol"'] * 9) + "]"
                                for i in range(1, 10)]
    levels[1] = "lol1: &l1 [" + ", ".join(['"lol"'] * 9) + "]"
    data = ("---\n" + VALID_FRONT_MATTER + "\n".join(levels) + "\n---\n\n" + VALID_BODY).encode()
    tracemalloc.start()
    try:
        profile, problems = _check(checker, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Expanded, this document holds 9^9 (387 million) strings; refused at the first alias it is a few KB.
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"
    assert profile is None and [p.code for p in problems] == ["yaml-alias"]
    assert problems[0].line == VALID_FRONT_MATTER.count("\n") + 3  # the first anchor, on the lol1 line


def test_deep_nesting_of_every_kind_is_refused(checker):
    cases = [
        "ten: " + "[" * 5000 + "]" * 5000,
        "ten: " + "{a: " * 500 + "1" + "}" * 500,
        "ten:\n" + "".join("  " * i + "- \n" for i in range(200)) + "  " * 200 + "- x",
        "ten:\n" + "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x",
        "? " * 3000 + "x",
    ]
    for case in cases:
        profile, problems = _check(checker, f"---\n{case}\n---\n\n{VALID_BODY}".encode())
        _assert_well_formed(profile, problems)
        assert profile is None


# ------------------------------------------------------------------------------------------------
# Properties of the command

def _run_check(folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["check", str(folder)])
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@CLI
@given(files=st.lists(st.one_of(mutated_profile(), random_front_matter(), dangerous_profile().map(lambda c: c[0])),
                      min_size=1, max_size=4))
def test_guong_check_reports_every_bad_file_and_exits_0_or_1(checker, files):
    folder = Path(tempfile.mkdtemp(dir=_workdir))
    (folder / "guong").mkdir()
    bad = set()
    for index, data in enumerate(files):
        name = f"ho-so-{index}.md"
        (folder / "guong" / name).write_bytes(data)
        profile, _ = _check(checker, data, name="doi-chieu.md")
        if profile is None:
            bad.add(name)
    code, out, err = _run_check(folder)
    assert code in (0, 1), (code, out, err)
    assert err == "" and "Traceback" not in out
    lines = out.splitlines()
    assert SUMMARY.match(lines[-1]), lines[-1]
    errors_by_file: dict[str, int] = {}
    for line in lines[:-1]:
        match = MESSAGE.match(line)
        assert match, f"badly formatted line: {line!r}"
        if match["sev"] == "lỗi":
            errors_by_file[Path(match["path"]).name] = errors_by_file.get(Path(match["path"]).name, 0) + 1
    assert set(errors_by_file) == bad
    assert code == (1 if bad else 0)
    assert not (_workdir / "MARKER").exists()


def test_the_installed_command_never_runs_a_yaml_payload(tmp_path):
    """The real `guong` process, not just the functions: a payload file is an error and runs nothing."""
    marker = tmp_path / "MARKER"
    folder = tmp_path / "content" / "guong"
    folder.mkdir(parents=True)
    for index, snippet in enumerate(s for s in DANGEROUS if "{marker}" in s):
        front = VALID_FRONT_MATTER.replace("thon:", "x:") + f"thon: {snippet.format(marker=marker)}\n"
        (folder / f"tai-trong-{index}.md").write_text(f"---\n{front}---\n\n{VALID_BODY}", encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "guong"), "check", str(tmp_path / "content")],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120,
                            env={**os.environ, "GUONG_DEBUG": "1"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count(": lỗi: thẻ YAML ") == 4, result.stdout
    assert not marker.exists()
