"""Monitoring pages: lead officers' returns, windows, chasing and imports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from kccperf import figure_cache, page_cache
from kccperf.counting import counting_statement
from kccperf.models import Outcome, User
from kccperf.navigation import Crumb, breadcrumbs
from kccperf.output.conventions import About
from kccperf.output.tables import requested_export, table_export
from kccperf.page_period import page_quarter
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, at_version, stale_context
from monitoring import progress
from monitoring.access import (
    get_activity_for_user,
    get_return_for_sign_off,
    sign_off_capacity,
)
from monitoring.chase import OutstandingTable, outstanding_rows
from monitoring.forms import (
    GOVERNANCE_PREFIX,
    GovernanceFormSet,
    ReopenForm,
    ReturnForm,
    SignOffForm,
    SubmissionWindowForm,
)
from monitoring.models import Activity, ReminderLog, Return, ReturnRevision, SubmissionWindow
from monitoring.reminders import send_window_reminders
from monitoring.rules import ON_BEHALF_PERMISSION, SIGN_OFF_PERMISSION
from monitoring.services import (
    LABELS,
    ReturnData,
    ReturnLockedError,
    SignOffError,
    StaleReturnError,
    editable_now,
    initial_values,
    previous_return,
    reopen_return,
    save_return,
    send_back_return,
    sign_off_return,
)
from monitoring.task_list import task_list


def home_panel(request, quarter: Quarter) -> str | None:
    """The home page's "SDP returns" panel: the quarter's response rate and, for lead
    officers, how many of their own returns are outstanding.

    Rendered once per version of the returns (kccperf.figure_cache): the response rate is the
    same for every reader; a lead officer's own count is per person, so their user pk is in
    the key (nobody else's panel is ever served to them)."""
    user = request.user
    view_all = user.has_perm("kccperf.view_all")
    submits = user.has_perm("monitoring.submit_return")
    if not (view_all or submits):
        return None
    can_chase = user.has_perm("monitoring.manage_monitoring")

    def render_panel() -> str:
        context = {"quarter": quarter, "can_chase": can_chase, "can_submit": False}
        if view_all:
            context["rate"] = progress.response_rate(quarter)
        if submits:
            context["outstanding"] = progress.outstanding_for(user, quarter)
            # Only people with activities of their own get a link to "My SDP returns".
            context["can_submit"] = Activity.objects.editable_by(user).exists()
        # Without the request: the panel needs no context processors.
        return render_to_string("monitoring/_home_panel.html", context)

    return figure_cache.fragment(
        "sdp-home",
        (str(quarter), view_all, can_chase, user.pk if submits else None),
        ("monitoring", "kccperf"),
        render_panel,
    )


def _window_for(quarter: Quarter) -> SubmissionWindow | None:
    return (
        SubmissionWindow.objects.filter(period__start=quarter.start)
        .select_related("period")
        .first()
    )


# /returns/ ----------------------------------------------------------------------------


def my_returns(request, period: Quarter | None = None) -> HttpResponse:
    """The activities the user leads or is delegated, with this quarter's return status.

    Without a period in the URL: the period chosen in the switcher, else the quarter the
    person is asked to report (the latest opened for returns and not closed).
    """
    today = timezone.localdate()
    quarter, window = _returns_quarter(request, period, today)
    window_open = bool(window and window.is_open(today))
    rows = _return_rows(request.user, quarter, window_open)
    context = {
        "quarter": quarter,
        "window": window,
        "window_open": window_open,
        "days_left": window.days_left(today) if window and window_open else None,
        "rows": rows,
        "outstanding": sum(1 for r in rows if r["status"] != Return.Status.SUBMITTED),
        "today": today,
        "breadcrumbs": breadcrumbs("My SDP returns"),
    }
    return render(request, "monitoring/my_returns.html", context)


def _returns_quarter(
    request: HttpRequest, period: Quarter | None, today: date
) -> tuple[Quarter, SubmissionWindow | None]:
    """The quarter of the returns page and its submission window: ``period``, else the
    page's quarter (for lead officers, the quarter they are asked to report: see
    ``kccperf.page_period.role_default``), so the period bar and the list agree."""
    quarter = page_quarter(request, period)
    return quarter, _window_for(quarter)


def _return_rows(user: User, quarter: Quarter, window_open: bool) -> list[dict[str, Any]]:
    """One row per activity the user may edit that is due a return in ``quarter``, with
    the return's status (one query)."""
    returns = Return.objects.for_quarter(quarter).filter(activity=OuterRef("pk"))
    activities = (
        progress.activities_due(quarter, Activity.objects.editable_by(user))
        .select_related("outcome", "lead_officer")
        .annotate(
            return_status=Subquery(returns.values("status")[:1]),
            return_updated_at=Subquery(returns.values("updated_at")[:1]),
            return_reopened=Subquery(returns.values("is_reopened")[:1]),
            return_sign_off=Subquery(returns.values("sign_off")[:1]),
            return_comment=Subquery(returns.values("sign_off_comment")[:1]),
        )
        .order_by("outcome__number", "number")
    )
    return [
        {
            "activity": activity,
            "status": Return.Status(activity.return_status or Return.Status.NOT_STARTED),
            "sign_off": Return.SignOff(activity.return_sign_off or Return.SignOff.NOT_NEEDED),
            "comment": activity.return_comment
            if activity.return_sign_off == Return.SignOff.SENT_BACK
            else "",
            "updated_at": activity.return_updated_at,
            "role": "Lead officer" if activity.lead_officer_id == user.pk else "Delegate",
            "editable": window_open
            or bool(activity.return_reopened)
            or activity.return_sign_off == Return.SignOff.SENT_BACK,
            "url": reverse(
                "monitoring:return-edit", kwargs={"activity_pk": activity.pk, "period": quarter}
            ),
        }
        for activity in activities
    ]


def _my_returns_url(quarter: Quarter) -> str:
    return reverse("monitoring:my-returns-period", kwargs={"period": quarter})


def _return_crumb(activity: Activity, quarter: Quarter) -> Crumb:
    """The link to the return's page, labelled e.g. "1.6 Q2 2019/20"."""
    url = reverse("monitoring:return-edit", kwargs={"activity_pk": activity.pk, "period": quarter})
    return f"{activity.reference} {quarter.label}", url


def _governance_formset(data=None, initial=None):
    return GovernanceFormSet(data, initial=initial, prefix=GOVERNANCE_PREFIX)


def _load_return(activity: Activity, quarter: Quarter) -> Return | None:
    return (
        Return.objects.filter(activity=activity, period__start=quarter.start)
        .select_related(
            "period", "submitted_by", "updated_by", "reopened_by", "approver", "signed_off_by"
        )
        .prefetch_related("issues", "milestones", "expected_governance")
        .first()
    )


def _return_context(request, activity, quarter, return_obj, window, can_edit) -> dict:
    sign_off_url = ""
    if (
        return_obj is not None
        and return_obj.sign_off == Return.SignOff.AWAITING
        and sign_off_capacity(request.user, return_obj)
    ):
        sign_off_url = reverse(
            "monitoring:return-sign-off", kwargs={"activity_pk": activity.pk, "period": quarter}
        )
    return {
        "sign_off_url": sign_off_url,
        "activity": activity,
        "quarter": quarter,
        "return": return_obj,
        "window": window,
        "can_edit": can_edit,
        "can_reopen": request.user.has_perm("monitoring.manage_monitoring"),
        "today": timezone.localdate(),
        "history_url": reverse(
            "monitoring:return-history", kwargs={"activity_pk": activity.pk, "period": quarter}
        ),
        "reopen_url": reverse(
            "monitoring:return-reopen", kwargs={"activity_pk": activity.pk, "period": quarter}
        ),
        "breadcrumbs": breadcrumbs(
            ("My SDP returns", _my_returns_url(quarter)),
            f"{activity.reference} {quarter.label}",
        ),
    }


@require_http_methods(["GET", "POST"])
@page_cache.per_person
def return_edit(request, activity_pk: int, period: Quarter) -> HttpResponse:
    """The return form; read-only outside the window or for people who cannot edit."""
    activity, can_edit = get_activity_for_user(
        request, activity_pk, for_edit=request.method == "POST"
    )
    quarter = period
    return_obj = _load_return(activity, quarter)
    window = _window_for(quarter)
    today = timezone.localdate()
    context = _return_context(request, activity, quarter, return_obj, window, can_edit)
    if not (can_edit and editable_now(activity, return_obj, window, today)):
        if request.method == "POST":
            raise PermissionDenied("This return cannot be changed now")
        return render(request, "monitoring/return_detail.html", context)

    submitted = return_obj is not None and return_obj.status == Return.Status.SUBMITTED
    stale = None
    if request.method == "POST":
        outcome = _save_posted(request, activity, quarter, submitted)
        if isinstance(outcome, HttpResponse):
            return outcome
        form, formset, stale = outcome
    else:
        form, formset, context["prefilled_from"] = _unsaved_form(activity, quarter, return_obj)
    if stale is not None:
        context["stale"] = {
            "what": stale.what,
            "version": stale.return_obj.version,
            "revisions": [_revision_rows(r) for r in stale.revisions],
        }
    context.update(
        form=form,
        formset=formset,
        submitted=submitted,
        days_left=window.days_left(today) if window and window.is_open(today) else None,
        tasks=task_list(form, governance_errors=bool(formset.total_error_count())),
    )
    return render(request, "monitoring/return_form.html", context, status=409 if stale else 200)


def _save_posted(request, activity: Activity, quarter: Quarter, submitted: bool):
    """Save the posted answers: a redirect once saved, else the bound forms (and the
    :class:`StaleReturnError` when someone saved meanwhile)."""
    submitting = request.POST.get("action") == "submit" or submitted
    form = ReturnForm(request.POST, activity=activity, submitting=submitting)
    formset = _governance_formset(request.POST)
    if not (form.is_valid() and formset.is_valid()):
        return form, formset, None
    data = ReturnData(
        fields=form.return_fields(),
        issues=form.issue_themes(),
        milestones=form.milestones(),
        governance=formset.rows(),
    )
    try:
        saved = save_return(
            activity,
            quarter,
            data,
            by=request.user,
            base_version=form.cleaned_data["version"],
            submit=submitting,
        )
    except ReturnLockedError:
        raise PermissionDenied("This return cannot be changed now") from None
    except StaleReturnError as exc:
        fresh = request.POST.copy()
        fresh["version"] = str(exc.return_obj.version)
        form = ReturnForm(fresh, activity=activity, submitting=submitting)
        form.is_valid()
        return form, formset, exc
    if saved.status == Return.Status.SUBMITTED:
        messages.success(request, f"Return for {activity.reference} {quarter.label} submitted.")
        return redirect("monitoring:my-returns-period", period=quarter)
    messages.success(request, "Draft saved. You can come back to it before the window closes.")
    return redirect("monitoring:return-edit", activity_pk=activity.pk, period=quarter)


def _unsaved_form(activity: Activity, quarter: Quarter, return_obj: Return | None):
    """The form and governance rows to start from, and the quarter they were prefilled from:
    nothing saved yet for this quarter means the previous quarter's return."""
    if return_obj is None or return_obj.updated_at is None:
        source, prefill = previous_return(activity, quarter), True
    else:
        source, prefill = return_obj, False
    initial, governance = initial_values(source, prefill=prefill)
    initial["version"] = return_obj.version if return_obj else 0
    form = ReturnForm(initial=initial, activity=activity)
    prefilled_from = source.period.label if prefill and source else None
    return form, _governance_formset(initial=governance), prefilled_from


def _revision_rows(revision: ReturnRevision) -> dict:
    changes = []
    # jsonb does not keep key order: show the questions in the form's order.
    order = {key: n for n, key in enumerate(LABELS)}
    items = sorted(revision.changes.items(), key=lambda item: order.get(item[0], len(order)))
    for key, (old, new) in items:
        label = LABELS.get(key, key.replace("_", " ").capitalize())
        changes.append({"label": label, "old": _display(old), "new": _display(new)})
    return {"revision": revision, "changes": changes}


def _display(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "(none)"
    if value in (None, ""):
        return "(blank)"
    return str(value)


def return_history(request, activity_pk: int, period: Quarter) -> HttpResponse:
    """Every save of the return: who, when and what changed."""
    activity, can_edit = get_activity_for_user(request, activity_pk)
    return_obj = (
        Return.objects.filter(activity=activity, period__start=period.start)
        .select_related("period")
        .first()
    )
    revisions = []
    if return_obj is not None:
        revisions = [
            _revision_rows(r)
            for r in return_obj.revisions.select_related("by").order_by("-version")
        ]
    context = {
        "activity": activity,
        "quarter": period,
        "return": return_obj,
        "revisions": revisions,
        "breadcrumbs": breadcrumbs(
            ("My SDP returns", _my_returns_url(period)),
            _return_crumb(activity, period),
            "History",
        ),
    }
    return render(request, "monitoring/return_history.html", context)


@permission_required("monitoring.manage_monitoring", raise_exception=True)
@require_http_methods(["GET", "POST"])
def return_reopen(request, activity_pk: int, period: Quarter) -> HttpResponse:
    """An analyst reopens one return outside its window, giving a reason."""
    activity, _ = get_activity_for_user(request, activity_pk)
    return_obj = _load_return(activity, period)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reopen_return(activity, period, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            f"Return for {activity.reference} {period.label} reopened: "
            f"{activity.lead_officer} can change it until they submit it again.",
        )
        return redirect("monitoring:return-edit", activity_pk=activity.pk, period=period)
    context = {
        "activity": activity,
        "quarter": period,
        "return": return_obj,
        "form": form,
        "breadcrumbs": breadcrumbs(_return_crumb(activity, period), "Reopen"),
    }
    return render(request, "monitoring/return_reopen.html", context)


# /windows/ ----------------------------------------------------------------------------


@permission_required("monitoring.manage_monitoring", raise_exception=True)
@page_cache.per_person
def window_list(request) -> HttpResponse:
    today = timezone.localdate()
    windows = SubmissionWindow.objects.select_related("period").order_by("-opens")
    context = {
        "windows": [{"window": w, "is_open": w.is_open(today)} for w in windows],
        "breadcrumbs": breadcrumbs("Submission windows and quarters"),
    }
    return render(request, "monitoring/window_list.html", context)


@permission_required("monitoring.manage_monitoring", raise_exception=True)
@require_http_methods(["GET", "POST"])
def window_edit(request, pk: int | None = None) -> HttpResponse:
    window = (
        get_object_or_404(SubmissionWindow.objects.select_related("period"), pk=pk) if pk else None
    )
    form = SubmissionWindowForm(request.POST or None, instance=window)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save()
        except StaleEditError as exc:
            stale = stale_context(exc)
            window = SubmissionWindow.objects.select_related("period").get(pk=pk)
            form = SubmissionWindowForm(
                at_version(request.POST, exc.current_version), instance=window
            )
            form.is_valid()
        else:
            messages.success(request, f"Submission window for {saved.period.label} saved.")
            return redirect("monitoring:window-list")
    title = f"Edit the {window.period.label} window" if window else "New submission window"
    context = {
        "form": form,
        "window": window,
        "title": title,
        "breadcrumbs": breadcrumbs(
            ("Submission windows and quarters", reverse("monitoring:window-list")), title
        ),
    }
    context["stale"] = stale
    return render(request, "monitoring/window_form.html", context, status=409 if stale else 200)


# /chase/ ------------------------------------------------------------------------------


@permission_required("monitoring.manage_monitoring", raise_exception=True)
def chase(request, period: Quarter | None = None, outcome: int | None = None) -> HttpResponse:
    """Response rate and outstanding returns, council-wide or for one outcome (CSV export)."""
    quarter = page_quarter(request, period)
    activities = Activity.objects.all()
    outcome_obj = None
    if outcome is not None:
        outcome_obj = Outcome.objects.numbered_or_404(outcome)
        activities = activities.filter(outcome=outcome_obj)
    caption = f"Outstanding {quarter.label} returns" + (
        f", outcome {outcome_obj.number}" if outcome_obj else ""
    )

    def table() -> OutstandingTable:
        return OutstandingTable(outstanding_rows(quarter, activities), caption=caption)

    export_format = requested_export(request)
    if export_format:
        stem = "sdp-outstanding-returns" + (f"-outcome-{outcome_obj.number}" if outcome_obj else "")
        scope = f"Strategic Outcome {outcome_obj.number}" if outcome_obj else "Council-wide"
        about = About(stem, "Outstanding SDP returns", quarter, scope)
        return table_export(table(), export_format, about, title="Outstanding returns")
    can_see_sign_off = request.user.has_perm(ON_BEHALF_PERMISSION)

    def render_content() -> tuple[str, bool]:
        window = _window_for(quarter)
        outstanding = table()
        context = {
            "quarter": quarter,
            "outcome": outcome_obj,
            "rate": progress.response_rate(quarter, activities),
            "states": progress.sign_off_counts(quarter, activities),
            "counting": counting_statement(),
            "by_outcome": progress.response_rates_by_outcome(quarter)
            if outcome_obj is None
            else [],
            "table": outstanding,
            "window": window,
            "window_open": bool(window and window.is_open(timezone.localdate())),
            "can_see_sign_off": can_see_sign_off,
        }
        html = render_to_string("monitoring/_chase_content.html", context, request=request)
        return str(html), window is not None and bool(len(outstanding.rows))

    # The figures and the outstanding list are the same for every analyst: rendered once per
    # version of the returns (and per day: the window's state), the reminder form (its CSRF
    # token) per request, only when there is a window and someone to remind.
    content, can_remind = figure_cache.value(
        "sdp-chase",
        (request.get_full_path(), str(quarter), can_see_sign_off),
        ("monitoring", "kccperf"),
        render_content,
    )
    context = {
        "quarter": quarter,
        "outcome": outcome_obj,
        "content": mark_safe(content),  # rendered by our template, escaped there
        "can_remind": can_remind,
        "breadcrumbs": _chase_crumbs(quarter, outcome_obj),
    }
    return render(request, "monitoring/chase.html", context)


def _chase_crumbs(quarter: Quarter, outcome: Outcome | None) -> list[dict[str, str | None]]:
    """SDP returns, then the quarter's chase page, then the outcome's when there is one."""
    chase_label = f"Chase {quarter.label}"
    sdp_returns = ("SDP returns", reverse("monitoring:my-returns"))
    if outcome is None:
        return breadcrumbs(sdp_returns, chase_label)
    chase_url = reverse("monitoring:chase-period", kwargs={"period": quarter})
    return breadcrumbs(sdp_returns, (chase_label, chase_url), f"Outcome {outcome.number}")


@permission_required("monitoring.manage_monitoring", raise_exception=True)
@require_POST
def chase_remind(request, period: Quarter) -> HttpResponse:
    """On-demand reminder to everyone with outstanding returns (at most once a day each)."""
    window = _window_for(period)
    activities = Activity.objects.all()
    outcome = request.POST.get("outcome")
    target = reverse("monitoring:chase-period", kwargs={"period": period})
    if outcome and outcome.isdigit():
        activities = activities.filter(outcome__number=int(outcome))
        target = reverse(
            "monitoring:chase-outcome", kwargs={"period": period, "outcome": int(outcome)}
        )
    if window is None:
        messages.error(request, f"{period.label} has no submission window, so nobody was reminded.")
        return redirect(target)
    result = send_window_reminders(
        window,
        ReminderLog.Kind.ON_DEMAND,
        today=timezone.localdate(),
        activities=activities,
        base_url=request.build_absolute_uri("/")[:-1],
    )
    text = f"Reminder sent to {result.sent} {'person' if result.sent == 1 else 'people'}."
    if result.skipped:
        text += f" {result.skipped} already had one today and were not e-mailed again."
    messages.success(request, text)
    return redirect(target)


# /sign-off/ ---------------------------------------------------------------------------

SIGN_OFF_PAGE_SIZE = 50


@page_cache.per_person
def sign_off_list(request) -> HttpResponse:
    """The "Awaiting my sign-off" page: the returns waiting for the user's sign-off and, for those
    who sign off on behalf (analysts), every other return waiting (paged; a fixed number
    of queries whatever the number of returns)."""
    user = request.user
    on_behalf = user.has_perm(ON_BEHALF_PERMISSION)
    if not (user.has_perm(SIGN_OFF_PERMISSION) or on_behalf):
        raise PermissionDenied("You do not sign off returns")
    related = ("period", "activity__outcome", "activity__lead_officer", "submitted_by", "approver")
    order = ("period__start", "activity__outcome__number", "activity__number")
    mine = list(Return.objects.awaiting_sign_off_by(user).select_related(*related).order_by(*order))
    others = None
    if on_behalf:
        waiting = (
            Return.objects.filter(sign_off=Return.SignOff.AWAITING)
            .exclude(pk__in=[r.pk for r in mine])
            .select_related(*related)
            .order_by(*order)
        )
        others = Paginator(waiting, SIGN_OFF_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "mine": [_sign_off_row(r) for r in mine],
        "others": others,
        "other_rows": [_sign_off_row(r) for r in others] if others is not None else [],
        "counting": counting_statement(),
        "breadcrumbs": breadcrumbs("Awaiting my sign-off"),
    }
    return render(request, "monitoring/sign_off_list.html", context)


def _sign_off_row(return_obj: Return) -> dict[str, Any]:
    activity, quarter = return_obj.activity, return_obj.quarter
    return {
        "return": return_obj,
        "activity": activity,
        "quarter": quarter,
        "url": reverse(
            "monitoring:return-sign-off", kwargs={"activity_pk": activity.pk, "period": quarter}
        ),
    }


@require_http_methods(["GET", "POST"])
def return_sign_off(request, activity_pk: int, period: Quarter) -> HttpResponse:
    """The approver reads a submitted return and signs it off or sends it back with a
    comment; an analyst may sign off on the approver's behalf with a reason."""
    return_obj, capacity, reads_activity = get_return_for_sign_off(request, activity_pk, period)
    activity = return_obj.activity
    on_behalf = capacity == "on_behalf"
    waiting = return_obj.sign_off == Return.SignOff.AWAITING
    form = SignOffForm(request.POST or None, on_behalf=on_behalf, version=return_obj.version)
    stale = None
    if request.method == "POST" and not waiting:
        messages.error(request, "This return is no longer waiting for sign-off.")
        return redirect("monitoring:return-sign-off", activity_pk=activity.pk, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            _decide(request, return_obj, form)
        except StaleReturnError as exc:
            stale = {
                "what": "return",
                "version": exc.return_obj.version,
                "revisions": [_revision_rows(r) for r in exc.revisions],
            }
            form = SignOffForm(
                at_version(request.POST, exc.return_obj.version), on_behalf=on_behalf
            )
            form.is_valid()
        except SignOffError:
            messages.error(request, "This return is no longer waiting for sign-off.")
            return redirect("monitoring:return-sign-off", activity_pk=activity.pk, period=period)
        else:
            return redirect("monitoring:sign-off-list")
    context = {
        "activity": activity,
        "quarter": period,
        "return": return_obj,
        "form": form,
        "on_behalf": on_behalf,
        "waiting": waiting,
        "reads_activity": reads_activity,
        "stale": stale,
        "breadcrumbs": breadcrumbs(
            ("Awaiting my sign-off", reverse("monitoring:sign-off-list")),
            f"{activity.reference} {period.label}",
        ),
    }
    return render(request, "monitoring/return_sign_off.html", context, status=409 if stale else 200)


def _decide(request, return_obj: Return, form: SignOffForm) -> None:
    label = f"{return_obj.activity.reference} {return_obj.quarter.label}"
    if form.cleaned_data["action"] == "send_back":
        send_back_return(
            return_obj,
            by=request.user,
            base_version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"].strip(),
        )
        messages.success(request, f"Return for {label} sent back to the lead officer.")
        return
    sign_off_return(
        return_obj,
        by=request.user,
        base_version=form.cleaned_data["version"],
        on_behalf_reason=form.cleaned_data.get("reason", "").strip() if form.on_behalf else "",
    )
    messages.success(request, f"Return for {label} signed off.")
