"""Object-level access to activities (STYLE §5, like healthchecks' _get_check_for_user)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from monitoring.models import Activity


def get_activity_for_user(request, pk: int, *, for_edit: bool = False) -> tuple[Activity, bool]:
    """The activity and whether the user may fill in its returns.

    404 when the user cannot see it (a lead officer asking for another officer's activity
    learns nothing about it); with ``for_edit``, 403 when they can see it but not edit it.
    """
    queryset = Activity.objects.visible_to(request.user).select_related(
        "outcome", "directorate", "lead_officer", "activity_type"
    )
    activity = get_object_or_404(queryset, pk=pk)
    can_edit = activity.is_editable_by(request.user)
    if for_edit and not can_edit:
        raise PermissionDenied("You cannot change this activity's returns")
    return activity, can_edit
