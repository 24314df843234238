from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sign_in_options() -> dict[str, Any]:
    """What the login page offers: the provider's button, the password form, or both."""
    enabled = settings.KCCPERF_SSO_ENABLED
    return {
        "sso": enabled,
        "provider_name": settings.KCCPERF_OIDC_PROVIDER_NAME,
        "passwords_for_all": settings.KCCPERF_LOCAL_LOGIN or not enabled,
    }
