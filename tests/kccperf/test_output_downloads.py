"""Every download survives hostile stored text: control characters (Word's vertical tab),
XML non-characters, 100 KB texts and formula-leading text, put into real rows through the
ORM and downloaded through the pages as an analyst. Each file must answer 200, open, and
hold the text sanitised (and formula-escaped in spreadsheets)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kpis.models import DirectorateCommentary, Kpi
from monitoring.models import Activity, IssueTheme, Return
from reports.models import Report, ReportTable, ReportVersion
from risks.models import MitigatingAction, Risk
from tests.factories import PASSWORD
from tests.kccperf.hostile import (
    assert_in_csv,
    assert_in_docx,
    assert_in_xlsx,
    hostile,
    long_hostile,
)
from tests.reports.factories import make_published

pytestmark = pytest.mark.django_db

Q2 = Quarter(2019, 2)
THEME = "Activities not on track with issues of the theme: {}"


@pytest.fixture
def texts(db) -> dict[str, str]:
    """The demo data with hostile text in a KPI, a directorate's commentary, an activity
    not on track and its return, an outstanding activity, an issue theme, a risk, an action
    and a supporting table; returns the stored texts by name."""
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)
    period = ReportingPeriod.objects.get(start=Q2.start)
    stored = {
        "kpi": hostile("=", "KPI-TITLE"),
        "commentary": long_hostile("+", "COMMENTARY"),
        "activity": hostile("-", "ACTIVITY-TITLE"),
        "mitigation": long_hostile("@", "MITIGATION"),
        "outstanding": hostile("+", "OUTSTANDING"),
        "theme": hostile("=", "THEME"),
        "risk": hostile("=", "RISK-TITLE"),
        "description": long_hostile("-", "RISK-DESCRIPTION"),
        "action": long_hostile("+", "ACTION"),
        "table": hostile("@", "TABLE-TITLE"),
    }
    kpi = Kpi.objects.order_by("code").first()
    Kpi.objects.filter(pk=kpi.pk).update(title=stored["kpi"])
    DirectorateCommentary.objects.update_or_create(
        directorate=kpi.directorate, period=period, defaults={"text": stored["commentary"]}
    )
    late = Return.objects.filter(period=period, delivery="unlikely", activity__outcome__number=1)
    late = late.order_by("activity__number").first()
    Activity.objects.filter(pk=late.activity_id).update(title=stored["activity"])
    Return.objects.filter(pk=late.pk).update(mitigation=stored["mitigation"])
    outstanding = Return.objects.filter(period=period, delivery="on_track").first()
    Return.objects.filter(pk=outstanding.pk).update(status=Return.Status.DRAFT)
    Activity.objects.filter(pk=outstanding.activity_id).update(title=stored["outstanding"])
    IssueTheme.objects.filter(pk=late.issues.first().pk).update(label=stored["theme"])
    risk = Risk.objects.order_by("ref").first()
    Risk.objects.filter(pk=risk.pk).update(title=stored["risk"], description=stored["description"])
    MitigatingAction.objects.filter(pk=risk.actions.first().pk).update(description=stored["action"])
    table = ReportTable.objects.for_quarter(Q2).order_by("pk").first()
    ReportTable.objects.filter(pk=table.pk).update(title=stored["table"])
    stored["owner"] = Risk.objects.get(pk=risk.pk).owner  # as the register shows it
    return stored


def test_every_spreadsheet_download_survives_hostile_text(client, dan, texts):
    client.force_login(dan)
    kpis = reverse("kpis:scorecard", kwargs={"period": Q2})
    council = reverse("monitoring:council-dashboard", kwargs={"period": Q2})
    outcome = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})
    chase = reverse("monitoring:chase-period", kwargs={"period": Q2})
    register = reverse("risks:register")
    scorecards = reverse("monitoring:scorecards-xlsx", kwargs={"outcome": 1, "period": Q2})
    workbook = reverse("reports:workbook", kwargs={"period": Q2})
    theme = THEME.format(texts["theme"])
    csv_downloads = [
        (f"{kpis}?_export=csv", [texts["kpi"]]),
        (f"{council}?_export=csv", [texts["activity"]]),
        (f"{outcome}?_export=csv", [texts["activity"]]),
        (f"{council}?_export=figures", [theme]),
        (f"{outcome}?_export=figures", [theme]),
        (f"{chase}?_export=csv", [texts["outstanding"]]),
        (f"{register}?_export=csv", [texts["risk"], texts["owner"]]),
        (reverse("monitoring:import-returns-template", kwargs={"fmt": "csv"}), []),
    ]
    xlsx_downloads = [
        (f"{kpis}?_export=xlsx", [texts["kpi"]]),
        (f"{council}?_export=xlsx", [texts["activity"]]),
        (f"{outcome}?_export=xlsx", [texts["activity"]]),
        (f"{chase}?_export=xlsx", [texts["outstanding"]]),
        (f"{register}?_export=xlsx", [texts["risk"], texts["owner"]]),
        (scorecards, [texts["activity"], texts["mitigation"]]),
        (
            workbook,
            [
                texts["kpi"],
                texts["activity"],
                texts["mitigation"],
                theme,
                texts["risk"],
                texts["description"],
                texts["action"],
                texts["table"],
            ],
        ),
        (reverse("monitoring:import-returns-template", kwargs={"fmt": "xlsx"}), []),
    ]
    for url, stored in csv_downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_in_csv(response.content, stored)
    for url, stored in xlsx_downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_in_xlsx(response.content, stored)


def _word_downloads(texts: dict[str, str]) -> list[tuple[str, str, int | None, list[str]]]:
    theme = THEME.format(texts["theme"])
    sdp = [texts["activity"], texts["mitigation"], theme]
    return [
        ("/reports/qpr/2019-20-q2/", Report.Kind.QPR, None, [texts["kpi"], texts["commentary"]]),
        ("/reports/sdp/2019-20-q2/", Report.Kind.SDP_COUNCIL, None, sdp),
        ("/reports/sdp/2019-20-q2/outcome-1/", Report.Kind.SDP_OUTCOME, 1, sdp),
    ]


def test_every_word_download_survives_hostile_text_as_a_draft_and_once_published(
    client, dan, texts
):
    client.force_login(dan)
    for url, kind, outcome, stored in _word_downloads(texts):
        response = client.get(f"{url}?draft=1&_export=docx")
        assert response.status_code == 200, url
        assert_in_docx(response.content, stored)
        report = make_published(kind, Q2, outcome=outcome, user=dan)
        version = ReportVersion.objects.filter(report=report).order_by("-number").first()
        assert client.get(f"{url}?version={version.number}").status_code == 200
        response = client.get(f"{url}?version={version.number}&_export=docx")
        assert response.status_code == 200, url
        assert_in_docx(response.content, stored)
