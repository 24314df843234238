"""Creating, editing and removing risks, actions and updates: validation and history."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from kccperf.models import Directorate
from risks.models import MitigatingAction, ReferenceCounter, Risk, RiskHistory
from tests.risks.factories import make_action, make_risk

NEW_RISK = {
    "title": "Cyber attack",
    "description": "If attackers get in, services stop.",
    "owner_name": "Zena Cooke",
    "owner_title": "Corporate Director Finance",
    "date_raised": "2019-10-01",
    "current_likelihood": "4",
    "current_impact": "5",
    "target_likelihood": "3",
    "target_impact": "4",
    "version": "0",
}


def test_a_new_risk_gets_the_next_reference_and_a_history_entry(client, erin):
    make_risk(ref="CRR0048")
    client.force_login(erin)
    response = client.post(reverse("risks:risk-create"), NEW_RISK)
    risk = Risk.objects.get(title="Cyber attack")
    assert response.status_code == 302
    assert risk.ref == "CRR0049"
    assert (risk.current_score, risk.target_score) == (20, 12)
    entry = RiskHistory.objects.get(risk=risk)
    assert entry.summary == "Risk created" and entry.by == erin
    assert entry.changes["title"] == [None, "Cyber attack"]


def test_a_reference_is_never_reused_even_after_the_highest_risk_is_deleted(db):
    first = make_risk()
    second = make_risk()
    assert second.ref == f"CRR{int(first.ref[3:]) + 1:04d}"
    second.delete()
    third = make_risk()
    assert third.ref == f"CRR{int(first.ref[3:]) + 2:04d}"
    assert str(ReferenceCounter.objects.get()) == third.ref


@pytest.mark.parametrize("value", ["0", "6", "x", ""])
def test_a_new_risk_with_a_score_outside_1_to_5_is_refused(client, erin, value):
    client.force_login(erin)
    response = client.post(reverse("risks:risk-create"), {**NEW_RISK, "current_impact": value})
    assert response.status_code == 200
    assert "Choose a score from 1 to 5" in response.content.decode()
    assert not Risk.objects.exists()


def test_the_database_refuses_scores_outside_1_to_5(db):
    risk = make_risk()
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(current_impact=6)


def test_editing_a_risk_logs_what_changed_but_cannot_change_scores(client, erin):
    risk = make_risk(title="Old title")
    directorate = Directorate.objects.create(name="Finance", short_name="F", slug="finance")
    client.force_login(erin)
    data = {**NEW_RISK, "title": "New title", "directorates": [directorate.pk]}
    client.post(reverse("risks:risk-edit", args=[risk.ref]), data)
    risk.refresh_from_db()
    assert risk.title == "New title"
    assert risk.current_impact == 4  # scores change only through a refresh
    entry = RiskHistory.objects.get(risk=risk)
    assert entry.changes["title"] == ["Old title", "New title"]
    assert entry.changes["directorates"] == [[], ["Finance"]]


def test_removing_a_risk_requires_a_reason(client, erin):
    risk = make_risk()
    client.force_login(erin)
    response = client.post(
        reverse("risks:risk-remove", args=[risk.ref]), {"removed_on": "2019-09-30", "reason": " "}
    )
    assert "Enter the reason for removing the risk" in response.content.decode()
    risk.refresh_from_db()
    assert risk.is_open


def test_removing_a_risk_with_a_reason_keeps_it_on_record_with_history(client, erin):
    risk = make_risk()
    client.force_login(erin)
    client.post(
        reverse("risks:risk-remove", args=[risk.ref]),
        {"removed_on": "2019-09-30", "reason": "Now business as usual"},
    )
    risk.refresh_from_db()
    assert (risk.status, risk.removed_on) == (Risk.Status.REMOVED, date(2019, 9, 30))
    assert risk.removal_reason == "Now business as usual"
    assert RiskHistory.objects.get(risk=risk).changes["status"] == ["open", "removed"]
    page = client.get(reverse("risks:risk-detail", args=[risk.ref])).content.decode()
    assert "Now business as usual" in page


def test_the_database_refuses_a_removed_risk_without_a_reason(db):
    risk = make_risk()
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(status="removed", removal_reason="")


def test_an_action_needs_a_due_date_or_regular_review(client, erin):
    risk = make_risk()
    client.force_login(erin)
    data = {
        "description": "Do it",
        "owner": "Head of Service",
        "status": "planned",
        "version": "0",
    }
    response = client.post(reverse("risks:action-create", args=[risk.ref]), data)
    assert "Enter a due date, or tick regular review" in response.content.decode()
    data["regular_review"] = "on"
    client.post(reverse("risks:action-create", args=[risk.ref]), data)
    action = MitigatingAction.objects.get()
    assert action.due_label == "Regular review"
    assert RiskHistory.objects.get(risk=risk).summary.startswith("Mitigating action added")


def test_an_update_is_dated_moves_the_status_and_is_kept_in_history(client, erin):
    action = make_action(status=MitigatingAction.Status.IN_PROGRESS)
    client.force_login(erin)
    client.post(
        reverse("risks:action-update", args=[action.pk]),
        {"date": "2019-10-21", "text": "Finished", "status": "completed", "version": "0"},
    )
    action.refresh_from_db()
    assert action.status == "completed"
    update = action.updates.get()
    assert (update.date, update.text, update.by) == (date(2019, 10, 21), "Finished", erin)
    entry = RiskHistory.objects.get(risk=action.risk)
    assert entry.changes["status"] == ["in_progress", "completed"]
    page = client.get(reverse("risks:risk-detail", args=[action.risk.ref])).content.decode()
    assert "Finished" in page and "Update added to action" in page


def test_editing_an_action_logs_the_change(client, erin):
    action = make_action(owner="Old owner")
    client.force_login(erin)
    client.post(
        reverse("risks:action-edit", args=[action.pk]),
        {
            "description": action.description,
            "owner": "New owner",
            "due_date": "2019-09-30",
            "status": "in_progress",
            "version": "0",
        },
    )
    entry = RiskHistory.objects.get(risk=action.risk)
    assert entry.changes == {"owner": ["Old owner", "New owner"]}


def test_linking_an_activity_shows_it_on_the_detail_page_and_logs_it(client, alice, erin):
    from tests.risks.factories import make_activity

    risk = make_risk()
    activity = make_activity(alice, title="Deliver the SEND strategy")
    client.force_login(erin)
    data = {**NEW_RISK, "activities": [activity.pk]}
    client.post(reverse("risks:risk-edit", args=[risk.ref]), data)
    assert list(risk.activities.all()) == [activity]
    entry = RiskHistory.objects.get(risk=risk)
    assert entry.changes["activities"] == [[], [str(activity)]]
    page = client.get(reverse("risks:risk-detail", args=[risk.ref])).content.decode()
    assert "Deliver the SEND strategy" in page


def test_the_import_command_imports_all_or_nothing(tmp_path, db):
    from django.core.management import CommandError, call_command

    header = (
        "ref,title,description,owner_name,date_raised,current_likelihood,current_impact,"
        "target_likelihood,target_impact\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "CRR0201,T,D,O,2019-04-01,4,9,3,3\n")
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_risks", str(bad))
    good = tmp_path / "good.csv"
    good.write_text(header + "CRR0201,T,D,O,2019-04-01,4,4,3,3\n")
    call_command("import_risks", str(good))
    assert Risk.objects.get(ref="CRR0201").current_score == 16
