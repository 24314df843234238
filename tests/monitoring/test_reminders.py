"""Reminder e-mails: who gets them, when, and never the same one twice."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from monitoring.models import ReminderLog
from monitoring.reminders import due_reminders
from tests.factories import make_user
from tests.monitoring.factories import Q2, make_activity, make_return


@pytest.fixture
def outstanding(alice, bob, window):
    """alice has two outstanding returns (one as delegate), bob none, carol's is a draft."""
    carol_lead = make_user("leadc")
    mine = make_activity(lead_officer=alice)
    delegated = make_activity(lead_officer=carol_lead, delegates=[alice])
    make_return(delegated, Q2, status="draft")
    done = make_activity(lead_officer=bob)
    make_return(done, Q2)
    return {"mine": mine, "delegated": delegated, "lead": carol_lead}


def run(*args):
    call_command("send_reminders", *args, stdout=None)


def test_the_opening_reminder_goes_to_everyone_with_an_outstanding_return(outstanding):
    run("--kind", "opening", "--date", "2019-08-30")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["alice@example.org", "leadc@example.org"]
    alices = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert alices.subject == "SDP returns for Q2 2019/20 are open"
    assert (
        outstanding["mine"].title in alices.body and outstanding["delegated"].title in alices.body
    )


def test_running_the_command_again_emails_nobody_twice(outstanding):
    run("--date", "2019-08-30")
    run("--date", "2019-08-31")
    run("--kind", "opening", "--date", "2019-09-01")
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(kind="opening").count() == 2


def test_the_closing_reminder_is_sent_only_in_the_last_days(outstanding):
    run("--date", "2019-09-09")  # 4 days before 13 Sep: opening only
    assert {m.subject.split(" ")[-1] for m in mail.outbox} == {"open"}
    mail.outbox.clear()
    run("--date", "2019-09-10")  # 3 days before: closing
    assert [m.subject for m in mail.outbox] == [
        "SDP returns for Q2 2019/20 close on 13 September 2019"
    ] * 2
    mail.outbox.clear()
    run("--date", "2019-09-12")
    assert mail.outbox == []


def test_the_closing_days_are_configurable(outstanding):
    run("--date", "2019-09-06", "--closing-days", "7")
    assert sum("close on" in m.subject for m in mail.outbox) == 2


def test_nothing_is_sent_outside_a_window(outstanding):
    run("--date", "2019-10-01")
    assert mail.outbox == []


def test_due_reminders_lists_opening_and_closing_for_open_windows(window):
    assert [k for _, k in due_reminders(date(2019, 9, 1), 3)] == ["opening"]
    assert [k for _, k in due_reminders(date(2019, 9, 13), 3)] == ["opening", "closing"]
    assert due_reminders(date(2019, 9, 14), 3) == []


def test_the_chase_button_sends_on_demand_reminders_once_a_day(client, dan, outstanding, in_window):
    client.force_login(dan)
    url = reverse("monitoring:chase-remind", kwargs={"period": Q2})
    response = client.post(url, follow=True)
    assert len(mail.outbox) == 2
    assert "Reminder sent to 2 people." in response.content.decode()
    response = client.post(url, follow=True)
    assert len(mail.outbox) == 2
    assert "2 already had one today" in response.content.decode()


def test_the_chase_button_for_one_outcome_reminds_only_that_outcome(
    client, dan, alice, outstanding, in_window
):
    from tests.monitoring.factories import make_outcome

    other = make_activity(lead_officer=make_user("leado"), outcome=make_outcome(2))
    client.force_login(dan)
    url = reverse("monitoring:chase-remind", kwargs={"period": Q2})
    client.post(url, {"outcome": "2"})
    assert [m.to for m in mail.outbox] == [[other.lead_officer.email]]
