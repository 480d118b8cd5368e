"""What the site says about itself, from mkdocs.yml (or whatever configures another engine)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    name: str
    """`site_name`: in feeds, embeds, share cards and page titles."""
    description: str
    """`site_description`: the site feed's subtitle and the share card of pages without their own."""
    url: str
    """`site_url`, the public address: feeds, the API and share cards need absolute URLs."""

    @property
    def root(self) -> str:
        """The public address ending in "/"."""
        if not self.url:
            raise ValueError("site_url is required for absolute URLs in feeds and the API")
        return self.url.rstrip("/") + "/"
