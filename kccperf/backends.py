"""Authentication backends (issue 12)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend

from kccperf import lookups


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


class KeptPermissionsMixin:
    """A person's permissions read once per version of the portal's roles, not on every
    request (:mod:`kccperf.lookups`): Django's ModelBackend keeps them on the user object for
    one request only, at two queries a request."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            if not hasattr(user_obj, "_perm_cache"):
                parent = super().get_all_permissions  # type: ignore[misc]
                user_obj._perm_cache = lookups.versioned(
                    "permissions",
                    "kccperf",
                    (user_obj.pk, user_obj.is_superuser),
                    lambda: frozenset(parent(user_obj)),
                )
            return user_obj._perm_cache
        return super().get_all_permissions(user_obj, obj)  # type: ignore[misc]
