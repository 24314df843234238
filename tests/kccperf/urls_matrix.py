from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from tests.kccperf.sso_helpers import SSO_SETTINGS, fake_provider
from tests.matrix import UrlCase, everyone


def _q2_on_record(cast) -> dict:
    quarter = Quarter(2019, 2)
    ReportingPeriod.objects.ensure(quarter)
    return {"period": quarter}


CASES = [
    # Lead officers land on their returns.
    UrlCase("home", everyone(200, alice=302, bob=302)),
    UrlCase("healthz", everyone(200, anonymous=200)),
    # The accessibility statement is for everyone, signed in or not (linked from every footer).
    UrlCase("accessibility", everyone(200, anonymous=200)),
    # The switcher changes the session only by POST.
    UrlCase("switch-period", everyone(405), query="period=2019-20-q1&next=/"),
    UrlCase(
        "switch-period",
        everyone(302),
        method="post",
        data={"period": "2019-20-q1", "next": "/"},
        id="post",
    ),
    # Analysts close and reopen quarters (a quarter must be on record: 404 otherwise).
    UrlCase(
        "period-stage",
        everyone(403, dan=302, root=302),
        setup=_q2_on_record,
        method="post",
        data={"action": "close"},
    ),
    # Analysts load KPI, SDP and report data; risk managers load the register.
    UrlCase("load-data", everyone(403, dan=200, erin=200, root=200)),
    UrlCase("login", everyone(302, anonymous=200)),
    # Issue 12: your account, password change and reset, two-factor.
    UrlCase("account", everyone(200)),
    UrlCase("password_change", everyone(200)),
    UrlCase("password_change_done", everyone(200)),
    # Reset is for people who cannot sign in: open to everyone.
    UrlCase("password_reset", everyone(200, anonymous=200)),
    UrlCase(
        "password_reset",
        everyone(302, anonymous=302),
        method="post",
        data={"email": "nobody@example.org"},
        id="post",
    ),
    UrlCase("password_reset_done", everyone(200, anonymous=200)),
    UrlCase(
        "password_reset_confirm",
        everyone(200, anonymous=200),
        setup=lambda cast: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    UrlCase("password_reset_complete", everyone(200, anonymous=200)),
    UrlCase("two-factor-setup", everyone(200)),
    # Nobody in the cast has a device yet: verifying sends them to set one up.
    UrlCase("two-factor-verify", everyone(302)),
    UrlCase("two-factor-disable", everyone(405)),
    UrlCase("two-factor-disable", everyone(302), method="post", id="post"),
    UrlCase("logout", everyone(405)),
    UrlCase("logout", everyone(302), method="post", id="post"),
    # Single sign-on: reachable without a login; 404 while it is not configured.
    UrlCase("sso-start", everyone(404, anonymous=404)),
    UrlCase("sso-callback", everyone(404, anonymous=404)),
    # Configured: the start sends anyone to the provider, a callback without a code back to
    # the login page with a message.
    UrlCase(
        "sso-start",
        everyone(302, anonymous=302),
        setup=fake_provider,
        settings=SSO_SETTINGS,
        id="configured",
    ),
    UrlCase(
        "sso-callback",
        everyone(302, anonymous=302),
        setup=fake_provider,
        settings=SSO_SETTINGS,
        id="configured",
    ),
    # Sign-out with single sign-on configured: the portal's session ends either way.
    UrlCase(
        "logout",
        everyone(302),
        method="post",
        setup=fake_provider,
        settings=SSO_SETTINGS,
        id="post-configured",
    ),
]
