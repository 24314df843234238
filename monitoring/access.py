"""Object-level access to activities (STYLE §5, like healthchecks' _get_check_for_user)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from kccperf.periods import Quarter
from monitoring.models import Activity, Return
from monitoring.rules import ON_BEHALF_PERMISSION, SIGN_OFF_PERMISSION


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


def sign_off_capacity(user, return_obj: Return) -> str | None:
    """The one rule of who decides on a return waiting for sign-off: ``"approver"`` (the
    approver named on the submission, with the Approver role's permission), ``"on_behalf"``
    (analysts and superusers, with a reason) or None."""
    if not user.is_authenticated:
        return None
    if user.has_perm(SIGN_OFF_PERMISSION) and return_obj.approver_id == user.pk:
        return "approver"
    if user.has_perm(ON_BEHALF_PERMISSION):
        return "on_behalf"
    return None


def get_return_for_sign_off(
    request, activity_pk: int, quarter: Quarter
) -> tuple[Return, str, bool]:
    """The return of ``activity_pk`` for ``quarter``, how the user may sign it off and
    whether they read the activity's other pages (an approver who is not CMT may not).

    404 when there is no such return or the user can neither see the activity nor is its
    approver; 403 when they can see it but may not sign it off (its lead officer, CMT, an
    approver of another directorate's returns)."""
    return_obj = (
        Return.objects.filter(activity_id=activity_pk, period__start=quarter.start)
        .select_related(
            "period",
            "activity__outcome",
            "activity__directorate",
            "activity__lead_officer",
            "approver",
            "submitted_by",
            "signed_off_by",
        )
        .prefetch_related("issues", "milestones", "expected_governance")
        .first()
    )
    if return_obj is None:
        raise Http404("No such return")
    user = request.user
    visible = Activity.objects.visible_to(user).filter(pk=activity_pk).exists()
    if not visible and return_obj.approver_id != user.pk:
        raise Http404("No such return")
    capacity = sign_off_capacity(user, return_obj)
    if capacity is None:
        raise PermissionDenied("You cannot sign off this return")
    return return_obj, capacity, visible
