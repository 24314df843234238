"""Two people editing one return never overwrite each other; every save is in the history."""

import pytest
from django.urls import reverse

from monitoring.models import Return, ReturnRevision
from monitoring.services import ReturnData, StaleReturnError, save_return
from tests.factories import make_user
from tests.monitoring.factories import Q2, make_activity
from tests.monitoring.test_return_form import answers, edit_url


@pytest.fixture
def shared(alice, window):
    """alice leads it, dave is her delegate."""
    dave = make_user("dave", role=__import__("kccperf.models").models.Role.LEAD_OFFICER)
    return make_activity(lead_officer=alice, delegates=[dave]), dave


def test_a_save_based_on_an_older_version_is_refused_and_keeps_the_input(
    client, alice, shared, in_window
):
    activity, dave = shared
    client.force_login(alice)
    client.post(edit_url(activity), answers(action="save", progress="Alice's first words."))
    # Both open the form at version 1; dave saves first.
    client.force_login(dave)
    client.post(edit_url(activity), answers(version="1", action="save", progress="Dave's words."))
    client.force_login(alice)
    response = client.post(
        edit_url(activity), answers(version="1", action="save", progress="Alice's new words.")
    )
    assert response.status_code == 409
    ret = Return.objects.get(activity=activity)
    assert ret.progress == "Dave's words." and ret.version == 2
    body = response.content.decode()
    assert "Someone else changed this return" in body
    assert "Dave&#x27;s words." in body  # what changed meanwhile
    assert "Alice&#x27;s new words." in body  # her own input is still in the form
    assert response.context["form"]["version"].value() == "2"
    # Saving again now (deliberately, on top of dave's) works.
    response = client.post(
        edit_url(activity), answers(version="2", action="save", progress="Alice's new words.")
    )
    assert response.status_code == 302
    assert Return.objects.get(activity=activity).progress == "Alice's new words."


def test_the_service_refuses_a_stale_version(alice, activity, in_window):
    data = ReturnData(fields={"progress": "one"})
    save_return(activity, Q2, data, by=alice, base_version=0)
    with pytest.raises(StaleReturnError) as exc:
        save_return(activity, Q2, ReturnData(fields={"progress": "two"}), by=alice, base_version=0)
    assert [r.version for r in exc.value.revisions] == [1]
    assert Return.objects.get(activity=activity).progress == "one"


def test_every_save_is_in_the_history_with_who_and_what_changed(client, alice, shared, in_window):
    activity, dave = shared
    client.force_login(alice)
    client.post(edit_url(activity), answers(action="save", progress="First."))
    client.force_login(dave)
    client.post(
        edit_url(activity),
        answers(
            version="1", progress="Second.", milestone_approval="", milestone_eqia="01/10/2019"
        ),
    )
    revisions = list(
        ReturnRevision.objects.filter(return_obj__activity=activity).order_by("version")
    )
    assert [(r.version, r.action, r.by) for r in revisions] == [
        (1, "saved", alice),
        (2, "submitted", dave),
    ]
    assert revisions[1].changes["progress"] == ["First.", "Second."]
    assert revisions[1].changes["status"] == ["Draft", "Submitted"]
    assert revisions[1].changes["milestones"] == [
        ["Approval to proceed: 15/07/2019"],
        ["EQIA initial screening: 01/10/2019"],
    ]
    assert "delivery" not in revisions[1].changes
    url = reverse("monitoring:return-history", kwargs={"activity_pk": activity.pk, "period": Q2})
    body = client.get(url).content.decode()
    assert "Version 2: Submitted by Dave Tester" in body
    assert "EQIA initial screening: 01/10/2019" in body


def test_a_save_that_changes_nothing_is_recorded_with_no_changes(
    client, alice, activity, in_window
):
    client.force_login(alice)
    client.post(edit_url(activity), answers())
    client.post(edit_url(activity), answers(version="1"))
    latest = ReturnRevision.objects.filter(return_obj__activity=activity).order_by("-version")[0]
    assert latest.version == 2 and latest.changes == {}
