from django.conf import settings
from django.core.checks import Error, register

from kccperf.roles import ROLE_NAMES
from kccperf.sso.config import STAFF, unknown_roles


@register()
def check_role_map(app_configs, **kwargs):
    unknown = unknown_roles(settings.KCCPERF_OIDC_ROLE_MAP, ROLE_NAMES)
    if not unknown:
        return []
    return [
        Error(
            f"KCCPERF_OIDC_ROLE_MAP names roles the portal does not have: {sorted(unknown)}",
            hint=f"Use {', '.join(ROLE_NAMES)} or {STAFF!r}.",
            id="kccperf.E101",
        )
    ]
