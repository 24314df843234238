"""A lead officer submits a return in the browser with the keyboard only; axe on every page."""

import io
from datetime import date

import pytest
import time_machine

from kccperf.models import Role
from monitoring.models import Return
from tests.browser_helpers import all_violations
from tests.factories import PASSWORD, make_user
from tests.monitoring.factories import Q1, Q2, make_activity, make_outcome, make_return, make_window

pytestmark = pytest.mark.browser

IN_WINDOW = "2019-09-05 10:00:00+01:00"


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def keyboard_sign_in(page, username: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def check_axe(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"monitoring-{name}.png"), full_page=True)
    assert all_violations(page) == [], name


@pytest.fixture
def setup(transactional_db):
    with time_machine.travel(IN_WINDOW, tick=True):
        alice = make_user("alice", role=Role.LEAD_OFFICER, first_name="Alice", last_name="Lead")
        make_window(Q2)
        make_window(Q1, opens=date(2019, 5, 31), closes=date(2019, 6, 14))
        outcome = make_outcome(1)
        activity = make_activity(
            lead_officer=alice, outcome=outcome, number=4, title="Total Placement Service"
        )
        make_return(
            activity,
            Q1,
            milestones={"approval": date(2019, 5, 10), "go_live": date(2020, 3, 31)},
            expected=["cabinet_committee"],
        )
        other = make_activity(lead_officer=alice, outcome=outcome, number=5, title="Other one")
        yield {"alice": alice, "activity": activity, "other": other}


def test_a_lead_officer_submits_a_return_with_the_keyboard_only(page, setup, artifacts):
    activity = setup["activity"]
    with time_machine.travel(IN_WINDOW, tick=True):
        keyboard_sign_in(page, "alice", "/monitoring/returns/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("My SDP returns")
        assert "9 days left" in page.content()
        check_axe(page, artifacts, "my-returns")

        # Into the form from "My returns".
        tab_to(page, f"a[href*='/returns/{activity.pk}/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "copied from your Q1 2019/20 return" in page.content()
        assert page.locator("#id_milestone_approval").input_value() == "10/05/2019"
        check_axe(page, artifacts, "return-form")

        # The issue questions only appear once the activity is said to be not on track.
        assert not page.locator("#issue-questions").is_visible()
        # Delivery: remedial action (arrow keys move within the radio group).
        tab_to(page, "input[name=delivery]")
        page.keyboard.press("ArrowDown")
        assert page.locator("#id_delivery_1").is_checked()
        # The issue questions are visible now (hidden while on track).
        assert page.locator("#issue-questions").is_visible()
        tab_to(page, "input[name=started][value=yes]")
        page.keyboard.press("Space")
        tab_to(page, "#id_progress")
        page.keyboard.type("System changes are behind plan.")
        # Issues left unticked on purpose: description and mitigation only.
        tab_to(page, "#id_issue_description")
        page.keyboard.type("Not enough systems resource to make the changes.")
        tab_to(page, "#id_mitigation")
        page.keyboard.type("Escalated to the directorate management team.")
        tab_to(page, "input[name=risk_registers][value=project]")
        page.keyboard.press("Space")
        tab_to(page, "#id_new_go_live")
        page.keyboard.type("01/09/2020")
        tab_to(page, "button[value=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        # The error summary has focus and links to the question.
        assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
        summary = page.locator("[data-error-summary]").inner_text()
        assert "Select at least one issue, as the activity is not on track" in summary
        # The Q1 return said "no new date"; a new go-live date contradicts it.
        assert "Either give a new date or say there is none, not both" in summary
        assert page.locator("#id_progress").input_value() == "System changes are behind plan."
        assert page.title().startswith("Error: ")
        # Each message is read with its question: the fieldset names the message's id.
        assert page.locator("#id_issues").get_attribute("aria-describedby").split() == [
            "id_issues_helptext",
            "id_issues_error",
        ]
        assert "Select at least one issue" in page.locator("#id_issues_error").inner_text()
        check_axe(page, artifacts, "return-form-errors")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_issues"
        page.keyboard.press("Enter")
        # The link moves focus to the question's first box, without a #fragment in the address.
        assert page.evaluate("document.activeElement.matches('input[name=issues]')")
        assert "#" not in page.url
        page.keyboard.press("Space")
        tab_to(page, "#id_no_new_date")
        page.keyboard.press("Space")
        tab_to(page, "button[value=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        assert "submitted" in page.locator(".messages").inner_text()
        assert "#" not in page.url  # no stale fragment after the redirect
        check_axe(page, artifacts, "my-returns-after-submit")
        ret = Return.objects.get(activity=activity, period__start=Q2.start)
        assert ret.status == Return.Status.SUBMITTED
        assert ret.delivery == "remedial" and ret.started is True
        assert [t.key for t in ret.issues.all()] == ["capacity"]
        assert ret.risk_registers == ["project"]
        assert ret.new_go_live == date(2020, 9, 1) and not ret.no_new_date
        assert {m.kind for m in ret.milestones.all()} == {"approval", "go_live"}

        # History of the save.
        page.goto(f"/monitoring/returns/{activity.pk}/{Q2.slug}/history/")
        assert "Version 1: Submitted by Alice Lead" in page.content()
        check_axe(page, artifacts, "return-history")


def test_the_form_works_without_javascript(page, live_server, setup):
    """All questions render and the issue answers are ignored when on track."""
    activity = setup["activity"]
    context = page.context.browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        with time_machine.travel(IN_WINDOW, tick=True):
            keyboard_sign_in(page, "alice", f"/monitoring/returns/{activity.pk}/{Q2.slug}/")
            assert page.locator("#issue-questions").is_visible()
            page.locator("#id_delivery_0").check()
            page.locator("#id_started_0").check()
            page.locator("#id_progress").fill("On plan.")
            page.locator("#id_issue_description").fill("Typed by mistake")
            page.locator("#id_no_new_date").check()
            with page.expect_navigation():
                page.locator("button[value=submit]").click()
            ret = Return.objects.get(activity=activity, period__start=Q2.start)
            assert ret.status == "submitted" and ret.issue_description == ""
    finally:
        context.close()


def test_every_other_monitoring_page_has_no_serious_axe_violations(page, setup, artifacts):
    activity = setup["activity"]
    with time_machine.travel(IN_WINDOW, tick=True):
        make_user("dan", role=Role.ANALYST, email="dan@example.org")
        make_return(setup["other"], Q2, status="draft")
        keyboard_sign_in(page, "dan", "/monitoring/windows/")
        pages = {
            "window-list": "/monitoring/windows/",
            "window-create": "/monitoring/windows/new/",
            "chase": f"/monitoring/chase/{Q2.slug}/",
            "chase-outcome": f"/monitoring/chase/{Q2.slug}/outcome/1/",
            "return-read-only": f"/monitoring/returns/{activity.pk}/{Q1.slug}/",
            "return-not-started": f"/monitoring/returns/{setup['other'].pk}/{Q1.slug}/",
            "return-reopen": f"/monitoring/returns/{activity.pk}/{Q1.slug}/reopen/",
            "import-upload": "/monitoring/import/",
        }
        for name, url in pages.items():
            page.goto(url)
            assert page.locator("h1").count() == 1, name
            check_axe(page, artifacts, name)

        # Window form with errors.
        page.goto("/monitoring/windows/new/")
        page.get_by_label("Quarter").fill("Q9")
        page.get_by_role("button", name="Save window").click()
        page.wait_for_load_state()
        assert "Enter a quarter like Q3 2019/20" in page.content()
        check_axe(page, artifacts, "window-form-errors")

        # Import preview (a file with an error, then a good one).
        page.goto("/monitoring/import/")
        bad = b"quarter,outcome,activity,delivery,started,progress\nQ2 2019/20,1,4,sideways,yes,x\n"
        page.set_input_files(
            "input[type=file]", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}]
        )
        page.get_by_role("button", name="Check the file").click()
        page.wait_for_load_state()
        assert 'Row 2, column "delivery"' in page.content()
        check_axe(page, artifacts, "import-errors")
        good = io.BytesIO(
            b"quarter,outcome,activity,delivery,started,progress,no_new_date\n"
            b"Q2 2019/20,1,4,on_track,yes,Fine,\n"
        ).getvalue()
        page.set_input_files(
            "input[type=file]", files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good}]
        )
        page.get_by_role("button", name="Check the file").click()
        page.wait_for_load_state()
        check_axe(page, artifacts, "import-preview")
