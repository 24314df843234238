"""A superuser's admin edit of a return moves its version on and is on the change log; the
lead officer's form opened before it is refused (409) instead of overwriting it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from audit.models import Change
from monitoring.models import Return
from tests.audit.helpers import Trail, changes_of
from tests.kccperf.test_stale_saves import form_data
from tests.monitoring.factories import Q2, make_activity, make_window
from tests.monitoring.test_return_form import answers, edit_url


def test_an_admin_edit_bumps_the_version_refuses_the_stale_form_and_both_are_logged(
    cast, in_window
):
    make_window()
    activity = make_activity(lead_officer=cast["alice"])
    officer, admin = Client(), Client()
    officer.force_login(cast["alice"])
    admin.force_login(cast["root"])
    url = edit_url(activity)
    assert officer.post(url, answers(action="save", progress="First draft.")).status_code == 302
    ret = Return.objects.get(activity=activity)
    assert ret.version == 1

    mine = form_data(officer.get(url).content.decode())
    assert mine["version"] == ["1"]

    admin_url = reverse("admin:monitoring_return_change", args=[ret.pk])
    in_admin = form_data(admin.get(admin_url).content.decode())
    in_admin["progress"] = ["Corrected by the performance team."]
    trail = Trail()
    response = admin.post(admin_url, in_admin)
    assert response.status_code == 302, response.content.decode()[:3000]
    admin_entry = trail.one()
    assert admin_entry.metadata["user"] == cast["root"].pk
    change = next(c for c in changes_of(admin_entry) if c.model == "return")
    assert change.before["progress"] == "First draft."
    assert change.after["progress"] == "Corrected by the performance team."
    ret.refresh_from_db()
    assert ret.version == 2 and ret.progress == "Corrected by the performance team."

    mine["progress"] = ["My text, from the form opened before the admin's edit."]
    trail = Trail()
    refused = officer.post(url, mine)
    assert refused.status_code == 409
    assert "Someone else changed this return while you were editing it" in refused.content.decode()
    assert trail.new() == []  # nothing written, nothing logged
    ret.refresh_from_db()
    assert ret.progress == "Corrected by the performance team." and ret.version == 2

    # Saving again from the form shown (now at the current version) goes through.
    again = form_data(refused.content.decode())
    assert officer.post(url, again).status_code == 302
    ret.refresh_from_db()
    assert ret.version == 3
    assert ret.progress == "My text, from the form opened before the admin's edit."

    # Both changes are on the change log, each naming its person, linking the return.
    analyst = Client()
    analyst.force_login(cast["dan"])
    page = analyst.get(
        reverse("audit:change-log"), {"object": f"monitoring.return:{ret.pk}"}
    ).content.decode()
    assert "Corrected by the performance team." in page
    assert "My text, from the form opened before the admin&#x27;s edit." in page
    assert 'class="audit-entry-title">root <span' in page
    assert 'class="audit-entry-title">Alice Tester (alice) <span' in page
    history = reverse(
        "monitoring:return-history", kwargs={"activity_pk": activity.pk, "period": Q2}
    )
    assert f'href="{history}"' in page
    assert Change.objects.filter(model="return", object_pk=str(ret.pk)).count() >= 3
