"""Every write path the portal has leaves exactly one change-log entry, naming its person.

The list below drives each page that writes (every POST case of the permission matrix,
tests/*/urls_matrix.py, and the forms behind them) with a real, valid submission, then counts
the entries made. A guard fails when the matrix gains a POST URL this list does not drive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kccperf.models import ImportBatch, ReportingPeriod
from tests.audit.helpers import Trail
from tests.factories import PASSWORD, make_directorate
from tests.kccperf.test_stale_saves import form_data
from tests.monitoring.conftest import IN_WINDOW
from tests.monitoring.factories import Q2, make_activity, make_outcome, make_return, make_window
from tests.monitoring.test_return_form import answers, edit_url
from tests.test_permission_matrix import CASES as MATRIX_CASES

NEW_PASSWORD = "Another-long-password-2026"


@dataclass
class Write:
    url_name: str
    who: str | None  # None: not signed in
    # prepare(cast, client) -> (url, data); runs after signing in, before counting.
    prepare: Callable[[dict, Client], tuple[str, dict]]
    id: str = ""
    status: int | tuple[int, ...] = 302
    # The entry names this person (default: who).
    person: str | None = "who"
    at: str | None = None  # a time to travel to (the return window)


def _form(client: Client, url: str, **changes) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    data = form_data(response.content.decode())
    data.update({k: [v] if isinstance(v, str) else v for k, v in changes.items()})
    return data


def _at(url: str, **changes) -> Callable[[dict, Client], tuple[str, dict]]:
    return lambda cast, client: (url, _form(client, url, **changes))


# Accounts ------------------------------------------------------------------------------------


def _login(password: str):
    return lambda cast, client: (reverse("login"), {"username": "alice", "password": password})


def _password_change(cast, client):
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return reverse("password_change"), data


def _password_reset_confirm(cast, client):
    alice = cast["alice"]
    url = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
            "token": default_token_generator.make_token(alice),
        },
    )
    set_password = client.get(url)["Location"]  # the token moves into the session
    return set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def _token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def _two_factor_setup(cast, client):
    url = reverse("two-factor-setup")
    client.get(url)  # makes the device to confirm (its own entry)
    return url, {"token": _token(TOTPDevice.objects.get(user=cast["dan"]))}


def _device(cast) -> TOTPDevice:
    return TOTPDevice.objects.create(user=cast["dan"], name="phone", confirmed=True)


def _two_factor_verify(cast, client):
    return reverse("two-factor-verify"), {"token": _token(_device(cast))}


def _two_factor_disable(cast, client):
    _device(cast)
    return reverse("two-factor-disable"), {}


# Monitoring ----------------------------------------------------------------------------------


def _return(cast, client):
    make_window()
    activity = make_activity(lead_officer=cast["alice"])
    return edit_url(activity), answers()


def _reopen(cast, client):
    make_window()
    activity = make_activity(lead_officer=cast["alice"])
    make_return(activity, Q2)
    url = reverse("monitoring:return-reopen", kwargs={"activity_pk": activity.pk, "period": Q2})
    return url, {"reason": "A figure was wrong."}


def _window_create(cast, client):
    data = {"quarter": "Q3 2019/20", "opens": "01/12/2019", "closes": "14/12/2019"}
    url = reverse("monitoring:window-create")
    return url, {**_form(client, url), **data}


def _window_edit(cast, client):
    url = reverse("monitoring:window-edit", kwargs={"pk": make_window(Q2).pk})
    return url, _form(client, url, closes="20/09/2019")


def _remind(cast, client):
    today = timezone.localdate()
    quarter = Q2.containing(today).previous()
    make_window(quarter, opens=today - timedelta(days=3), closes=today + timedelta(days=3))
    make_activity(lead_officer=cast["alice"])
    return reverse("monitoring:chase-remind", kwargs={"period": quarter}), {}


def _analysis(cast, client):
    make_outcome(1)
    url = reverse("monitoring:analysis-edit", kwargs={"outcome": 1, "period": Q2})
    return url, _form(client, url, text="The outcome's analysis.")


def _council_analysis(cast, client):
    url = reverse("monitoring:council-analysis-edit", kwargs={"period": Q2})
    return url, _form(client, url, text="The council's analysis.")


# KPIs ----------------------------------------------------------------------------------------


def _commentary(cast, client):
    make_directorate(slug="north")
    url = reverse("kpis:commentary-edit", kwargs={"slug": "north", "period": Q2})
    return url, _form(client, url, text="A directorate's commentary.")


def _result(cast, client):
    from tests.kpis.factories import make_kpi, make_result

    make_result(make_kpi(code="CYPE05"), Q2, 85)
    url = reverse("kpis:result-edit", kwargs={"code": "CYPE05", "period": Q2})
    return url, _form(client, url, commentary="Checked against the source.")


# Imports (every importer: upload, then confirm) ----------------------------------------------

IMPORTS = {
    "monitoring:import-returns": "dan",
    "kpis:import-results": "dan",
    "kpis:import-targets": "dan",
    "kpis:import-indicators": "dan",
    "risks:import": "erin",
    "reports:import-tables": "dan",
}


def _importer(name: str):
    return resolve(reverse(name)).func.importer_class()


def _upload(name: str):
    def prepare(cast, client):
        content = _importer(name).template_csv()
        if isinstance(content, str):
            content = content.encode()
        return reverse(name), {"file": SimpleUploadedFile("data.csv", content, "text/csv")}

    return prepare


def _confirm(name: str, who: str):
    def prepare(cast, client):
        importer = _importer(name)
        content = importer.template_csv()
        batch = ImportBatch.objects.create(
            kind=importer.kind,
            filename="data.csv",
            content=content.encode() if isinstance(content, str) else content,
            uploaded_by=cast[who],
            status=ImportBatch.Status.PENDING,
        )
        return reverse(f"{name}-confirm", kwargs={"batch_id": batch.pk}), {}

    return prepare


# Risks ---------------------------------------------------------------------------------------


def _risk_url(name: str, **changes):
    def prepare(cast, client):
        from tests.risks.factories import make_risk

        url = reverse(name, kwargs={"ref": make_risk().ref})
        return url, _form(client, url, **changes)

    return prepare


def _risk_create(cast, client):
    from tests.risks.factories import make_risk

    edit = reverse("risks:risk-edit", kwargs={"ref": make_risk().ref})
    data = _form(client, edit, title="A new corporate risk")
    scores = ("current_likelihood", "current_impact", "target_likelihood", "target_impact")
    data.update({name: ["3"] for name in scores})
    data.pop("version", None)
    url = reverse("risks:risk-create")
    return url, {**_form(client, url), **data}


def _action_url(name: str, **changes):
    def prepare(cast, client):
        from tests.risks.factories import make_action

        url = reverse(name, kwargs={"pk": make_action().pk})
        return url, _form(client, url, **changes)

    return prepare


def _action_create(cast, client):
    from tests.risks.factories import make_action

    action = make_action()
    edit = reverse("risks:action-edit", kwargs={"pk": action.pk})
    data = _form(client, edit, description="Another mitigating action.")
    data.pop("version", None)
    url = reverse("risks:action-create", kwargs={"ref": action.risk.ref})
    return url, {**_form(client, url), **data}


def _refresh(cast, client):
    from tests.risks.factories import make_refresh, make_risk

    make_refresh("2019-06-30", label="Q1 2019/20")
    make_risk()
    url = reverse("risks:refresh-record")
    return url, _form(client, url, label="Q2 2019/20", date="30/09/2019")


# Reports -------------------------------------------------------------------------------------

REPORTS = {"qpr": {}, "sdp-council": {}, "sdp-outcome": {"number": 1}}


def _report(kind: str, what: str):
    def prepare(cast, client):
        from tests.reports.factories import make_report

        make_outcome(1)
        make_report(kind, outcome=REPORTS[kind].get("number"))
        url = reverse(f"reports:{kind}-{what}", kwargs={"period": Q2, **REPORTS[kind]})
        if what == "publish":
            return url, {"note": "Published for CMT."}
        data = _form(client, url)
        for name in list(data):
            if name not in ("version",):
                data[name] = [f"Analysts' {name}."]
        return url, data

    return prepare


def _table(cast, client):
    from tests.reports.factories import make_table

    url = reverse("reports:table-edit", kwargs={"pk": make_table().pk})
    return url, _form(client, url, footnote="Source: the performance team.")


def _kpi_value(cast):
    from tests.kpis.factories import make_kpi
    from tests.kpis.test_verification import _value

    return _value(make_kpi(), by=cast["dan"])


def _verify_one(cast, client):
    result = _kpi_value(cast)
    url = reverse("kpis:result-verify", kwargs={"code": result.kpi.code, "period": Q2})
    return url, {"version": result.version}


def _verify_quarter(cast, client):
    results = [_kpi_value(cast) for _ in range(2)]
    url = reverse("kpis:verify", kwargs={"period": Q2})
    return url, {"verify": [f"{r.pk}:{r.version}" for r in results]}


def _sign_off(action: str, **data):
    def prepare(cast, client):
        from monitoring.models import Return
        from tests.monitoring.urls_matrix import _awaiting_carol

        kwargs = _awaiting_carol(cast)
        ret = Return.objects.get(activity_id=kwargs["activity_pk"])
        url = reverse("monitoring:return-sign-off", kwargs={**kwargs, "period": Q2})
        return url, {"version": str(ret.version), "action": action, **data}

    return prepare


def _period_stage(cast, client):
    ReportingPeriod.objects.ensure(Q2)
    return reverse("period-stage", kwargs={"period": Q2}), {"action": "close"}


WRITES = [
    Write("login", None, _login(PASSWORD), person="alice"),
    Write("login", None, _login("wrong password"), id="failed", status=200, person=None),
    Write("logout", "alice", lambda cast, client: (reverse("logout"), {})),
    Write("password_change", "alice", _password_change),
    Write("password_reset_confirm", None, _password_reset_confirm, person=None),
    Write("two-factor-setup", "dan", _two_factor_setup),
    Write("two-factor-verify", "dan", _two_factor_verify),
    Write("two-factor-disable", "dan", _two_factor_disable),
    Write("period-stage", "dan", _period_stage),
    Write("monitoring:return-edit", "alice", _return, at=IN_WINDOW),
    Write("monitoring:return-reopen", "dan", _reopen),
    Write("monitoring:window-create", "dan", _window_create),
    Write("monitoring:window-edit", "dan", _window_edit),
    Write("monitoring:chase-remind", "dan", _remind),
    Write("monitoring:return-sign-off", "carol", _sign_off("sign_off")),
    Write(
        "monitoring:return-sign-off",
        "carol",
        _sign_off("send_back", comment="Please add the revised end date."),
        id="send-back",
    ),
    Write(
        "monitoring:return-sign-off",
        "dan",
        _sign_off("sign_off", reason="Carol is on leave."),
        id="on-behalf",
    ),
    Write("monitoring:analysis-edit", "dan", _analysis),
    Write("monitoring:council-analysis-edit", "dan", _council_analysis),
    Write("kpis:commentary-edit", "dan", _commentary),
    Write("kpis:result-edit", "dan", _result),
    Write("kpis:result-verify", "dan", _verify_one),
    Write("kpis:verify", "dan", _verify_quarter),
    # An upload is kept (previewed, or refused with its errors) and a confirm applies it (or
    # refuses it, the data having changed): a write either way. The templates' example rows
    # name records these tests do not make, so most are refused (422).
    *(Write(name, who, _upload(name), status=(200, 422)) for name, who in IMPORTS.items()),
    *(
        Write(f"{name}-confirm", who, _confirm(name, who), status=(302, 422))
        for name, who in IMPORTS.items()
    ),
    Write("risks:risk-create", "erin", _risk_create),
    Write("risks:risk-edit", "erin", _risk_url("risks:risk-edit", title="Renamed risk")),
    Write("risks:risk-remove", "erin", _risk_url("risks:risk-remove", reason="Closed.")),
    Write("risks:action-create", "erin", _action_create),
    Write("risks:action-edit", "erin", _action_url("risks:action-edit", description="Re-worded.")),
    Write("risks:action-update", "erin", _action_url("risks:action-update", text="Under way.")),
    Write("risks:refresh-record", "erin", _refresh),
    *(Write(f"reports:{k}-publish", "dan", _report(k, "publish")) for k in REPORTS),
    *(Write(f"reports:{k}-texts", "dan", _report(k, "texts")) for k in REPORTS),
    Write("reports:table-edit", "dan", _table),
]
# POSTs of the matrix that change no data (the session, an e-mail): no entry.
NOT_DATA = {
    "switch-period": "the quarter shown is kept in the session",
    "password_reset": "sends an e-mail (or nothing); writes no data",
    "audit:change-log": "GET only",
}


def test_every_post_of_the_permission_matrix_is_driven_here():
    posted = {case.url_name for case in MATRIX_CASES if case.method == "post"}
    driven = {w.url_name for w in WRITES} | set(NOT_DATA)
    assert not posted - driven, f"add a Write for {sorted(posted - driven)}"


@pytest.mark.parametrize(
    "write", WRITES, ids=[f"{w.url_name}{'-' + w.id if w.id else ''}" for w in WRITES]
)
def test_each_write_leaves_exactly_one_entry_naming_its_person(cast, write):
    client = Client()
    travel = time_machine.travel(write.at, tick=True) if write.at else None
    if travel:
        travel.start()
    try:
        if write.who:
            client.force_login(cast[write.who])
        url, data = write.prepare(cast, client)
        trail = Trail()
        response = client.post(url, data)
    finally:
        if travel:
            travel.stop()
    statuses = write.status if isinstance(write.status, tuple) else (write.status,)
    assert response.status_code in statuses, response.content.decode()[:3000]
    entries = trail.new()
    assert len(entries) == 1, [(e.metadata, list(e.changes.values_list("model"))) for e in entries]
    [entry] = entries
    assert entry.changes.exists()
    person = write.who if write.person == "who" else write.person
    expected = cast[person].pk if person else None
    assert entry.metadata.get("user") == expected
    assert entry.metadata.get("url") == url.split("?")[0]


@pytest.mark.parametrize("name", sorted(set(NOT_DATA) - {"audit:change-log"}))
def test_posts_that_change_no_data_leave_no_entry(cast, name):
    client = Client()
    client.force_login(cast["dan"])
    data = {"period": "2019-20-q1", "next": "/"} if name == "switch-period" else {}
    if name == "password_reset":
        data = {"email": "dan@example.org"}
    trail = Trail()
    assert client.post(reverse(name), data).status_code == 302
    assert trail.new() == []
