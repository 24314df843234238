"""Object-level access: who sees and who edits an activity's returns."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from monitoring.access import get_activity_for_user
from monitoring.models import Activity, Return
from tests.monitoring.factories import make_activity
from tests.monitoring.test_return_form import answers, edit_url


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", "edit"),
        ("bob", 404),
        ("carol", "read"),
        ("dan", "read"),
        ("erin", 404),
        ("root", "edit"),
    ],
)
def test_who_may_see_and_edit_alices_activity(cast, activity, who, expected):
    if expected == 404:
        with pytest.raises(Http404):
            get_activity_for_user(_request(cast[who]), activity.pk)
        return
    found, can_edit = get_activity_for_user(_request(cast[who]), activity.pk)
    assert found == activity and can_edit is (expected == "edit")
    if expected == "read":
        with pytest.raises(PermissionDenied):
            get_activity_for_user(_request(cast[who]), activity.pk, for_edit=True)


def test_a_delegate_may_edit_the_activity(bob, window):
    activity = make_activity(delegates=[bob])
    assert get_activity_for_user(_request(bob), activity.pk, for_edit=True) == (activity, True)


def test_visible_to_lists_led_and_delegated_activities_only(alice, bob, window):
    led = make_activity(lead_officer=alice)
    delegated = make_activity(lead_officer=bob, delegates=[alice])
    make_activity(lead_officer=bob)
    assert set(Activity.objects.visible_to(alice)) == {led, delegated}


def test_bob_cannot_post_to_alices_return_by_editing_the_url(client, bob, activity, in_window):
    client.force_login(bob)
    assert client.get(edit_url(activity)).status_code == 404
    assert client.post(edit_url(activity), answers()).status_code == 404
    assert not Return.objects.exists()


def test_a_cmt_member_reads_but_cannot_post(client, carol, activity, in_window):
    client.force_login(carol)
    response = client.get(edit_url(activity))
    assert response.status_code == 200
    assert "You can read this return but not change it" in response.content.decode()
    assert client.post(edit_url(activity), answers()).status_code == 403
