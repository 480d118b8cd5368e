"""Load every profile under a content folder: find the files, read and check each, then apply the rules
that involve more than one file (duplicate slugs, the same exemplar written twice)."""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.model import Profile
from generator.content.problems import Problem, Severity, display_path
from generator.content.reader import read_source
from generator.content.taxonomy import Taxonomy, load_taxonomy
from generator.content.validate import ProfileChecker

PROFILE_FOLDER = "guong"
PARALLEL_THRESHOLD = 1000
"""Below this many files, starting worker processes costs more than it saves."""


@dataclass
class Collection:
    """The result of loading: valid profiles (sorted the Vietnamese way) and every problem found."""

    content_root: Path
    taxonomy: Taxonomy
    profiles: list[Profile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_count: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def public_profiles(self) -> list[Profile]:
        return [p for p in self.profiles if p.is_public]


def find_profile_files(target: Path) -> tuple[Path, list[Path]]:
    """The content root and the profile files that `target` (a content folder, its guong/ folder, a
    profile file, or any folder of profiles) stands for."""
    if target.is_file():
        guong = next((parent for parent in target.parents if parent.name == PROFILE_FOLDER), None)
        return (guong.parent if guong else target.parent), [target]
    if (target / PROFILE_FOLDER).is_dir():
        root, folder = target, target / PROFILE_FOLDER
    elif target.name == PROFILE_FOLDER:
        root, folder = target.parent, target
    else:
        root, folder = target, target
    # Parts below `folder` by position: Path.relative_to is slow enough to show up at 10,000 files.
    depth = len(folder.parts)
    files = sorted(p for p in folder.rglob("*.md") if not any(part.startswith(".") for part in p.parts[depth:]))
    return root, files


def load_collection(
    target: Path,
    taxonomy: Taxonomy | None = None,
    today: dt.date | None = None,
    display_base: Path | None = None,
    cache: dict[Path, tuple[tuple[int, int], _CheckResult]] | None = None,
) -> Collection:
    """Read and check every profile under `target`.

    `cache` (kept by the caller between calls, e.g. by a live preview) lets a file whose size and
    modification time did not change keep its earlier result instead of being read and checked again."""
    root, files = find_profile_files(target)
    taxonomy = taxonomy or load_taxonomy()
    context = (taxonomy, root, today or dt.date.today(), display_base)
    collection = Collection(content_root=root, taxonomy=taxonomy, file_count=len(files))
    line_of_name: dict[Path, tuple[int, int]] = {}
    for path, profile, problems, name_position in _check_files_cached(files, context, cache):
        collection.problems.extend(problems)
        if name_position:
            line_of_name[path] = name_position
        if profile is not None:
            collection.profiles.append(profile)
    collection.problems.extend(_duplicate_slugs(files, display_base))
    collection.problems.extend(_same_exemplar_twice(collection.profiles, line_of_name, display_base))
    collection.profiles.sort(key=lambda p: p.sort_key)
    collection.problems.sort(key=lambda p: (p.path, p.line, p.column))
    return collection


_CheckResult = tuple[Path, "Profile | None", list[Problem], "tuple[int, int] | None"]
_worker_checker: tuple[ProfileChecker, Path | None] | None = None


def _start_worker(taxonomy: Taxonomy, root: Path, today: dt.date, display_base: Path | None) -> None:
    global _worker_checker
    _worker_checker = (ProfileChecker(taxonomy, root, today), display_base)


def _check_chunk(paths: list[Path]) -> list[_CheckResult]:
    assert _worker_checker is not None
    checker, display_base = _worker_checker
    results: list[_CheckResult] = []
    for path in paths:
        document, problems = read_source(path, display_path(path, display_base))
        if document is None:
            results.append((path, None, problems, None))
            continue
        profile, more = checker.check(document)
        if profile is not None:  # computed here, on the worker's core, and carried back with the profile
            profile.sort_key, profile.name_key  # noqa: B018
        results.append((path, profile, problems + more, document.position("ten")))
    return results


def _check_files_cached(files: list[Path], context: tuple,
                        cache: dict[Path, tuple[tuple[int, int], _CheckResult]] | None) -> list[_CheckResult]:
    if cache is None:
        return _check_files(files, context)
    stamps = {}
    for path in files:
        stat = path.stat()
        stamps[path] = (stat.st_mtime_ns, stat.st_size)
    stale = [path for path in files if path not in cache or cache[path][0] != stamps[path]]
    for result in _check_files(stale, context):
        cache[result[0]] = (stamps[result[0]], result)
    for path in set(cache) - set(stamps):
        del cache[path]
    return [cache[path][1] for path in files]


def _check_files(files: list[Path], context: tuple) -> list[_CheckResult]:
    """Read and check every file; on large collections, on every core (the work is CPU-bound)."""
    workers = int(os.environ.get("GUONG_WORKERS") or os.cpu_count() or 1)
    if workers < 2 or len(files) < PARALLEL_THRESHOLD:
        _start_worker(*context)
        return _check_chunk(files)
    chunk_size = -(-len(files) // (workers * 4))
    chunks = [files[i:i + chunk_size] for i in range(0, len(files), chunk_size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=context) as pool:
        return [result for chunk in pool.map(_check_chunk, chunks) for result in chunk]


def _duplicate_slugs(files: list[Path], display_base: Path | None) -> list[Problem]:
    first_by_slug: dict[str, Path] = {}
    problems = []
    for path in files:
        slug = path.stem.lower()  # Windows file systems do not tell Hoa.md from hoa.md
        if slug in first_by_slug:
            problems.append(Problem(display_path(path, display_base), 1, 1, Severity.ERROR, "duplicate-slug",
                                    f"slug '{path.stem}' trùng với tệp {display_path(first_by_slug[slug], display_base)}; "
                                    "hai hồ sơ không thể có cùng địa chỉ /guong/{slug}/ — hãy đổi tên một tệp"
                                    .replace("{slug}", path.stem)))
        else:
            first_by_slug[slug] = path
    return problems


def _same_exemplar_twice(profiles: list[Profile], line_of_name: dict[Path, tuple[int, int]],
                         display_base: Path | None) -> list[Problem]:
    """Same name (after NFC and tone placement), same commune or unit, same year: probably one exemplar
    written twice. A warning, because two people can share a name."""
    first: dict[tuple, Profile] = {}
    problems = []
    for profile in sorted(profiles, key=lambda p: p.source_path):
        key = (profile.name_key, profile.commune or "", profile.unit or "", profile.year)
        if key in first:
            other = first[key]
            line, column = line_of_name[profile.source_path]
            problems.append(Problem(display_path(profile.source_path, display_base), line, column, Severity.WARNING,
                                    "possible-duplicate",
                                    f"'{profile.name}' có thể trùng với hồ sơ {display_path(other.source_path, display_base)} "
                                    "(cùng tên, cùng xã hoặc đơn vị, cùng năm)"))
        else:
            first[key] = profile
    return problems
