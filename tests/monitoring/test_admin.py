"""Analysts manage activities, delegates and the managed lists in the admin."""

import pytest
from django.urls import reverse

from monitoring.models import Activity, IssueTheme
from tests.monitoring.factories import make_activity


@pytest.mark.parametrize(
    "name",
    [
        "monitoring_activity_changelist",
        "monitoring_activity_add",
        "monitoring_activitytype_changelist",
        "monitoring_issuetheme_changelist",
        "monitoring_submissionwindow_changelist",
        "monitoring_return_changelist",
        "monitoring_returnrevision_changelist",
        "monitoring_reminderlog_changelist",
    ],
)
def test_the_admin_pages_open(client, cast, name):
    make_activity()
    client.force_login(cast["root"])
    assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_an_analyst_who_is_staff_can_add_a_delegate_to_an_activity(client, dan, bob, alice):
    dan.is_staff = True
    dan.save()
    activity = make_activity(lead_officer=alice)
    client.force_login(dan)
    url = reverse("admin:monitoring_activity_change", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "outcome": activity.outcome_id,
        "directorate": activity.directorate_id,
        "lead_officer": alice.pk,
        "activity_type": activity.activity_type_id,
        "sdp_start": "2019-01-01",
        "sdp_end": "2020-03-31",
        "delegates": [bob.pk],
        "is_active": "on",
    }
    data.pop("corporate_board", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Activity.objects.get(pk=activity.pk).delegates.all()) == [bob]
    assert set(Activity.objects.visible_to(bob)) == {activity}


def test_the_managed_issue_themes_are_the_councils_eleven(db):
    assert IssueTheme.objects.count() == 11
    assert IssueTheme.objects.filter(is_other=True).get().key == "other"
