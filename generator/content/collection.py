"""Load every profile under a content folder: find the files, read and check each, then apply the rules
that involve more than one file (duplicate slugs, the same exemplar written twice)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

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
    # Parts below `folder` by position: Path.relative_to, once per file, showed up in profiles of the check.
    depth = len(folder.parts)
    files = sorted(p for p in folder.rglob("*.md") if not any(part.startswith(".") for part in p.parts[depth:]))
    return root, files


def profile_files_by_root(targets: Sequence[Path]) -> dict[Path, list[Path]]:
    """The profile files that several targets (folders or files, mixed, as pre-commit passes them)
    stand for, by content root, each file once, in the order given."""
    by_root: dict[Path, list[Path]] = {}
    seen: set[Path] = set()
    for target in targets:
        root, files = find_profile_files(target)
        group = by_root.setdefault(root.resolve(), [])
        for path in files:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                group.append(path)
    return by_root


def load_collection(
    target: Path | Sequence[Path],
    taxonomy: Taxonomy | None = None,
    today: dt.date | None = None,
    display_base: Path | None = None,
    cache: dict[Path, tuple[tuple[int, int], _CheckResult]] | None = None,
    *,
    keep_profiles: bool = True,
) -> Collection:
    """Read and check every profile under `target`, or the files of one content root it lists.

    `cache` (kept by the caller between calls, e.g. by a live preview) lets a file whose size and
    modification time did not change keep its earlier result instead of being read and checked again.

    With `keep_profiles=False` (for callers that only want the problems, like `guong check`) the
    collection's `profiles` stay empty: worker processes then send back only what the rules across
    files need instead of whole profiles with their stories, which would cost more to pickle and
    unpickle than the checking itself."""
    if cache is not None and not keep_profiles:
        raise ValueError("a cache keeps whole profiles; it cannot be used with keep_profiles=False")
    if isinstance(target, Path):
        root, files = find_profile_files(target)
    else:  # files of one content root, from profile_files_by_root
        files = list(target)
        if not files:
            raise ValueError("no profile files given")
        root = find_profile_files(files[0])[0]
    taxonomy = taxonomy or load_taxonomy()
    context = (taxonomy, root, today or dt.date.today(), display_base, keep_profiles)
    collection = Collection(content_root=root, taxonomy=taxonomy, file_count=len(files))
    exemplars: list[_Exemplar] = []
    for path, (profile, exemplar, problems) in zip(files, _check_files_cached(files, context, cache), strict=True):
        collection.problems.extend(problems)
        if exemplar is not None:
            exemplars.append(_Exemplar(path, *exemplar))
        if profile is not None:
            collection.profiles.append(profile)
    collection.problems.extend(_duplicate_slugs(files, display_base))
    collection.problems.extend(_same_exemplar_twice(exemplars, display_base))
    collection.profiles.sort(key=lambda p: p.sort_key)
    collection.problems.sort(key=lambda p: (p.path, p.line, p.column))
    return collection


class _Exemplar(NamedTuple):
    """What the rule on the same exemplar written twice needs of a valid profile."""

    source_path: Path
    name: str
    name_key: str
    place: tuple[str, str, int]
    """Commune, unit and year: the exemplar's other identifying values."""
    name_position: tuple[int, int]


_CheckResult = tuple["Profile | None", "tuple | None", list[Problem]]
"""The profile (None if the file is not valid, or when profiles are not kept), the _Exemplar fields
after source_path (None if not valid) and the file's problems. A plain tuple without the path, which
the main process already has: unpickling 10,000 paths and named tuples there is not free."""
_worker_checker: tuple[ProfileChecker, Path | None, bool] | None = None


def _start_worker(taxonomy: Taxonomy, root: Path, today: dt.date, display_base: Path | None,
                  keep_profiles: bool) -> None:
    global _worker_checker
    _worker_checker = (ProfileChecker(taxonomy, root, today), display_base, keep_profiles)


def _check_chunk(paths: list[Path]) -> list[_CheckResult]:
    assert _worker_checker is not None
    checker, display_base, keep_profiles = _worker_checker
    base = display_base or Path.cwd()  # once per chunk, not once per file
    results: list[_CheckResult] = []
    for path in paths:
        document, problems = read_source(path, display_path(path, base))
        if document is None:
            results.append((None, None, problems))
            continue
        profile, more = checker.check(document)
        if profile is None:
            results.append((None, None, problems + more))
            continue
        # Computed here, on the worker's core, and carried back with the result.
        exemplar = (profile.name, profile.name_key, (profile.commune or "", profile.unit or "", profile.year),
                    document.position("ten"))
        if keep_profiles:
            profile.sort_key  # noqa: B018
        results.append((profile if keep_profiles else None, exemplar, problems + more))
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
    for path, result in zip(stale, _check_files(stale, context), strict=True):
        cache[path] = (stamps[path], result)
    for path in set(cache) - set(stamps):
        del cache[path]
    return [cache[path][1] for path in files]


def _check_files(files: list[Path], context: tuple) -> list[_CheckResult]:
    """Read and check every file, results in the order of `files`; on large collections, on every core
    (the work is CPU-bound)."""
    workers = int(os.environ.get("GUONG_WORKERS") or os.cpu_count() or 1)
    if workers < 2 or len(files) < PARALLEL_THRESHOLD:
        _start_worker(*context)
        return _check_chunk(files)
    from concurrent.futures import ProcessPoolExecutor  # here: checking one file or a few starts no pool

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
                                    f"slug '{path.stem}' trùng với tệp "
                                    f"{display_path(first_by_slug[slug], display_base)}; "
                                    "hai hồ sơ không thể có cùng địa chỉ /guong/{slug}/ — hãy đổi tên một tệp"
                                    .replace("{slug}", path.stem)))
        else:
            first_by_slug[slug] = path
    return problems


def _same_exemplar_twice(exemplars: list[_Exemplar], display_base: Path | None) -> list[Problem]:
    """Same name (after NFC and tone placement), same commune or unit, same year: probably one exemplar
    written twice. A warning, because two people can share a name."""
    first: dict[tuple, _Exemplar] = {}
    problems = []
    for exemplar in sorted(exemplars, key=lambda e: e.source_path):
        key = (exemplar.name_key, *exemplar.place)
        if key in first:
            other = first[key]
            line, column = exemplar.name_position
            problems.append(Problem(display_path(exemplar.source_path, display_base), line, column, Severity.WARNING,
                                    "possible-duplicate",
                                    f"'{exemplar.name}' có thể trùng với hồ sơ "
                                    f"{display_path(other.source_path, display_base)} "
                                    "(cùng tên, cùng xã hoặc đơn vị, cùng năm)"))
        else:
            first[key] = exemplar
    return problems
