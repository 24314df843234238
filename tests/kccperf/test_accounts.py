"""Issue 12: local accounts done properly.

Lockout (django-axes), password change and reset, idle sessions and TOTP two-factor.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

LIMIT = 5


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, for tests) that counts how often a password is hashed or checked."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


# Lockout ------------------------------------------------------------------------------------


def test_after_the_limit_the_right_password_is_refused_until_the_cool_off_ends(
    client, alice, lockout
):
    for _ in range(LIMIT - 1):
        assert _sign_in(client, "alice", "wrong").status_code == 200
    locked = _sign_in(client, "alice", "wrong")
    assert locked.status_code == 429
    refused = _sign_in(client, "alice", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    page = refused.content.decode()
    assert "Sign-in locked" in page
    assert f"{LIMIT} wrong passwords for the account alice" in page
    assert "locked for 15 minutes" in page
    assert "Try again after" in page
    assert "manage.py axes_reset_username alice" in page
    assert "Access attempts" in page
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = _sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_account_is_locked_from_every_address(client, alice, lockout):
    for n in range(LIMIT):
        _sign_in(client, "alice", "wrong", address=f"10.0.1.{n}")
    assert _sign_in(client, "alice", PASSWORD, address="10.0.2.1").status_code == 429


def test_the_address_is_locked_for_every_account(client, cast, lockout):
    for name in ("alice", "bob", "carol", "dan", "erin"):
        _sign_in(client, name, "wrong", address="10.9.9.9")
    assert _sign_in(client, "root", PASSWORD, address="10.9.9.9").status_code == 429
    # ... but not for other people
    assert _sign_in(client, "root", PASSWORD, address="10.9.9.8").status_code == 302


def test_locked_out_attempts_are_refused_before_the_password_is_hashed(
    client, cast, lockout, counting_hasher
):
    for _ in range(LIMIT):
        _sign_in(client, "alice", "wrong")
    hashed_while_open = counting_hasher.calls
    assert hashed_while_open == LIMIT
    flood = 200
    for _ in range(flood):
        assert _sign_in(client, "alice", "wrong").status_code == 429
    assert counting_hasher.calls == hashed_while_open, "a locked attempt hashed a password"
    # Other people's pages still answer.
    other = client.__class__()
    other.force_login(cast["carol"])
    assert other.get(reverse("home")).status_code == 200


def test_an_analyst_unlocks_an_account_in_the_admin(client, cast, lockout):
    for _ in range(LIMIT):
        _sign_in(client, "alice", "wrong")
    attempt = AccessAttempt.objects.get(username="alice")
    analyst = cast["dan"]
    analyst.is_staff = True  # analysts use the admin site (README "Roles and demo logins")
    analyst.save()
    client.force_login(analyst)
    listed = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listed.status_code == 200
    assert "alice" in listed.content.decode()
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    client.logout()
    assert _sign_in(client, "alice", PASSWORD).status_code == 302


def test_the_reset_command_unlocks_an_account(client, alice, lockout):
    for _ in range(LIMIT):
        _sign_in(client, "alice", "wrong")
    call_command("axes_reset_username", "alice", stdout=None)
    assert _sign_in(client, "alice", PASSWORD).status_code == 302


def test_failed_sign_ins_are_logged_without_the_password(client, alice, lockout, caplog):
    with caplog.at_level(logging.INFO):
        _sign_in(client, "alice", "Secret-Guess-42")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "alice" in text
    assert "login failure" in text.lower()
    assert "Secret-Guess-42" not in text


def test_the_login_page_states_the_limit_and_links_to_reset(client, db):
    page = client.get(reverse("login")).content.decode()
    assert f"After {LIMIT} wrong passwords the account is locked for 15 minutes" in page
    assert reverse("password_reset") in page


# Password change and reset --------------------------------------------------------------------


def test_every_signed_in_person_can_change_their_password(client, alice):
    client.force_login(alice)
    assert reverse("account") in client.get(reverse("home"), follow=True).content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-Long-passphrase-7",
            "new_password2": "a-new-Long-passphrase-7",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-Long-passphrase-7")


def test_a_wrong_old_password_is_named(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "x-Long-pass-1",
            "new_password2": "x-Long-pass-1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Old password: Your old password was entered incorrectly" in page


def test_a_reset_link_is_e_mailed_and_sets_a_new_password(client, alice):
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your kccperf password"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "reset-Long-pass-99", "new_password2": "reset-Long-pass-99"},
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("reset-Long-pass-99")


def test_reset_never_reveals_whether_an_account_exists(client, alice):
    known = client.post(reverse("password_reset"), {"email": "alice@example.org"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain

    def without_nonce(response):
        return re.sub(rb'nonce="[^"]*"', b"", response.content)

    assert without_nonce(known) == without_nonce(unknown)
    assert len(mail.outbox) == 1


# Sessions ---------------------------------------------------------------------------------------


def test_a_session_idle_past_the_limit_is_signed_out(client, carol, settings):
    settings.KCCPERF_SESSION_IDLE_MINUTES = 30
    client.force_login(carol)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(reverse("home")).status_code == 200
    # 29 minutes later again: still within 30 minutes of the last request.
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "signed_out=idle" in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "not used the portal for 30 minutes" in page


def test_a_session_ends_after_its_absolute_lifetime(client, carol, settings):
    settings.KCCPERF_SESSION_MAX_HOURS = 10
    client.force_login(carol)
    start = timezone.now()
    for minutes in range(0, 600, 25):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(hours=10, minutes=5), tick=False):
        response = client.get(reverse("home"))
    assert "signed_out=expired" in response["Location"]


def test_sessions_last_less_than_a_day(settings):
    assert settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert settings.KCCPERF_SESSION_IDLE_MINUTES == 30


# Two-factor -----------------------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _password_sign_in(client, user):
    response = _sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302, response.content[:500]


def test_anyone_can_turn_on_two_factor_and_is_then_asked_for_a_code(client, alice):
    _password_sign_in(client, alice)
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert device.key.upper() not in html  # the key is shown as base32, not hex
    assert re.search(r'class="totp-secret">[A-Z2-7 ]{20,}<', html)
    wrong = client.post(reverse("two-factor-setup"), {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    # django-otp throttles a device after a wrong code (1 s, then doubling): wait it out.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        response = client.post(reverse("two-factor-setup"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # Next sign-in: the password alone is not enough.
    client.logout()
    _password_sign_in(client, alice)
    asked = client.get(reverse("home"))
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("two-factor-verify"))
    assert client.get(reverse("kpis:scorecard")).status_code == 302
    device.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        verified = client.post(reverse("two-factor-verify"), {"token": _code(device), "next": "/"})
        assert verified.status_code == 302
        assert verified["Location"] == "/"
        assert client.get(reverse("home")).status_code in (200, 302)
        assert client.get(reverse("account")).status_code == 200


def test_staff_must_set_up_two_factor_before_anything_else_when_required(client, cast, settings):
    settings.KCCPERF_REQUIRE_2FA_FOR_STAFF = True
    _password_sign_in(client, cast["root"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))
    assert "locked" not in client.get(response["Location"]).content.decode()
    assert "must use two-factor" in client.get(response["Location"]).content.decode()
    # People who are not staff are not asked.
    other = client.__class__()
    _password_sign_in(other, cast["carol"])
    assert other.get(reverse("account")).status_code == 200
    # Once set up, the admin opens.
    device = TOTPDevice.objects.get(user=cast["root"])
    client.post(reverse("two-factor-setup"), {"token": _code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_two_factor_is_required_for_staff_in_production_by_default(settings):
    from kccperf import settings as project_settings

    assert project_settings.KCCPERF_REQUIRE_2FA_FOR_STAFF is project_settings.PRODUCTION


def test_staff_cannot_turn_two_factor_off_when_it_is_required(client, cast, settings):
    settings.KCCPERF_REQUIRE_2FA_FOR_STAFF = True
    client.force_login(cast["root"])
    TOTPDevice.objects.create(user=cast["root"], confirmed=True)
    client.post(reverse("two-factor-disable"))
    assert TOTPDevice.objects.filter(user=cast["root"]).exists()
