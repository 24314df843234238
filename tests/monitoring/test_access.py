"""Object-level access: who sees and who edits an activity's returns."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from monitoring.access import get_activity_for_user
from monitoring.models import Activity, Return
from tests.factories import make_user
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


# One rule for who edits: the permission, then lead officer or delegate ---------------------


def _editors(user, activity) -> tuple[bool, bool]:
    """(listed by Activity.objects.editable_by, Activity.is_editable_by) for ``user``."""
    listed = Activity.objects.editable_by(user).filter(pk=activity.pk).exists()
    return listed, activity.is_editable_by(user)


def test_a_lead_officer_without_the_submit_permission_may_not_edit(client, window, in_window):
    # Leads the activity, but holds no role: no monitoring.submit_return permission.
    officer = make_user("nopermission")
    activity = make_activity(lead_officer=officer)
    assert _editors(officer, activity) == (False, False)
    client.force_login(officer)
    page = client.get(edit_url(activity))
    assert page.status_code == 200 and "form" not in page.context  # read-only answers
    assert [t.name for t in page.templates][0] == "monitoring/return_detail.html"
    assert client.post(edit_url(activity), answers()).status_code == 403
    assert not Return.objects.exists()


def test_a_delegate_without_the_submit_permission_may_not_edit(window):
    delegate = make_user("nopermission")
    activity = make_activity(delegates=[delegate])
    assert _editors(delegate, activity) == (False, False)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("alice", True), ("bob", False), ("carol", False), ("dan", False), ("root", True)],
)
def test_the_queryset_and_the_instance_agree_on_who_edits(cast, activity, who, expected):
    assert _editors(cast[who], activity) == (expected, expected)


def test_a_delegate_with_the_permission_is_listed_as_an_editor(alice, bob, window):
    activity = make_activity(lead_officer=bob, delegates=[alice])
    assert _editors(alice, activity) == (True, True)
