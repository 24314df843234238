"""Sign-off in the browser: a lead officer submits, the approver sends the return back with a
comment, the lead officer amends and resubmits, the approver signs it off; the states show on
My returns, the chase list, the dashboard and the export; an analyst signs off another return
on the approver's behalf with a reason; each e-mail is in the outbox once. axe on each page."""

import csv
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kccperf.models import Role
from monitoring.models import Return
from tests.browser_helpers import all_violations, sign_in
from tests.factories import make_user
from tests.monitoring.factories import Q2, make_activity, make_outcome, make_return, make_window

pytestmark = pytest.mark.browser

IN_WINDOW = "2019-09-05 10:00:00+01:00"


def check_axe(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"sign-off-{name}.png"), full_page=True)
    assert all_violations(page) == [], name


def switch_to(page, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, next_url=next_url)


@pytest.fixture
def setup(transactional_db):
    with time_machine.travel(IN_WINDOW, tick=True):
        alice = make_user("alice", role=Role.LEAD_OFFICER, first_name="Alice", last_name="Lead")
        fay = make_user("fay", role=Role.APPROVER, first_name="Fay", last_name="Director")
        fay.groups.add(Group.objects.get(name=Role.CMT.value))
        make_user("dan", role=Role.ANALYST, first_name="Dan", last_name="Analyst")
        make_window(Q2)
        outcome = make_outcome(1)
        outcome.sign_off_required = True
        outcome.approver = fay
        outcome.save()
        activity = make_activity(
            lead_officer=alice, outcome=outcome, number=4, title="Total Placement Service"
        )
        # A complete draft: the lead officer only has to submit it.
        make_return(
            activity, status=Return.Status.DRAFT, submitted_by=None, updated_at=timezone.now()
        )
        other = make_activity(outcome=outcome, number=5, title="Kent Pathways Service")
        make_return(other, sign_off=Return.SignOff.AWAITING, approver=fay, sign_off_round=1)
        yield {"alice": alice, "fay": fay, "activity": activity, "other": other}


def test_submit_send_back_resubmit_sign_off_and_on_behalf(page, setup, artifacts):
    activity, other, fay = setup["activity"], setup["other"], setup["fay"]
    edit = f"/monitoring/returns/{activity.pk}/{Q2.slug}/"
    with time_machine.travel(IN_WINDOW, tick=True):
        # The lead officer submits: the return waits for Fay, who is e-mailed once.
        sign_in(page, "alice", next_url=edit)
        with page.expect_navigation():
            page.locator("button[value=submit]").click()
        row = page.locator("tr", has_text="Total Placement Service")
        assert "Awaiting sign-off" in row.inner_text()
        assert [m.to for m in mail.outbox] == [[fay.email]]
        assert "4" in mail.outbox[0].subject and "Awaiting your sign-off" in mail.outbox[0].subject

        # The approver finds it from the navigation and sends it back with a comment.
        switch_to(page, "fay", "/")
        with page.expect_navigation():
            page.get_by_role("link", name="Awaiting my sign-off").click()
        check_axe(page, artifacts, "list")
        with page.expect_navigation():
            page.get_by_role("link", name="Review the Q2 2019/20 return for 1.4").click()
        check_axe(page, artifacts, "page")
        with page.expect_navigation():
            page.get_by_role("button", name="Send back").click()
        assert page.title().startswith("Error: ")
        assert (
            "Enter a comment for the lead officer" in page.locator("#id_comment_error").inner_text()
        )
        check_axe(page, artifacts, "page-errors")
        page.get_by_label("Comment for the lead officer").fill("Give the expected go-live date.")
        with page.expect_navigation():
            page.get_by_role("button", name="Send back").click()
        assert "sent back" in page.locator(".messages").inner_text()

        # The lead officer sees the comment, amends and resubmits: a second e-mail.
        switch_to(page, "alice", "/monitoring/returns/")
        row = page.locator("tr", has_text="Total Placement Service")
        assert "Sent back" in row.inner_text()
        assert "Give the expected go-live date." in row.inner_text()
        check_axe(page, artifacts, "my-returns-sent-back")
        with page.expect_navigation():
            row.get_by_role("link", name="Amend and resubmit").click()
        assert "Give the expected go-live date." in page.locator("#sign-off-state").inner_text()
        page.locator("#id_progress").fill("Go-live now expected on 1 April 2020.")
        with page.expect_navigation():
            page.locator("button[value=submit]").click()
        assert "Awaiting sign-off" in page.locator("tr", has_text="Total Placement").inner_text()
        assert len(mail.outbox) == 2

        # The approver signs it off.
        switch_to(page, "fay", f"/monitoring/returns/{activity.pk}/{Q2.slug}/sign-off/")
        assert "Go-live now expected on 1 April 2020." in page.content()
        with page.expect_navigation():
            page.get_by_role("button", name="Sign off").click()
        assert "signed off" in page.locator(".messages").inner_text()

        switch_to(page, "alice", "/monitoring/returns/")
        assert "Signed off" in page.locator("tr", has_text="Total Placement").inner_text()
        check_axe(page, artifacts, "my-returns-signed-off")

        # The analyst signs the other return off on Fay's behalf, with a reason.
        switch_to(page, "dan", "/monitoring/sign-off/")
        with page.expect_navigation():
            page.get_by_role("link", name="Review the Q2 2019/20 return for 1.5").click()
        check_axe(page, artifacts, "on-behalf")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign off").click()
        assert "Enter why you are signing off" in page.locator("#id_reason_error").inner_text()
        page.get_by_label("Why are you signing off on the approver's behalf?").fill(
            "Fay Director is on leave until October."
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Sign off").click()
        other_return = Return.objects.get(activity=other)
        assert other_return.sign_off == Return.SignOff.SIGNED_OFF
        assert other_return.sign_off_reason == "Fay Director is on leave until October."

        # The chase list, the dashboard and its export show the states.
        page.goto(f"/monitoring/chase/{Q2.slug}/")
        states = page.locator("#return-states").inner_text()
        assert "Submitted\tAwaiting sign-off\tSigned off\tSent back\tOutstanding" in states
        assert "2\t0\t2\t0\t0" in states
        check_axe(page, artifacts, "chase")
        page.goto(f"/monitoring/dashboards/outcome/1/{Q2.slug}/")
        assert (
            "2 submitted, 2 signed off, 0 awaiting sign-off"
            in page.locator("#return-states").inner_text()
        )
        assert "Figures count every submitted return" in page.content()
        check_axe(page, artifacts, "dashboard")
        export = page.request.get(f"/monitoring/dashboards/outcome/1/{Q2.slug}/?_export=csv")
        rows = list(csv.reader(io.StringIO(export.text().lstrip("\ufeff"))))
        column = rows[0].index("Sign-off")
        assert [row[column] for row in rows[1:]] == ["Signed off", "Signed off"]

    # Each submission's e-mail was sent once; the daily run sends nothing again.
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    assert [m.to for m in mail.outbox] == [[fay.email], [fay.email]]
