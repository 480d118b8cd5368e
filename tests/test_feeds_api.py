"""Feeds (Atom, JSON Feed 1.1), the JSON API, share metadata and the sitemap of a real build, checked with
real validators: feedparser, the RFC 4287 RELAX NG grammar (lxml), the JSON Feed 1.1 spec as a JSON Schema,
and the API's own published JSON Schemas (jsonschema, with format checks)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree, html
from PIL import Image
from referencing import Registry, Resource

from conftest import CONTENT, SITE
from generator.content.collection import load_collection
from generator.outputs.api import API_VERSION, api_files
from generator.outputs.feeds import SITE_FEED_LIMIT, feed_files
from generator.portal.groups import published_on
from generator.portal.pages import build_portal
from generator.portal.site import Site

TESTS = Path(__file__).resolve().parent
ATOM = "{http://www.w3.org/2005/Atom}"
PRIVATE_KEYS = ("dong_y_cong_khai", "dong_y_nguoi_giam_ho", "tre_em", "trang_thai")


@pytest.fixture(scope="module")
def samples(taxonomy):
    return load_collection(CONTENT, taxonomy)


@pytest.fixture(scope="module")
def public(samples):
    return sorted(samples.public_profiles, key=lambda p: (published_on(p), p.slug), reverse=True)


@pytest.fixture(scope="module")
def drafts(samples):
    hidden = [p for p in samples.profiles if not p.is_public]
    assert len(hidden) >= 5  # the samples ship drafts and profiles without consent
    return hidden


@pytest.fixture(scope="module")
def root(built_site) -> str:
    """The site_url the build used, read from the site feed's self link."""
    tree = ET.parse(built_site / "feed.xml")
    href = next(link.get("href") for link in tree.getroot().iter(f"{ATOM}link") if link.get("rel") == "self")
    assert href.endswith("/feed.xml")
    return href.removesuffix("feed.xml")


def local_path(built_site: Path, root: str, url: str) -> Path:
    """The output file an absolute site URL is served from."""
    assert url.startswith(root), url
    path = built_site / urlsplit(url[len(root):]).path
    return path / "index.html" if url.endswith("/") else path


def groups_with_public(public, taxonomy) -> dict[str, set[str]]:
    """'kind/slug/' → slugs of the public profiles its listing (and feeds) hold."""
    groups: dict[str, set[str]] = {}
    for p in public:
        keys = [f"linh-vuc/{p.field}/"]
        if p.commune:
            keys.append(f"xa/{p.commune}/")
            if taxonomy.communes[p.commune].merged_into:
                keys.append(f"xa/{taxonomy.communes[p.commune].merged_into}/")
        else:
            keys.append("xa/cap-huyen/")  # the district level: a unit's profile tied to no commune
        if p.unit:
            keys.append(f"don-vi/{p.unit}/")
        keys.append(f"nam/{p.year}/")
        keys += [f"phong-trao/{m}/" for m in p.movements]
        for key in keys:
            groups.setdefault(key, set()).add(p.slug)
    return groups


def _slug(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


# -- feeds -------------------------------------------------------------------------------------------

def test_every_atom_feed_is_valid_rfc4287(built_site):
    grammar = etree.RelaxNG(etree.parse(str(TESTS / "atom-rfc4287.rng")))
    feeds = sorted(built_site.rglob("feed.xml"))
    assert len(feeds) > 10
    for path in feeds:
        document = etree.parse(str(path))
        assert grammar.validate(document), f"{path.relative_to(built_site)}: {grammar.error_log}"
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.relative_to(built_site)}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"
        # The RFC's Schematron rules that RELAX NG cannot say: an author on the feed (or every entry), and
        # an alternate link on every entry without content.
        feed = document.getroot()
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None
        for entry in feed.iter(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}content") is not None or any(
                link.get("rel") == "alternate" for link in entry.iter(f"{ATOM}link"))


def test_every_json_feed_is_valid_json_feed_1_1(built_site):
    schema = json.loads((TESTS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    feeds = sorted(built_site.rglob("feed.json"))
    assert len(feeds) == len(list(built_site.rglob("feed.xml")))
    for path in feeds:
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path.relative_to(built_site)
        ids = [item["id"] for item in data["items"]]
        assert len(ids) == len(set(ids))  # (feedparser 6 reads no JSON Feed: the spec's schema is the check)


def test_site_feed_holds_the_latest_published_profiles_newest_first(built_site, root, public):
    expected = [root + f"guong/{p.slug}/" for p in public[:SITE_FEED_LIMIT]]
    atom = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert [entry.link for entry in atom.entries] == expected
    json_feed = json.loads((built_site / "feed.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in json_feed["items"]] == expected
    for entry, profile in zip(atom.entries, public[:SITE_FEED_LIMIT], strict=True):
        assert entry.title == profile.name
        assert entry.summary == profile.summary
        assert entry.published.startswith(published_on(profile).isoformat())
        assert entry.author == "Trung tâm Văn hóa, Thông tin và Thể thao huyện Ia Pa"
        assert local_path(built_site, root, entry.link).is_file()
    for item in json_feed["items"]:
        assert item["authors"] == [{"name": "Trung tâm Văn hóa, Thông tin và Thể thao huyện Ia Pa"}]


def test_photos_are_enclosures_with_type_and_length_and_json_images(built_site, root, public):
    atom = feedparser.parse((built_site / "feed.xml").read_bytes())
    json_items = {item["url"]: item for item in json.loads((built_site / "feed.json").read_bytes())["items"]}
    with_photo = [p for p in public[:SITE_FEED_LIMIT] if p.photo]
    assert with_photo
    for entry in atom.entries:
        enclosures = [link for link in entry.links if link.rel == "enclosure"]
        profile = next(p for p in public if entry.link.endswith(f"/guong/{p.slug}/"))
        assert len(enclosures) == (1 if profile.photo else 0)
        if enclosures:
            photo = local_path(built_site, root, enclosures[0].href)
            assert enclosures[0].type == "image/webp"
            assert int(enclosures[0].length) == photo.stat().st_size
            assert json_items[entry.link]["image"] == enclosures[0].href
        else:
            assert "image" not in json_items[entry.link]


def test_group_feeds_exist_for_every_group_with_published_profiles(built_site, root, public, taxonomy):
    expected = groups_with_public(public, taxonomy)
    assert any(key.startswith("xa/") and key.removeprefix("xa/").rstrip("/").endswith("-2025") for key in expected)
    feed_folders = {path.parent.relative_to(built_site).as_posix() + "/" for path in built_site.rglob("feed.xml")}
    assert feed_folders - {"./"} == set(expected)
    for folder, slugs in expected.items():
        atom = feedparser.parse((built_site / folder / "feed.xml").read_bytes())
        assert {_slug(e.link) for e in atom.entries} == slugs, folder  # new communes include absorbed ones
        dates = [e.published for e in atom.entries]
        assert dates == sorted(dates, reverse=True)
        json_feed = json.loads((built_site / folder / "feed.json").read_text(encoding="utf-8"))
        assert {_slug(item["url"]) for item in json_feed["items"]} == slugs
        assert json_feed["home_page_url"] == root + folder


def test_feeds_escape_what_editors_write(content, taxonomy):
    content("bo-mia", front="""\
        ten: Tổ hợp tác "Bò & Mía" <Plei Hek>
        loai: tap-the
        linh_vuc: san-xuat-kinh-doanh
        xa: po-to
        nam: 2024
        tom_tat: Hồ sơ kiểm thử, hư cấu. Mười hai hộ nuôi bò & trồng mía; lợi nhuận > 10%.
        trang_thai: xuat-ban
        """)
    portal = build_portal(load_collection(content.root, taxonomy))
    files = feed_files(portal, taxonomy, {}, Site(SITE.name, SITE.description, "https://example.org/guong-sang/"))
    feed = etree.fromstring(files["feed.xml"])
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == 'Tổ hợp tác "Bò & Mía" <Plei Hek>'
    assert json.loads(files["feed.json"])["items"][0]["title"] == 'Tổ hợp tác "Bò & Mía" <Plei Hek>'
    assert feed.find(f"{ATOM}link").get("href") == "https://example.org/guong-sang/feed.xml"


def test_the_preview_never_puts_drafts_in_feeds_or_the_api(samples, taxonomy, drafts):
    portal = build_portal(samples, include_drafts=True)
    assert any(not p.is_public for p in portal.profiles)
    files = {**feed_files(portal, taxonomy, {}, SITE),
             **api_files(portal, taxonomy, {}, SITE)}
    for name, data in files.items():
        text = data.decode("utf-8")
        for draft in drafts:
            assert f"/guong/{draft.slug}/" not in text and draft.name not in text, (name, draft.slug)


# -- API ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api_validators(built_site):
    """Validators for the published schemas, loaded from the built site; their $ids resolve to each other."""
    schemas = {path.name: json.loads(path.read_text(encoding="utf-8"))
               for path in (built_site / "api" / "schema" / "v1").glob("*.json")}
    assert set(schemas) == {"guong.json", "nhom.json", "ho-so.json"}
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    return {name: Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
            for name, schema in schemas.items()}


def _errors(validator, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_api_lists_every_published_profile_in_its_documented_shape(built_site, root, public, api_validators):
    data = json.loads((built_site / "api" / "guong.json").read_text(encoding="utf-8"))
    assert _errors(api_validators["guong.json"], data) == []
    assert data["phien_ban"] == API_VERSION
    assert dt.datetime.fromisoformat(data["tao_luc"].replace("Z", "+00:00"))
    assert data["so_luong"] == len(data["guong"]) == len(public)
    assert [g["slug"] for g in data["guong"]] == [p.slug for p in public]
    by_slug = {g["slug"]: g for g in data["guong"]}
    for profile in public:
        record = by_slug[profile.slug]
        assert record["ten"] == profile.name and record["tom_tat"] == profile.summary
        assert record["ngay_dang"] == published_on(profile).isoformat()
        assert local_path(built_site, root, record["url"]).is_file()
        assert not any(key in record for key in PRIVATE_KEYS)
        if profile.photo:
            for role in ("day_du", "thu_nho", "thu_nho_2x"):
                rendition = record["anh"][role]
                with Image.open(local_path(built_site, root, rendition["url"])) as image:
                    assert image.size == (rendition["rong"], rendition["cao"])
        else:
            assert record["anh"] is None


def test_api_commune_carries_its_new_commune_with_gso_codes(built_site):
    data = json.loads((built_site / "api" / "guong.json").read_text(encoding="utf-8"))
    old = next(g for g in data["guong"] if g["xa"] and g["xa"]["slug"] == "po-to")
    assert old["xa"]["ma_gso"] == "24013"
    assert old["xa"]["xa_moi"]["slug"] == "po-to-2025" and old["xa"]["xa_moi"]["ma_gso"] == "24013"


def test_api_group_files_exist_for_every_group(built_site, public, taxonomy, api_validators):
    expected = groups_with_public(public, taxonomy)
    slugs = {"linh-vuc": set(taxonomy.fields), "xa": {*taxonomy.communes, "cap-huyen"}, "don-vi": set(taxonomy.units),
             "nam": {str(p.year) for p in public}, "phong-trao": set(taxonomy.movements)}
    for kind, members in slugs.items():
        files = {path.stem for path in (built_site / "api" / kind).glob("*.json")}
        assert files == set(members), kind
        for slug in members:
            data = json.loads((built_site / "api" / kind / f"{slug}.json").read_text(encoding="utf-8"))
            assert _errors(api_validators["nhom.json"], data) == [], f"{kind}/{slug}"
            assert data["nhom"]["kieu"] == kind and data["nhom"]["slug"] == slug
            assert {g["slug"] for g in data["guong"]} == expected.get(f"{kind}/{slug}/", set())
            assert data["so_luong"] == len(data["guong"])


def test_no_draft_or_consentless_profile_in_any_feed_or_api_file(built_site, drafts):
    files = [*built_site.rglob("feed.xml"), *built_site.rglob("feed.json"), *(built_site / "api").rglob("*.json")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for draft in drafts:
            assert draft.slug not in text and draft.name not in text, f"{draft.slug} in {path.relative_to(built_site)}"
        for key in PRIVATE_KEYS:
            assert f'"{key}"' not in text or path.parent.name == "v1", f"{key} in {path.relative_to(built_site)}"


# -- page metadata -----------------------------------------------------------------------------------

def _pages(built_site: Path):
    for path in sorted(built_site.rglob("index.html")):
        relative = path.relative_to(built_site).as_posix()
        if not relative.startswith(("nhung/", "pagefind/")):
            yield relative.removesuffix("index.html"), html.parse(str(path)).getroot()


def _meta(head, attribute: str, name: str) -> list[str]:
    return [m.get("content") for m in head.iter("meta") if m.get(attribute) == name]


def test_every_page_has_open_graph_and_twitter_metadata(built_site, root, public, taxonomy):
    # Every public profile and every listing with published profiles (all its pages) has its own share
    # card (portal/card_images.py); other pages share the site's.
    groups = groups_with_public(public, taxonomy)
    profiles = {f"guong/{p.slug}/" for p in public}

    def has_card(url: str) -> bool:
        return url in profiles or any(url == g or url.startswith(g + "trang/") for g in groups)

    count = 0
    for url, document in _pages(built_site):
        head = document.find("head")
        count += 1
        og = {name: _meta(head, "property", f"og:{name}") for name in ("title", "image", "locale", "url", "type")}
        assert all(len(values) == 1 and values[0] for values in og.values()), (url, og)
        assert og["locale"] == ["vi_VN"]
        canonical = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
        assert canonical == [root + url] == og["url"], url  # Material's canonical link, once
        assert local_path(built_site, root, og["image"][0]).is_file(), url
        assert og["type"] == (["article"] if url.startswith("guong/") else ["website"]), url
        card = _meta(head, "name", "twitter:card")
        assert card == (["summary_large_image"] if has_card(url) else ["summary"]), url
        if has_card(url):
            assert "/anh-chia-se/" in og["image"][0] and og["image"][0].endswith(".png"), url
        else:
            assert og["image"] == [root + "assets/guong-og.png"], url
    assert count > len(public)


def test_profile_metadata_is_escaped_once(built_site):
    head = html.parse(str(built_site / "guong" / "ksor-h-blin" / "index.html")).getroot().find("head")
    assert _meta(head, "property", "og:title") == ["Ksor H'Blin"]


def test_feed_autodiscovery_links_point_to_existing_feeds(built_site, root, public, taxonomy):
    groups = groups_with_public(public, taxonomy)
    for url, document in _pages(built_site):
        alternates = [link for link in document.find("head").iter("link") if "alternate" in link.get("rel").split()]
        # Never exactly "alternate": Material would fetch a sitemap.xml beside each feed (see main.html).
        assert all(link.get("rel") != "alternate" for link in alternates), url
        links = {(link.get("type"), link.get("href")) for link in alternates}
        expected = {("application/atom+xml", root + "feed.xml"), ("application/feed+json", root + "feed.json")}
        group = next((g for g in groups if url == g or url.startswith(g + "trang/")), None)
        if group:
            expected |= {("application/atom+xml", f"{root}{group}feed.xml"),
                         ("application/feed+json", f"{root}{group}feed.json")}
        assert links == expected, url
        for _, href in links:
            assert local_path(built_site, root, href).is_file(), (url, href)


# -- sitemap -----------------------------------------------------------------------------------------

def test_sitemap_lists_only_public_html_pages(built_site, root, drafts):
    tree = ET.parse(built_site / "sitemap.xml")
    locations = [loc.text for loc in tree.getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations and len(locations) == len(set(locations))
    for location in locations:
        assert location.endswith("/") and local_path(built_site, root, location).is_file(), location
        assert not location.startswith((root + "nhung/", root + "api/")), location
    draft_urls = {f"{root}guong/{d.slug}/" for d in drafts}
    assert not draft_urls & set(locations)
    assert {root + "feed.xml", root + "api/guong.json"}.isdisjoint(locations)
