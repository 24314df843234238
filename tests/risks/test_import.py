"""Importing the register from CSV/XLSX: all or nothing, errors by row and column."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kccperf.models import Directorate
from risks.imports import RiskRegisterImporter
from risks.models import Risk, RiskHistory
from tests.risks.factories import make_category, make_risk

HEADER = (
    "ref,title,description,owner_name,owner_title,cabinet_member,directorates,category,"
    "date_raised,current_likelihood,current_impact,target_likelihood,target_impact,"
    "reason_for_change\n"
)


def csv_file(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def lists(db):
    Directorate.objects.create(name="Finance", short_name="FIN", slug="finance")
    make_category(name="Financial")


def test_a_valid_file_creates_risks_and_a_second_run_changes_nothing(lists, erin):
    content = csv_file(
        "CRR0101,Cyber attack,If attackers get in,Zena Cooke,Director,,FIN,Financial,"
        "2019-04-01,4,5,3,4,"
    )
    plan = RiskRegisterImporter().run(content, "register.csv", erin)
    assert plan.ok and len(plan.new) == 1
    risk = Risk.objects.get(ref="CRR0101")
    assert (risk.current_score, risk.category.name) == (20, "Financial")
    assert [d.slug for d in risk.directorates.all()] == ["finance"]
    assert RiskHistory.objects.get(risk=risk).summary == "Risk created by import"
    again = RiskRegisterImporter().run(content, "register.csv", erin)
    assert (len(again.new), len(again.changed), len(again.unchanged)) == (0, 0, 1)


def test_errors_name_the_row_and_column_and_nothing_is_written(lists, erin):
    content = csv_file(
        "CRR0101,Fine,desc,Owner,,,,,2019-04-01,4,5,3,4,",
        "CRR0102,Bad,desc,Owner,,,,Nonsense,2019-04-01,6,5,3,4,",
        "XYZ1,Bad ref,desc,Owner,,,,,not a date,1,1,1,1,",
    )
    plan = RiskRegisterImporter().run(content, "register.csv", erin)
    messages = [str(e) for e in plan.errors]
    assert "Row 3, column \"category\": not a risk category ('Nonsense')" in messages
    assert 'Row 3, column "current_likelihood": must be between 1 and 5, got 6' in messages
    assert any(m.startswith('Row 4, column "ref": not a reference like CRR0001') for m in messages)
    assert any(m.startswith('Row 4, column "date_raised"') for m in messages)
    assert not Risk.objects.exists()


def test_a_changed_score_needs_a_reason_which_goes_into_the_history(lists, erin):
    risk = make_risk(ref="CRR0002", current_likelihood=4, current_impact=5)
    row = (
        f"CRR0002,{risk.title},desc,Owner,,,,,2018-04-01,3,5,"
        f"{risk.target_likelihood},{risk.target_impact},"
    )
    plan = RiskRegisterImporter().run(csv_file(row), "register.csv", erin)
    assert [str(e) for e in plan.errors] == [
        'Row 2, column "reason_for_change": is empty, but the current likelihood changed'
    ]
    plan = RiskRegisterImporter().run(csv_file(row + "Controls work"), "r.csv", erin)
    assert plan.ok
    risk.refresh_from_db()
    assert risk.current_score == 15
    changes = RiskHistory.objects.get(risk=risk).changes
    assert changes["current_likelihood"] == [4, 3]
    assert changes["reason"] == [None, "Controls work"]


def test_an_xlsx_file_is_read_from_its_first_sheet(lists, erin):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        ["CRR0103", "Flooding", "desc", "Owner", "", "", "", "", "2019-04-01", 2, 3, 1, 3, ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = RiskRegisterImporter().run(buffer.getvalue(), "register.xlsx", erin)
    assert plan.ok
    assert Risk.objects.get(ref="CRR0103").current_score == 6


def test_the_upload_page_previews_then_applies_on_confirm(client, lists, erin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from kccperf.models import ImportBatch

    client.force_login(erin)
    upload = SimpleUploadedFile(
        "register.csv", csv_file("CRR0104,Storms,desc,Owner,,,,,2019-04-01,2,2,1,1,")
    )
    response = client.post(reverse("risks:import"), {"file": upload})
    assert response.status_code == 200
    assert not Risk.objects.filter(ref="CRR0104").exists()
    batch = ImportBatch.objects.get()
    response = client.post(reverse("risks:import-confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert Risk.objects.filter(ref="CRR0104").exists()


def test_the_template_lists_every_column(client, erin):
    from django.urls import reverse

    client.force_login(erin)
    response = client.get(reverse("risks:import-template", args=["csv"]))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == HEADER.strip()


def test_a_reason_given_in_the_import_shows_on_the_next_refresh_overview(lists, erin, client):
    from datetime import date

    from django.urls import reverse

    from risks.services import RefreshLine, record_refresh

    risk = make_risk(ref="CRR0101", current_likelihood=3, current_impact=4)
    first = record_refresh(
        date(2019, 6, 30), "Q1 2019/20", [RefreshLine(risk, risk.position)], erin
    )
    content = csv_file(
        f"CRR0101,{risk.title},desc,Owner,,,,,2018-04-01,4,5,2,3,Supplier failed an audit"
    )
    assert RiskRegisterImporter().run(content, "register.csv", erin).ok
    risk.refresh_from_db()
    second = record_refresh(
        date(2019, 9, 30), "Q2 2019/20", [RefreshLine(risk, risk.position)], erin
    )
    assert second.entries.get().reason == "Supplier failed an audit"
    client.force_login(erin)
    page = client.get(reverse("risks:overview-refresh", kwargs={"pk": second.pk}))
    row = page.content.decode().split('data-ref="CRR0101"')[1].split("</tr>")[0]
    assert "Supplier failed an audit" in row and "No reason recorded" not in row
    assert first.entries.get().reason == ""
