"""Optimistic locking on every form that edits shared data (kccperf/versioning.py).

Two people open the same form; the second saves first; the first person's save is refused with
the "changed since you opened it" answer (409), nothing of theirs is written, their input is
still in the form, and saving that form again keeps their text.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from kccperf.periods import Quarter
from tests.factories import make_cast, make_directorate

Q2 = Quarter.parse("Q2 2019/20")


class _FormReader(HTMLParser):
    """The values a browser would post from the page's ``<form method="post">``."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_post_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_post_form = (a.get("method") or "").lower() == "post"
        if not self._in_post_form or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.data.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = [""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_post_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    data = reader.data
    for values in data.values():  # a textarea's first newline is not part of its value
        if values and values[0].startswith("\n"):
            values[0] = values[0][1:]
    data.pop("csrfmiddlewaretoken", None)
    return data


@dataclass
class EditForm:
    name: str
    who: str  # the role that edits
    field: str  # the text field both people change
    setup: object  # setup(cast) -> URL
    stored: object  # stored() -> the field's saved text
    # What the second person saves first, then what the first person had typed.
    values: tuple[str, str] = (
        "Their text, saved first.",
        "My text, from a form opened before theirs was saved.",
    )


def _risk(cast):
    from tests.risks.factories import make_risk

    return reverse("risks:risk-edit", kwargs={"ref": make_risk().ref})


def _risk_text():
    from risks.models import Risk

    return Risk.objects.get().description


def _action(cast):
    from tests.risks.factories import make_action

    return reverse("risks:action-edit", kwargs={"pk": make_action().pk})


def _action_text():
    from risks.models import MitigatingAction

    return MitigatingAction.objects.get().description


def _analysis(cast):
    from tests.monitoring.factories import make_outcome

    make_outcome(1)
    return reverse("monitoring:analysis-edit", kwargs={"outcome": 1, "period": Q2})


def _analysis_text():
    from monitoring.models import AnalysisText

    return AnalysisText.objects.get().text


def _commentary(cast):
    make_directorate(slug="north")
    return reverse("kpis:commentary-edit", kwargs={"slug": "north", "period": Q2})


def _commentary_text():
    from kpis.models import DirectorateCommentary

    return DirectorateCommentary.objects.get().text


def _report_texts(cast):
    from tests.reports.factories import make_report

    report = make_report()
    return f"{report.get_absolute_url()}texts/"


def _report_text():
    from reports.models import Report

    return Report.objects.get().texts.get("summary", "")


def _kpi_value(cast):
    from tests.kpis.factories import make_kpi, make_result

    make_result(make_kpi(code="CYPE05"), Q2, 85)
    return reverse("kpis:result-edit", kwargs={"code": "CYPE05", "period": Q2})


def _kpi_value_text():
    from kpis.models import KpiResult

    return KpiResult.objects.get().commentary


def _table(cast):
    from tests.reports.factories import make_table

    return reverse("reports:table-edit", kwargs={"pk": make_table().pk})


def _table_text():
    from reports.models import ReportTable

    return ReportTable.objects.get().footnote


def _window(cast):
    from tests.monitoring.factories import make_window

    return reverse("monitoring:window-edit", kwargs={"pk": make_window(Q2).pk})


def _window_closes():
    from monitoring.models import SubmissionWindow

    return SubmissionWindow.objects.get().closes.strftime("%d/%m/%Y")


EDIT_FORMS = [
    EditForm("risk", "erin", "description", _risk, _risk_text),
    EditForm("mitigating action", "erin", "description", _action, _action_text),
    EditForm("analysis", "dan", "text", _analysis, _analysis_text),
    EditForm("directorate commentary", "dan", "text", _commentary, _commentary_text),
    EditForm("report texts", "dan", "summary", _report_texts, _report_text),
    EditForm("KPI value", "dan", "commentary", _kpi_value, _kpi_value_text),
    EditForm("supporting table", "dan", "footnote", _table, _table_text),
    EditForm(
        "submission window", "dan", "closes", _window, _window_closes, ("20/09/2019", "27/09/2019")
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDIT_FORMS, ids=[e.name for e in EDIT_FORMS])
def test_a_stale_save_is_refused_keeping_the_input_and_saving_again_keeps_it(edit):
    cast = make_cast()
    url = edit.setup(cast)
    first, second = Client(), Client()
    first.force_login(cast[edit.who])
    second.force_login(cast[edit.who])
    mine = form_data(first.get(url).content.decode())
    theirs = form_data(second.get(url).content.decode())
    assert mine["version"] == theirs["version"], "the form carries the version it was read at"

    their_value, my_value = edit.values
    theirs[edit.field] = [their_value]
    assert second.post(url, theirs).status_code == 302
    assert edit.stored() == their_value

    mine[edit.field] = [my_value]
    refused = first.post(url, mine)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Someone else changed this" in page and "Nothing you entered was saved" in page
    assert my_value in page
    assert edit.stored() == their_value

    again = form_data(page)
    assert again[edit.field] == [my_value]
    assert first.post(url, again).status_code == 302
    assert edit.stored() == my_value


# The risk refresh: the whole register is what the form was read at ---------------------------


def _refresh_setup():
    from tests.risks.factories import make_refresh, make_risk

    make_refresh("2019-06-30", label="Q1 2019/20")
    make_risk()
    return reverse("risks:refresh-record")


@pytest.mark.django_db
def test_a_refresh_form_opened_before_a_risk_changed_is_refused_keeping_the_input():
    from risks.models import Risk, RiskRefresh

    cast = make_cast()
    url = _refresh_setup()
    first, second = Client(), Client()
    first.force_login(cast["erin"])
    second.force_login(cast["erin"])
    mine = form_data(first.get(url).content.decode())
    risk = Risk.objects.get()
    edit_url = reverse("risks:risk-edit", kwargs={"ref": risk.ref})
    edited = form_data(second.get(edit_url).content.decode())
    edited["title"] = ["Renamed meanwhile"]
    assert second.post(edit_url, edited).status_code == 302

    mine["label"] = ["My label"]
    refused = first.post(url, mine)
    assert refused.status_code == 409
    assert "Someone else changed this risk register" in refused.content.decode()
    assert RiskRefresh.objects.count() == 1
    again = form_data(refused.content.decode())
    assert again["label"] == ["My label"]
    assert first.post(url, again).status_code == 302
    assert RiskRefresh.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_refreshes_with_the_same_date_at_once_record_one_and_answer_the_other():
    from risks.models import RiskRefresh

    cast = make_cast()
    url = _refresh_setup()
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(cast["erin"])
        clients.append((client, form_data(client.get(url).content.decode())))
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def record(client, data):
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    # The later one is answered: a form error (its date is taken) or the stale warning.
    assert sorted(statuses) in ([200, 302], [302, 409]), statuses
    assert RiskRefresh.objects.count() == 2


# An admin save is a save: forms opened before it are stale -----------------------------------


def _admin_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


ADMIN_EDITS = [e for e in EDIT_FORMS if e.name in ("risk", "KPI value")]


@pytest.mark.django_db
@pytest.mark.parametrize("edit", ADMIN_EDITS, ids=[e.name for e in ADMIN_EDITS])
def test_a_form_opened_before_an_admin_edit_is_refused(edit):
    from kpis.models import KpiResult
    from risks.models import Risk

    model = Risk if edit.name == "risk" else KpiResult
    cast = make_cast()
    url = edit.setup(cast)
    officer, admin = Client(), Client()
    officer.force_login(cast[edit.who])
    admin.force_login(cast["root"])
    mine = form_data(officer.get(url).content.decode())

    admin_url = _admin_url(model.objects.get())
    in_admin = form_data(admin.get(admin_url).content.decode())
    in_admin[edit.field] = ["Changed in the admin."]
    response = admin.post(admin_url, in_admin)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert edit.stored() == "Changed in the admin."

    mine[edit.field] = ["My text, from a form opened before the admin's change."]
    refused = officer.post(url, mine)
    assert refused.status_code == 409
    assert edit.stored() == "Changed in the admin."


@pytest.mark.django_db
def test_an_update_form_opened_before_the_status_moved_does_not_move_it_back():
    from risks.models import ActionUpdate, MitigatingAction
    from tests.risks.factories import make_action

    cast = make_cast()
    action = make_action(status=MitigatingAction.Status.PLANNED)
    url = reverse("risks:action-update", kwargs={"pk": action.pk})
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(cast["erin"])
    mine = form_data(first.get(url).content.decode())
    theirs = form_data(second.get(url).content.decode())
    assert mine["status"] == ["planned"]

    theirs.update(text=["Work has started."], status=["in_progress"])
    assert second.post(url, theirs).status_code == 302

    mine["text"] = ["Still waiting for the contractor."]  # status left as it was shown
    refused = first.post(url, mine)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Still waiting for the contractor." in page
    # The page says what the status is now, since the form still holds the one first shown.
    assert "Status of the action now: <strong>In progress / partially complete</strong>" in page
    action.refresh_from_db()
    assert action.status == MitigatingAction.Status.IN_PROGRESS
    assert ActionUpdate.objects.count() == 1

    # Saving again shows the current status and keeps the person's text.
    again = form_data(refused.content.decode())
    again["status"] = ["in_progress"]
    assert first.post(url, again).status_code == 302
    assert ActionUpdate.objects.count() == 2
    action.refresh_from_db()
    assert action.status == MitigatingAction.Status.IN_PROGRESS


@pytest.mark.django_db
def test_updates_that_leave_the_status_alone_both_go_through():
    from risks.models import ActionUpdate
    from tests.risks.factories import make_action

    cast = make_cast()
    url = reverse("risks:action-update", kwargs={"pk": make_action().pk})
    clients = [Client(), Client()]
    forms = []
    for client in clients:
        client.force_login(cast["erin"])
        forms.append(form_data(client.get(url).content.decode()))
    for client, data, text in zip(clients, forms, ("One.", "Two."), strict=True):
        data["text"] = [text]
        assert client.post(url, data).status_code == 302
    assert sorted(ActionUpdate.objects.values_list("text", flat=True)) == ["One.", "Two."]
