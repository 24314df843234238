"""The task list at the top of the return form: each section, a link to it, its status."""

from __future__ import annotations

import lxml.html
import pytest

from tests.monitoring.test_return_form import answers, edit_url, not_on_track

SECTIONS = ["Delivery", "Issues", "Key milestones", "Revised dates", "Governance"]
GOVERNANCE_ONLY = {
    "gov-TOTAL_FORMS": "1",
    "gov-INITIAL_FORMS": "0",
    "gov-MIN_NUM_FORMS": "0",
    "gov-MAX_NUM_FORMS": "20",
    "version": "0",
}


def task_list(html: str) -> dict[str, str]:
    """{section title: status} as printed, checking each row's link and status wiring."""
    doc = lxml.html.fromstring(html)
    (ul,) = doc.xpath("//ul[@class='task-list']")
    assert ul.get("aria-labelledby") == "task-list-title"
    assert doc.get_element_by_id("task-list-title").text_content() == "Sections of this return"
    tasks = {}
    for li in ul.xpath("./li"):
        (link,) = li.xpath("./a")
        anchor = link.get("href").removeprefix("#")
        # The link leads to the section's heading, and its status (a word) describes it.
        assert doc.get_element_by_id(anchor).tag == "h2"
        assert doc.get_element_by_id(anchor).text_content() == link.text_content()
        status = doc.get_element_by_id(link.get("aria-describedby"))
        assert status.getparent() is li
        tasks[link.text_content().strip()] = status.text_content().strip()
    assert list(tasks) == SECTIONS
    # Outside the form (not a control of it) and above its first question.
    assert not ul.xpath("ancestor::form")
    return tasks


def test_a_return_not_started_says_what_a_complete_one_needs(
    client, alice, activity, in_window, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(30):
        response = client.get(edit_url(activity))
    assert response.status_code == 200
    assert task_list(response.content.decode()) == {
        "Delivery": "Incomplete",
        "Issues": "Cannot start yet",
        "Key milestones": "Completed",  # optional: no rule asks for one
        "Revised dates": "Incomplete",
        "Governance": "Completed",
    }


def test_statuses_follow_the_saved_answers(client, alice, activity, themes, in_window):
    """Statuses change as answers are filled in (saved as drafts, then read back)."""
    client.force_login(alice)
    url = edit_url(activity)

    def save(**fields):
        version = client.get(url).context["form"].initial["version"]
        data = {**GOVERNANCE_ONLY, "action": "save", "version": str(version), **fields}
        assert client.post(url, data).status_code == 302
        return task_list(client.get(url).content.decode())

    tasks = save(delivery="remedial", started="yes", progress="Slow.")
    assert tasks["Delivery"] == "Completed"
    assert tasks["Issues"] == "Incomplete"
    assert tasks["Revised dates"] == "Incomplete"

    tasks = save(
        delivery="remedial",
        started="yes",
        progress="Slow.",
        issues=[themes["capacity"]],
        issue_description="Staff shortages.",
        mitigation_none_yet="on",
        risk_registers=["project"],
        no_new_date="on",
    )
    assert tasks == dict.fromkeys(SECTIONS, "Completed")

    # On track: the issue questions no longer apply.
    tasks = save(delivery="on_track", started="yes", progress="Fine.", no_new_date="on")
    assert tasks["Issues"] == "Not needed"
    assert set(tasks.values()) == {"Completed", "Not needed"}


def test_a_rejected_submission_shows_the_statuses_of_what_was_posted(
    client, alice, activity, in_window
):
    client.force_login(alice)
    data = not_on_track(
        progress="",
        mitigation="Agency staff.",
        mitigation_none_yet="on",  # both: a consistency error in Issues
        milestone_approval="15/07/2019",
        milestone_approval_unknown="on",  # date and "not known": a milestone error
        reported_informal_board="",
        boards_reported=["informal"],
    )
    response = client.post(edit_url(activity), data)
    assert response.status_code == 200
    assert task_list(response.content.decode()) == {
        "Delivery": "Incomplete",
        "Issues": "Incomplete",
        "Key milestones": "Incomplete",
        "Revised dates": "Completed",
        "Governance": "Incomplete",
    }


def test_a_valid_section_stays_completed_next_to_errors(client, alice, activity, in_window):
    client.force_login(alice)
    response = client.post(edit_url(activity), answers(no_new_date=None, progress=""))
    assert response.status_code == 200
    tasks = task_list(response.content.decode())
    assert tasks["Delivery"] == "Incomplete"
    assert tasks["Issues"] == "Not needed"
    assert tasks["Revised dates"] == "Incomplete"
    assert tasks["Key milestones"] == tasks["Governance"] == "Completed"


def test_governance_rows_in_error_make_governance_incomplete(client, alice, activity, in_window):
    client.force_login(alice)
    response = client.post(edit_url(activity), answers(**{"gov-0-expected_date": "31/02/2019"}))
    assert response.status_code == 200
    assert response.context["formset"].total_error_count()
    assert task_list(response.content.decode())["Governance"] == "Incomplete"


@pytest.fixture
def themes(db):
    from monitoring.models import IssueTheme

    return {t.key: t.pk for t in IssueTheme.objects.all()}
