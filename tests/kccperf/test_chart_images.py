"""The static chart renderer (kccperf.chart_images): real pictures of a real chart through
Kaleido and Debian's Chromium, the cache, and the table fallback without a browser."""

import logging
import shutil
from decimal import Decimal

import pytest
from django.core.cache import caches

from kccperf import chart_images
from kccperf.periods import Quarter
from kpis.charts import KpiPoint, kpi_figure
from kpis.scoring import Rag

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)"
)


def real_figure(last_value: str = "71.5") -> dict:
    points = [
        KpiPoint(Quarter(2019, 1), Decimal("64"), Decimal("70"), Decimal("60"), Rag.AMBER),
        KpiPoint(Quarter(2019, 2), Decimal(last_value), Decimal("70"), Decimal("60"), Rag.GREEN),
    ]
    return kpi_figure(points, "Percentage")


@pytest.fixture
def cache_table(db):
    caches[chart_images.CACHE_ALIAS].clear()


@needs_chromium
def test_it_draws_a_real_kpi_chart_as_svg_and_png_at_the_print_width(cache_table):
    svg, png = (
        chart_images.render_chart(real_figure(), "svg"),
        chart_images.render_chart(real_figure(), "png", scale=2),
    )
    assert svg is not None and png is not None
    assert svg.data.startswith(b"<svg") and b'width="643"' in svg.data
    # The reporting quarter's label is in the picture (it was cut off in print before).
    assert b"Q2 2019/20" in svg.data and b"Q1 2019/20" in svg.data
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    # PNG width in the IHDR chunk: 643 CSS px drawn at scale 2.
    assert int.from_bytes(png.data[16:20], "big") == 1286
    assert round(svg.width_mm) == 170 and svg.height == real_figure()["layout"]["height"]
    assert svg.data_uri().startswith("data:image/svg+xml;base64,")


@needs_chromium
def test_a_batch_keeps_order_and_the_second_call_is_served_from_the_cache(cache_table, monkeypatch):
    figures = [real_figure(v) for v in ("50", "60", "70")]
    first = chart_images.render_charts(figures, "svg")
    assert all(first) and len({image.data for image in first}) == 3

    def no_browser(jobs):
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(chart_images._renderer, "render", no_browser)
    again = chart_images.render_charts(figures, "svg")
    assert [i.data for i in again] == [i.data for i in first]
    # A different size is another picture (and needs the browser).
    with pytest.raises(AssertionError, match="cache should have answered"):
        chart_images.render_charts(figures[:1], "svg", width_mm=100)


def test_without_a_browser_it_gives_none_and_logs_a_warning(cache_table, settings, caplog):
    settings.KCCPERF_CHART_BROWSER = "/nonexistent/chromium"
    renderer = chart_images._Renderer()
    with caplog.at_level(logging.WARNING, logger="kccperf.chart_images"):
        assert renderer.render([(real_figure(), {"format": "svg"})]) == [None]
    assert "Charts are shown as tables" in caplog.text
    assert "no Chromium found" in caplog.text
    # It does not try again at every call (start-up is slow): the failure is remembered.
    caplog.clear()
    assert renderer.ensure() is False
    assert caplog.text == ""


def test_it_can_be_switched_off(cache_table, settings, monkeypatch):
    settings.KCCPERF_CHART_IMAGES = False
    monkeypatch.setattr(chart_images, "_renderer", chart_images._Renderer())
    assert chart_images.render_charts([real_figure()], "png") == [None]
    assert chart_images.available() is False


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="'svg' or 'png'"):
        chart_images.render_charts([real_figure()], "gif")  # type: ignore[arg-type]
