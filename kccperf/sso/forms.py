"""Login forms that say clearly when password sign-in is turned off for the account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from kccperf.sso.backends import password_sign_in_allowed


def password_sign_in_off_message() -> str:
    return (
        "Password sign-in is turned off for this account: use "
        f"“Sign in with {settings.KCCPERF_OIDC_PROVIDER_NAME}”."
    )


class _LocalLoginPolicy:
    """Checked before the password, so the message does not depend on the password."""

    cleaned_data: dict[str, Any]
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if settings.KCCPERF_SSO_ENABLED:
            # The provider's button comes first; the cursor is not put in the password form.
            self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and not password_sign_in_allowed(username):
            raise forms.ValidationError(password_sign_in_off_message(), code="password_sign_in_off")
        return super().clean()  # type: ignore[misc]


class LoginForm(_LocalLoginPolicy, AuthenticationForm):
    pass


class AdminLoginForm(_LocalLoginPolicy, AdminAuthenticationForm):
    pass
