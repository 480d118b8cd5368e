"""Helpers shared by the machine-readable outputs (feeds, JSON API): absolute URLs, groups of profiles, and
writing a {path: bytes} mapping into the output folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from generator.content.model import Profile
from generator.portal.pages import published_on
from generator.content.taxonomy import Taxonomy

VN_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")
"""Ia Pa's clock: a bare publication date is midnight there, not in UTC."""
PUBLISHER = "Trung tâm Văn hóa, Thông tin và Thể thao huyện Ia Pa"
"""Who publishes the profiles (plan 105/KH-UBND V: the Culture Center runs the column)."""
GROUP_KINDS = {"linh-vuc": "Lĩnh vực", "xa": "Xã", "don-vi": "Cơ quan, đơn vị"}


@dataclass(frozen=True)
class ProfileGroup:
    """A field, commune or unit with its public profiles, newest first."""

    kind: str
    """"linh-vuc", "xa" or "don-vi": the URL folder of its listing."""
    slug: str
    name: str
    profiles: list[Profile]

    @property
    def title(self) -> str:
        """As its listing page is titled ("Xã Ia Tul", "Y tế, …")."""
        return f"Xã {self.name}" if self.kind == "xa" else self.name

    @property
    def url(self) -> str:
        """Site-relative URL of the group's listing page."""
        return f"{self.kind}/{self.slug}/"


def site_root(site_url: str) -> str:
    if not site_url:
        raise ValueError("site_url is required for absolute URLs in feeds and the API")
    return site_url.rstrip("/") + "/"


def newest_first(profiles: Iterable[Profile]) -> list[Profile]:
    """Public profiles only (the preview also holds drafts), by `ngay_dang`, newest first."""
    public = [p for p in profiles if p.is_public]
    return sorted(public, key=lambda p: (published_on(p), p.slug), reverse=True)


def profile_groups(profiles: list[Profile], taxonomy: Taxonomy) -> list[ProfileGroup]:
    """Every field, commune and unit of the taxonomy with its profiles, keeping the order of `profiles`.

    A new commune also holds the profiles of the old communes it absorbed, as its listing page does.
    One pass over the profiles: the cost stays linear at thousands of profiles."""
    by_key: dict[tuple[str, str], list[Profile]] = {}
    for profile in profiles:
        keys = [("linh-vuc", profile.field)]
        if profile.commune:
            keys.append(("xa", profile.commune))
            merged_into = taxonomy.communes[profile.commune].merged_into
            if merged_into:
                keys.append(("xa", merged_into))
        if profile.unit:
            keys.append(("don-vi", profile.unit))
        for key in keys:
            by_key.setdefault(key, []).append(profile)
    groups = [ProfileGroup("linh-vuc", f.slug, f.name, by_key.get(("linh-vuc", f.slug), []))
              for f in taxonomy.fields.values()]
    groups += [ProfileGroup("xa", c.slug, c.name, by_key.get(("xa", c.slug), []))
               for c in taxonomy.communes.values()]
    groups += [ProfileGroup("don-vi", u.slug, u.name, by_key.get(("don-vi", u.slug), []))
               for u in taxonomy.units.values()]
    return groups


def rfc3339(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), VN_TIME).isoformat()


def generated_at() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def write_files(files: Mapping[str, bytes | str], site_dir: Path,
                written: dict[str, tuple[bytes | str, bytes]] | None = None) -> None:
    """Write each file (text as UTF-8) under site_dir.

    `written` holds what earlier calls wrote (the content given, and its digest), kept by a live preview
    between rebuilds: a file whose content did not change is not written again (most of them, after one
    profile is edited), and content that is the very object given last time is not even digested."""
    for relative, content in files.items():
        path = site_dir / relative
        previous = written.get(relative) if written is not None else None
        if previous is not None and previous[0] is content:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        if written is not None:
            digest = hashlib.blake2b(data, digest_size=16).digest()
            written[relative] = (content, digest)
            if previous is not None and previous[1] == digest and path.exists():
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
