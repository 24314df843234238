"""Importing historic returns: row/column errors, all-or-nothing, re-import changes nothing."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kccperf import demo as organisation_demo
from kccperf.demo import read_fixture
from monitoring import demo
from monitoring.imports import ReturnsImporter
from monitoring.models import Return, ReturnRevision
from tests.monitoring.factories import Q2, make_activity, make_outcome

HEADER = [c.name for c in ReturnsImporter.columns]


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in HEADER})
    return buffer.getvalue().encode("utf-8")


def row(act, **overrides):
    data = {
        "quarter": "Q2 2019/20",
        "outcome": str(act.outcome.number),
        "activity": str(act.number),
        "delivery": "Yes, it is on track",
        "started": "yes",
        "progress": "Going well.",
        "approval_date": "15/07/2019",
        "expected_cabinet_committee": "2019-11-26; not known",
        "expected_informal": "scb 2019-10-01",
        "forward_plan": "informal",
    }
    data.update(overrides)
    return data


@pytest.fixture
def activities(db):
    outcome = make_outcome(1)
    return [make_activity(outcome=outcome, number=n) for n in (1, 2, 3)]


def test_a_valid_file_imports_every_row(activities, dan):
    content = to_csv([row(a) for a in activities])
    plan = ReturnsImporter().run(content, "returns.csv", dan)
    assert plan.ok and len(plan.new) == 3
    ret = Return.objects.get(activity=activities[0])
    assert ret.status == "submitted" and ret.delivery == "on_track"
    assert [(m.kind, str(m.date)) for m in ret.milestones.all()] == [("approval", "2019-07-15")]
    assert sorted(
        (g.board, g.informal_board, str(g.expected_date), g.on_forward_plan)
        for g in ret.expected_governance.all()
    ) == [
        ("cabinet_committee", "", "2019-11-26", False),
        ("cabinet_committee", "", "None", False),
        ("informal", "scb", "2019-10-01", True),
    ]
    assert ret.revisions.get().action == ReturnRevision.Action.IMPORTED


def test_errors_name_the_row_and_column_and_nothing_is_written(activities, dan):
    rows = [
        row(activities[0]),
        row(activities[1], delivery="sideways", approval_date="31/02/2020"),
        row(activities[2], delivery="remedial"),
        row(activities[0], activity="99"),
    ]
    plan = ReturnsImporter().run(to_csv(rows), "returns.csv", dan)
    messages = [str(e) for e in plan.errors]
    assert 'Row 3, column "delivery": must be one of' in messages[0]
    assert (
        "Row 3, column \"approval_date\": not a date like 2019-09-30 or 30/09/2019 ('31/02/2020')"
        in messages
    )
    # The form's messages (monitoring.rules), under the row and column.
    assert (
        'Row 4, column "issues": Select at least one issue, as the activity is not on track'
        in messages
    )
    assert (
        'Row 4, column "issue_description": Describe the issues, as the activity is not on track'
        in messages
    )
    assert 'Row 5, column "activity": there is no activity 1.99' in messages
    assert not Return.objects.exists()


def test_a_missing_or_unknown_column_is_reported_against_row_1(activities, dan):
    content = b"quarter,outcome,activity,colour\nQ2 2019/20,1,1,red\n"
    plan = ReturnsImporter().plan(content, "returns.csv")
    messages = [str(e) for e in plan.errors]
    assert 'Row 1, column "delivery": this column is missing' in messages
    assert any(m.startswith('Row 1, column "colour": unknown column') for m in messages)


def test_dates_are_checked_like_the_form(activities, dan):
    rows = [
        row(activities[0], new_end_date="2020-03-31"),  # SDP end is 2020-03-31
        row(activities[1], eqia_date="2040-01-01"),
    ]
    messages = [str(e) for e in ReturnsImporter().plan(to_csv(rows), "r.csv").errors]
    assert messages == [
        'Row 2, column "new_end_date": The new end date must be after the SDP end date, 31/03/2020',
        'Row 3, column "eqia_date": 2040-01-01 is not between 2015 and 2035',
    ]


def test_importing_the_same_file_again_changes_nothing(activities, dan):
    content = to_csv([row(a) for a in activities])
    ReturnsImporter().run(content, "returns.csv", dan)
    versions = list(Return.objects.order_by("pk").values_list("pk", "version"))
    plan = ReturnsImporter().run(content, "returns.csv", dan)
    assert plan.ok and len(plan.unchanged) == 3 and not plan.new and not plan.changed
    assert list(Return.objects.order_by("pk").values_list("pk", "version")) == versions


def test_a_changed_row_shows_what_changes(activities, dan):
    ReturnsImporter().run(to_csv([row(activities[0])]), "returns.csv", dan)
    plan = ReturnsImporter().plan(to_csv([row(activities[0], progress="Revised.")]), "r.csv")
    assert [c.fields for c in plan.changed] == [[("progress", "Going well.", "Revised.")]]


def fixture_rows():
    """The demo fixture's returns, written in the import format."""
    rows = []
    for r in read_fixture("monitoring_demo.json")["returns"]:
        m = r["milestones"]
        cells = {
            "quarter": r["quarter"],
            "outcome": r["outcome"],
            "activity": r["number"],
            "delivery": r["delivery"],
            "started": "yes" if r["started"] else "no",
            "progress": r["progress"],
            "new_end_date": r["new_end_date"] or "",
            "new_go_live": r["new_go_live"] or "",
            "issues": "; ".join(r["issues"]),
            "other_issue": r["other_issue_text"] or "",
            "issue_description": r["issue_description"] or "",
            "mitigation": r["mitigation"] or "",
            "mitigation_none_yet": "yes" if r["mitigation_none_yet"] else "",
            "risk_registers": "; ".join(r["risk_registers"]),
            "boards_reported": "; ".join(r["reported"]),
            "reported_informal_board": r.get("reported_informal_board", ""),
        }
        for kind in ("approval", "eqia", "consultation", "key_decision", "go_live"):
            cells[f"{kind}_date"] = m[kind] or ""
        if m["other"]:
            cells["other_milestone"] = m["other"]["text"]
            cells["other_milestone_date"] = m["other"]["date"] or "not known"
        plans = set()
        for e in r["expected"]:
            column = f"expected_{e['board']}"
            value = e["date"] or "not known"
            if e["board"] == "informal":
                value = f"{e['informal_board']} {value}"
            cells[column] = "; ".join(filter(None, [cells.get(column, ""), value]))
            if e["on_forward_plan"]:
                plans.add(e["board"])
        cells["forward_plan"] = "; ".join(sorted(plans))
        rows.append(cells)
    return rows


def test_the_demo_returns_written_as_a_file_import_as_unchanged(db, dan):
    organisation_demo.load("pw")
    demo.load("pw")
    plan = ReturnsImporter().plan(to_csv(fixture_rows()), "demo.csv")
    assert plan.errors == []
    assert len(plan.unchanged) == 158, [c.fields for c in plan.changed][:3]


def test_the_management_command_imports_and_refuses_a_bad_file(activities, dan, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv([row(activities[0])]))
    call_command("import_returns", str(good), "--user", "dan", stdout=io.StringIO())
    assert Return.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([row(activities[1]), row(activities[2], started="maybe")]))
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_returns", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert Return.objects.count() == 1


def test_the_upload_page_previews_then_imports(client, dan, activities):
    client.force_login(dan)
    upload = io.BytesIO(to_csv([row(a) for a in activities]))
    upload.name = "returns.csv"
    response = client.post(reverse("monitoring:import-returns"), {"file": upload})
    assert response.status_code == 200
    assert "3" in response.content.decode() and not Return.objects.exists()
    batch = response.context["batch"]
    url = reverse("monitoring:import-returns-confirm", kwargs={"batch_id": batch.pk})
    assert client.post(url).status_code == 302
    assert Return.objects.for_quarter(Q2).count() == 3


def test_the_template_has_every_column(client, dan):
    client.force_login(dan)
    response = client.get(reverse("monitoring:import-returns-template", kwargs={"fmt": "csv"}))
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == HEADER


def test_an_xlsx_file_built_from_the_template_imports(activities, dan):
    from openpyxl import Workbook, load_workbook

    template = load_workbook(io.BytesIO(ReturnsImporter().template_xlsx()))
    header = [cell.value for cell in next(template.active.iter_rows(max_row=1))]
    assert header == HEADER
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    values = row(activities[0], delivery="It requires remedial action", issues="Capacity")
    values.update(
        issue_description="Short of staff", mitigation="Recruiting", risk_registers="none"
    )
    sheet.append([values.get(name, "") for name in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = ReturnsImporter().run(buffer.getvalue(), "returns.xlsx", dan)
    assert plan.ok, [str(e) for e in plan.errors]
    ret = Return.objects.get(activity=activities[0])
    assert ret.delivery == "remedial" and ret.risk_registers == ["none"]
    assert [t.key for t in ret.issues.all()] == ["capacity"]


def test_a_failure_while_writing_the_third_return_writes_none_of_the_file(
    activities, dan, monkeypatch
):
    from monitoring import imports

    written = []

    def import_return(*args, **kwargs):
        if len(written) == 2:
            raise RuntimeError("the third return fails")
        written.append(imports_import_return(*args, **kwargs))

    imports_import_return = imports.import_return
    monkeypatch.setattr(imports, "import_return", import_return)
    with pytest.raises(RuntimeError, match="third return"):
        ReturnsImporter().run(to_csv([row(a) for a in activities]), "returns.csv", dan)
    assert len(written) == 2
    assert not Return.objects.exists() and not ReturnRevision.objects.exists()
