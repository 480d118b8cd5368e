"""What a page says about itself in its <head>: Open Graph and Twitter card values, and the feeds to
announce (autodiscovery). Plain values; the theme's main.html writes (and escapes) them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.outputs.feeds import ATOM_FILE, ATOM_TYPE, JSON_FEED_FILE, JSON_FEED_TYPE
from generator.portal.groups import published_on
from generator.portal.pages import Page
from generator.portal.photos import PhotoSet, Rendition
from generator.portal.site import Site

DEFAULT_IMAGE = "assets/guong-og.png"
"""theme_overrides/assets/guong-og.png: the site's share image for pages without a photo of their own."""
DEFAULT_IMAGE_SIZE = (1200, 630)


def page_meta(page: Page | None, photos: Mapping[str, PhotoSet], site: Site,
              card: Rendition | None = None) -> dict[str, Any]:
    """`card` is the page's own share card image (portal/card_images.py), when the build made one."""
    root, site_name, site_description = site.root, site.name, site.description
    profile = page.context.get("profile") if page else None
    photo = photos.get(profile.slug) if profile is not None else None
    meta: dict[str, Any] = {
        # The home page's own title ("Trang chủ") says nothing once shared: use the site's name there.
        "title": page.title if page and page.url else site_name,
        "description": (page.description if page else "") or site_description,
        "type": "article" if profile is not None else "website",
        "card": "summary_large_image" if photo or card else "summary",
        "feeds": [
            {"type": ATOM_TYPE, "href": root + ATOM_FILE, "title": f"{site_name} (Atom)"},
            {"type": JSON_FEED_TYPE, "href": root + JSON_FEED_FILE, "title": f"{site_name} (JSON Feed)"},
        ],
    }
    if profile is not None:
        meta["published"] = published_on(profile).isoformat()
    # The page's own card carries its name, field and place; without one, a profile's full rendition (the
    # source photo itself is never published), else the site's card.
    if card is not None:
        alt = f"{profile.name}: {page.context['field'].name}" if profile is not None and page else meta["title"]
        meta.update(image=root + card.uri, image_width=card.width, image_height=card.height,
                    image_type="image/png", image_alt=alt)
    elif profile is not None and photo is not None:
        meta.update(image=root + photo.full.uri, image_width=photo.full.width, image_height=photo.full.height,
                    image_type="image/webp", image_alt=profile.photo_caption or f"Ảnh {profile.name}")
    else:
        meta.update(image=root + DEFAULT_IMAGE, image_width=DEFAULT_IMAGE_SIZE[0],
                    image_height=DEFAULT_IMAGE_SIZE[1], image_type="image/png", image_alt=site_name)
    folder = page.context.get("feed_url") if page else None
    if page is not None and folder:
        heading = page.context.get("heading", page.title)
        meta["feeds"] += [
            {"type": ATOM_TYPE, "href": root + folder + ATOM_FILE, "title": f"{heading} (Atom)"},
            {"type": JSON_FEED_TYPE, "href": root + folder + JSON_FEED_FILE, "title": f"{heading} (JSON Feed)"},
        ]
    return meta
