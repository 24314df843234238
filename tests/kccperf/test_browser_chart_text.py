"""Chart text is text in the browser: plotly.js draws an issue theme and a risk refresh
label holding markup as the literal characters, with no link inside the chart."""

import pytest

from kccperf import demo as organisation_demo
from kccperf.periods import Quarter
from monitoring import demo
from monitoring.models import IssueTheme, Return
from risks import demo as risks_demo
from risks.models import Risk, RiskRefresh
from tests.browser_helpers import sign_in
from tests.factories import PASSWORD
from tests.kccperf.test_chart_text import MARKUP

pytestmark = pytest.mark.browser

Q2 = Quarter(2019, 2)
LITERAL = MARKUP  # shown exactly as stored, "&amp;" included


@pytest.fixture
def hostile_demo(transactional_db):
    organisation_demo.load(PASSWORD)
    demo.load(PASSWORD)
    risks_demo.load(PASSWORD)
    late = Return.objects.filter(
        period__start=Q2.start, delivery="unlikely", activity__outcome__number=1
    ).first()
    IssueTheme.objects.filter(pk=late.issues.first().pk).update(label=MARKUP)
    RiskRefresh.objects.update(label=MARKUP)


def _chart_text(page, chart_id: str) -> str:
    chart = page.locator(f"#{chart_id}")
    chart.scroll_into_view_if_needed()  # charts are drawn when seen
    page.wait_for_selector(f"#{chart_id} .main-svg")
    assert chart.locator("a").count() == 0, f"{chart_id}: a link inside the chart"
    assert chart.locator("b").count() == 0
    return chart.evaluate("node => node.textContent")


def test_markup_in_a_label_shows_as_text_in_the_drawn_charts(page, hostile_demo, artifacts):
    sign_in(page, "analyst", next_url=f"/monitoring/dashboards/outcome/1/{Q2.slug}/")
    assert LITERAL in _chart_text(page, "chart-issue-themes")
    page.locator("#chart-issue-themes").screenshot(path=str(artifacts / "chart-text-theme.png"))

    risk = Risk.objects.filter(refresh_entries__isnull=False).order_by("ref").first()
    page.goto(f"/risks/{risk.ref}/")
    chart_id = page.locator(".chart-plot").first.get_attribute("id")
    assert LITERAL in _chart_text(page, chart_id)
    page.locator(f"#{chart_id}").screenshot(path=str(artifacts / "chart-text-risk.png"))
