"""Verified KPI values: provisional until an analyst or the KPI's data owner verifies them;
revising a verified value needs a reason and makes it provisional again; bulk verification of
a quarter is all or none at the versions shown; imports never verify."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kccperf import lookups
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError
from kpis.imports import KpiResultsImporter
from kpis.models import KpiResult, KpiResultRevision
from kpis.services import NotAllowedToVerify, ReasonRequired, record_result, verify_results
from tests.kpis.factories import make_kpi, make_target

Q2 = Quarter(2019, 2)
pytestmark = pytest.mark.django_db


def _value(kpi, value="90", **kwargs):
    result, _ = record_result(kpi, Q2, Decimal(value), "", "", kwargs.pop("by", None), **kwargs)
    return result


def _verified(kpi, dan, value="90"):
    result = _value(kpi, value, by=dan)
    verify_results({result.pk: result.version}, dan)
    result.refresh_from_db()
    return result


# Services -------------------------------------------------------------------------------


def test_a_new_value_is_provisional_until_verified_and_the_verification_is_in_its_history(dan):
    kpi = make_kpi()
    result = _value(kpi, by=dan)
    assert result.provisional and result.verified_by is None

    assert verify_results({result.pk: result.version}, dan) == 1
    result.refresh_from_db()
    assert not result.provisional
    assert result.verified_by == dan and result.verified_at is not None
    assert result.version == 2  # a form opened before is now stale
    revision = result.revisions.get()
    assert revision.kind == KpiResultRevision.Kind.VERIFIED
    assert (revision.old_provisional, revision.new_provisional) == (True, False)
    assert revision.revised_by == dan


def test_revising_a_verified_value_without_a_reason_writes_nothing(dan):
    result = _verified(make_kpi(), dan)
    with pytest.raises(ReasonRequired, match="give a reason"):
        record_result(result.kpi, Q2, Decimal(85), "", "", dan)
    result.refresh_from_db()
    assert result.value == 90 and not result.provisional
    assert result.revisions.count() == 1  # the verification only


def test_revising_a_verified_value_with_a_reason_makes_it_provisional_again(dan, carol):
    result = _verified(make_kpi(), dan)
    revised, changed = record_result(
        result.kpi, Q2, Decimal(85), "", "", carol, reason="Late returns from two districts"
    )
    assert changed and revised.provisional
    assert revised.verified_by is None and revised.verified_at is None
    latest = revised.revisions.order_by("-pk").first()
    assert latest.kind == KpiResultRevision.Kind.REVISED
    assert (latest.old_value, latest.new_value) == (90, 85)
    assert (latest.old_provisional, latest.new_provisional) == (False, True)
    assert latest.reason == "Late returns from two districts"


def test_commentary_changes_keep_the_verification(dan):
    result = _verified(make_kpi(), dan)
    again, changed = record_result(result.kpi, Q2, Decimal(90), "Better wording", "", dan)
    assert changed and not again.provisional


def test_revising_a_provisional_value_needs_no_reason(dan):
    result = _value(make_kpi(), by=dan)
    revised, _ = record_result(result.kpi, Q2, Decimal(80), "", "", dan)
    assert revised.value == 80 and revised.provisional
    assert revised.revisions.get().reason == ""


def test_bulk_verification_is_all_or_none_at_the_versions_shown(dan):
    first, second = _value(make_kpi(), by=dan), _value(make_kpi(), by=dan)
    shown = {first.pk: first.version, second.pk: second.version}
    record_result(second.kpi, Q2, Decimal(70), "", "", dan)  # revised meanwhile
    with pytest.raises(StaleEditError):
        verify_results(shown, dan)
    assert KpiResult.objects.provisional().count() == 2
    assert not KpiResultRevision.objects.filter(kind="verified").exists()


def test_only_analysts_and_the_data_owner_may_verify(dan, carol, alice):
    owned = make_kpi(data_owner=alice)
    other = make_kpi()
    a, b = _value(owned, by=dan), _value(other, by=dan)
    with pytest.raises(NotAllowedToVerify):
        verify_results({b.pk: b.version}, carol)
    with pytest.raises(NotAllowedToVerify):
        verify_results({a.pk: a.version, b.pk: b.version}, alice)
    assert KpiResult.objects.verified().count() == 0
    assert verify_results({a.pk: a.version}, alice) == 1


# The single-value form and the verify button --------------------------------------------


def _edit_url(kpi):
    return reverse("kpis:result-edit", kwargs={"code": kpi.code, "period": Q2})


def test_the_form_asks_for_a_reason_naming_the_field(client, dan):
    result = _verified(make_kpi(), dan)
    client.force_login(dan)
    response = client.post(
        _edit_url(result.kpi),
        {"value": "85", "commentary": "", "data_period": "", "version": result.version},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Reason for the revision:" in page  # the error summary names it
    assert 'id="id_reason_error"' in page
    result.refresh_from_db()
    assert result.value == 90 and not result.provisional

    response = client.post(
        _edit_url(result.kpi),
        {
            "value": "85",
            "commentary": "",
            "data_period": "",
            "reason": "Corrected by the service",
            "version": result.version,
        },
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.value == 85 and result.provisional
    page = client.get(_edit_url(result.kpi)).content.decode()
    assert "Corrected by the service" in page
    assert "Provisional</strong>: not yet verified" in page


def test_the_verify_button_verifies_at_the_version_shown(client, dan):
    kpi = make_kpi()
    make_target(kpi)
    result = _value(kpi, by=dan)
    client.force_login(dan)
    detail = reverse("kpis:kpi-detail", kwargs={"code": kpi.code, "period": Q2})
    page = client.get(detail).content.decode()
    assert "Verify 90% as checked" in page
    url = reverse("kpis:result-verify", kwargs={"code": kpi.code, "period": Q2})
    stale = client.post(url, {"version": result.version - 1})
    assert stale.status_code == 302 and stale.url == _edit_url(kpi)
    result.refresh_from_db()
    assert result.provisional
    response = client.post(url, {"version": result.version, "next": detail})
    assert response.status_code == 302 and response.url == detail
    result.refresh_from_db()
    assert result.verified_by == dan
    page = client.get(detail).content.decode()
    assert "Verified</strong> by" in page and "Verify 90% as checked" not in page


def test_cmt_cannot_verify(client, carol, dan):
    result = _value(make_kpi(), by=dan)
    client.force_login(carol)
    url = reverse("kpis:result-verify", kwargs={"code": result.kpi.code, "period": Q2})
    assert client.post(url, {"version": result.version}).status_code == 403
    assert client.get(reverse("kpis:verify", kwargs={"period": Q2})).status_code == 403


# Bulk verification page -------------------------------------------------------------------


def test_analysts_verify_the_quarters_values_in_one_go(client, dan):
    results = [_value(make_kpi(), value=str(80 + n), by=dan) for n in range(3)]
    client.force_login(dan)
    url = reverse("kpis:verify", kwargs={"period": Q2})
    page = client.get(url).content.decode()
    for r in results:
        assert f'value="{r.pk}:{r.version}"' in page
    chosen = [f"{r.pk}:{r.version}" for r in results[:2]]
    response = client.post(url, {"verify": chosen})
    assert response.status_code == 302
    assert KpiResult.objects.verified().count() == 2
    page = client.get(url).content.decode()
    assert "Verified (2)" in page


def test_bulk_verification_says_so_when_nothing_is_chosen_or_a_value_changed(client, dan):
    first, second = _value(make_kpi(), by=dan), _value(make_kpi(), by=dan)
    client.force_login(dan)
    url = reverse("kpis:verify", kwargs={"period": Q2})
    empty = client.post(url, {})
    assert empty.status_code == 422
    assert "Select at least one value to verify" in empty.content.decode()
    assert "<title>Error: Verify KPI values" in empty.content.decode()

    record_result(second.kpi, Q2, Decimal(1), "", "", dan)  # revised meanwhile
    response = client.post(
        url, {"verify": [f"{first.pk}:{first.version}", f"{second.pk}:{second.version}"]}
    )
    assert response.status_code == 409
    assert KpiResult.objects.verified().count() == 0


def test_a_data_owner_verifies_only_their_kpis(client, alice, dan):
    mine, other = _value(make_kpi(data_owner=alice), by=dan), _value(make_kpi(), by=dan)
    client.force_login(alice)
    url = reverse("kpis:verify", kwargs={"period": Q2})
    page = client.get(url).content.decode()
    assert mine.kpi.code in page and other.kpi.code not in page
    # A value of someone else's KPI is not a choice.
    assert client.post(url, {"verify": [f"{other.pk}:{other.version}"]}).status_code == 422
    assert client.post(url, {"verify": [f"{mine.pk}:{mine.version}"]}).status_code == 302
    assert list(KpiResult.objects.verified()) == [mine]


def test_a_lead_officer_who_owns_no_kpi_cannot_open_the_page(client, bob):
    client.force_login(bob)
    assert client.get(reverse("kpis:verify", kwargs={"period": Q2})).status_code == 403


def test_the_verify_page_reads_a_fixed_number_of_queries(
    client, dan, django_assert_max_num_queries
):
    client.force_login(dan)
    url = reverse("kpis:verify", kwargs={"period": Q2})
    for _ in range(3):
        _value(make_kpi(), by=dan)
    client.get(url)
    lookups.clear()  # both counted cold: the kept roles and quarters are read too
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(27):
        _value(make_kpi(), by=dan)
    lookups.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# Imports ----------------------------------------------------------------------------------


def _import(csv: str, user, name="results.csv"):
    plan = KpiResultsImporter().run(csv.encode(), name, user)
    assert plan.ok, plan.errors
    return plan


def test_an_import_that_changes_a_verified_value_makes_it_provisional_with_the_import_as_reason(
    dan,
):
    kpi = make_kpi(code="VER01")
    verified = _verified(kpi, dan)
    plan = _import("kpi_code,quarter,value\nVER01,Q2 2019/20,77\n", dan, "q2-refresh.csv")
    assert len(plan.changed) == 1
    verified.refresh_from_db()
    assert verified.value == 77 and verified.provisional and verified.verified_at is None
    revision = verified.revisions.order_by("-pk").first()
    assert revision.kind == "revised" and revision.reason == "Imported from q2-refresh.csv"


def test_an_import_never_verifies_and_the_same_file_again_changes_nothing(dan):
    make_kpi(code="VER02")
    csv = "kpi_code,quarter,value,provisional\nVER02,Q2 2019/20,50,no\n"
    _import(csv, dan)
    assert KpiResult.objects.get().provisional
    again = _import(csv, dan)
    assert (len(again.new), len(again.changed), len(again.unchanged)) == (0, 0, 1)


def test_an_import_marking_a_verified_value_provisional_says_why(dan):
    kpi = make_kpi(code="VER03")
    verified = _verified(kpi, dan, value="60")
    unchanged = _import("kpi_code,quarter,value\nVER03,Q2 2019/20,60\n", dan)
    assert len(unchanged.unchanged) == 1
    verified.refresh_from_db()
    assert not verified.provisional  # the same value keeps its verification
    _import("kpi_code,quarter,value,provisional\nVER03,Q2 2019/20,60,yes\n", dan, "recheck.csv")
    verified.refresh_from_db()
    assert verified.provisional
    revision = verified.revisions.order_by("-pk").first()
    assert revision.kind == "unverified" and revision.reason == "Imported from recheck.csv"


# Pages that show the state ----------------------------------------------------------------


def test_the_scorecards_show_the_state_and_count_the_provisional_values(client, dan, carol):
    verified = _verified(make_kpi(), dan, value="95")
    provisional = _value(make_kpi(directorate=verified.kpi.directorate), value="70", by=dan)
    client.force_login(carol)
    page = client.get(reverse("kpis:scorecard", kwargs={"period": Q2})).content.decode()
    assert "1 of 2 values for Q2 2019/20 is provisional" in page
    assert page.count('title="provisional: not yet verified"') == 1
    slug = verified.kpi.directorate.slug
    page = client.get(
        reverse("kpis:directorate", kwargs={"slug": slug, "period": Q2})
    ).content.decode()
    assert "1 of 2 values for Q2 2019/20 is provisional" in page
    assert '95% <span class="hint">(verified)</span>' in page
    assert '70% <span class="hint">(provisional)</span>' in page

    verify_results({provisional.pk: None}, dan)
    page = client.get(reverse("kpis:scorecard", kwargs={"period": Q2})).content.decode()
    assert "All 2 values for Q2 2019/20 are verified." in page


def test_the_export_says_verified_or_provisional(client, dan):
    _verified(make_kpi(code="EXP1"), dan)
    _value(make_kpi(code="EXP2"), by=dan)
    client.force_login(dan)
    response = client.get(reverse("kpis:scorecard", kwargs={"period": Q2}) + "?_export=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    column = header.index("Verification")
    by_code = {line.split(",")[0]: line.split(",")[column] for line in lines[1:]}
    assert by_code == {"EXP1": "Verified", "EXP2": "Provisional"}


# The QPR's data-quality note ---------------------------------------------------------------


def test_the_qpr_data_quality_note_counts_the_provisional_results_and_goes_when_none_is(dan):
    from reports.builders import build
    from tests.reports.factories import make_report

    first = _verified(make_kpi(), dan, value="95")
    second = _value(make_kpi(directorate=first.kpi.directorate), value="70", by=dan)
    make_kpi(directorate=first.kpi.directorate)  # no value yet: not counted
    data = build(make_report())
    assert data["texts"]["data_quality"].startswith(
        "1 of the 2 KPI results for Q2 2019/20 is provisional: management information not "
        "yet verified"
    )
    assert [k["provisional"] for s in data["directorates"] for k in s["kpis"]].count(True) == 1

    verify_results({second.pk: None}, dan)
    data = build(make_report())
    assert data["texts"]["data_quality"] == ""


def test_the_qpr_page_shows_the_note_only_when_something_is_provisional(client, dan):
    from tests.reports.factories import make_report

    result = _value(make_kpi(), by=dan)
    make_report()
    client.force_login(dan)
    url = reverse("reports:qpr", kwargs={"period": Q2}) + "?draft=1"
    page = client.get(url).content.decode()
    assert '<p id="data-quality">1 of the 1 KPI result for Q2 2019/20 is provisional' in page
    verify_results({result.pk: None}, dan)
    assert 'id="data-quality"' not in client.get(url).content.decode()


def test_a_value_changed_in_the_admin_is_a_revision_and_provisional_again(dan, rf):
    from types import SimpleNamespace

    from django.contrib import admin

    from kpis.admin import KpiResultAdmin

    result = _verified(make_kpi(), dan)
    request = rf.post("/admin/")
    request.user = dan
    result.value = Decimal(80)
    KpiResultAdmin(KpiResult, admin.site).save_model(
        request, result, SimpleNamespace(changed_data=["value"]), True
    )
    result.refresh_from_db()
    assert result.value == 80 and result.provisional and result.version == 3
    revision = result.revisions.order_by("-pk").first()
    assert (revision.old_value, revision.reason) == (90, "Changed in the admin")
