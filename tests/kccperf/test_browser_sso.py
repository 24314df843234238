"""Single sign-on in a real browser against a real OpenID Connect provider on 127.0.0.1
(tests/oidc_provider: the certified npm package oidc-provider): the redirect, the provider's
login form, the code exchange, the ID token's RS256 signature check against the provider's
JWKS, and the roles its groups map to."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from kccperf.models import SignOnIdentity, User
from kccperf.sso.backends import clear_provider_metadata
from tests.browser_helpers import all_violations
from tests.factories import PASSWORD
from tests.kccperf import oidc_provider

PHONE = {"width": 375, "height": 800}

JANE = {
    "username": "jane.smith",
    "password": "provider-password",
    "email": "jane.smith@kent.example",
    "given_name": "Jane",
    "family_name": "Smith",
    "groups": ["grp-performance-analysts", "grp-everyone"],
}


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory):
    accounts = tmp_path_factory.mktemp("oidc") / "accounts.json"
    yield from oidc_provider.start(live_server.url, accounts)


@pytest.fixture
def sso(provider, settings):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.KCCPERF_OIDC_PROVIDER_NAME = "Kent County Council account"
    settings.KCCPERF_OIDC_ROLE_MAP = {
        "grp-performance-analysts": frozenset({"Analyst", "staff"}),
        "grp-cmt": frozenset({"CMT"}),
    }
    provider.set_accounts({"entra-oid-0001": dict(JANE)})
    clear_provider_metadata()
    yield provider
    clear_provider_metadata()


def _sign_in_with_provider(page, username: str, password: str, next_url: str = "/") -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_role("link", name="Sign in with Kent County Council account").click()
    # The provider's own login form, on its own origin.
    page.get_by_label("Account name").fill(username)
    page.get_by_label("Account password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def _sign_out(page) -> None:
    # Ends the portal's session, then the provider's (RP-initiated logout), back to the login.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_signing_in_with_the_provider_maps_groups_to_roles_at_every_sign_in(page, sso, settings):
    # The login page with both ways in: no axe findings, fits a phone.
    page.goto("/accounts/login/")
    assert all_violations(page) == []
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in_with_provider(page, "jane.smith", "provider-password", next_url="/load-data/")

    # Landed where they asked, as an analyst (a page only analysts and risk managers open).
    assert page.url.endswith("/load-data/")
    assert page.locator("h1").inner_text() == "Load data"
    assert "Analyst" in page.locator(".account-role").inner_text()
    identity = SignOnIdentity.objects.select_related("user").get()
    jane = identity.user
    assert (identity.subject, identity.claim) == ("entra-oid-0001", "sub")
    assert identity.issuer == sso.issuer
    assert (jane.first_name, jane.last_name, jane.email) == ("Jane", "Smith", JANE["email"])
    assert jane.is_staff and not jane.has_usable_password()
    assert set(jane.groups.values_list("name", flat=True)) == {"Analyst"}
    # A role given by hand in the admin is not the map's business: it stays.
    jane.groups.add(Group.objects.get(name="Risk manager"))
    _sign_out(page)

    # Removed from the group at the provider, renamed: the next sign-in takes the role away.
    sso.update_account(
        "entra-oid-0001", groups=["grp-everyone"], family_name="Jones", email="jane.j@kent.example"
    )
    _sign_in_with_provider(page, "jane.smith", "provider-password", next_url="/load-data/")
    assert page.locator(".account-name").inner_text() == "Jane Jones"
    jane.refresh_from_db()
    assert set(jane.groups.values_list("name", flat=True)) == {"Risk manager"}
    assert not jane.is_staff
    assert jane.email == "jane.j@kent.example"
    assert User.objects.filter(sign_on_identity__isnull=False).count() == 1  # the same person
    jane.groups.clear()
    response = page.goto("/load-data/")
    assert response is not None and response.status == 403
    _sign_out(page)

    # Switched off in the portal: the provider vouches for them, the portal refuses.
    User.objects.filter(pk=jane.pk).update(is_active=False)
    _sign_in_with_provider(page, "jane.smith", "provider-password")
    assert page.url.endswith("/accounts/login/")
    assert "Your portal account is switched off" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Sign out").count() == 0
    User.objects.filter(pk=jane.pk).update(is_active=True)

    # Disabled at the provider: the provider refuses to sign them in, so the portal never does.
    sso.update_account("entra-oid-0001", disabled=True)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Kent County Council account").click()
    page.get_by_label("Account name").fill("jane.smith")
    page.get_by_label("Account password").fill("provider-password")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("alert").inner_text() == "This account has been disabled."
    response = page.goto("/load-data/")
    assert response is not None and "/accounts/login/" in page.url


def test_with_local_login_off_only_break_glass_accounts_use_a_password(page, sso, settings, cast):
    settings.KCCPERF_LOCAL_LOGIN = False
    settings.KCCPERF_BREAK_GLASS_USERS = ["root"]
    page.goto("/accounts/login/")
    assert page.get_by_role("link", name="Sign in with Kent County Council account").is_visible()
    # The password form is tucked away for the break-glass accounts.
    assert not page.get_by_label("Username").is_visible()
    assert all_violations(page) == []
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # An analyst's right password is refused, with a message saying what to do instead.
    page.get_by_text("Emergency administrator sign-in").click()
    page.get_by_label("Username").fill("dan")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.title().startswith("Error: ")
    assert "Password sign-in is turned off for this account" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Sign out").count() == 0
    assert all_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The admin's own login page obeys the same rule.
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("dan")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "Password sign-in is turned off for this account" in page.content()
    assert page.get_by_role("link", name="Sign in with Kent County Council account").is_visible()
    assert all_violations(page) == []

    # The break-glass account still signs in with its password.
    page.goto("/accounts/login/")
    page.get_by_text("Emergency administrator sign-in").click()
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert "Administrator" in page.locator(".account-role").inner_text()
