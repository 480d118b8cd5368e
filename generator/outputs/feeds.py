"""Atom (RFC 4287) and JSON Feed 1.1 feeds of the published profiles: one pair for the whole site, one pair
for each group (portal/groups.py: field, commune, district level, unit, year, movement) that has published
profiles.

Atom is written from fixed templates whose every value goes through the standard library's XML escaping
(xml.sax.saxutils), not with feedgen: a feed here is a dozen elements, feedgen would add lxml and
python-dateutil to every build, and it cannot reuse an entry's text. Each entry is serialised once and
that text goes into every feed that lists it (the site's and each of its groups'), where building an
ElementTree per entry per feed cost more than all the rest of the feeds together. JSON Feed is json.dumps,
each item likewise serialised once. The tests validate both against the RFC 4287 schema and the JSON Feed
1.1 spec.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from generator.content.model import Profile
from generator.content.taxonomy import Taxonomy
from generator.outputs.common import PUBLISHER, generated_at, rfc3339
from generator.outputs.kept_pieces import ProfileMemo
from generator.portal.groups import published_on
from generator.portal.pages import Portal, profile_url
from generator.portal.photos import PhotoSet
from generator.portal.site import Site

SITE_FEED_LIMIT = 50
"""The site-wide feeds hold the latest 50 profiles; a group's feeds hold all of its profiles."""
ATOM_FILE = "feed.xml"
JSON_FEED_FILE = "feed.json"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
PHOTO_TYPE = "image/webp"
_ATOM_NS = "http://www.w3.org/2005/Atom"


def feed_files(portal: Portal, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet], site: Site, *,
               memo: ProfileMemo | None = None) -> dict[str, bytes]:
    """{site-relative path: file content} for every feed: the site's, and each group's that has
    published profiles. `memo`: entries and feeds kept from an earlier call."""
    root, title = site.root, site.name
    profiles = portal.newest
    memo = memo if memo is not None else ProfileMemo()
    entries = _Entries(taxonomy, photos, root, memo)
    files: dict[str, bytes] = {}

    def add(folder: str, feed_title: str, feed_subtitle: str, listed: list[Profile]) -> None:
        key = (folder, feed_title, feed_subtitle)
        files[folder + ATOM_FILE] = memo.get_list((ATOM_FILE, *key), listed, photos,
                                                  lambda: entries.atom_feed(folder, feed_title, feed_subtitle, listed))
        files[folder + JSON_FEED_FILE] = memo.get_list((JSON_FEED_FILE, *key), listed, photos,
                                                       lambda: entries.json_feed(folder, feed_title, feed_subtitle,
                                                                                 listed))

    add("", title, site.description, profiles[:SITE_FEED_LIMIT])
    for group in portal.groups:
        if group.newest:
            add(group.url, f"{title} — {group.title}", f"{group.kind_name}: {group.title}", group.newest)
    return files


class _Entries:
    """Builds each profile's Atom entry and JSON Feed item once, on first use (or takes them from the memo)."""

    def __init__(self, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet], root: str, memo: ProfileMemo) -> None:
        self.taxonomy = taxonomy
        self.photos = photos
        self.root = root
        self.memo = memo
        self._updated = rfc3339(generated_at().date())

    def _tags(self, profile: Profile) -> list[tuple[str, str, str]]:
        """(scheme folder, slug, name) of the profile's field, commune and unit."""
        tags = [("linh-vuc", profile.field, self.taxonomy.fields[profile.field].name)]
        if profile.commune:
            tags.append(("xa", profile.commune, self.taxonomy.communes[profile.commune].name))
        if profile.unit:
            tags.append(("don-vi", profile.unit, self.taxonomy.units[profile.unit].name))
        return tags

    def atom_entry(self, profile: Profile) -> str:
        return self.memo.get("atom", profile, self.photos.get(profile.slug), self._atom_entry)

    def _atom_entry(self, profile: Profile) -> str:
        url = quoteattr(self.root + profile_url(profile))
        date = rfc3339(published_on(profile))
        parts = [f"<entry><id>{escape(self.root + profile_url(profile))}</id><title>{escape(profile.name)}</title>"
                 f'<link rel="alternate" type="text/html" href={url}/>']
        photo = self.photos.get(profile.slug)
        if photo is not None:
            parts.append(f'<link rel="enclosure" type="{PHOTO_TYPE}" href={quoteattr(self.root + photo.full.uri)} '
                         f'length="{photo.full.path.stat().st_size}"/>')
        parts.append(f'<published>{date}</published><updated>{date}</updated>'
                     f'<summary type="text">{escape(profile.summary)}</summary>'
                     # Repeated from the feed: many readers (feedparser among them) do not inherit it.
                     f"<author><name>{escape(PUBLISHER)}</name></author>")
        for scheme, slug, name in self._tags(profile):
            parts.append(f"<category term={quoteattr(slug)} label={quoteattr(name)} "
                         f"scheme={quoteattr(self.root + scheme + '/')}/>")
        parts.append("</entry>\n")
        return "".join(parts)

    def json_item(self, profile: Profile) -> str:
        return self.memo.get("json", profile, self.photos.get(profile.slug), self._json_item)

    def _json_item(self, profile: Profile) -> str:
        url = self.root + profile_url(profile)
        date = rfc3339(published_on(profile))
        item: dict[str, object] = {
            "id": url,
            "url": url,
            "title": profile.name,
            "summary": profile.summary,
            "content_text": profile.summary,
        }
        photo = self.photos.get(profile.slug)
        if photo is not None:
            item["image"] = self.root + photo.full.uri
        item.update(date_published=date, date_modified=date, authors=[{"name": PUBLISHER}],
                    tags=[name for _, _, name in self._tags(profile)])
        return json.dumps(item, ensure_ascii=False)

    def atom_feed(self, folder: str, title: str, subtitle: str, profiles: list[Profile]) -> bytes:
        here = self.root + folder
        # The newest entry's date keeps the feed byte-identical between builds of the same content.
        updated = rfc3339(published_on(profiles[0])) if profiles else self._updated
        head = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="{_ATOM_NS}" xml:lang="vi">\n'
            f"<id>{escape(here + ATOM_FILE)}</id>\n"
            f'<title type="text">{escape(title)}</title>\n'
            f'<subtitle type="text">{escape(subtitle)}</subtitle>\n'
            f'<link rel="self" type="{ATOM_TYPE}" href={quoteattr(here + ATOM_FILE)}/>\n'
            f'<link rel="alternate" type="text/html" href={quoteattr(here)}/>\n'
            f'<link rel="alternate" type="{JSON_FEED_TYPE}" href={quoteattr(here + JSON_FEED_FILE)}/>\n'
            f"<updated>{updated}</updated>\n"
            f"<author><name>{escape(PUBLISHER)}</name><uri>{escape(self.root)}</uri></author>\n"
        )
        return "".join([head, *(self.atom_entry(p) for p in profiles), "</feed>\n"]).encode("utf-8")

    def json_feed(self, folder: str, title: str, subtitle: str, profiles: list[Profile]) -> bytes:
        head = {
            "version": JSON_FEED_VERSION,
            "title": title,
            "home_page_url": self.root + folder,
            "feed_url": self.root + folder + JSON_FEED_FILE,
            "description": subtitle,
            "language": "vi",
            "authors": [{"name": PUBLISHER, "url": self.root}],
        }
        opening = json.dumps(head, ensure_ascii=False)[:-1]  # reopen the object to append "items"
        items = ",".join(self.json_item(p) for p in profiles)
        return f'{opening}, "items": [{items}]}}\n'.encode()
