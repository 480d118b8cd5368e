"""What was made from one profile — a feed entry, an API record, an embed page, a search document, a
fingerprint — kept between the rebuilds of a live preview, so that saving one profile re-makes only that
profile's pieces (re-making every profile's would cost each save time in proportion to the whole site).

A kept piece holds while its profile is the same object and its photo the same renditions: the
collection's check cache hands back the very same `Profile` for a file whose size and modification time
did not change, and the preview's photo cache the same `PhotoSet`. Anything else a piece is made from
(the taxonomy, the templates, site_url) is the plugin's "environment"; when that changes, `clear`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from generator.content.model import Profile
from generator.portal.photos import PhotoSet

T = TypeVar("T")


class ProfileMemo:
    """Also what a single build uses to make each profile's piece once, where a profile shows in several
    outputs (a feed entry is in the site's, its field's, its commune's and its unit's feeds)."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[Profile, PhotoSet | None, object]] = {}
        self._lists: dict[Hashable, tuple[list, list[int], object]] = {}

    def get(self, kind: str, profile: Profile, photo: PhotoSet | None, make: Callable[[Profile], T]) -> T:
        """The `kind` piece of `profile`: kept, or made now with `make(profile)` and kept."""
        key = (kind, profile.slug)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is profile and kept[1] is photo:
            return kept[2]  # type: ignore[return-value]
        value = make(profile)
        self._kept[key] = (profile, photo, value)
        return value

    def get_list(self, key: Hashable, profiles: list[Profile], photos: Mapping[str, PhotoSet],
                 make: Callable[[], T]) -> T:
        """A piece made from a list of profiles (a group's feed or API file), `key` naming it: kept while
        the list holds the same profiles with the same photos, in the same order."""
        members = [*profiles, *[photos.get(profile.slug) for profile in profiles]]
        identities = list(map(id, members))
        kept = self._lists.get(key)
        # Comparing ids is safe: the kept list holds its members, so no id can pass to a new object.
        if kept is not None and kept[1] == identities:
            return kept[2]  # type: ignore[return-value]
        value = make()
        self._lists[key] = (members, identities, value)
        return value

    def keep_only(self, slugs: Iterable[str]) -> None:
        """Forget the pieces of profiles that are gone (deleted, renamed)."""
        present = set(slugs)
        for key in [key for key in self._kept if key[1] not in present]:
            del self._kept[key]

    def clear(self) -> None:
        self._kept.clear()
        self._lists.clear()
