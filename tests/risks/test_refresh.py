"""Recording a refresh: every open risk, reasons for changes, atomic, history kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from risks.models import Risk, RiskHistory, RiskRefresh, RiskRefreshEntry
from risks.scoring import Position
from risks.services import RefreshLine, record_refresh, register_version
from tests.risks.factories import make_refresh, make_risk
from tests.risks.html import tree


def _post_data(risks, **changes) -> dict:
    data = {"date": "2019-12-31", "label": "Q3 2019/20", "version": str(register_version())}
    for risk in risks:
        for name in ("current_likelihood", "current_impact", "target_likelihood", "target_impact"):
            data[f"{risk.ref}-{name}"] = str(getattr(risk, name))
        data[f"{risk.ref}-reason"] = ""
    data.update(changes)
    return data


@pytest.fixture
def two_risks(db):
    return [make_risk(current_likelihood=4, current_impact=5), make_risk()]


def test_the_form_lists_every_open_risk_with_its_scores_pre_filled(client, erin, two_risks):
    removed = make_risk(status=Risk.Status.REMOVED, removal_reason="Gone", removed_on=date.today())
    client.force_login(erin)
    response = client.get(reverse("risks:refresh-record"))
    page = response.content.decode()
    first = two_risks[0]
    assert f'id="line-{first.ref}"' in page
    assert f'id="line-{removed.ref}"' not in page
    doc = tree(response)
    chosen = doc.xpath(f'//select[@name="{first.ref}-current_impact"]/option[@selected]/@value')
    assert chosen == ["5"]


def test_a_changed_score_without_a_reason_is_refused_and_nothing_is_saved(client, erin, two_risks):
    risk = two_risks[0]
    client.force_login(erin)
    data = _post_data(two_risks, **{f"{risk.ref}-current_likelihood": "3"})
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 200
    assert f"{risk.ref}: enter the reason, because a score has changed" in response.content.decode()
    assert RiskRefresh.objects.count() == 0
    risk.refresh_from_db()
    assert risk.current_likelihood == 4


def test_a_score_outside_1_to_5_is_refused(client, erin, two_risks):
    risk = two_risks[0]
    client.force_login(erin)
    data = _post_data(two_risks, **{f"{risk.ref}-current_impact": "6"})
    response = client.post(reverse("risks:refresh-record"), data)
    assert "Choose a score from 1 to 5" in response.content.decode()
    assert RiskRefresh.objects.count() == 0


def test_a_valid_refresh_records_every_open_risk_and_updates_the_changed_one(
    client, erin, two_risks
):
    risk, other = two_risks
    client.force_login(erin)
    data = _post_data(
        two_risks,
        **{f"{risk.ref}-current_likelihood": "3", f"{risk.ref}-reason": "Controls now work"},
    )
    response = client.post(reverse("risks:refresh-record"), data)
    refresh = RiskRefresh.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("risks:overview-refresh", args=[refresh.pk])
    assert refresh.recorded_by == erin and refresh.period.label == "Q3 2019/20"
    entries = {e.risk_id: e for e in RiskRefreshEntry.objects.filter(refresh=refresh)}
    assert set(entries) == {risk.pk, other.pk}
    assert entries[risk.pk].current_score == 15
    assert entries[risk.pk].reason == "Controls now work"
    risk.refresh_from_db()
    assert (risk.current_likelihood, risk.current_score) == (3, 15)
    history = RiskHistory.objects.get(risk=risk)
    assert history.by == erin
    assert history.changes["current_likelihood"] == [4, 3]
    assert history.changes["reason"] == [None, "Controls now work"]
    assert not RiskHistory.objects.filter(risk=other).exists()


def test_a_second_refresh_on_the_same_date_is_refused(client, erin, two_risks):
    make_refresh("2019-12-31")
    client.force_login(erin)
    response = client.post(reverse("risks:refresh-record"), _post_data(two_risks))
    assert "already been recorded on this date" in response.content.decode()
    assert RiskRefresh.objects.count() == 1


def test_a_refresh_dated_in_the_future_is_refused(client, erin, two_risks):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(erin)
    data = _post_data(two_risks, date=tomorrow.isoformat(), label="Next")
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert RiskRefresh.objects.count() == 0


def test_a_refresh_before_the_latest_one_is_refused(client, erin, two_risks):
    make_refresh("2019-12-31")
    client.force_login(erin)
    data = _post_data(two_risks, date="2019-09-30", label="Q2 2019/20")
    response = client.post(reverse("risks:refresh-record"), data)
    assert "Enter a date after the latest refresh (31 December 2019)" in response.content.decode()
    assert RiskRefresh.objects.count() == 1


def test_a_quarter_name_must_be_the_dates_quarter(client, erin, two_risks):
    client.force_login(erin)
    data = _post_data(two_risks, date="2019-12-31", label="Q4 2019/20")
    response = client.post(reverse("risks:refresh-record"), data)
    assert "The name says Q4 2019/20 but 31 December 2019 is in Q3 2019/20" in (
        response.content.decode()
    )
    assert RiskRefresh.objects.count() == 0
    # A name that is not a quarter is the risk manager's to choose; the date sets the quarter.
    data = _post_data(two_risks, date="2019-12-31", label="Winter review")
    assert client.post(reverse("risks:refresh-record"), data).status_code == 302
    assert RiskRefresh.objects.get().period.label == "Q3 2019/20"


def test_the_service_refuses_a_change_without_a_reason_and_writes_nothing(erin, two_risks):
    risk = two_risks[0]
    line = RefreshLine(risk, Position(1, 1, 1, 1), reason="  ")
    with pytest.raises(ValueError, match="reason"):
        record_refresh(date(2019, 12, 31), "Q3", [line], erin)
    assert RiskRefresh.objects.count() == 0


def test_the_refresh_is_atomic_when_an_entry_fails(erin, two_risks):
    risk, other = two_risks
    lines = [
        RefreshLine(risk, Position(3, 5, 2, 3), reason="Lower"),
        RefreshLine(other, Position(9, 9, 1, 1), reason="Impossible"),  # violates 1-5 check
    ]
    with pytest.raises(ValueError):
        record_refresh(date(2019, 12, 31), "Q3", lines, erin)
    assert RiskRefresh.objects.count() == 0
    risk.refresh_from_db()
    assert risk.current_likelihood == 4


def test_the_form_defaults_to_the_quarter_after_the_latest_refresh(client, erin, two_risks):
    make_refresh("2019-09-30")
    client.force_login(erin)
    doc = tree(client.get(reverse("risks:refresh-record")))
    assert doc.xpath('//input[@name="date"]/@value') == ["31/12/2019"]
    assert doc.xpath('//input[@name="label"]/@value') == ["Q3 2019/20"]
