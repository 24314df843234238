"""Recording a refresh: the risk manager picks the risks whose scores changed and enters only
those; every other open risk is carried forward; reasons for changes; atomic; history kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from risks.models import Risk, RiskHistory, RiskRefresh, RiskRefreshEntry
from risks.scoring import Position
from risks.services import RefreshLine, record_refresh, register_version
from tests.risks.factories import make_refresh, make_risk
from tests.risks.html import text, tree


def _post_data(picked=(), **changes) -> dict:
    """The form as posted by "Record the refresh": the header, and the fields of the risks
    ``picked`` (ticked for new scores), at their current scores unless ``changes`` say."""
    data = {"date": "2019-12-31", "label": "Q3 2019/20", "version": str(register_version())}
    data["changing"] = [risk.ref for risk in picked]
    for risk in picked:
        for name in ("current_likelihood", "current_impact", "target_likelihood", "target_impact"):
            data[f"{risk.ref}-{name}"] = str(getattr(risk, name))
        data[f"{risk.ref}-reason"] = ""
    data.update(changes)
    return data


@pytest.fixture
def two_risks(db):
    return [make_risk(current_likelihood=4, current_impact=5), make_risk()]


def test_the_form_lists_every_open_risk_to_pick_with_its_scores_as_text(client, erin, two_risks):
    removed = make_risk(status=Risk.Status.REMOVED, removal_reason="Gone", removed_on=date.today())
    client.force_login(erin)
    response = client.get(reverse("risks:refresh-record"))
    doc = tree(response)
    first = two_risks[0]
    assert doc.xpath('//table[@id="refresh-list"]/tbody/tr/@data-ref') == [
        risk.ref for risk in two_risks
    ]
    assert removed.ref not in response.content.decode()
    row = text(doc.xpath(f'//tr[@data-ref="{first.ref}"]')[0])
    assert "20" in row and "(4 × 5)" in row
    # No score fields until a risk is picked.
    assert doc.xpath("//select") == []
    assert doc.xpath('//input[@name="changing"]/@value') == [r.ref for r in two_risks]


def test_picking_a_risk_shows_its_scores_pre_filled_and_keeps_what_was_typed(
    client, erin, two_risks
):
    first, other = two_risks
    client.force_login(erin)
    url = reverse("risks:refresh-record")
    data = {"date": "31/12/2019", "label": "My label", "version": str(register_version())}
    response = client.post(url, {**data, "changing": [first.ref], "update": "1"})
    assert response.status_code == 200
    assert RiskRefresh.objects.count() == 0
    doc = tree(response)
    assert doc.xpath('//input[@name="label"]/@value') == ["My label"]
    assert doc.xpath(f'//fieldset[@id="line-{first.ref}"]')
    assert not doc.xpath(f'//fieldset[@id="line-{other.ref}"]')
    chosen = doc.xpath(f'//select[@name="{first.ref}-current_impact"]/option[@selected]/@value')
    assert chosen == ["5"]
    assert doc.xpath(f'//input[@id="pick-{first.ref}"]/@checked')
    # Nothing is checked yet: no error shown while picking.
    assert not doc.xpath("//*[@data-error-summary]")
    # "Keep the current scores" takes the risk out again, keeping what was typed elsewhere.
    typed = {**data, "changing": [first.ref], f"{first.ref}-current_likelihood": "2"}
    again = tree(client.post(url, {**typed, "unpick": first.ref}))
    assert not again.xpath(f'//fieldset[@id="line-{first.ref}"]')
    assert again.xpath('//input[@name="label"]/@value') == ["My label"]


def test_a_risk_ticked_but_not_yet_entered_is_not_recorded_unchanged(client, erin, two_risks):
    first = two_risks[0]
    client.force_login(erin)
    data = _post_data()
    data["changing"] = [first.ref]
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 200
    assert f"{first.ref}: enter its new scores" in response.content.decode()
    assert RiskRefresh.objects.count() == 0


def test_a_changed_score_without_a_reason_is_refused_and_nothing_is_saved(client, erin, two_risks):
    risk = two_risks[0]
    client.force_login(erin)
    data = _post_data([risk], **{f"{risk.ref}-current_likelihood": "3"})
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 200
    assert f"{risk.ref}: enter the reason, because a score has changed" in response.content.decode()
    assert RiskRefresh.objects.count() == 0
    risk.refresh_from_db()
    assert risk.current_likelihood == 4


def test_a_score_outside_1_to_5_is_refused(client, erin, two_risks):
    risk = two_risks[0]
    client.force_login(erin)
    data = _post_data([risk], **{f"{risk.ref}-current_impact": "6"})
    response = client.post(reverse("risks:refresh-record"), data)
    summary = text(tree(response).xpath("//*[@data-error-summary]")[0])
    # The error names the risk and links to its field.
    assert f"{risk.ref} current impact: Choose a score from 1 to 5" in summary
    assert tree(response).xpath(f'//a[@href="#id_{risk.ref}-current_impact"]')
    assert RiskRefresh.objects.count() == 0


def test_a_valid_refresh_records_every_open_risk_and_updates_the_changed_one(
    client, erin, two_risks
):
    risk, other = two_risks
    client.force_login(erin)
    data = _post_data(
        [risk],
        **{f"{risk.ref}-current_likelihood": "3", f"{risk.ref}-reason": "Controls now work"},
    )
    response = client.post(reverse("risks:refresh-record"), data)
    refresh = RiskRefresh.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("risks:overview-refresh", args=[refresh.pk])
    message = next(iter(response.wsgi_request._messages))
    assert str(message) == "Refresh Q3 2019/20 recorded for 2 risks (1 with changed scores)."
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
    # The risk not picked is carried forward at its scores.
    assert Position.of(entries[other.pk]) == other.position


def test_a_second_refresh_on_the_same_date_is_refused(client, erin, two_risks):
    make_refresh("2019-12-31")
    client.force_login(erin)
    response = client.post(reverse("risks:refresh-record"), _post_data())
    assert "already been recorded on this date" in response.content.decode()
    assert RiskRefresh.objects.count() == 1


def test_a_refresh_dated_in_the_future_is_refused(client, erin, two_risks):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(erin)
    data = _post_data(date=tomorrow.isoformat(), label="Next")
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert RiskRefresh.objects.count() == 0


def test_a_refresh_before_the_latest_one_is_refused(client, erin, two_risks):
    make_refresh("2019-12-31")
    client.force_login(erin)
    data = _post_data(date="2019-09-30", label="Q2 2019/20")
    response = client.post(reverse("risks:refresh-record"), data)
    assert "Enter a date after the latest refresh (31 December 2019)" in response.content.decode()
    assert RiskRefresh.objects.count() == 1


def test_a_quarter_name_must_be_the_dates_quarter(client, erin, two_risks):
    client.force_login(erin)
    data = _post_data(date="2019-12-31", label="Q4 2019/20")
    response = client.post(reverse("risks:refresh-record"), data)
    assert "The name says Q4 2019/20 but 31 December 2019 is in Q3 2019/20" in (
        response.content.decode()
    )
    assert RiskRefresh.objects.count() == 0
    # A name that is not a quarter is the risk manager's to choose; the date sets the quarter.
    data = _post_data(date="2019-12-31", label="Winter review")
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


# Only the picked risks are in the form; the rest are carried forward ------------------------


def test_an_error_on_one_risk_saves_nothing_of_the_others(client, erin, two_risks):
    risk, other = two_risks
    client.force_login(erin)
    data = _post_data(
        [risk, other],
        **{
            f"{risk.ref}-current_likelihood": "2",
            f"{risk.ref}-reason": "Controls now work",
            f"{other.ref}-target_impact": "1",  # changed, but no reason
        },
    )
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 200
    assert f"{other.ref}: enter the reason" in response.content.decode()
    assert RiskRefresh.objects.count() == 0
    assert RiskRefreshEntry.objects.count() == 0
    assert not RiskHistory.objects.exists()
    risk.refresh_from_db()
    assert risk.current_likelihood == 4
    # What was typed for both risks is still in the form.
    doc = tree(response)
    assert doc.xpath(f'//textarea[@name="{risk.ref}-reason"]/text()') == ["\nControls now work"]
    assert doc.xpath(f'//select[@name="{other.ref}-target_impact"]/option[@selected]/@value') == [
        "1"
    ]


def test_every_risk_not_picked_is_carried_forward_with_its_scores(client, erin):
    risks = [make_risk(current_likelihood=1 + n % 5, target_impact=1 + n % 3) for n in range(7)]
    removed = make_risk(status=Risk.Status.REMOVED, removal_reason="Gone", removed_on=date.today())
    picked = risks[3]
    client.force_login(erin)
    data = _post_data(
        [picked],
        **{f"{picked.ref}-current_impact": "1", f"{picked.ref}-reason": "Insured"},
    )
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 302
    refresh = RiskRefresh.objects.get()
    entries = {e.risk_id: e for e in refresh.entries.all()}
    assert set(entries) == {risk.pk for risk in risks}
    assert removed.pk not in entries
    for risk in risks:
        if risk is not picked:
            assert Position.of(entries[risk.pk]) == risk.position, risk.ref
            assert entries[risk.pk].reason == ""
    assert entries[picked.pk].current_impact == 1
    assert RiskHistory.objects.filter(risk__in=risks).count() == 1


def test_the_service_carries_forward_the_open_risks_without_a_line(erin, two_risks):
    risk, other = two_risks
    line = RefreshLine(risk, Position(2, 5, 2, 3), reason="Lower")
    refresh = record_refresh(date(2019, 12, 31), "Q3", [line], erin, carry_forward=True)
    entries = {e.risk_id: e for e in refresh.entries.all()}
    assert set(entries) == {risk.pk, other.pk}
    assert Position.of(entries[other.pk]) == other.position
    assert entries[risk.pk].current_likelihood == 2


def test_picks_on_other_pages_of_the_list_travel_with_the_form(client, erin):
    from risks.views import REFRESH_LIST_ROWS

    risks = [make_risk() for _ in range(REFRESH_LIST_ROWS + 5)]
    first, last = risks[0], risks[-1]
    client.force_login(erin)
    url = reverse("risks:refresh-record")
    data = _post_data()
    page2 = tree(client.post(url, {**data, "changing": [first.ref], "goto": "2"}))
    assert page2.xpath('//table[@id="refresh-list"]/tbody/tr/@data-ref') == [
        r.ref for r in risks[REFRESH_LIST_ROWS:]
    ]
    # The pick from page 1 is carried as a hidden field, and its fields are shown.
    assert page2.xpath('//input[@type="hidden"][@name="changing"]/@value') == [first.ref]
    assert page2.xpath(f'//fieldset[@id="line-{first.ref}"]')
    both = tree(client.post(url, {**data, "changing": [first.ref, last.ref], "page": "2"}))
    assert both.xpath("//fieldset/@id") == [f"line-{first.ref}", f"line-{last.ref}"]
    # Finding a risk by its reference lists only it.
    found = tree(client.post(url, {**data, "q": last.ref.lower(), "find": "1"}))
    assert found.xpath('//table[@id="refresh-list"]/tbody/tr/@data-ref') == [last.ref]
    # ...and "Show every open risk" lists them all again, from the first page.
    every = tree(client.post(url, {**data, "q": last.ref, "shown_q": last.ref, "show_all": "1"}))
    assert every.xpath('//table[@id="refresh-list"]/tbody/tr/@data-ref') == [
        r.ref for r in risks[:REFRESH_LIST_ROWS]
    ]
    assert every.xpath('//input[@name="q"]/@value') == [""]


def test_a_risk_can_be_picked_from_its_page(client, erin, two_risks):
    first = two_risks[0]
    client.force_login(erin)
    detail = tree(client.get(reverse("risks:risk-detail", args=[first.ref])))
    link = detail.xpath('//a[starts-with(text(), "Record a refresh with new scores")]/@href')
    assert link == [reverse("risks:refresh-record") + f"?changing={first.ref}"]
    doc = tree(client.get(link[0]))
    assert doc.xpath("//fieldset/@id") == [f"line-{first.ref}"]


def _form_size(client) -> tuple[int, int, int]:
    """(fields in the form, score fields, bytes of the page)."""
    response = client.get(reverse("risks:refresh-record"))
    form = tree(response).xpath("//form[@method='post'][contains(@class, 'refresh-form')]")[0]
    fields = form.xpath(".//*[self::input or self::select or self::textarea]")
    return len(fields), len(form.xpath(".//select")), len(response.content)


def test_the_form_does_not_grow_with_the_risks_left_unchanged(client, erin):
    from risks.views import REFRESH_LIST_ROWS

    client.force_login(erin)
    for _ in range(REFRESH_LIST_ROWS):
        make_risk(title="A risk with a title of an ordinary length for the register")
    fields, selects, size = _form_size(client)
    for _ in range(3 * REFRESH_LIST_ROWS):
        make_risk(title="A risk with a title of an ordinary length for the register")
    assert _form_size(client)[:2] == (fields, selects) and selects == 0
    # The same page of 50 rows, with a few more page buttons.
    assert _form_size(client)[2] < size + 1000


def test_the_forms_query_count_does_not_grow_with_the_register(client, erin):
    from tests.risks.test_query_counts import count

    client.force_login(erin)
    url = reverse("risks:refresh-record")
    make_refresh("2019-09-30")
    for _ in range(3):
        make_risk()
    small = count(client, url)
    picked_url = url + "?changing=" + Risk.objects.order_by("ref").first().ref
    small_picked = count(client, picked_url)
    for _ in range(80):
        make_risk()
    assert count(client, url) == small
    assert count(client, picked_url) == small_picked


def test_a_control_character_typed_or_planted_in_the_form_is_dropped_not_a_server_error(
    client, erin, two_risks
):
    """A search or a picked reference goes into SQL, which cannot hold a NUL."""
    first, _ = two_risks
    client.force_login(erin)
    url = reverse("risks:refresh-record")
    for query in (
        {"changing": "\x00"},
        {"changing": f"{first.ref}\x00", "q": "\x00", "page": "\x00"},
    ):
        assert client.get(url, query).status_code == 200
    data = {"date": "2019-12-31", "label": "Q3 2019/20", "version": str(register_version())}
    response = client.post(
        url, {**data, "changing": [f"\x00{first.ref}"], "q": "\x00", "update": "1"}
    )
    assert response.status_code == 200
    assert tree(response).xpath(f'//select[@name="{first.ref}-current_likelihood"]')
