"""Load every profile under a content folder: find the files, read and check each, then apply the rules
that involve more than one file (duplicate slugs, the same exemplar written twice)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .model import Profile
from .problems import Problem, Severity, display_path
from .reader import read_source
from .taxonomy import Taxonomy, load_taxonomy
from .text import match_key
from .validate import ProfileChecker

PROFILE_FOLDER = "guong"


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
    files = sorted(p for p in folder.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return root, files


def load_collection(
    target: Path,
    taxonomy: Taxonomy | None = None,
    today: dt.date | None = None,
    display_base: Path | None = None,
) -> Collection:
    root, files = find_profile_files(target)
    taxonomy = taxonomy or load_taxonomy()
    checker = ProfileChecker(taxonomy, root, today or dt.date.today())
    collection = Collection(content_root=root, taxonomy=taxonomy, file_count=len(files))
    line_of_name: dict[Path, tuple[int, int]] = {}
    for path in files:
        display = display_path(path, display_base)
        document, problems = read_source(path, display)
        collection.problems.extend(problems)
        if document is None:
            continue
        profile, problems = checker.check(document)
        collection.problems.extend(problems)
        line_of_name[path] = document.position("ten")
        if profile is not None:
            collection.profiles.append(profile)
    collection.problems.extend(_duplicate_slugs(files, display_base))
    collection.problems.extend(_same_exemplar_twice(collection.profiles, line_of_name, display_base))
    collection.profiles.sort(key=lambda p: p.sort_key)
    collection.problems.sort(key=lambda p: (p.path, p.line, p.column))
    return collection


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
        key = (match_key(profile.name), profile.commune or "", profile.unit or "", profile.year)
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
