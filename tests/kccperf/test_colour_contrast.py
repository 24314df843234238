"""WCAG contrast of the portal's status colours, read from their one home (no database).

- 1.4.3: a badge's word against its background, at least 4.5:1.
- 1.4.11 (non-text contrast): colours that can touch (stacked or grouped bar segments, RAG
  markers on a line, heat-map cells) need 3:1 against each other, or a separator between them
  that has 3:1 against each; every mark needs 3:1 against the white page or plot behind it.

The colours are read from ``static/css/*.css`` (custom properties and rules) and from the chart
modules' constants, so changing a colour there is checked here.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest
from coloraide import Color

from kccperf.charts import HOUSE_LAYOUT, SEPARATOR
from kccperf.periods import Quarter
from kpis.charts import (
    FLAG_STYLE,
    RAG_STYLE,
    IndicatorPoint,
    KpiPoint,
    indicator_figure,
    kpi_figure,
)
from kpis.scoring import Rag
from monitoring.charts import DELIVERY_STYLE, QUARTER_STYLE, _quarter_bars, trend_chart
from monitoring.figures import TrendPoint

STATIC = Path(__file__).resolve().parents[2] / "static"
CSS = re.sub(
    r"/\*.*?\*/",
    "",
    "\n".join(p.read_text() for p in sorted(STATIC.rglob("*.css")) if ".min." not in p.name),
    flags=re.S,
)
WHITE = "#ffffff"


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio (relative luminance) of two colours."""
    return Color(a).contrast(Color(b), method="wcag21")


def _variables() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", CSS)
    assert root, "no :root block in static/css"
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root.group(1)))


VARIABLES = _variables()


def _resolve(value: str) -> str:
    value = value.strip()
    var = re.fullmatch(r"var\((--[\w-]+)(?:,[^)]*)?\)", value)
    return VARIABLES[var.group(1)].strip() if var else value


def rules(selector_pattern: str) -> dict[str, dict[str, str]]:
    """{selector: {property: colour}} of the single-selector rules matching the pattern."""
    found: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"([^{}]+?)\s*{([^{}]*)}", CSS):
        selector = selector.strip()
        if re.fullmatch(selector_pattern, selector):
            props = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+)", body))
            found[selector] = {k: _resolve(v) for k, v in props.items()}
    return found


BADGES = {
    s: p
    for s, p in rules(r"\.(rag|status|flag|return-status|task-status)-[\w-]+").items()
    if "background" in p
}
HEAT_CELLS = rules(r"\.heat-[\w]+")


def test_the_css_is_read():
    """The parsing finds what the checks below rely on (not an empty loop)."""
    assert {".rag-green", ".rag-amber", ".rag-red", ".rag-none"} <= BADGES.keys()
    assert {".status-on_track", ".status-remedial", ".status-unlikely"} <= BADGES.keys()
    assert {".flag-above", ".flag-below", ".flag-within"} <= BADGES.keys()
    assert {".task-status-incomplete", ".return-status-draft"} <= BADGES.keys()
    assert {".heat-green", ".heat-amber", ".heat-red", ".heat-none"} <= HEAT_CELLS.keys()
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#00703c", "#b25e00") < 3  # why the separators exist


@pytest.mark.parametrize("selector", sorted(BADGES))
def test_badge_word_against_its_background(selector):
    colours = BADGES[selector]
    assert contrast(colours["color"], colours["background"]) >= 4.5, selector


@pytest.mark.parametrize("selector", sorted(BADGES))
def test_badge_edge_against_the_page(selector):
    """`.badge` draws its border in currentColor: the badge's edge against the white page."""
    assert re.search(r"\.badge\s*{[^}]*border:[^;}]*currentColor", CSS)
    assert contrast(BADGES[selector]["color"], WHITE) >= 3, selector


def test_heat_map_cells_are_separated_by_a_dark_border():
    """Heat-map cells of two levels touch; their pale colours are < 3:1 apart, so each cell has
    a border that has 3:1 against every cell colour."""
    border = re.search(r"\.heatmap th, \.heatmap td\s*{[^}]*border:\s*(\d+)px solid ([^;}]+)", CSS)
    assert border, "heat-map cells lost their border"
    assert int(border.group(1)) >= 1
    colour = _resolve(border.group(2))
    for selector, props in HEAT_CELLS.items():
        assert contrast(colour, props["background"]) >= 3, selector


def test_status_edges_against_the_page():
    """Coloured top and left edges of figures and KPI boxes stand on white."""
    edges = rules(r"\.(figure|kpi-box|rag-figure)-(green|amber|red)")
    edges |= rules(r'\.figures-headline \[data-key="delivery\.\w+"\]')
    assert len(edges) >= 12
    for selector, props in edges.items():
        (colour,) = [v for k, v in props.items() if k.endswith("color")]
        assert contrast(colour, WHITE) >= 3, selector


CHART_STYLES = {
    "RAG": [c for c, _ in RAG_STYLE.values()],
    "flag": [c for c, _ in FLAG_STYLE.values()],
    "delivery": [c for c, _ in DELIVERY_STYLE.values()],
    "quarter": [c for c, _ in QUARTER_STYLE],
}


@pytest.mark.parametrize("group", sorted(CHART_STYLES))
def test_chart_colours_against_the_plot_and_the_separator(group):
    assert HOUSE_LAYOUT["plot_bgcolor"].lower() == WHITE
    assert SEPARATOR["width"] >= 1
    for colour in CHART_STYLES[group]:
        assert contrast(colour, HOUSE_LAYOUT["plot_bgcolor"]) >= 3, (group, colour)
        assert contrast(colour, SEPARATOR["color"]) >= 3, (group, colour)


def test_chart_rag_colours_are_the_css_ones():
    """Green and red are the same colours on the pages' badges and in the charts."""
    assert Color(RAG_STYLE[Rag.GREEN][0]) == Color(VARIABLES["--green"])
    assert Color(RAG_STYLE[Rag.RED][0]) == Color(VARIABLES["--red"])


def _touching_pairs_without_separator(colours: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in itertools.combinations(colours, 2) if contrast(a, b) < 3]


def test_stacked_delivery_bars_have_a_separator():
    """The trend's stacked segments touch: < 3:1 pairs exist, so every segment is outlined."""
    assert _touching_pairs_without_separator(CHART_STYLES["delivery"])
    points = [TrendPoint(Quarter(2019, n), 5, 3, 1) for n in (1, 2)]
    bars = [t for t in trend_chart(points)["figure_json"]["data"] if t["type"] == "bar"]
    assert len(bars) == 3
    for bar in bars:
        assert bar["marker"]["line"] == SEPARATOR


def test_grouped_quarter_bars_have_a_separator():
    assert _touching_pairs_without_separator(CHART_STYLES["quarter"])
    figure = _quarter_bars(["A", "B"], [("Q3", [1, 2]), ("Q2", [2, 1])], "Activities")
    assert len(figure["data"]) == 2
    for bar in figure["data"]:
        assert bar["marker"]["line"] == SEPARATOR


def test_kpi_rag_markers_are_outlined_apart_from_the_result_line():
    """Markers sit on the black result line: amber and red are < 3:1 against it."""
    assert contrast(RAG_STYLE[Rag.RED][0], "#0b0c0c") < 3
    quarters = [Quarter(2019, n) for n in (1, 2, 3)]
    points = [
        KpiPoint(q, Decimal(v), Decimal(10), Decimal(5), rag)
        for q, v, rag in zip(quarters, (12, 7, 3), (Rag.GREEN, Rag.AMBER, Rag.RED), strict=True)
    ]
    markers = [t for t in kpi_figure(points, "Value")["data"] if t.get("mode") == "markers"]
    assert len(markers) == 3
    for trace in markers:
        assert trace["marker"]["line"] == SEPARATOR


def test_indicator_flag_markers_are_outlined():
    points = [
        IndicatorPoint("Q1", Decimal(20), Decimal(5), Decimal(10), None),
        IndicatorPoint("Q2", Decimal(1), Decimal(5), Decimal(10), None),
    ]
    markers = [t for t in indicator_figure(points, "Value")["data"] if t.get("mode") == "markers"]
    assert len(markers) == 2
    for trace in markers:
        assert trace["marker"]["line"] == SEPARATOR
