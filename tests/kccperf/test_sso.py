"""Single sign-on without a browser: the role map, the ID token checks, what a sign-in does to
the portal's users, the login page and the local-login switch. The whole flow against a real
provider is tests/kccperf/test_browser_sso.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.urls import reverse

from kccperf.models import SignOnIdentity, User
from kccperf.roles import ROLE_NAMES
from kccperf.sso.backends import PortalOIDCBackend
from kccperf.sso.config import discovery_url, parse_role_map, roles_granted, unknown_roles
from kccperf.sso.services import SignOnRefused, sign_in_user
from tests.factories import PASSWORD, make_user
from tests.kccperf.sso_helpers import FAKE_ISSUER, SSO_SETTINGS, fake_provider

ROOT = Path(__file__).resolve().parents[2]
ROLE_MAP = {
    "grp-analysts": frozenset({"Analyst", "staff"}),
    "grp-cmt": frozenset({"CMT"}),
}

# The role map ------------------------------------------------------------------------------


def test_the_role_map_reads_pairs_and_json_alike():
    pairs = parse_role_map(" grp-analysts=Analyst; grp-analysts = staff ;grp-cmt=CMT; ")
    as_json = parse_role_map('{"grp-analysts": ["Analyst", "staff"], "grp-cmt": "CMT"}')
    assert pairs == as_json == ROLE_MAP
    assert parse_role_map("") == {}


def test_an_entra_group_id_is_a_group_like_any_other():
    group = "8f3b1c2a-0d4e-4f6a-9b7c-1e2d3c4b5a69"
    assert parse_role_map(f"{group}=Risk manager") == {group: frozenset({"Risk manager"})}


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("grp-analysts", "is not group=Role"),
        ("=Analyst", "is not group=Role"),
        ("grp=", "is not group=Role"),
        ('{"grp": ', "not valid JSON"),
        ('["grp"]', "must be a JSON object"),
        ('{"grp": [1]}', "must be names"),
    ],
)
def test_a_malformed_role_map_says_what_is_wrong(raw, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        parse_role_map(raw)


def test_roles_not_in_the_portal_are_reported():
    role_map = parse_role_map("a=Analyst;b=Analysts;c=staff")
    assert unknown_roles(role_map, ROLE_NAMES) == {"Analysts"}


def test_only_the_roles_the_map_mentions_are_managed():
    granted, managed = roles_granted(["grp-cmt", "grp-other"], ROLE_MAP)
    assert granted == {"CMT"}
    assert managed == {"Analyst", "staff", "CMT"}


def test_the_issuer_gives_the_discovery_address():
    assert discovery_url("", "https://login.microsoftonline.com/t/v2.0/") == (
        "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration"
    )
    assert discovery_url("https://x/doc", "https://y") == "https://x/doc"


def _check(env: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, **env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_half_a_configuration_and_unknown_roles_stop_the_portal():
    half = _check({"KCCPERF_OIDC_ISSUER": "https://idp.example", "KCCPERF_OIDC_CLIENT_ID": "x"})
    assert half.returncode != 0 and "KCCPERF_OIDC_CLIENT_SECRET together" in half.stderr
    off = _check({"KCCPERF_LOCAL_LOGIN": "off"})
    assert off.returncode != 0 and "needs single sign-on configured" in off.stderr
    wrong_role = _check({"KCCPERF_OIDC_ROLE_MAP": "grp=Analysts"})
    assert wrong_role.returncode != 0 and "kccperf.E101" in wrong_role.stderr


# The ID token ------------------------------------------------------------------------------

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(key=_KEY, algorithm="RS256", **overrides) -> str:
    now = int(time.time())
    claims = {"iss": FAKE_ISSUER, "aud": "kccperf", "sub": "s-1", "iat": now, "exp": now + 300}
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=algorithm)


@pytest.fixture
def backend(settings):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    fake_provider()
    return PortalOIDCBackend()


def test_an_id_token_signed_by_the_provider_for_us_is_accepted(backend):
    claims = backend._verify_jws(_token(), _KEY.public_key())
    assert claims["sub"] == "s-1"


@pytest.mark.parametrize(
    ("token", "says"),
    [
        (lambda: _token(key=_OTHER_KEY), "Signature verification failed"),
        (lambda: _token(aud="another-app"), "Audience doesn't match"),
        (lambda: _token(iss="https://evil.example"), "Invalid issuer"),
        (lambda: _token(exp=int(time.time()) - 3600), "Signature has expired"),
        (lambda: _token(exp=None), 'missing the "exp" claim'),
        (lambda: _token(key="shared-secret-shared-secret-shared", algorithm="HS256"), "not RS256"),
        (lambda: _token(aud=["kccperf", "other"], azp="other"), "several audiences"),
    ],
)
def test_an_id_token_is_refused_unless_signed_by_the_provider_for_us(backend, token, says):
    with pytest.raises(SuspiciousOperation, match=says):
        backend._verify_jws(token(), _KEY.public_key())


# A sign-in -----------------------------------------------------------------------------------


@pytest.fixture
def role_map(settings):
    settings.KCCPERF_OIDC_ROLE_MAP = ROLE_MAP
    settings.KCCPERF_OIDC_USER_CLAIM = "oid"


def _claims(**overrides) -> dict:
    claims = {
        "sub": "pairwise-1",
        "oid": "oid-1",
        "preferred_username": "jane.smith@kent.example",
        "email": "jane.smith@kent.example",
        "given_name": "Jane",
        "family_name": "Smith",
        "groups": ["grp-analysts"],
    }
    claims.update(overrides)
    return claims


def test_a_first_sign_in_creates_the_person_with_their_roles(db, role_map):
    user = sign_in_user(FAKE_ISSUER, _claims())
    assert user.username == "jane.smith@kent.example"
    assert (user.first_name, user.last_name) == ("Jane", "Smith")
    assert not user.has_usable_password()
    assert user.is_staff and not user.is_superuser
    assert set(user.groups.values_list("name", flat=True)) == {"Analyst"}
    identity = SignOnIdentity.objects.get(user=user)
    assert (identity.claim, identity.subject, identity.groups) == ("oid", "oid-1", ["grp-analysts"])


def test_the_stable_claim_finds_the_person_whatever_their_email_becomes(db, role_map):
    first = sign_in_user(FAKE_ISSUER, _claims())
    again = sign_in_user(
        FAKE_ISSUER, _claims(email="j.jones@kent.example", family_name="Jones", groups=["grp-cmt"])
    )
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.email, again.last_name, again.is_staff) == (
        "j.jones@kent.example",
        "Jones",
        False,
    )
    assert set(again.groups.values_list("name", flat=True)) == {"CMT"}
    # Someone else with the old e-mail is someone else.
    other = sign_in_user(FAKE_ISSUER, _claims(oid="oid-2", email="jane.smith@kent.example"))
    assert other.pk != first.pk


def test_a_first_sign_in_links_the_account_made_beforehand_by_e_mail(db, role_map):
    lead = make_user("jsmith", email="Jane.Smith@kent.example")
    lead.groups.add(Group.objects.get(name="Lead officer"))
    user = sign_in_user(FAKE_ISSUER, _claims())
    assert user.pk == lead.pk
    # Lead officer is not managed by the map: kept; Analyst added.
    assert set(user.groups.values_list("name", flat=True)) == {"Lead officer", "Analyst"}


@pytest.mark.parametrize(
    "case", ["superuser", "unverified", "two accounts", "already linked", "linking off"]
)
def test_an_account_is_not_linked_by_e_mail_when_that_would_be_unsafe(db, role_map, settings, case):
    claims = _claims()
    existing = make_user("jsmith", email="jane.smith@kent.example")
    if case == "superuser":
        User.objects.filter(pk=existing.pk).update(is_superuser=True)
    elif case == "unverified":
        claims["email_verified"] = False
    elif case == "two accounts":
        make_user("jsmith2", email="JANE.SMITH@kent.example")
    elif case == "already linked":
        sign_in_user(FAKE_ISSUER, _claims(oid="someone-else"))
        existing = User.objects.get(sign_on_identity__subject="someone-else")
    else:
        settings.KCCPERF_OIDC_LINK_BY_EMAIL = False
    user = sign_in_user(FAKE_ISSUER, claims)
    assert user.pk != existing.pk


def test_roles_the_map_does_not_manage_and_superusers_are_left_alone(db, role_map):
    user = sign_in_user(FAKE_ISSUER, _claims())
    user.groups.add(Group.objects.get(name="Risk manager"))
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    user = sign_in_user(FAKE_ISSUER, _claims(groups=[]))
    assert set(user.groups.values_list("name", flat=True)) == {"Risk manager"}
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        (_claims(oid=""), "did not send the 'oid' claim"),
        (
            {**_claims(groups=None), "_claim_names": {"groups": "src1"}},
            "too many groups",
        ),
    ],
)
def test_a_sign_in_is_refused_with_the_reason(db, role_map, claims, says):
    claims = {k: v for k, v in claims.items() if v is not None}
    with pytest.raises(SignOnRefused, match=says):
        sign_in_user(FAKE_ISSUER, claims)
    assert not SignOnIdentity.objects.exists()


def test_a_person_switched_off_in_the_portal_is_refused(db, role_map):
    user = sign_in_user(FAKE_ISSUER, _claims())
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SignOnRefused, match="switched off"):
        sign_in_user(FAKE_ISSUER, _claims())


def test_a_sign_in_takes_a_fixed_number_of_queries(db, role_map, django_assert_num_queries):
    sign_in_user(FAKE_ISSUER, _claims())
    # savepoint, identity + user (for update), identity update, managed groups, current roles,
    # release
    with django_assert_num_queries(6):
        sign_in_user(FAKE_ISSUER, _claims())


# The login page and the local-login switch --------------------------------------------------


def test_without_single_sign_on_the_login_page_is_unchanged(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page


def test_with_single_sign_on_the_login_page_offers_the_provider(client, db, settings):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    settings.KCCPERF_OIDC_PROVIDER_NAME = "Kent County Council account"
    page = client.get(reverse("login") + "?next=/kpis/").content.decode()
    assert 'href="/oidc/authenticate/?next=/kpis/"' in page
    assert "Sign in with Kent County Council account" in page
    assert 'name="password"' in page and "<details" not in page
    settings.KCCPERF_LOCAL_LOGIN = False
    page = client.get(reverse("login")).content.decode()
    assert "<details" in page and "Emergency administrator sign-in" in page


def test_the_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(
    client, db, settings
):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    fake_provider()
    response = client.get(reverse("sso-start") + "?next=/kpis/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{FAKE_ISSUER}/auth?response_type=code")
    for part in ("client_id=kccperf", "state=", "nonce=", "code_challenge_method=S256"):
        assert part in location
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Foidc%2Fcallback%2F" in location


def test_a_provider_that_does_not_answer_is_a_message_not_an_error(client, db, settings):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    settings.KCCPERF_OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get(reverse("sso-start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert b"The sign-in service is not answering" in response.content


def test_a_callback_with_the_providers_refusal_says_so(client, db, settings):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    response = client.get(
        reverse("sso-callback") + "?error=access_denied&error_description=User+cancelled",
        follow=True,
    )
    assert b"The identity provider did not sign you in: User cancelled" in response.content


@pytest.fixture
def local_login_off(settings, cast):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    settings.KCCPERF_LOCAL_LOGIN = False
    settings.KCCPERF_BREAK_GLASS_USERS = ["root"]
    return cast


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_with_local_login_off_a_password_is_refused_with_a_clear_message(
    client, local_login_off, url_name
):
    response = client.post(reverse(url_name), {"username": "dan", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Password sign-in is turned off for this account" in response.content.decode()


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_with_local_login_off_a_break_glass_account_still_signs_in(
    client, local_login_off, url_name
):
    response = client.post(reverse(url_name), {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(local_login_off["root"].pk)


def test_with_local_login_off_the_password_backend_refuses_every_other_path(local_login_off):
    from django.contrib.auth import authenticate

    assert authenticate(None, username="dan", password=PASSWORD) is None
    assert authenticate(None, username="root", password=PASSWORD) == local_login_off["root"]


def test_a_password_post_with_a_code_in_its_address_is_not_a_sign_on(client, db, settings, dan):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    response = client.post(
        reverse("login") + "?code=x&state=y", {"username": "dan", "password": PASSWORD}
    )
    assert response.status_code == 302  # the password backend, no token request
    assert not SignOnIdentity.objects.exists()


def test_signing_out_after_a_sign_on_ends_the_providers_session_too(client, db, settings, dan):
    for name, value in SSO_SETTINGS.items():
        setattr(settings, name, value)
    fake_provider()
    client.force_login(dan)
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()
    response = client.post(reverse("logout"))
    assert response["Location"].startswith(f"{FAKE_ISSUER}/session/end?id_token_hint=the.id.token")
    assert (
        "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Faccounts%2Flogin%2F"
        in (response["Location"])
    )
    assert "_auth_user_id" not in client.session
