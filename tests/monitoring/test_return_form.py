"""The lead officer's return form: drafts, submission, validation rules, read-only states."""

from datetime import date

import pytest
from django.urls import reverse

from monitoring.models import Milestone, Return, ReturnRevision
from tests.monitoring.factories import Q1, Q2, make_activity, make_return


def edit_url(activity, quarter=Q2):
    return reverse("monitoring:return-edit", kwargs={"activity_pk": activity.pk, "period": quarter})


def answers(**overrides):
    """A complete, valid on-track return as POST data."""
    data = {
        "version": "0",
        "action": "submit",
        "delivery": "on_track",
        "started": "yes",
        "progress": "Design work finished.",
        "no_new_date": "on",
        "milestone_approval": "15/07/2019",
        "gov-TOTAL_FORMS": "2",
        "gov-INITIAL_FORMS": "0",
        "gov-MIN_NUM_FORMS": "0",
        "gov-MAX_NUM_FORMS": "20",
        "gov-0-board": "cabinet_committee",
        "gov-0-expected_date": "26/11/2019",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def not_on_track(**overrides):
    data = answers(
        delivery="remedial",
        issues=[],
        issue_description="Staff shortages in the team.",
        mitigation="Agency staff recruited.",
        risk_registers=["project"],
    )
    data.update(overrides)
    return data


@pytest.fixture
def themes(db):
    from monitoring.models import IssueTheme

    return {t.key: t.pk for t in IssueTheme.objects.all()}


def test_a_lead_officer_submits_a_complete_return(client, alice, activity, in_window):
    client.force_login(alice)
    response = client.post(edit_url(activity), answers())
    assert response.status_code == 302
    ret = Return.objects.get(activity=activity)
    assert ret.status == Return.Status.SUBMITTED
    assert ret.submitted_by == alice and ret.submitted_at is not None
    assert ret.delivery == "on_track" and ret.started is True
    assert list(ret.milestones.values_list("kind", "date")) == [("approval", date(2019, 7, 15))]
    assert list(ret.expected_governance.values_list("board", "expected_date")) == [
        ("cabinet_committee", date(2019, 11, 26))
    ]
    assert ret.version == 1


def test_a_draft_can_be_saved_with_most_questions_unanswered(client, alice, activity, in_window):
    client.force_login(alice)
    data = {
        k: v
        for k, v in answers(action="save").items()
        if k.startswith(("gov-", "version", "action"))
    }
    response = client.post(edit_url(activity), data)
    assert response.status_code == 302
    ret = Return.objects.get(activity=activity)
    assert ret.status == Return.Status.DRAFT
    assert ret.submitted_at is None


def test_submitting_an_empty_return_lists_every_missing_answer(client, alice, activity, in_window):
    client.force_login(alice)
    data = {k: v for k, v in answers().items() if k.startswith(("gov-", "version", "action"))}
    response = client.post(edit_url(activity), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"delivery", "started", "progress", "new_end_date"}
    body = response.content.decode()
    assert 'href="#id_delivery"' in body and "There is a problem" in body
    assert not Return.objects.filter(activity=activity).exists()


def test_not_on_track_requires_issues_description_mitigation_and_registers(
    client, alice, activity, in_window
):
    client.force_login(alice)
    response = client.post(
        edit_url(activity),
        answers(delivery="unlikely"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "issues",
        "issue_description",
        "mitigation",
        "risk_registers",
    }


def test_none_yet_is_accepted_instead_of_mitigating_actions(
    client, alice, activity, themes, in_window
):
    client.force_login(alice)
    data = not_on_track(issues=[themes["capacity"]], mitigation="", mitigation_none_yet="on")
    response = client.post(edit_url(activity), data)
    assert response.status_code == 302
    ret = Return.objects.get(activity=activity)
    assert ret.mitigation_none_yet and ret.delivery == "remedial"
    assert [t.key for t in ret.issues.all()] == ["capacity"]


def test_mitigation_and_none_yet_together_are_refused(client, alice, activity, themes, in_window):
    client.force_login(alice)
    data = not_on_track(issues=[themes["capacity"]], mitigation_none_yet="on")
    response = client.post(edit_url(activity), data)
    assert "mitigation_none_yet" in response.context["form"].errors


def test_the_other_issue_needs_its_description(client, alice, activity, themes, in_window):
    client.force_login(alice)
    response = client.post(edit_url(activity), not_on_track(issues=[themes["other"]]))
    assert set(response.context["form"].errors) == {"other_issue_text"}


def test_none_cannot_be_combined_with_a_risk_register(client, alice, activity, themes, in_window):
    client.force_login(alice)
    data = not_on_track(issues=[themes["capacity"]], risk_registers=["none", "project"])
    response = client.post(edit_url(activity), data)
    assert set(response.context["form"].errors) == {"risk_registers"}


def test_issue_answers_are_ignored_when_the_activity_is_on_track(
    client, alice, activity, themes, in_window
):
    client.force_login(alice)
    data = answers(
        issues=[themes["capacity"]],
        issue_description="Typed before choosing on track",
        risk_registers=["none", "project"],  # would be an error if it applied
    )
    response = client.post(edit_url(activity), data)
    assert response.status_code == 302
    ret = Return.objects.get(activity=activity)
    assert ret.issues.count() == 0
    assert ret.issue_description == "" and ret.risk_registers == []


def test_a_new_end_date_must_be_after_the_sdp_end_date(client, alice, activity, in_window):
    client.force_login(alice)
    response = client.post(edit_url(activity), answers(no_new_date=None, new_end_date="31/03/2020"))
    errors = response.context["form"].errors
    assert "must be after the SDP end date, 31/03/2020" in errors["new_end_date"][0]
    response = client.post(edit_url(activity), answers(no_new_date=None, new_end_date="01/04/2020"))
    assert response.status_code == 302
    assert Return.objects.get(activity=activity).new_end_date == date(2020, 4, 1)


def test_a_new_go_live_date_must_be_after_the_original_go_live(client, alice, window, in_window):
    activity = make_activity(lead_officer=alice, go_live=date(2019, 12, 1))
    client.force_login(alice)
    response = client.post(edit_url(activity), answers(no_new_date=None, new_go_live="30/11/2019"))
    assert "original go-live date, 01/12/2019" in response.context["form"].errors["new_go_live"][0]


def test_a_new_date_and_no_new_date_together_are_refused(client, alice, activity, in_window):
    client.force_login(alice)
    response = client.post(edit_url(activity), answers(new_end_date="01/06/2020"))
    assert "no_new_date" in response.context["form"].errors


@pytest.mark.parametrize("value", ["31/12/2014", "01/01/2036", "2099-01-01"])
def test_dates_outside_2015_to_2035_are_implausible(client, alice, activity, in_window, value):
    client.force_login(alice)
    response = client.post(edit_url(activity), answers(milestone_approval=value))
    assert response.context["form"].errors["milestone_approval"] == [
        "The date of the “Approval to proceed” milestone must be between 2015 and 2035"
    ]


def test_a_date_that_is_not_a_date_is_refused_naming_which_date(client, alice, activity, in_window):
    client.force_login(alice)
    response = client.post(
        edit_url(activity), answers(milestone_approval="31/02/2020", milestone_go_live="x")
    )
    errors = response.context["form"].errors
    assert errors["milestone_approval"] == [
        "The date of the “Approval to proceed” milestone must be a real date, like 31/03/2020"
    ]
    assert errors["milestone_go_live"] == [
        "The date of the “Go-live” milestone must be a real date, like 31/03/2020"
    ]


def test_an_informal_board_row_needs_which_board(client, alice, activity, in_window):
    client.force_login(alice)
    response = client.post(edit_url(activity), answers(**{"gov-1-board": "informal"}))
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors == {
        "informal_board": ["Choose which informal governance board"]
    }
    assert 'href="#id_gov-1-informal_board"' in response.content.decode()


def test_a_milestone_not_known_is_kept_without_a_date(client, alice, activity, in_window):
    client.force_login(alice)
    client.post(edit_url(activity), answers(milestone_go_live_unknown="on"))
    ret = Return.objects.get(activity=activity)
    assert ret.milestones.get(kind="go_live").date is None


def test_the_form_prefills_milestones_dates_and_governance_from_last_quarter(
    client, alice, activity, in_window
):
    make_return(
        activity,
        Q1,
        delivery="remedial",
        milestones={"eqia": date(2019, 10, 15)},
        expected=["cmm"],
        new_end_date=date(2020, 10, 1),
        no_new_date=False,
    )
    client.force_login(alice)
    response = client.get(edit_url(activity))
    form = response.context["form"]
    assert form.initial["milestone_eqia"] == date(2019, 10, 15)
    assert form.initial["new_end_date"] == date(2020, 10, 1)
    assert "delivery" not in form.initial  # this quarter's answers are not copied
    assert response.context["formset"].initial == [
        {"board": "cmm", "informal_board": "", "expected_date": None, "on_forward_plan": False}
    ]
    assert "copied from your Q1 2019/20 return" in response.content.decode()


def test_a_submitted_return_can_be_amended_and_stays_submitted(client, alice, activity, in_window):
    client.force_login(alice)
    client.post(edit_url(activity), answers())
    response = client.post(
        edit_url(activity), answers(version="1", action="save", progress="Amended text.")
    )
    assert response.status_code == 302
    ret = Return.objects.get(activity=activity)
    assert ret.status == Return.Status.SUBMITTED and ret.progress == "Amended text."
    assert ret.version == 2


def test_outside_the_window_the_return_is_read_only(client, alice, activity, after_window):
    make_return(activity, Q2, progress="What was submitted.")
    client.force_login(alice)
    response = client.get(edit_url(activity))
    assert response.status_code == 200
    assert response.templates[0].name == "monitoring/return_detail.html"
    assert "closed on 13 September 2019" in response.content.decode()
    assert client.post(edit_url(activity), answers(version="1")).status_code == 403
    assert Return.objects.get(activity=activity).progress == "What was submitted."


def test_an_analyst_reopens_one_return_and_the_lead_officer_resubmits(
    client, alice, dan, activity, after_window
):
    other = make_activity(lead_officer=alice)
    make_return(activity, Q2)
    make_return(other, Q2)
    client.force_login(dan)
    url = reverse("monitoring:return-reopen", kwargs={"activity_pk": activity.pk, "period": Q2})
    assert client.post(url, {"reason": ""}).status_code == 200  # reason required
    assert client.post(url, {"reason": "Wrong status given"}).status_code == 302
    client.force_login(alice)
    assert client.post(edit_url(other), answers(version="1")).status_code == 403
    response = client.post(edit_url(activity), answers(version="2", progress="Corrected."))
    assert response.status_code == 302
    ret = Return.objects.get(activity=activity)
    assert ret.progress == "Corrected." and not ret.is_reopened
    assert client.post(edit_url(activity), answers(version="3")).status_code == 403
    actions = list(ret.revisions.order_by("version").values_list("action", flat=True))
    assert actions == [ReturnRevision.Action.REOPENED, ReturnRevision.Action.SUBMITTED]


def test_the_milestones_are_replaced_on_each_save(client, alice, activity, in_window):
    client.force_login(alice)
    client.post(edit_url(activity), answers(milestone_eqia="01/10/2019"))
    client.post(edit_url(activity), answers(version="1", milestone_approval="", milestone_eqia=""))
    assert Milestone.objects.filter(return_obj__activity=activity).count() == 0
