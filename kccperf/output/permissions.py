"""Who may export what: one rule for every download (issue 12).

Every file the portal hands out (CSV, XLSX, Word) is an export. Exports need the
``kccperf.export_data`` permission (the Analyst role; superusers have every permission), except
that the corporate risk manager also exports the risk register they keep
(``risks.view_risk``). Reading a page never implies downloading it: CMT read every dashboard
and report on screen (and can print them) but download nothing.

Each export path calls :func:`check_export` (through ``requested_export`` or
:func:`export_required`); templates show download links only where :func:`can_export` is true.
The permission matrix pins the rule (tests/*/urls_matrix.py, cases with ``_export``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

EXPORT_PERMISSION = "kccperf.export_data"
# Areas whose own keepers may export them besides holders of EXPORT_PERMISSION.
AREA_EXPORTERS: dict[str, tuple[str, ...]] = {"risks": ("risks.view_risk",)}


def can_export(user: Any, area: str | None = None) -> bool:
    permissions = (EXPORT_PERMISSION, *AREA_EXPORTERS.get(area or "", ()))
    return any(user.has_perm(permission) for permission in permissions)


def check_export(user: Any, area: str | None = None) -> None:
    if not can_export(user, area):
        raise PermissionDenied("Downloads (CSV, Excel, Word) are for the performance team.")


def export_required(area: str | None = None) -> Callable:
    """View decorator: the whole view is a download."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            check_export(request.user, area)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
