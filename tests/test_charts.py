"""SVG bar charts for /thong-ke/: well-formed, accessible, escaped, readable on a phone."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest

from generator.portal import charts as charts
from generator.portal.charts import Bar, bar_chart, status_of

SVG = "{http://www.w3.org/2000/svg}"
COMMUNES = ["Ia Tul", "Chư Mố", "Ia Kdăm", "Pờ Tó", "Chư Răng", "Kim Tân", "Ia Broăi", "Ia Trôk", "Ia Mrơn",
            "Ia Ma Rơn", "Ia Pa", "Ia Sao"]
FIELDS = ["Giáo dục, đào tạo", "Y tế, chăm sóc sức khỏe nhân dân",
          "Người dân trong cộng đồng dân cư, chức sắc tôn giáo", "Sản xuất, kinh doanh giỏi, làm giàu chính đáng",
          "Quốc phòng – an ninh, trật tự an toàn xã hội"]
# Content width of a 390 px phone once the page's side padding is taken off.
PHONE_CONTENT_WIDTH = 358


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar-row"]


def value_text(row: ET.Element) -> str:
    node = next(t for t in row.iter(f"{SVG}text") if t.get("class") == "value")
    return "".join(node.itertext())


def label_text(row: ET.Element) -> str:
    node = next(t for t in row.iter(f"{SVG}text") if t.get("class") != "value")
    tspans = list(node.iter(f"{SVG}tspan"))
    return " ".join(t.text or "" for t in tspans) if tspans else node.text or ""


def commune_bars() -> list[Bar]:
    return [Bar(name, value, 5, 7) for name, value in zip(COMMUNES, [8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 5], strict=True)]


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str = "#FFFFFF") -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bar, status",
    [
        (Bar("x", 3), None),
        (Bar("x", 4, 5, 7), "thieu"),
        (Bar("x", 0, 5, 7), "thieu"),
        (Bar("x", 5, 5, 7), "dat"),
        (Bar("x", 7, 5, 7), "dat"),
        (Bar("x", 8, 5, 7), "vuot"),
        (Bar("x", 99, 2), "dat"),  # open-ended: "at least 2" is never exceeded
        (Bar("x", 1, 2), "thieu"),
        (Bar("x", 3, 3, 3), "dat"),
    ],
)
def test_status_of(bar, status):
    assert status_of(bar) == status


@pytest.mark.parametrize(
    "kwargs",
    [dict(value=-1), dict(value=1, quota_max=3), dict(value=1, quota_min=5, quota_max=4), dict(value=1, quota_min=-1),
     dict(value=1, href="javascript:alert(1)"), dict(value=1, href="https://example.com/"),
     dict(value=1, href="//example.com/x")],
)
def test_bar_rejects_invalid_input(kwargs):
    with pytest.raises(ValueError):
        Bar("x", **kwargs)


@pytest.mark.parametrize("chart_id", ["", "1abc", "a b", 'a"b', "a<b"])
def test_chart_id_must_be_a_plain_token(chart_id):
    with pytest.raises(ValueError):
        bar_chart(chart_id, "T", [Bar("x", 1)])


# --- structure and accessibility --------------------------------------------------------------


def test_svg_is_labelled_and_scales_to_its_container():
    root = parse(bar_chart("theo-xa", "Gương điển hình theo xã", commune_bars()))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "theo-xa-title theo-xa-desc"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", root.get("viewBox"))
    assert root.get("preserveAspectRatio")
    assert root.get("font-family") == "inherit"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == ("theo-xa-title", "Gương điển hình theo xã")
    assert desc.get("id") == "theo-xa-desc"
    # <title> must be the first child for it to name the graphic in every browser.
    assert list(root)[0] is title


def test_generated_description_summarises_the_data():
    root = parse(bar_chart("c", "T", commune_bars()))
    desc = root.find(f"{SVG}desc").text
    assert desc == (
        "Biểu đồ thanh: 12 mục, lớn nhất Ia Pa (9). So với chỉ tiêu 5–7: 5 mục chưa đủ, 4 mục đạt, 3 mục vượt."
    )


def test_description_lists_ties_and_all_zero():
    desc = parse(bar_chart("c", "T", [Bar("A", 3), Bar("B", 1), Bar("C", 3)])).find(f"{SVG}desc").text
    assert desc == "Biểu đồ thanh: 3 mục, lớn nhất A và C (3)."
    desc = parse(bar_chart("c", "T", [Bar("A", 0), Bar("B", 0)])).find(f"{SVG}desc").text
    assert desc == "Biểu đồ thanh: 2 mục, tất cả bằng 0."


def test_explicit_description_is_used():
    root = parse(bar_chart("c", "T", commune_bars(), description="Mô tả <riêng> & \"đặc biệt\""))
    assert root.find(f"{SVG}desc").text == 'Mô tả <riêng> & "đặc biệt"'


def test_one_row_per_bar_with_label_and_value():
    bars = commune_bars()
    found = rows(parse(bar_chart("c", "T", bars)))
    assert len(found) == len(bars)
    for bar, row in zip(bars, found, strict=True):
        assert label_text(row) == bar.label
        assert value_text(row).split(" ")[0] == str(bar.value)


def test_zero_value_keeps_its_row_and_prints_zero():
    found = rows(parse(bar_chart("c", "T", [Bar("Không", 0), Bar("Có", 4)])))
    assert [value_text(r) for r in found] == ["0", "4"]
    assert not [r for r in found[0].iter(f"{SVG}rect") if r.get("class") == "bar"]
    bar_rects = [r for r in found[1].iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bar_rects) == 1 and float(bar_rects[0].get("width")) > 0


def test_status_markers_follow_the_value():
    bars = [Bar("a", 2, 5, 7), Bar("b", 6, 5, 7), Bar("c", 9, 5, 7), Bar("d", 9)]
    found = rows(parse(bar_chart("c", "T", bars)))
    assert [value_text(r) for r in found] == ["2 (chưa đủ)", "6 (đạt)", "9 (vượt)", "9"]
    assert [r.get("data-status") for r in found] == ["thieu", "dat", "vuot", None]


def test_bars_are_coloured_by_status():
    bars = [Bar("a", 2, 5, 7), Bar("b", 6, 5, 7), Bar("c", 9, 5, 7), Bar("d", 9)]
    found = rows(parse(bar_chart("c", "T", bars)))
    fills = [next(r.get("fill") for r in row.iter(f"{SVG}rect") if r.get("class") == "bar") for row in found]
    assert fills == [charts.COLOR_UNDER, charts.COLOR_WITHIN, charts.COLOR_OVER, charts.COLOR_NEUTRAL]


def test_quota_band_only_for_bars_with_a_quota():
    bars = [Bar("a", 2, 5, 7), Bar("b", 3), Bar("c", 10, 4)]
    found = rows(parse(bar_chart("c", "T", bars)))
    bands = [[r for r in row.iter(f"{SVG}rect") if r.get("class") == "quota-band"] for row in found]
    assert [len(b) for b in bands] == [1, 0, 1]
    # The band is painted before the bar, i.e. behind it.
    children = [c.get("class") for c in found[0] if c.tag == f"{SVG}rect"]
    assert children.index("quota-band") < children.index("bar")
    # An open-ended quota ("at least 4") runs to the right end of the axis, where the largest value ends.
    open_band = bands[2][0]
    bar_c = next(r for r in found[2].iter(f"{SVG}rect") if r.get("class") == "bar")
    assert float(open_band.get("x")) + float(open_band.get("width")) == pytest.approx(
        float(bar_c.get("x")) + float(bar_c.get("width")), abs=0.2
    )


def test_quota_band_spans_quota_min_to_quota_max():
    # Axis 0..10 (nice max of 9): a 5–7 band covers a fifth of the plot, starting half-way.
    found = rows(parse(bar_chart("c", "T", [Bar("a", 9, 5, 7), Bar("b", 10)])))
    band = next(r for r in found[0].iter(f"{SVG}rect") if r.get("class") == "quota-band")
    full = next(r for r in found[1].iter(f"{SVG}rect") if r.get("class") == "bar")
    x0, width = float(full.get("x")), float(full.get("width"))
    assert float(band.get("x")) == pytest.approx(x0 + width * 0.5, abs=0.2)
    assert float(band.get("width")) == pytest.approx(width * 0.2, abs=0.2)


def test_legend_only_with_quotas():
    with_quota = parse(bar_chart("c", "T", commune_bars()))
    legend = next(g for g in with_quota.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["Khoảng chỉ tiêu (5–7)", "Chưa đủ", "Đạt", "Vượt"]
    without = parse(bar_chart("c", "T", [Bar("a", 1)]))
    assert not [g for g in without.iter(f"{SVG}g") if g.get("class") == "legend"]


@pytest.mark.parametrize(
    "values, ticks",
    [([9], ["0", "2", "4", "6", "8", "10"]), ([7], ["0", "2", "4", "6", "8"]), ([3], ["0", "1", "2", "3"]),
     ([0], ["0", "1"]), ([12], ["0", "5", "10", "15"]), ([57], ["0", "20", "40", "60"])],
)
def test_axis_max_is_a_nice_number(values, ticks):
    root = parse(bar_chart("c", "T", [Bar(str(v), v) for v in values]))
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "axis")
    assert [t.text for t in axis.iter(f"{SVG}text")] == ticks


def test_axis_covers_the_quota_as_well_as_the_values():
    root = parse(bar_chart("c", "T", [Bar("a", 1, 5, 12)]))
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "axis")
    assert int([t.text for t in axis.iter(f"{SVG}text")][-1]) >= 12


# --- escaping, links, text --------------------------------------------------------------------


def test_labels_and_title_are_escaped():
    nasty = 'Hộ "A" <b>&</b>'
    svg = bar_chart("c", 'Tiêu đề <i>&"', [Bar(nasty, 3, 1, 2)])
    assert "<b>" not in svg and "<i>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Tiêu đề <i>&"'
    assert label_text(rows(root)[0]) == nasty
    assert not list(root.iter(f"{SVG}b"))


def test_href_wraps_the_label_and_is_escaped():
    href = '../xa/ia-tul/?a=1&b="2"'
    root = parse(bar_chart("c", "T", [Bar("Ia Tul", 3, href=href), Bar("Ia Pa", 2)]))
    found = rows(root)
    links = list(found[0].iter(f"{SVG}a"))
    assert len(links) == 1 and links[0].get("href") == href
    assert "".join(links[0].itertext()) == "Ia Tul"
    assert not list(found[1].iter(f"{SVG}a"))
    # Links inside role="img" would be hidden from assistive technology, so the chart becomes a group.
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "c-title c-desc"


def test_text_is_nfc_and_free_of_xml_invalid_characters():
    decomposed = unicodedata.normalize("NFD", "Người dân\x01 Ia Mrơn")
    root = parse(bar_chart("c", "T", [Bar(decomposed, 1)]))
    assert label_text(rows(root)[0]) == "Người dân Ia Mrơn"


def test_long_labels_are_kept_whole_and_fit_the_width():
    bars = [Bar(f, i) for i, f in enumerate(FIELDS)]
    root = parse(bar_chart("c", "T", bars))
    width = float(root.get("viewBox").split()[2])
    for bar, row in zip(bars, rows(root), strict=True):
        assert label_text(row) == bar.label
        node = next(t for t in row.iter(f"{SVG}text") if t.get("class") != "value")
        lines = [t.text for t in node.iter(f"{SVG}tspan")] or [node.text]
        for line in lines:
            assert float(node.get("x")) + charts._text_width(line, float(node.get("font-size"))) <= width
    # The longest one cannot fit on a phone-width line, so it wraps instead of being cut.
    longest = rows(root)[2]
    assert len(list(longest.iter(f"{SVG}tspan"))) >= 2


def test_value_texts_fit_inside_the_view_box():
    bars = [Bar("a", 1234, 5, 7), Bar("b", 0, 5, 7)]
    root = parse(bar_chart("c", "T", bars))
    width = float(root.get("viewBox").split()[2])
    for row in rows(root):
        node = next(t for t in row.iter(f"{SVG}text") if t.get("class") == "value")
        assert float(node.get("x")) + charts._text_width(value_text(row), float(node.get("font-size"))) <= width
    assert value_text(rows(root)[0]) == "1.234 (vượt)"


def test_text_is_at_least_12px_on_a_phone():
    root = parse(bar_chart("c", "T", commune_bars()))
    scale = PHONE_CONTENT_WIDTH / float(root.get("viewBox").split()[2])
    sizes = {float(e.get("font-size")) for e in root.iter() if e.get("font-size")}
    assert sizes and min(sizes) * scale >= 12


# --- colours ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["COLOR_UNDER", "COLOR_WITHIN", "COLOR_OVER", "COLOR_NEUTRAL", "COLOR_QUOTA_EDGE"])
def test_graphics_have_3_to_1_contrast_on_white(name):
    assert contrast(getattr(charts, name)) >= 3


@pytest.mark.parametrize("name", ["COLOR_TEXT", "COLOR_MUTED_TEXT", "COLOR_LINK"])
def test_text_has_4_5_to_1_contrast_on_white_and_on_the_band(name):
    assert contrast(getattr(charts, name)) >= 4.5
    assert contrast(getattr(charts, name), charts.COLOR_QUOTA_BAND) >= 4.5


def test_status_colours_are_distinct_and_exported():
    assert set(charts.STATUS_COLORS) == {"thieu", "dat", "vuot"}
    assert len({*charts.STATUS_COLORS.values(), charts.COLOR_NEUTRAL}) == 4
    assert charts.STATUS_MARKERS == {"thieu": "chưa đủ", "dat": "đạt", "vuot": "vượt"}


def test_every_colour_used_is_a_module_constant():
    root = parse(bar_chart("c", "T", commune_bars() + [Bar("x", 2, href="a/")]))
    used = {e.get(attr) for e in root.iter() for attr in ("fill", "stroke") if e.get(attr)}
    constants = {v for k, v in vars(charts).items() if k.startswith("COLOR_")}
    assert used <= constants


# --- safety and determinism -------------------------------------------------------------------


def test_no_script_event_handlers_inline_styles_or_external_references():
    svg = bar_chart("c", "T", commune_bars() + [Bar("x", 2, href="../a/")])
    root = parse(svg)
    for element in root.iter():
        assert element.tag not in {f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject", f"{SVG}image", f"{SVG}use"}
        for attr, value in element.attrib.items():
            assert not attr.lower().startswith("on")
            assert attr != "style"
            assert "url(" not in value
            if attr.endswith("href"):
                assert not re.match(r"[a-z][a-z0-9+.-]*:|//", value, re.I)
    assert "xlink" not in svg


def test_empty_list_says_no_data():
    svg = bar_chart("rong", "Theo xã", [])
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "rong-title rong-desc"
    assert root.find(f"{SVG}title").text == "Theo xã"
    assert "Chưa có dữ liệu." in "".join(root.itertext())
    assert not rows(root)


def test_output_is_deterministic():
    bars = commune_bars() + [Bar(f, 3) for f in FIELDS]
    assert bar_chart("c", "T", bars) == bar_chart("c", "T", list(bars))
    assert bar_chart("c", "T", []) == bar_chart("c", "T", [])
