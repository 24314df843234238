"""Authentication backends (issue 12)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Every sign-in through the web (the login page, the admin's) passes the request and is
    checked. A call without one (``Client.login`` in tests, scripts) has no address to lock
    and is left to the next backend instead of failing.
    """

    def authenticate(
        self, request: Any = None, username: Any = None, password: Any = None, **kwargs
    ):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
