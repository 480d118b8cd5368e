"""The site search index, built with Pagefind from the content model — not from the rendered pages.

Indexing one small document per public profile means only the profile's own words are searchable
(never the navigation, the footer or "huyện Ia Pa" repeated on every page), drafts cannot leak into the
index, and the name can weigh more than the story. Pagefind folds tone marks and ơ/ư/ă/â/ê/ô itself but
not đ, so each document also carries its đ-words spelt with d ("Đức" → "Duc"): "dinh van duc" then finds
"Đinh Văn Đức", while a query typed with đ still ranks the exact spelling first.
"""

from __future__ import annotations

import asyncio
import html
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from markdown import Markdown

from .images import PhotoSet
from .model import Profile
from .portal import Portal, profile_url, published_on
from .render import sanitize_story
from .taxonomy import KINDS, STAGES, Taxonomy
from .text import nfc

INDEX_FOLDER = "pagefind"
# Filter names as shown to citizens; the search page keeps them in the URL under these slugs.
FILTERS = {
    "linh-vuc": "Lĩnh vực",
    "xa": "Xã",
    "don-vi": "Đơn vị",
    "nam": "Năm",
    "loai": "Loại",
    "phong-trao": "Phong trào",
    "giai-doan": "Giai đoạn",
}
_D_WORD = re.compile(r"\w*[đĐ]\w*")


@dataclass(frozen=True)
class SearchDocument:
    url: str
    """Site-root-relative URL ("/guong/<slug>/"); the search page adds the site's base path."""
    html: str


def search_filters(profile: Profile, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Filter values of a profile. An old commune's profile is also under the new commune it merged
    into, so choosing a new commune includes the old communes it absorbed."""
    communes: list[str] = []
    if profile.commune:
        commune = taxonomy.communes[profile.commune]
        communes.append(commune.name)
        if commune.merged_into:
            communes.append(taxonomy.communes[commune.merged_into].name)
    return {
        FILTERS["linh-vuc"]: [taxonomy.fields[profile.field].name],
        FILTERS["xa"]: communes,
        FILTERS["don-vi"]: [taxonomy.units[profile.unit].name] if profile.unit else [],
        FILTERS["nam"]: [str(profile.year)],
        FILTERS["loai"]: [KINDS[profile.kind]],
        FILTERS["phong-trao"]: [taxonomy.movements[m].name for m in profile.movements],
        FILTERS["giai-doan"]: [STAGES[profile.stage]] if profile.stage else [],
    }


def _d_folded(text: str) -> str:
    words = {word.replace("đ", "d").replace("Đ", "D") for word in _D_WORD.findall(text)}
    return " ".join(sorted(words))


def search_documents(portal: Portal, taxonomy: Taxonomy, photos: Mapping[str, PhotoSet]) -> list[SearchDocument]:
    markdown = Markdown(extensions=["tables"])
    documents = []
    for profile in portal.profiles:
        if not profile.is_public:  # the preview shows drafts; the index never holds them
            continue
        story_html = sanitize_story(markdown.reset().convert(profile.body))
        e = html.escape
        place = taxonomy.communes[profile.commune].name if profile.commune else taxonomy.units[profile.unit].name
        photo = photos.get(profile.slug)
        filters = "".join(
            f'<span data-pagefind-filter="{e(name)}">{e(value)}</span>'
            for name, values in search_filters(profile, taxonomy).items() for value in values
        )
        meta = {
            "title": profile.name,
            "summary": profile.summary,
            "place": place,
            "field": taxonomy.fields[profile.field].name,
            "year": str(profile.year),
        }
        if photo:
            # Pagefind's UI resolves the image against the result's URL: relative, it works under a sub-path.
            meta["image"] = "../../" + photo.thumb.uri
            meta["image_alt"] = ""
        meta_html = "".join(f'<span data-pagefind-meta="{key}">{e(value)}</span>' for key, value in meta.items())
        extras = " ".join(filter(None, (profile.village, profile.model_name, profile.role, *profile.keywords)))
        document = (
            '<html lang="vi"><body>'
            f"<div>{filters}{meta_html}"
            f'<span data-pagefind-sort="ngay">{published_on(profile).isoformat()}</span></div>'
            "<main data-pagefind-body>"
            f'<h1 data-pagefind-weight="10">{e(profile.name)}</h1>'
            f'<p data-pagefind-weight="8">{e(_d_folded(profile.name))}</p>'
            f'<p data-pagefind-weight="3">{e(profile.summary)}</p>'
            f'<p data-pagefind-weight="2">{e(extras)}</p>'
            f"<div>{story_html}</div>"
            f'<p data-pagefind-weight="0.5">{e(_d_folded(profile.summary + " " + profile.body))}</p>'
            "</main></body></html>"
        )
        documents.append(SearchDocument("/" + profile_url(profile), nfc(document)))
    return documents


def write_search_index(documents: list[SearchDocument], site_dir: Path) -> None:
    """Write the Pagefind bundle into site_dir/pagefind/ (replacing any older one)."""
    # Pagefind's Python API is async. Its own thread gives it a fresh event loop even when the caller
    # already runs one (a test driving Playwright, an embedding server).
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, _write(documents, site_dir / INDEX_FOLDER)).result()


async def _write(documents: list[SearchDocument], output: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    # Leaving the context writes the bundle to output_path (and only there).
    async with PagefindIndex(IndexConfig(force_language="vi", output_path=str(output))) as index:
        for document in documents:
            await index.add_html_file(url=document.url, content=document.html)
