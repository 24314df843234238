"""What puts sign-ins and management commands on the audit trail.

- Sign-ins, failed sign-ins and sign-outs (Django's auth signals, sent for passwords and
  single sign-on alike) each write a :class:`audit.models.SignIn` row with the username given
  and the address, never the password (Django passes it masked; it is not read here).
- Every management command runs inside ``pghistory.context(command=...)``, whether started
  by ``manage.py`` or ``call_command`` (imports, the demo, migrations, createsuperuser), so
  its writes are one entry naming the command. The arguments are not recorded (``load_demo
  --password`` takes a password).
"""

from __future__ import annotations

import functools
import getpass
from typing import Any

import pghistory
from django.contrib.auth import signals as auth_signals
from django.core.management.base import BaseCommand
from pghistory import runtime

BACKEND_NAMES = {
    "kccperf.sso.backends.PortalOIDCBackend": "single sign-on",
}


def _address(request: Any) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def _record(outcome: str, *, request: Any, user: Any = None, username: str = "") -> None:
    from audit.models import SignIn

    if user is not None and getattr(user, "pk", None) is not None:
        username = user.get_username()
        pghistory.context(user=user.pk, username=username)
    backend = getattr(user, "backend", "") or ""
    SignIn.objects.create(
        outcome=outcome,
        username=(username or "")[:254],
        user=user if user is not None and getattr(user, "pk", None) else None,
        address=_address(request),
        method=BACKEND_NAMES.get(backend, "password" if outcome == "signed_in" else ""),
    )


def signed_in(sender, request, user, **kwargs) -> None:
    _record("signed_in", request=request, user=user)


def signed_out(sender, request, user, **kwargs) -> None:
    _record("signed_out", request=request, user=user)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # ``credentials`` holds the username and a masked password: only the username is kept.
    _record("failed", request=request, username=str(credentials.get("username") or ""))


def _in_context(execute):
    @functools.wraps(execute)
    def wrapper(self, *args, **options):
        if hasattr(runtime._tracker, "value"):
            # Called by a request or another command: its entry already says who and what.
            return execute(self, *args, **options)
        command = type(self).__module__.rsplit(".", 1)[-1]
        try:
            os_user = getpass.getuser()
        except Exception:  # no name for this uid (a container)
            os_user = ""
        with pghistory.context(command=command, os_user=os_user, source="command"):
            return execute(self, *args, **options)

    wrapper.audited = True  # type: ignore[attr-defined]
    return wrapper


def connect() -> None:
    auth_signals.user_logged_in.connect(signed_in, dispatch_uid="audit-signed-in")
    auth_signals.user_logged_out.connect(signed_out, dispatch_uid="audit-signed-out")
    auth_signals.user_login_failed.connect(sign_in_failed, dispatch_uid="audit-sign-in-failed")
    if not getattr(BaseCommand.execute, "audited", False):
        BaseCommand.execute = _in_context(BaseCommand.execute)  # type: ignore[method-assign]
