"""The preview pane: a profile as the portal will show it, made by the portal's own page builder and body
template, with the story rendered by the Markdown extensions mkdocs.yml configures. The pane loads the
portal's stylesheets and fonts (see server.py), so it looks as the public page does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
import yaml
from PIL import Image

from generator.content.collection import Collection
from generator.content.model import Profile
from generator.content.taxonomy import Taxonomy
from generator.portal.pages import build_portal, profile_url
from generator.portal.photos import PhotoSet, Rendition
from generator.portal.render import BodyRenderer
from generator.portal.site import Site

PHOTO_ROUTE = "xem-truoc/anh/"
"""Where the server serves content/anh/ for the preview (the published site has derivatives instead)."""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: its `!ENV [NAME, default]` tags become their default."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: (
    loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None))


def read_site_config(config_file: Path) -> dict[str, Any]:
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _markdown_extensions(config: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    names: list[str] = []
    options: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, settings in item.items():
                names.append(name)
                options[name] = settings or {}
    return names, options


class ProfilePreview:
    def __init__(self, taxonomy: Taxonomy, content_root: Path, config_file: Path, theme_dir: Path | None) -> None:
        self.taxonomy = taxonomy
        self.content_root = content_root
        config = read_site_config(config_file)
        self.site = Site(str(config.get("site_name") or "Gương sáng Ia Pa"), str(config.get("site_description") or ""),
                         str(config.get("site_url") or "/"))
        self.extensions = _markdown_extensions(config)
        self.renderer = BodyRenderer(taxonomy, self.site, theme_dir if theme_dir and theme_dir.is_dir() else None)

    def story_html(self, story: str) -> str:
        names, options = self.extensions
        return markdown.markdown(story, extensions=names, extension_configs=options)

    def _photos(self, profile: Profile) -> dict[str, PhotoSet]:
        if not profile.photo:
            return {}
        source = self.content_root / profile.photo
        try:
            with Image.open(source) as image:
                width, height = image.size
        except OSError:
            return {}
        rendition = Rendition(PHOTO_ROUTE + Path(profile.photo).name, source, width, height)
        return {profile.slug: PhotoSet(rendition, rendition, rendition)}

    def html(self, profile: Profile) -> str:
        portal = build_portal(Collection(self.content_root, self.taxonomy, profiles=[profile]), include_drafts=True)
        page = portal.pages[profile_url(profile)]
        return self.renderer.render(page, story_html=self.story_html(page.story or ""), photos=self._photos(profile))
