"""Return sign-off: submit, send back with a comment, amend and resubmit, sign off (or an
analyst on the approver's behalf), who may do it, the approver's e-mails, the counting
setting and where the states show."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kccperf import lookups
from kccperf.models import Role
from monitoring.models import Return, ReturnRevision
from monitoring.progress import sign_off_counts
from tests.factories import make_directorate, make_user
from tests.monitoring.factories import Q2, make_activity, make_outcome, make_return
from tests.monitoring.test_return_form import answers, edit_url


def sign_off_url(activity, quarter=Q2):
    return reverse(
        "monitoring:return-sign-off", kwargs={"activity_pk": activity.pk, "period": quarter}
    )


def make_approver(username="fay", *roles: Role):
    user = make_user(username, role=Role.APPROVER)
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def approver(db):
    return make_approver("fay")


@pytest.fixture
def signed_activity(alice, window, approver):
    """Alice's activity in an outcome whose returns need the approver's sign-off."""
    outcome = make_outcome(1)
    outcome.sign_off_required = True
    outcome.approver = approver
    outcome.save()
    return make_activity(lead_officer=alice, outcome=outcome)


def _submit(client, user, activity, version):
    client.force_login(user)
    return client.post(edit_url(activity), answers(version=str(version)))


def _decide(client, user, activity, version, **data):
    client.force_login(user)
    return client.post(sign_off_url(activity), {"version": str(version), **data})


def test_the_whole_round_trip_keeps_a_revision_for_each_act_and_mails_once_each(
    client, alice, approver, signed_activity, in_window, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(client, alice, signed_activity, 0).status_code == 302
    ret = Return.objects.get(activity=signed_activity)
    assert (ret.status, ret.sign_off, ret.approver, ret.sign_off_round) == (
        "submitted",
        "awaiting",
        approver,
        1,
    )
    assert [m.to for m in mail.outbox] == [[approver.email]]
    assert sign_off_url(signed_activity) in mail.outbox[0].body

    # Amending while it waits is the same submission: no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(client, alice, signed_activity, ret.version).status_code == 302
    ret.refresh_from_db()
    assert (ret.sign_off, ret.sign_off_round, len(mail.outbox)) == ("awaiting", 1, 1)

    # Sending back needs a comment, named on the field.
    response = _decide(client, approver, signed_activity, ret.version, action="send_back")
    assert response.status_code == 200
    assert "Enter a comment for the lead officer" in response.content.decode()
    response = _decide(
        client,
        approver,
        signed_activity,
        ret.version,
        action="send_back",
        comment="Add the go-live date.",
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.status, ret.sign_off, ret.sign_off_comment) == (
        "draft",
        "sent_back",
        "Add the go-live date.",
    )

    # The lead officer sees the comment and resubmits: a new submission, a new e-mail.
    client.force_login(alice)
    page = client.get(reverse("monitoring:my-returns-period", kwargs={"period": Q2}))
    assert "Add the go-live date." in page.content.decode()
    assert "Sent back" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(client, alice, signed_activity, ret.version).status_code == 302
    ret.refresh_from_db()
    assert (ret.status, ret.sign_off, ret.sign_off_round) == ("submitted", "awaiting", 2)
    assert len(mail.outbox) == 2

    assert _decide(client, approver, signed_activity, ret.version, action="sign_off").status_code
    ret.refresh_from_db()
    assert (ret.sign_off, ret.signed_off_by, ret.sign_off_reason) == ("signed_off", approver, "")
    actions = list(ret.revisions.order_by("version").values_list("action", flat=True))
    assert actions == ["submitted", "submitted", "sent_back", "submitted", "signed_off"]
    assert ret.version == 5

    # The daily command finds nothing more to send.
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2


def test_a_sent_back_return_can_be_amended_after_the_window_closed(
    client, alice, approver, signed_activity, after_window
):
    ret = make_return(
        signed_activity, sign_off=Return.SignOff.AWAITING, approver=approver, sign_off_round=1
    )
    _decide(client, approver, signed_activity, ret.version, action="send_back", comment="Fix.")
    ret.refresh_from_db()
    assert _submit(client, alice, signed_activity, ret.version).status_code == 302
    ret.refresh_from_db()
    assert (ret.status, ret.sign_off) == ("submitted", "awaiting")


def test_an_analyst_signs_off_on_behalf_only_with_a_reason(
    client, dan, approver, signed_activity, window
):
    ret = make_return(
        signed_activity, sign_off=Return.SignOff.AWAITING, approver=approver, sign_off_round=1
    )
    response = _decide(client, dan, signed_activity, ret.version, action="sign_off")
    assert response.status_code == 200
    assert "Enter why you are signing off on the approver" in response.content.decode()
    response = _decide(
        client, dan, signed_activity, ret.version, action="sign_off", reason="Fay is on leave."
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.sign_off, ret.signed_off_by, ret.sign_off_reason) == (
        "signed_off",
        dan,
        "Fay is on leave.",
    )
    revision = ret.revisions.get(action=ReturnRevision.Action.SIGNED_OFF)
    assert revision.changes["sign_off_reason"] == ["", "Fay is on leave."]


def test_a_stale_decision_is_refused_with_409_and_nothing_changes(
    client, approver, signed_activity, window
):
    ret = make_return(
        signed_activity, sign_off=Return.SignOff.AWAITING, approver=approver, sign_off_round=1
    )
    response = _decide(client, approver, signed_activity, ret.version - 1, action="sign_off")
    assert response.status_code == 409
    ret.refresh_from_db()
    assert ret.sign_off == "awaiting"


def test_only_the_named_approver_signs_off_others_get_403_or_404(
    client, alice, bob, carol, erin, approver, signed_activity, window
):
    ret = make_return(
        signed_activity, sign_off=Return.SignOff.AWAITING, approver=approver, sign_off_round=1
    )
    # A director of another directorate: reads everything (CMT) but is not this approver.
    other_director = make_approver("gus", Role.CMT)
    make_directorate(director=other_director)
    # An approver who reads nothing else learns nothing about returns not theirs.
    stranger = make_approver("hal")
    expected = {alice: 403, carol: 403, other_director: 403, bob: 404, erin: 404, stranger: 404}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(sign_off_url(signed_activity)).status_code == status, user
        assert (
            _decide(client, user, signed_activity, ret.version, action="sign_off").status_code
            == status
        )
    ret.refresh_from_db()
    assert ret.sign_off == "awaiting"
    # The named approver needs no other role to read and decide.
    client.force_login(approver)
    assert client.get(sign_off_url(signed_activity)).status_code == 200


def test_the_directorate_director_is_the_approver_when_nobody_is_named(
    client, alice, window, in_window, django_capture_on_commit_callbacks
):
    director = make_approver("ivy")
    outcome = make_outcome(2)
    outcome.sign_off_required = True
    outcome.save()
    activity = make_activity(
        lead_officer=alice, outcome=outcome, directorate=make_directorate(director=director)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, alice, activity, 0)
    assert Return.objects.get(activity=activity).approver == director
    assert mail.outbox[0].to == [director.email]
    client.force_login(director)
    page = client.get(reverse("monitoring:sign-off-list"))
    assert activity.title in page.content.decode()


def test_an_activity_can_turn_sign_off_off_within_an_outcome_that_needs_it(
    client, alice, signed_activity, in_window
):
    signed_activity.sign_off_required = False
    signed_activity.save()
    _submit(client, alice, signed_activity, 0)
    ret = Return.objects.get(activity=signed_activity)
    assert (ret.status, ret.sign_off) == ("submitted", "")


def test_the_counting_setting_changes_the_dashboards_figures_and_says_so(
    client, carol, approver, signed_activity, window, settings
):
    make_return(signed_activity, sign_off=Return.SignOff.AWAITING, approver=approver)
    other = make_activity(outcome=signed_activity.outcome)
    make_return(other, sign_off=Return.SignOff.SIGNED_OFF, approver=approver)
    url = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})
    client.force_login(carol)
    page = client.get(url).content.decode()
    assert "2 submitted, 1 signed off, 1 awaiting sign-off" in page
    assert "Figures count every submitted return" in page
    assert 'data-activity="1.' in page and page.count("Awaiting sign-off") >= 1
    settings.SDP_COUNT_RETURNS = "signed_off"
    page = client.get(url).content.decode()  # a new cache key: not the figures above
    assert "Figures count only signed-off returns" in page
    assert "Activities that submitted a return" in page
    assert "1 of 2" in page or "50%" in page


def test_chase_list_counts_every_state_and_names_sent_back_returns(
    client, dan, approver, signed_activity, window
):
    make_return(signed_activity, status="draft", sign_off=Return.SignOff.SENT_BACK)
    outcome = signed_activity.outcome
    make_return(make_activity(outcome=outcome), sign_off=Return.SignOff.AWAITING)
    make_return(make_activity(outcome=outcome), sign_off=Return.SignOff.SIGNED_OFF)
    make_return(make_activity(outcome=outcome))
    make_activity(outcome=outcome)  # outstanding, not started
    counts = sign_off_counts(Q2)
    assert (counts.submitted, counts.awaiting, counts.signed_off, counts.sent_back) == (3, 1, 1, 1)
    assert counts.outstanding == 2
    client.force_login(dan)
    url = reverse("monitoring:chase-period", kwargs={"period": Q2})
    page = client.get(url).content.decode()
    assert "3 submitted, 1 signed off, 1 awaiting sign-off, 1 sent back, 2 outstanding" in page
    csv_text = client.get(url + "?_export=csv").content.decode("utf-8-sig")
    assert "Sent back" in csv_text and "Not started" in csv_text


@pytest.mark.parametrize("rows", [3, 30])
def test_the_sign_off_list_takes_the_same_queries_for_3_or_30_returns(
    client, approver, dan, window, django_assert_num_queries, rows
):
    outcome = make_outcome(1)
    for _ in range(rows):
        make_return(make_activity(outcome=outcome), sign_off="awaiting", approver=approver)
    client.force_login(approver)
    # session, user, perms (user, group); the returns waiting (one query with activity,
    # outcome, lead officer, period, approver); periods, groups (role label); the
    # collecting quarter's notice (the returns of activities the approver sees); SET
    # CONSTRAINTS and the data versions (kccperf.lookups, counted cold)
    lookups.clear()
    with django_assert_num_queries(10):
        page = client.get(reverse("monitoring:sign-off-list"))
    assert len(page.context["mine"]) == rows
    client.force_login(dan)
    # An analyst is no approver (no query for "mine"): the others waiting, their count and
    # a page of them; the collecting notice counts returns, KPI values and risks (3).
    lookups.clear()
    with django_assert_num_queries(13):
        page = client.get(reverse("monitoring:sign-off-list"))
    assert len(page.context["other_rows"]) == rows


def test_my_returns_shows_sign_off_in_the_same_queries(
    client, alice, approver, signed_activity, window, django_assert_max_num_queries
):
    make_return(signed_activity, sign_off=Return.SignOff.SIGNED_OFF, approver=approver)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("monitoring:my-returns-period", kwargs={"period": Q2}))
    assert page.context["rows"][0]["sign_off"] == Return.SignOff.SIGNED_OFF
    assert "Signed off" in page.content.decode()


def test_send_reminders_tells_approvers_of_waiting_returns_once(approver, signed_activity):
    make_return(signed_activity, sign_off="awaiting", approver=approver, sign_off_round=1)
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [[approver.email]]
    assert "Awaiting your sign-off" in mail.outbox[0].subject


def test_a_published_sdp_report_records_which_returns_were_signed_off(
    approver, signed_activity, window
):
    from reports.sdp import build_sdp

    make_return(signed_activity, sign_off="signed_off", approver=approver, signed_off_by=approver)
    make_return(make_activity(outcome=signed_activity.outcome), sign_off="awaiting")

    class Report:
        kind = "sdp"
        quarter = Q2
        outcome = signed_activity.outcome
        texts: dict = {}

        class period:
            stage = None

    data = build_sdp(Report)
    record = data["sign_off"]
    assert record["signed_off"] == 1
    assert [(r["ref"], r["state"]) for r in record["returns"]] == [
        (signed_activity.reference, "Signed off"),
        (f"1.{Return.objects.latest('pk').activity.number}", "Awaiting sign-off"),
    ]
    assert record["returns"][0]["signed_off_by"] == str(approver)
