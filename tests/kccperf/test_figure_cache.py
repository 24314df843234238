"""The figure cache (kccperf.figure_cache): a page's content is rendered once per version of
the data it reads, and every way of writing that data (forms, imports by page and command,
the admin, services, bulk SQL) is on the very next request."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from kccperf import figure_cache
from kccperf.models import User
from kpis.models import Kpi, KpiResult
from monitoring.models import Activity, Return
from risks.models import Risk
from risks.services import register_version
from tests.factories import make_user
from tests.kpis.factories import make_kpi, make_result, make_target
from tests.monitoring.factories import Q2, make_activity, make_outcome, make_return
from tests.risks.factories import make_risk

SCORECARD = reverse("kpis:scorecard", kwargs={"period": "2019-20-q2"})
REGISTER = reverse("risks:register")
DASHBOARD = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})


class _FormFields(HTMLParser):
    """The values a browser would post from an admin change page's form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def admin_form_data(client, url: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _served_from_cache(client, url: str) -> bool:
    """Whether the page's content came from the cache (no content template rendered)."""
    response = client.get(url)
    return not any(t.name and "_content.html" in t.name for t in response.templates)


@pytest.fixture
def superuser(db):
    return make_user("figure.root", is_superuser=True, is_staff=True)


# The cache itself -------------------------------------------------------------------------


def test_the_second_read_comes_from_the_cache_and_a_write_renders_it_again(client, dan):
    kpi = make_kpi(title="Pupils reading well")
    make_result(kpi, "Q2 2019/20", 85)
    client.force_login(dan)
    assert not _served_from_cache(client, SCORECARD)
    assert _served_from_cache(client, SCORECARD)
    Kpi.objects.filter(pk=kpi.pk).update(title="Pupils writing well")
    assert not _served_from_cache(client, SCORECARD)
    assert "Pupils writing well" in html(client, SCORECARD)


def test_every_table_of_the_apps_carries_the_trigger(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [figure_cache.TRIGGER],
        )
        present = {row[0] for row in cursor.fetchall()}
    tables = {table for table, _ in figure_cache.covered_tables()}
    assert tables <= present
    assert {"kpis_kpiresult", "monitoring_return", "risks_risk", "kccperf_user"} <= tables
    assert figure_cache.TABLE not in present


def test_each_app_has_its_own_counter(db):
    before = figure_cache.versions()
    make_kpi()
    after = figure_cache.versions()
    assert before is not None and after is not None
    assert after["kpis"] != before["kpis"]
    assert after["risks"] == before["risks"] and after["monitoring"] == before["monitoring"]


def test_signing_in_changes_no_version(db, dan):
    before = figure_cache.versions()
    User.objects.filter(pk=dan.pk).update(last_login="2019-10-01T09:00:00Z")
    assert figure_cache.versions() == before
    User.objects.filter(pk=dan.pk).update(first_name="Daniel")
    assert figure_cache.versions() != before


def _stored_kpis_version() -> int:
    """The counter as stored, read without making pending bumps fire."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kpis FROM {figure_cache.TABLE} WHERE id = 1")
        return cursor.fetchone()[0]


def test_the_bump_waits_for_the_end_of_the_transaction_and_a_rollback_undoes_it(db):
    before = figure_cache.versions()
    assert before is not None
    stored = _stored_kpis_version()
    kpi = make_kpi()
    # Deferred: nothing is locked or written while the transaction goes on (in production
    # the trigger fires at COMMIT) ...
    assert _stored_kpis_version() == stored
    # ... and reading the versions inside the transaction fires it first.
    after = figure_cache.versions()
    assert after is not None and after["kpis"] != before["kpis"]
    with pytest.raises(RuntimeError), transaction.atomic():
        Kpi.objects.filter(pk=kpi.pk).update(title="Never")
        assert figure_cache.versions() != after
        raise RuntimeError
    assert figure_cache.versions() == after


def test_with_no_version_row_nothing_is_cached(client, dan):
    make_result(make_kpi(title="First title"), "Q2 2019/20", 85)
    figure_cache.versions()  # this transaction's writes bump now
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {figure_cache.TABLE}")
    client.force_login(dan)
    assert figure_cache.versions() is None
    html(client, SCORECARD)
    assert not _served_from_cache(client, SCORECARD)


# KPI scorecard: the value form, the import command and page, the admin, bulk SQL ---------


@pytest.fixture
def kpi(db):
    kpi = make_kpi(code="CYPE05", title="Pupils reading well", unit="number")
    make_target(kpi, target=Decimal(90), floor=Decimal(80))
    make_result(kpi, "Q2 2019/20", 85)
    return kpi


def test_a_value_entered_in_the_form_is_on_the_next_scorecard(client, dan, kpi):
    client.force_login(dan)
    assert "4,321" not in html(client, SCORECARD)
    url = reverse("kpis:result-edit", kwargs={"code": "CYPE05", "period": "2019-20-q2"})
    form = client.get(url)
    version = form.context["form"]["version"].value()
    # The stored value is verified: revising it needs a reason (kpis.services.record_result).
    response = client.post(url, {"value": "4321", "reason": "Corrected", "version": version})
    assert response.status_code == 302
    assert "4,321" in html(client, SCORECARD)


def test_values_imported_by_command_are_on_the_next_scorecard(client, dan, kpi, tmp_path):
    client.force_login(dan)
    assert "4,321" not in html(client, SCORECARD)
    file = tmp_path / "results.csv"
    file.write_text("kpi_code,quarter,value\nCYPE05,Q2 2019/20,4321\n")
    call_command("import_kpi_results", str(file), stdout=None)
    assert "4,321" in html(client, SCORECARD)


def test_values_imported_on_the_upload_page_are_on_the_next_scorecard(client, dan, kpi):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(dan)
    assert "4,321" not in html(client, SCORECARD)
    upload = SimpleUploadedFile("r.csv", b"kpi_code,quarter,value\nCYPE05,Q2 2019/20,4321\n")
    preview = client.post(reverse("kpis:import-results"), {"file": upload})
    assert preview.status_code == 200
    batch = preview.context["batch"]
    confirm = reverse("kpis:import-results-confirm", kwargs={"batch_id": batch.pk})
    assert client.post(confirm).status_code == 302
    assert KpiResult.objects.get(kpi=kpi).value == 4321
    assert "4,321" in html(client, SCORECARD)


def test_a_kpi_renamed_in_the_admin_is_on_the_next_scorecard(client, dan, kpi, superuser):
    client.force_login(dan)
    assert "Pupils reading well" in html(client, SCORECARD)
    client.force_login(superuser)
    url = reverse("admin:kpis_kpi_change", args=[kpi.pk])
    data = admin_form_data(client, url)
    data["title"] = ["Pupils counting well"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.force_login(dan)
    page = html(client, SCORECARD)
    assert "Pupils counting well" in page and "Pupils reading well" not in page


def test_a_bulk_update_is_on_the_next_scorecard(client, dan, kpi):
    client.force_login(dan)
    html(client, SCORECARD)
    KpiResult.objects.filter(kpi=kpi).update(value=Decimal(4321))
    assert "4,321" in html(client, SCORECARD)


# Risk register: a refresh, the import, the admin ------------------------------------------


def test_a_recorded_refresh_is_on_the_next_register(client, erin):
    risk = make_risk(current_likelihood=2, current_impact=2)
    client.force_login(erin)
    assert "Low" in html(client, REGISTER)
    data = {"date": "2019-12-31", "label": "Q3 2019/20", "version": str(register_version())}
    data["changing"] = risk.ref
    for name in ("current_likelihood", "current_impact", "target_likelihood", "target_impact"):
        data[f"{risk.ref}-{name}"] = str(getattr(risk, name))
    data.update(
        {
            f"{risk.ref}-current_likelihood": "5",
            f"{risk.ref}-current_impact": "5",
            f"{risk.ref}-reason": "Funding withdrawn",
        }
    )
    assert client.post(reverse("risks:refresh-record"), data).status_code == 302
    assert Risk.objects.get(pk=risk.pk).current_score == 25
    assert "Q3 2019/20" in html(client, REGISTER)


def test_a_risk_imported_by_command_is_on_the_next_register(client, erin, tmp_path):
    make_risk(title="Cyber attack")
    client.force_login(erin)
    assert "Flooding of the depots" not in html(client, REGISTER)
    file = tmp_path / "register.csv"
    file.write_text(
        "ref,title,description,owner_name,date_raised,current_likelihood,current_impact,"
        "target_likelihood,target_impact\n"
        "CRR0901,Flooding of the depots,If rivers flood,Zena Cooke,2019-04-01,4,5,3,4\n"
    )
    call_command("import_risks", str(file), stdout=None)
    assert "Flooding of the depots" in html(client, REGISTER)


def test_a_risk_renamed_in_the_admin_is_on_the_next_register(client, erin, superuser):
    risk = make_risk(title="Cyber attack")
    client.force_login(erin)
    assert "Cyber attack" in html(client, REGISTER)
    client.force_login(superuser)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    data = admin_form_data(client, url)
    data["title"] = ["Ransomware attack"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.force_login(erin)
    page = html(client, REGISTER)
    assert "Ransomware attack" in page and "Cyber attack" not in page


def test_a_bulk_update_is_on_the_next_register(client, erin):
    risk = make_risk(title="Cyber attack")
    client.force_login(erin)
    assert "Cyber attack" in html(client, REGISTER)
    Risk.objects.filter(pk=risk.pk).update(title="Ransomware attack")  # no signal sent
    assert "Ransomware attack" in html(client, REGISTER)


# Outcome dashboard: returns (service, import), the analysis, the admin --------------------


@pytest.fixture
def activity(db):
    activity = make_activity(outcome=make_outcome(1), title="Roads resurfaced")
    make_return(activity, Q2, delivery=Return.Delivery.ON_TRACK)
    return activity


def test_a_return_saved_is_on_the_next_dashboard(client, dan, activity):
    client.force_login(dan)
    before = client.get(DASHBOARD).context
    assert before is not None
    Return.objects.filter(activity=activity).update(delivery=Return.Delivery.UNLIKELY)
    page = html(client, DASHBOARD)
    assert "Roads resurfaced" in page.split('id="not-on-track"', 1)[1]


def test_a_second_activity_s_return_is_counted_on_the_next_dashboard(client, dan, activity):
    client.force_login(dan)
    assert not html(client, DASHBOARD).count("Bridges repaired")
    make_return(make_activity(outcome=activity.outcome, title="Bridges repaired"), Q2)
    assert "Bridges repaired" in html(client, DASHBOARD)


def test_the_analysis_saved_in_its_form_is_on_the_next_dashboard(client, dan, activity):
    client.force_login(dan)
    html(client, DASHBOARD)
    url = reverse("monitoring:analysis-edit", kwargs={"outcome": 1, "period": Q2})
    response = client.post(url, {"text": "Delivery held up well this quarter.", "version": 0})
    assert response.status_code == 302
    assert "Delivery held up well this quarter." in html(client, DASHBOARD)


def test_an_activity_renamed_in_the_admin_is_on_the_next_dashboard(
    client, dan, activity, superuser
):
    client.force_login(dan)
    assert "Roads resurfaced" in html(client, DASHBOARD)
    client.force_login(superuser)
    url = reverse("admin:monitoring_activity_change", args=[activity.pk])
    form = client.get(url).context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "outcome": activity.outcome_id,
        "directorate": activity.directorate_id,
        "lead_officer": activity.lead_officer_id,
        "activity_type": activity.activity_type_id,
        "sdp_start": "2019-01-01",
        "sdp_end": "2020-03-31",
        "is_active": "on",
        "title": "Pavements resurfaced",
    }
    data.pop("corporate_board", None)
    data.pop("delegates", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Activity.objects.get(pk=activity.pk).title == "Pavements resurfaced"
    client.force_login(dan)
    assert "Pavements resurfaced" in html(client, DASHBOARD)


def test_returns_imported_by_command_are_on_the_next_dashboard(client, dan, activity, tmp_path):
    client.force_login(dan)
    assert "Went badly" not in html(client, DASHBOARD)
    file = tmp_path / "returns.csv"
    file.write_text(
        "quarter,outcome,activity,delivery,started,progress,issues,issue_description,"
        "mitigation,risk_registers\n"
        f"Q2 2019/20,1,{activity.number},unlikely,yes,Went badly,capacity,Not enough staff,"
        "Escalated,project\n"
    )
    call_command("import_returns", str(file), stdout=None)
    assert Return.objects.get(activity=activity).delivery == Return.Delivery.UNLIKELY
    assert "Roads resurfaced" in html(client, DASHBOARD).split('id="not-on-track"', 1)[1]


# KPI executive summary --------------------------------------------------------------------

SUMMARY = reverse("kpis:summary", kwargs={"period": "2019-20-q2"})


def test_the_summary_comes_from_the_cache_and_a_new_value_is_on_the_next_one(client, dan, kpi):
    client.force_login(dan)
    assert not _served_from_cache(client, SUMMARY)
    assert _served_from_cache(client, SUMMARY)
    assert "1 are Green" not in html(client, SUMMARY)  # 85 against a target of 90
    KpiResult.objects.filter(kpi=kpi).update(value=Decimal(95))
    assert not _served_from_cache(client, SUMMARY)
    assert "1 are Green" in html(client, SUMMARY)


def test_a_new_kpi_is_counted_on_the_next_summary(client, dan, kpi):
    client.force_login(dan)
    assert "1 KPIs</a>" in html(client, SUMMARY)
    other = make_kpi(code="CYPE06", title="Pupils counting well", unit="number")
    make_result(other, "Q2 2019/20", 10)
    assert "2 KPIs</a>" in html(client, SUMMARY)


def test_a_cached_fragment_loses_the_templates_indentation_and_keeps_its_line_breaks(db):
    html = '<tr>\n        <td >A  b</td>\n\n\t<td>{"a":"x y"}</td>\n</tr>'
    assert figure_cache.compact(html) == '<tr>\n<td >A  b</td>\n\n<td>{"a":"x y"}</td>\n</tr>'
    served = figure_cache.fragment("t", ("compact",), ("kccperf",), lambda: html)
    assert served == figure_cache.compact(html)
