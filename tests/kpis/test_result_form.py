"""Entering or correcting a single KPI value through the form."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kccperf import lookups
from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kpis.models import KpiResult, KpiResultRevision
from kpis.services import record_result
from tests.kpis.factories import make_kpi, make_result, make_target

pytestmark = pytest.mark.django_db


def edit_url(code: str, period: str = "2019-20-q2") -> str:
    return reverse("kpis:result-edit", kwargs={"code": code, "period": period})


def test_a_new_value_is_entered_and_the_quarter_put_on_record(analyst_client, dan):
    make_kpi(code="CYPE05")
    response = analyst_client.post(
        edit_url("CYPE05", "2019-20-q3"),
        {
            "value": "91.5%",
            "provisional": "on",
            "data_period": "12 months to Sep 2019",
            "commentary": "Better",
            "version": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "kpis:kpi-detail", kwargs={"code": "CYPE05", "period": "2019-20-q3"}
    )
    result = KpiResult.objects.get()
    assert (result.value, result.provisional, result.data_period, result.commentary) == (
        Decimal("91.5"),
        True,
        "12 months to Sep 2019",
        "Better",
    )
    assert result.entered_by == dan
    assert ReportingPeriod.objects.filter(label="Q3 2019/20").exists()


def test_the_form_shows_the_stored_value_target_and_revision_history(analyst_client, dan):
    kpi = make_kpi(code="CYPE05", unit="percentage")
    make_target(kpi, target=Decimal(90), floor=Decimal(80))
    make_result(kpi, "Q2 2019/20", "85.5", provisional=True, commentary="Provisional")
    for value in ("86", "87"):
        form = analyst_client.get(edit_url("CYPE05"))
        analyst_client.post(
            edit_url("CYPE05"),
            {"value": value, "version": form.context["form"]["version"].value()},
        )
    response = analyst_client.get(edit_url("CYPE05"))
    html = response.content.decode()
    assert response.context["form"]["value"].value() == "87"
    assert "Target for Q2 2019/20</dt><dd>90%; floor standard 80%" in html
    # Newest first: 86 -> 87, then 85.5 (shown at the KPI's precision) -> 86.
    history = [(item["old"], item["new"]) for item in response.context["revisions"]]
    assert history == [("86%", "87%"), ("86%", "86%")]
    assert KpiResultRevision.objects.filter(revised_by=dan).count() == 2
    assert "Revision history" in html


def test_saving_the_same_data_changes_nothing(analyst_client):
    kpi = make_kpi(code="CYPE05")
    result = make_result(kpi, "Q2 2019/20", 85, provisional=False, commentary="Same")
    form = analyst_client.get(edit_url("CYPE05"))
    response = analyst_client.post(
        edit_url("CYPE05"),
        {"value": "85", "commentary": "Same", "version": form.context["form"]["version"].value()},
        follow=True,
    )
    assert "Nothing changed: CYPE05 Q2 2019/20 is 85%." in response.content.decode()
    assert KpiResultRevision.objects.count() == 0
    assert KpiResult.objects.get().entered_at == result.entered_at


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the value"),
        ("ninety", "Enter the value as a number, like 91.5"),
        ("90.12345", "Enter the value with no more than 4 decimal places"),
    ],
)
def test_an_invalid_value_is_shown_in_the_error_summary_and_nothing_saved(
    analyst_client, value, message
):
    make_kpi(code="CYPE05")
    response = analyst_client.post(edit_url("CYPE05"), {"value": value, "version": "0"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#id_value">Value: {message}</a>' in html
    assert f"Error:</span> {message}" in html
    assert not KpiResult.objects.exists()


def test_a_value_saved_by_someone_else_meanwhile_is_not_overwritten(analyst_client, carol):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q2 2019/20", 85, provisional=True)
    form = analyst_client.get(edit_url("CYPE05"))
    record_result(kpi, ReportingPeriod.objects.get(), Decimal(88), "", "", by=carol)
    response = analyst_client.post(
        edit_url("CYPE05"), {"value": "86", "version": form.context["form"]["version"].value()}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this value of CYPE05 while you were editing it" in html
    assert "Nothing you entered was saved" in html
    assert response.context["form"]["value"].value() == "86"  # the person's input is kept
    assert '<dd id="stored-value">88%' in html  # and the value stored meanwhile shown
    assert KpiResult.objects.get().value == 88
    # The page now shows the new stored value and accepts a second save.
    response = analyst_client.post(
        edit_url("CYPE05"), {"value": "86", "version": response.context["form"]["version"].value()}
    )
    assert response.status_code == 302
    assert KpiResult.objects.get().value == 86


def test_a_first_value_stored_by_someone_else_meanwhile_is_not_overwritten(analyst_client, carol):
    """The form of a quarter with no value (version 0) is stale once a value exists, whether
    it came from another form, an import or a script."""
    kpi = make_kpi(code="CYPE05")
    form = analyst_client.get(edit_url("CYPE05"))
    assert form.context["form"]["version"].value() == 0
    record_result(kpi, Quarter(2019, 2), Decimal(88), "", "", by=carol)
    response = analyst_client.post(edit_url("CYPE05"), {"value": "86", "version": "0"})
    assert response.status_code == 409
    assert KpiResult.objects.get().value == 88


def test_a_post_without_the_version_is_refused_with_a_message(analyst_client):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q2 2019/20", 85, provisional=True)
    response = analyst_client.post(edit_url("CYPE05"), {"value": "86"})
    assert response.status_code == 422
    assert "did not say which version of the value" in response.content.decode()
    assert KpiResult.objects.get().value == 85


def test_an_unknown_kpi_is_not_found(analyst_client):
    assert analyst_client.get(edit_url("NOPE99")).status_code == 404


@time_machine.travel("2019-08-15 12:00", tick=False)
def test_a_quarter_that_has_not_started_is_not_found(analyst_client):
    make_kpi(code="CYPE05")
    assert analyst_client.get(edit_url("CYPE05", "2019-20-q2")).status_code == 200
    assert analyst_client.get(edit_url("CYPE05", "2019-20-q3")).status_code == 404


def test_a_quarter_the_kpi_is_not_reported_in_is_refused(analyst_client):
    make_kpi(code="OLD01", active_to=Quarter(2018, 4).end)
    assert analyst_client.get(edit_url("OLD01", "2018-19-q4")).status_code == 200
    assert analyst_client.get(edit_url("OLD01", "2019-20-q1")).status_code == 404
    response = analyst_client.get(
        reverse("kpis:load-data"), {"kpi": "OLD01", "quarter": "Q1 2019/20"}
    )
    assert 'href="#id_quarter">Quarter: OLD01 is not reported in Q1 2019/20' in (
        response.content.decode()
    )


def test_cmt_members_read_kpis_but_cannot_enter_values(client, carol):
    make_kpi(code="CYPE05")
    client.force_login(carol)
    assert client.get(edit_url("CYPE05")).status_code == 403
    assert client.post(edit_url("CYPE05"), {"value": "5"}).status_code == 403
    assert not KpiResult.objects.exists()


def test_the_form_runs_the_same_queries_with_3_or_30_revisions(
    analyst_client, dan, django_assert_num_queries
):
    kpi = make_kpi(code="CYPE05")
    make_target(kpi)
    result = make_result(kpi, "Q2 2019/20", 50)
    for revisions in (3, 30):
        KpiResultRevision.objects.all().delete()
        KpiResultRevision.objects.bulk_create(
            KpiResultRevision(
                result=result,
                old_value=n,
                new_value=n + 1,
                old_provisional=True,
                new_provisional=True,
                revised_by=dan,
            )
            for n in range(revisions)
        )
        # Session, user, permissions (2), groups (navigation), reporting periods (switcher),
        # the KPI with its directorate, the result with who entered it, its revisions with
        # who revised them, the targets of the financial year; the quarter is collecting:
        # the notice's three counts; SET CONSTRAINTS and the data versions (kccperf.lookups:
        # counted cold, with the roles and quarters kept in memory read too).
        lookups.clear()
        with django_assert_num_queries(15):
            response = analyst_client.get(edit_url("CYPE05"))
        assert len(response.context["revisions"]) == revisions


def test_values_imported_while_the_form_was_open_make_it_stale(analyst_client, dan):
    """An import is a save too: a new value and a revised one both move the version on."""
    from kpis.imports import KpiResultsImporter

    make_result(make_kpi(code="CYPE05"), "Q2 2019/20", 85)
    make_kpi(code="CYPE06")
    opened = {
        code: analyst_client.get(edit_url(code)).context["form"]["version"].value()
        for code in ("CYPE05", "CYPE06")
    }
    rows = "kpi_code,quarter,value\nCYPE05,Q2 2019/20,88\nCYPE06,Q2 2019/20,70\n"
    assert KpiResultsImporter().run(rows.encode(), "r.csv", dan).ok
    for code, version in opened.items():
        response = analyst_client.post(edit_url(code), {"value": "1", "version": version})
        assert response.status_code == 409, code
    assert sorted(KpiResult.objects.values_list("value", flat=True)) == [70, 88]


def test_the_load_data_chooser_lists_a_kpi_added_or_renamed_on_the_very_next_page(
    analyst_client,
):
    from kpis.models import Kpi

    url = reverse("kpis:load-data")
    kpi = make_kpi(code="CYPE05", title="Pupils reading well")
    first = analyst_client.get(url)
    assert "CYPE05: Pupils reading well" in first.content.decode()
    # Read again: the chooser comes from the figure cache (its template not rendered).
    again = analyst_client.get(url)
    assert not any(t.name == "kpis/_load_data_chooser.html" for t in again.templates)
    make_kpi(code="CYPE06", title="Pupils counting well")
    Kpi.objects.filter(pk=kpi.pk).update(title="Pupils writing well")
    page = analyst_client.get(url).content.decode()
    assert "CYPE06: Pupils counting well" in page
    assert "CYPE05: Pupils writing well" in page and "Pupils reading well" not in page
    # What was asked is kept per query string: an error for one, none for the other.
    wrong = analyst_client.get(url, {"kpi": "NOPE", "quarter": "Q1 2019/20"}).content.decode()
    assert "Choose a KPI from the list" in wrong
    assert "Choose a KPI from the list" not in analyst_client.get(url).content.decode()
