"""Sign-ins, failed sign-ins and sign-outs are on the change log; passwords never are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import SignIn
from tests.audit.helpers import Trail, audit_tables_text, changes_of
from tests.factories import PASSWORD

WRONG = "Not-The-Password-7Qx!"


def test_a_failed_sign_in_is_one_entry_naming_the_username_without_the_password(client, alice):
    trail = Trail()
    response = client.post(reverse("login"), {"username": "alice", "password": WRONG})
    assert response.status_code == 200  # the form again, with the error
    entry = trail.one()
    assert entry.metadata["user"] is None and entry.metadata["url"] == reverse("login")
    attempt = SignIn.objects.get()
    assert (attempt.outcome, attempt.username, attempt.user) == ("failed", "alice", None)
    assert attempt.address == "127.0.0.1"
    assert [c.model for c in changes_of(entry) if c.app_label == "audit"] == ["signin"]
    stored = audit_tables_text()
    assert "alice" in stored  # the check below reads the real tables
    assert WRONG not in stored


def test_a_failed_sign_in_for_an_unknown_username_is_logged_too(client, db):
    trail = Trail()
    client.post(reverse("login"), {"username": "mallory", "password": WRONG})
    trail.one()
    assert SignIn.objects.get().username == "mallory"
    assert WRONG not in audit_tables_text()


def test_a_sign_in_and_a_sign_out_are_one_entry_each_naming_the_person(client, alice):
    trail = Trail()
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    signed_in = trail.one()
    assert signed_in.metadata["user"] == alice.pk
    assert signed_in.metadata["username"] == "alice"
    assert SignIn.objects.get().outcome == "signed_in"
    assert SignIn.objects.get().method == "password"

    trail = Trail()
    assert client.post(reverse("logout")).status_code == 302
    signed_out = trail.one()
    assert signed_out.metadata["user"] == alice.pk
    assert SignIn.objects.filter(outcome="signed_out", user=alice).count() == 1
    assert PASSWORD not in audit_tables_text()


def test_a_password_change_is_recorded_without_either_password(client, alice):
    client.force_login(alice)
    new_password = "A-new-password-for-alice-2026"
    trail = Trail()
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    entry = trail.one()
    change = next(c for c in changes_of(entry) if c.model == "user")
    assert change.changed == ["password"]
    assert change.before == {"password": "(hidden)"}
    assert change.after["password"] == "(hidden)"
    alice.refresh_from_db()
    stored = audit_tables_text()
    for secret in (PASSWORD, new_password, alice.password):
        assert secret not in stored


@pytest.mark.parametrize("limit", [2])
def test_locked_out_attempts_are_logged_without_the_password(client, alice, settings, limit):
    settings.AXES_FAILURE_LIMIT = limit
    for _ in range(limit + 1):
        client.post(reverse("login"), {"username": "alice", "password": WRONG})
    assert SignIn.objects.filter(outcome="failed").count() == limit + 1
    assert WRONG not in audit_tables_text()
