"""Builds do part of their work in child processes (generator/build/child_processes.py): page bodies ahead of
MkDocs' layout, and feeds, API, embeds and the search index beside it. The site must come out the same
as when everything runs in MkDocs' own process, and a failure in a child must fail the build."""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

import pytest

from conftest import new_project
from generator.build.child_processes import BackgroundError, Prefetch, Task
from generator.mkdocs_edge.adapter import build_site

# Feeds and API files carry the time they were made.
_TIMESTAMP = re.compile(rb'"(tao_luc|date_modified)": "[^"]*"|<updated>[^<]*</updated>')


def _site_files(site: Path) -> dict[str, bytes]:
    # Pagefind names its files after a hash that differs from run to run; its content is compared by
    # the search tests. The service worker lists those files with their digests.
    return {p.relative_to(site).as_posix(): _TIMESTAMP.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*"))
            if p.is_file() and "pagefind" not in p.parts and p.name != "service-worker.js"}


def test_a_parallel_build_writes_the_same_site_as_an_in_process_build(tmp_path):
    parallel = new_project(tmp_path / "song-song", samples=True)
    in_process = new_project(tmp_path / "mot-tien-trinh", samples=True)
    config = in_process / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - guong " in text
    config.write_text(text.replace("\n  - guong ", "\n  - guong:\n      parallel: false\n  #", 1), encoding="utf-8")

    site = build_site(parallel / "mkdocs.yml")
    first = _site_files(site)
    second = _site_files(build_site(config))

    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    # The comparison covers what the children make: story pages, listings, embeds, feeds, the API.
    assert {"guong/ksor-h-blin/index.html", "nhung/guong/ksor-h-blin/index.html", "feed.xml",
            "api/guong.json"} <= first.keys()
    assert len(json.loads((site / "api" / "guong.json").read_text(encoding="utf-8"))["guong"]) > 30


def _square(number: int) -> int:
    return number * number


def test_prefetch_hands_over_every_result_in_any_order():
    prefetch = Prefetch(_square, range(100))
    try:
        assert 99 in prefetch and 100 not in prefetch
        assert [prefetch.get(n) for n in (5, 0, 99, 64)] == [25, 0, 9801, 4096]
        assert sum(prefetch.get(n) for n in range(100) if n not in (5, 0, 99, 64)) == sum(
            n * n for n in range(100)) - 25 - 9801 - 4096
        assert 5 not in prefetch  # handed over once
    finally:
        prefetch.stop()


def _fails_at_seven(number: int) -> int:
    if number == 7:
        raise ValueError("hồ sơ số 7 hỏng")
    return number


def test_a_failure_in_a_prefetching_child_reaches_the_parent_with_its_message():
    prefetch = Prefetch(_fails_at_seven, range(20), children=1)
    try:
        with pytest.raises(BackgroundError, match="ValueError: hồ sơ số 7 hỏng"):
            for number in range(20):
                prefetch.get(number)
    finally:
        prefetch.stop()


def _dies(number: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_child_that_dies_is_reported_not_waited_for():
    prefetch = Prefetch(_dies, range(3), children=1)
    try:
        with pytest.raises(BackgroundError, match="dừng bất ngờ"):
            prefetch.get(0)
    finally:
        prefetch.stop()


def test_a_task_reports_its_failure_and_runs_in_process_when_asked(tmp_path):
    def fail() -> None:
        raise RuntimeError("không ghi được nguồn tin")

    with pytest.raises(BackgroundError, match="không ghi được nguồn tin"):
        Task(fail).wait()

    marker = tmp_path / "xong"
    task = Task(lambda: marker.write_text(str(os.getpid())), in_child=False)
    assert not marker.exists()  # in-process: the work is done when waited for
    task.wait()
    assert marker.read_text() == str(os.getpid())

    task = Task(lambda: marker.write_text(str(os.getpid())))
    task.wait()
    assert marker.read_text() != str(os.getpid())
