"""Activity scorecards: one page per activity and quarter, and analysts' bulk exports of an
outcome's scorecards (one printable document, one spreadsheet)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from kccperf import figure_cache, page_cache
from kccperf.models import Outcome
from kccperf.navigation import Crumb, breadcrumbs
from kccperf.output.conventions import About
from kccperf.output.names import export_filename
from kccperf.output.pdf import page_pdf
from kccperf.output.permissions import export_required
from kccperf.output.tables import requested_export
from kccperf.output.xlsx import xlsx_bytes, xlsx_response
from kccperf.page_period import page_quarter
from kccperf.periods import Quarter
from monitoring import scorecards
from monitoring.access import get_activity_for_user
from monitoring.changes import changes_for
from monitoring.models import (
    Activity,
    Board,
    InformalBoard,
    Milestone,
    Return,
    risk_register_label,
)
from monitoring.progress import activities_due

# /scorecards/<pk>/ ------------------------------------------------------------------------


@page_cache.per_person
def scorecard(request, activity_pk: int, period: Quarter | None = None) -> HttpResponse:
    """An activity's details, its return for the quarter in full and its history.

    CMT and analysts see every activity; lead officers their own (404 for others').
    """
    quarter = page_quarter(request, period)
    activity, can_edit = get_activity_for_user(request, activity_pk)
    card = scorecards.build([activity], quarter)[0]
    changes = changes_for([activity.pk], quarter)[activity.pk]
    # CMT and analysts came from the outcome's dashboard, lead officers from their returns.
    back: Crumb = _dashboard_crumb(activity.outcome.number, quarter)
    if not request.user.has_perm("kccperf.view_all"):
        my_returns = reverse("monitoring:my-returns-period", kwargs={"period": quarter})
        back = ("My SDP returns", my_returns)
    context = {
        "quarter": quarter,
        "card": card,
        "changes": changes,
        "activity": activity,
        "can_edit": can_edit,
        "return_url": reverse(
            "monitoring:return-edit", kwargs={"activity_pk": activity.pk, "period": quarter}
        ),
        "breadcrumbs": breadcrumbs(back, f"Scorecard {activity.reference}"),
    }
    return render(request, "monitoring/scorecard.html", context)


def _dashboard_crumb(outcome: int, quarter: Quarter) -> Crumb:
    """The link to the outcome's dashboard for the quarter."""
    url = reverse("monitoring:outcome-dashboard", kwargs={"outcome": outcome, "period": quarter})
    return f"Outcome {outcome} dashboard", url


# The printable scorecards show the last four quarters' history (the seed's scorecards show
# the year); the scorecard page itself shows every quarter.
PRINT_HISTORY_QUARTERS = 4


def _outcome_activities(outcome_obj: Outcome, quarter: Quarter):
    """The outcome's activities due a return in the quarter, or that made one, by number."""
    return (
        Activity.objects.filter(outcome=outcome_obj)
        .filter(pk__in=_due_pks(outcome_obj, quarter))
        .select_related("outcome", "directorate", "lead_officer", "activity_type")
        .order_by("number")
    )


def _outcome_cards(
    outcome: int, quarter: Quarter, history_quarters: int | None = None
) -> tuple[Outcome, list[scorecards.Scorecard]]:
    outcome_obj = Outcome.objects.numbered_or_404(outcome)
    activities = list(_outcome_activities(outcome_obj, quarter))
    return outcome_obj, scorecards.build(activities, quarter, history_quarters)


def _due_pks(outcome: Outcome, quarter: Quarter):
    return activities_due(quarter, Activity.objects.filter(outcome=outcome)).values("pk")


# /scorecards/outcome/<n>/<period>/print/ ------------------------------------------------------


# The page shows the scorecards 20 at a time (an outcome has up to 40 activities in the council,
# hundreds in the synthetic data: every card on one page made half a megabyte of HTML); the
# PDF holds every one.
PRINT_PAGE_CARDS = 20


@export_required()
def scorecards_print(request, outcome: int, period: Quarter) -> HttpResponse:
    """The scorecards of an outcome and quarter, one per printed page: 20 at a time on the
    page (rendered once per version of the returns: kccperf.figure_cache), every one in the
    PDF download."""
    outcome_obj = Outcome.objects.numbered_or_404(outcome)
    context: dict[str, Any] = {
        "quarter": period,
        "outcome": outcome_obj,
        "breadcrumbs": breadcrumbs(_dashboard_crumb(outcome, period), "Scorecards"),
    }
    template = "monitoring/scorecards_print.html"
    if requested_export(request, ("pdf",)) == "pdf":
        activities = list(_outcome_activities(outcome_obj, period))
        context.update(_print_context(outcome_obj, period, activities, None))
        name = export_filename(f"sdp-scorecards-outcome-{outcome}", period, "pdf")
        return page_pdf(request, template, context, name)

    def render_content() -> str:
        # Any ?page= that is not a page number shows the nearest page (Paginator.get_page).
        paginator = Paginator(_outcome_activities(outcome_obj, period), PRINT_PAGE_CARDS)
        page = paginator.get_page(request.GET.get("page"))
        printed = {**context, **_print_context(outcome_obj, period, list(page.object_list), page)}
        return render_to_string("monitoring/_scorecards_print_content.html", printed)

    context["content"] = figure_cache.fragment(
        "sdp-scorecards-print",
        (request.get_full_path(), str(period)),
        ("monitoring", "kccperf"),
        render_content,
    )
    return render(request, template, context)


def _print_context(
    outcome: Outcome, period: Quarter, activities: list[Activity], page: Page | None
) -> dict[str, Any]:
    """The printable scorecards of ``activities`` (a ``page`` of them on the page; every
    activity, ``page`` None, in the PDF)."""
    paged = page is not None and page.paginator.num_pages > 1
    return {
        "cards": scorecards.build(activities, period, PRINT_HISTORY_QUARTERS),
        "page": page if paged else None,
        "total": page.paginator.count if page is not None else len(activities),
        "page_numbers": list(page.paginator.get_elided_page_range(page.number))
        if page is not None and paged
        else [],
        "history_quarters": PRINT_HISTORY_QUARTERS,
        "xlsx_url": reverse(
            "monitoring:scorecards-xlsx", kwargs={"outcome": outcome.number, "period": period}
        ),
        "pdf_url": "?_export=pdf",
    }


# /scorecards/outcome/<n>/<period>/xlsx/ -------------------------------------------------------

MILESTONE_KINDS = list(Milestone.Kind)


def _expected_text(g) -> str:
    """E.g. "Service Commissioning Board 12/11/2019, on the forward plan"."""
    board = InformalBoard(g.informal_board).label if g.informal_board else Board(g.board).label
    when = f"{g.expected_date:%d/%m/%Y}" if g.expected_date else "(date not known)"
    return f"{board} {when}" + (", on the forward plan" if g.on_forward_plan else "")


def scorecard_row(card: scorecards.Scorecard) -> list:
    """One spreadsheet row: the activity's details and every answer of its return."""
    row = _activity_cells(card)
    if card.return_obj is None:
        return row + ["Not started"] + [""] * (len(HEADERS) - len(row) - 1)
    return row + _return_cells(card.return_obj)


def _activity_cells(card: scorecards.Scorecard) -> list[Any]:
    """The activity's details and the delivery of its previous return."""
    a = card.activity
    previous = card.previous
    return [
        a.reference,
        a.outcome.number,
        a.number,
        a.title,
        a.directorate.name,
        a.lead_officer.get_full_name() or a.lead_officer.username,
        a.lead_officer.email,
        a.activity_type.name if a.activity_type else "",
        a.sdp_start,
        a.sdp_end,
        a.go_live,
        "Yes" if a.corporate_board else "No",
        "Yes" if a.is_active else "No",
        previous.delivery_label if previous else "",
    ]


def _return_cells(r: Return) -> list[Any]:
    """Every answer of the return, in the order of :data:`HEADERS`."""
    milestones = {m.kind: m for m in r.milestones.all()}
    other = milestones.get(Milestone.Kind.OTHER)
    return [
        r.get_status_display(),
        (r.submitted_by.get_full_name() or r.submitted_by.username) if r.submitted_by else "",
        r.submitted_at,  # aware: the writer gives it in Europe/London
        r.get_delivery_display() if r.delivery else "",
        r.started,  # Yes, No or empty (None)
        r.progress,
        r.new_end_date,
        r.new_go_live,
        r.no_new_date,
        *_milestone_cells(milestones),
        other.text if other else "",
        "; ".join(t.label for t in r.issues.all()),
        r.other_issue_text,
        r.issue_description,
        "None yet" if r.mitigation_none_yet else r.mitigation,
        "; ".join(risk_register_label(x) for x in r.risk_registers),
        "; ".join(Board(b).label for b in r.boards_reported),
        r.get_reported_informal_board_display() if r.reported_informal_board else "",
        "; ".join(_expected_text(g) for g in r.expected_governance.all()),
    ]


def _milestone_cells(milestones: dict[str, Milestone]) -> list[Any]:
    """One cell per kind of milestone: its date, "Not known", or blank when not identified."""
    cells: list[Any] = []
    for kind in MILESTONE_KINDS:
        m = milestones.get(kind.value)
        cells.append("" if m is None else (m.date or "Not known"))
    return cells


HEADERS = [
    "Reference",
    "Outcome",
    "Number",
    "Title",
    "Directorate",
    "Lead officer",
    "Lead officer email",
    "Activity type",
    "SDP start date",
    "SDP end date",
    "Original go-live date",
    "Considered by Corporate Board",
    "Active",
    "Delivery in the previous return",
    "Return status",
    "Submitted by",
    "Submitted at",
    "Is the activity on track?",
    "Formally started",
    "Progress this quarter",
    "New end date",
    "New go-live date",
    "No new date",
    *(f"Milestone: {k.label}" for k in MILESTONE_KINDS),
    "Other milestone",
    "Issues",
    "Other issue",
    "Description of the issues",
    "Mitigating actions or escalations",
    "Risk registers",
    "Boards reported to this quarter",
    "Informal board reported to",
    "Expected governance during the rest of the year",
]


@export_required()
def scorecards_xlsx(request, outcome: int, period: Quarter) -> HttpResponse:
    """All scorecards of an outcome and quarter as one sheet: one row per activity."""
    outcome_obj, cards = _outcome_cards(outcome, period)
    rows = (scorecard_row(card) for card in cards)
    # The reference column stays in view while the 40 columns scroll.
    about = About(
        f"sdp-scorecards-outcome-{outcome_obj.number}",
        "SDP activity scorecards",
        period,
        f"Strategic Outcome {outcome_obj.number}: {outcome_obj.title}",
    )
    title = f"Outcome {outcome} {period.slug}"
    content = xlsx_bytes(title, HEADERS, rows, about, freeze_columns=1)
    return xlsx_response(content, about.filename("xlsx"))
