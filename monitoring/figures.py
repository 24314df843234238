"""The figures of the SDP monitoring report (outcome dashboards), from the returns alone.

Two layers:

- :func:`load` reads one quarter and the quarter before it for an outcome (or the whole
  council) in a constant number of queries and turns the rows into plain facts
  (:class:`ActivityFacts`, :class:`ReturnFacts`);
- :func:`compute` is pure: facts in, :class:`Dashboard` out (every figure with its previous
  quarter's count, and the report's tables). Tests can drive it without a database.

Bases follow the report: delivery, milestones, revised dates and governance are shares of the
activities that responded; issue themes, mitigations and risk registers are shares of the
activities not on track; milestone types are shares of the activities that identified one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from kccperf.comparison import LOOKUP, Lookup, comparison_basis, stage_of
from kccperf.models import Stage
from kccperf.periods import Quarter
from monitoring.figure_counts import Counts, quarter_counts
from monitoring.figure_facts import (
    BOARD_LABELS,
    BOARDS,
    DELIVERIES,
    DELIVERY_ORDER,
    DELIVERY_SHORT,
    MILESTONE_SHORT,
    NOT_ON_TRACK,
    REGISTER_SHORT,
    REGISTERS,
    ActivityFacts,
    Dashboard,
    ExpectedFacts,
    Figure,
    NotOnTrackRow,
    ReturnFacts,
    RevisedDateRow,
    Row,
    SummaryRow,
    percent,
    short_label,
    slug,
)
from monitoring.models import (
    Activity,
    Delivery,
    ExpectedGovernance,
    IssueTheme,
    Milestone,
    Return,
    due_in,
    has_return_in,
)
from monitoring.rules import is_due

# The names other modules import from here (the facts and counts moved to their own modules).
__all__ = [
    "ActivityFacts",
    "BOARDS",
    "BOARD_LABELS",
    "DELIVERIES",
    "DELIVERY_ORDER",
    "DELIVERY_SHORT",
    "Dashboard",
    "ExpectedFacts",
    "Figure",
    "Loaded",
    "MILESTONE_SHORT",
    "NOT_ON_TRACK",
    "NotOnTrackRow",
    "REGISTERS",
    "REGISTER_SHORT",
    "ReturnFacts",
    "RevisedDateRow",
    "Row",
    "SummaryRow",
    "TrendPoint",
    "compute",
    "dashboard",
    "delivery_trend",
    "load",
    "overview_figures",
    "percent",
    "short_label",
    "slug",
]

# The pure computation --------------------------------------------------------------------


def _board_cell(reported: bool, expected: bool) -> str:
    if reported and expected:
        return "Reported and expected"
    if reported:
        return "Reported"
    if expected:
        return "Expected"
    return ""


def compute(
    rows: Iterable[Row],
    quarter: Quarter,
    theme_labels: dict[str, str],
    stage: Stage | None = Stage.CLOSED,
) -> Dashboard:
    """Every figure for ``quarter`` with the previous quarter's count, and the tables.

    ``theme_labels``: issue theme key -> label, in the order to show (the managed list);
    themes found in returns but missing from it are added at the end. ``stage``: the
    quarter's (default: compared plainly). While it is collecting and activities that
    responded last quarter have not yet, the previous quarter's counts are those of the
    activities that responded in both, each compared with the same activities' count now
    (:mod:`kccperf.comparison`); the figures themselves count every return in.
    """
    rows = sorted(rows, key=lambda r: (r.activity.outcome, r.activity.number))
    previous_quarter = quarter.previous()
    current = [(r.activity, r.current) for r in rows if r.current is not None]
    previous = [(r.activity, r.previous) for r in rows if r.previous is not None]
    basis = comparison_basis(
        stage,
        [a.pk for a, _ in current],
        # An activity no longer due (closed) is not missing from this quarter.
        [r.activity.pk for r in rows if r.previous is not None and r.due_current],
        noun="activities that responded",
        previous_label=previous_quarter.label,
    )

    themes = _with_unlisted_themes(theme_labels, [r for _, r in current + previous])
    types = sorted({a.activity_type or "Not set" for a, r in current + previous if r.not_on_track})
    counts = sorted(
        {len(set(r.issues)) for _, r in current + previous if r.not_on_track and r.issues}
    )

    now = quarter_counts(
        current,
        sum(1 for r in rows if r.due_current),
        quarter.financial_year,
        themes,
        types,
        counts,
    )
    compared = None
    if basis.like_for_like:
        both = [r for r in rows if r.activity.pk in basis.matched]
        previous = [(r.activity, r.previous) for r in both if r.previous is not None]
        compared = quarter_counts(
            [(r.activity, r.current) for r in both if r.current is not None],
            len(both),
            quarter.financial_year,
            themes,
            types,
            counts,
        )
    before = quarter_counts(
        previous,
        len(basis.matched) if basis.like_for_like else sum(1 for r in rows if r.due_previous),
        previous_quarter.financial_year,
        themes,
        types,
        counts,
    )
    tables = _tables(rows, themes)
    return Dashboard(
        quarter=quarter,
        previous_quarter=previous_quarter,
        figures=_figures(now, before, has_previous=bool(previous), compared=compared),
        basis=basis,
        not_on_track=tables.not_on_track,
        revised_dates=tables.revised_dates,
        summary=tables.summary,
        not_on_track_unrecorded=tables.unrecorded,
        theme_labels=themes,
    )


def _with_unlisted_themes(
    theme_labels: dict[str, str], returns: list[ReturnFacts]
) -> dict[str, str]:
    """The managed list of themes, then the themes found in ``returns`` missing from it."""
    themes = dict(theme_labels)
    for ret in returns:
        for key in ret.issues:
            themes.setdefault(key, key.replace("_", " ").capitalize())
    return themes


def _figures(
    now: Counts, before: Counts, *, has_previous: bool, compared: Counts | None = None
) -> list[Figure]:
    """Each of this quarter's counts beside the previous quarter's (and, like for like,
    beside the count among the activities that responded in both: ``compared``)."""
    figures = []
    for key, (count, base) in now.values.items():
        label, section = now.labels[key]
        prev_count, prev_base = before.values[key]
        figures.append(
            Figure(
                key=key,
                label=label,
                count=count,
                base=base,
                previous=prev_count if has_previous else None,
                previous_base=prev_base if has_previous else None,
                section=section,
                compared=compared.values[key][0] if compared and has_previous else None,
                # Responses are the quarter's completeness, not a change, while collecting.
                withheld=(
                    "still collecting"
                    if compared and has_previous and key == "responses.submitted"
                    else ""
                ),
            )
        )
    return figures


@dataclass
class _Tables:
    """The report's tables of activities."""

    not_on_track: list[NotOnTrackRow] = field(default_factory=list)
    unrecorded: list[ActivityFacts] = field(default_factory=list)
    revised_dates: list[RevisedDateRow] = field(default_factory=list)
    summary: list[SummaryRow] = field(default_factory=list)


def _tables(rows: list[Row], themes: dict[str, str]) -> _Tables:
    """The not-on-track, revised-dates and summary tables, in activity order."""
    tables = _Tables()
    not_on_track_rows, unrecorded = tables.not_on_track, tables.unrecorded
    revised_rows, summary = tables.revised_dates, tables.summary
    for row in rows:
        ret = row.current
        if ret is not None and ret.not_on_track:
            not_on_track_rows.append(
                NotOnTrackRow(
                    activity=row.activity,
                    previous_delivery=row.previous.delivery if row.previous else "",
                    delivery=ret.delivery,
                    issues=tuple(themes[k] for k in themes if k in ret.issues),
                    mitigation=ret.mitigation if ret.has_mitigation else "",
                    registers=tuple(REGISTER_SHORT[r] for r in REGISTERS if r in ret.registers),
                )
            )
            if not ret.registers:
                unrecorded.append(row.activity)
        if ret is not None and ret.has_new_date:
            revised_rows.append(
                RevisedDateRow(
                    activity=row.activity,
                    delivery=ret.delivery,
                    sdp_end=row.activity.sdp_end,
                    new_end_date=ret.new_end_date,
                    new_go_live=ret.new_go_live,
                )
            )
        if ret is None and not row.due_current:
            continue
        summary.append(
            SummaryRow(
                activity=row.activity,
                delivery=ret.delivery if ret else "",
                milestones=len(ret.milestone_kinds) if ret else 0,
                sign_off=Return.SignOff(ret.sign_off).label if ret else "",
                boards={
                    b: _board_cell(
                        ret is not None and b in ret.boards_reported,
                        ret is not None and b in ret.expected_boards,
                    )
                    for b in BOARDS
                },
            )
        )
    return tables


# Loading from the database -------------------------------------------------------------


# The ids of the returns read, as a subquery.
ReturnIds = QuerySet[Return, dict[str, Any]]


@dataclass
class Loaded:
    """The rows behind a dashboard and the managed list of issue themes."""

    rows: list[Row]
    theme_labels: dict[str, str]


def load(quarter: Quarter, outcome: int | None = None, activities=None) -> Loaded:
    """Activities due in ``quarter`` or the one before (of one outcome, or all) with their
    submitted returns for both quarters.

    Six queries whatever the number of activities: the activities, their submitted returns,
    the returns' issue themes, milestones and expected governance, and the managed list of
    issue themes. Plain values, not model instances: a council-wide dashboard reads
    thousands of rows.
    """
    previous = quarter.previous()
    queryset = _due_activities(quarter, outcome, activities)
    activity_rows = _activity_values(queryset, quarter)
    facts = _return_facts(queryset, quarter)
    themes = {t.key: t.label for t in IssueTheme.objects.order_by("order", "label")}
    rows = [
        Row(
            activity=_activity_facts(a),
            current=facts.get((a["pk"], quarter.start)),
            previous=facts.get((a["pk"], previous.start)),
            due_current=_is_due(a, quarter, a["has_current"]),
            due_previous=_is_due(a, previous, a["has_previous"]),
        )
        for a in activity_rows
    ]
    return Loaded(rows=rows, theme_labels=themes)


def _due_activities(quarter: Quarter, outcome: int | None, activities) -> QuerySet[Activity]:
    """``activities`` (default: all) of the outcome (or all) due in ``quarter`` or the one
    before. Subqueries rather than lists of ids: thousands of ids as parameters cost more."""
    queryset = Activity.objects.all() if activities is None else activities
    if outcome is not None:
        queryset = queryset.filter(outcome__number=outcome)
    return queryset.filter(due_in(quarter) | due_in(quarter.previous()))


def _activity_values(queryset: QuerySet[Activity], quarter: Quarter) -> list[Mapping[str, Any]]:
    """The activities' fields, and whether each has a return (drafts too) in ``quarter`` and
    in the one before: any return makes an activity due, so ask beside the activity."""
    previous = quarter.previous()
    return list(
        queryset.order_by("outcome__number", "number")
        .annotate(has_current=has_return_in(quarter), has_previous=has_return_in(previous))
        .values(
            "has_current",
            "has_previous",
            "pk",
            "outcome__number",
            "number",
            "title",
            "activity_type__name",
            "sdp_start",
            "sdp_end",
            "go_live",
            "corporate_board",
            "reporting_from",
            "closed_from",
        )
    )


def _activity_facts(a: Mapping[str, Any]) -> ActivityFacts:
    return ActivityFacts(
        pk=a["pk"],
        outcome=a["outcome__number"],
        number=a["number"],
        title=a["title"],
        activity_type=a["activity_type__name"] or "",
        sdp_end=a["sdp_end"],
        go_live=a["go_live"],
        corporate_board=a["corporate_board"],
    )


def _return_facts(
    activities: QuerySet[Activity], quarter: Quarter
) -> dict[tuple[int, date], ReturnFacts]:
    """The submitted returns of ``activities`` in ``quarter`` and the one before, by
    (activity id, quarter start), in four queries (returns, issues, milestones, governance)."""
    returns_qs = Return.objects.counted().filter(
        activity__in=activities.values("pk"),
        period__start__in=[quarter.start, quarter.previous().start],
    )
    returns = list(
        returns_qs.order_by().values(
            "pk",
            "activity_id",
            "period__start",
            "delivery",
            "started",
            "mitigation",
            "mitigation_none_yet",
            "risk_registers",
            "new_end_date",
            "new_go_live",
            "boards_reported",
            "sign_off",
        )
    )
    return_pks = returns_qs.values("pk")
    issues = _issue_keys(return_pks)
    milestones = _milestone_dates(return_pks)
    expected = _expected_governance(return_pks)
    return {
        (r["activity_id"], r["period__start"]): ReturnFacts(
            delivery=r["delivery"],
            started=r["started"],
            issues=tuple(issues.get(r["pk"], ())),
            mitigation=r["mitigation"],
            mitigation_none_yet=r["mitigation_none_yet"],
            risk_registers=tuple(r["risk_registers"]),
            milestones=tuple(milestones.get(r["pk"], ())),
            new_end_date=r["new_end_date"],
            new_go_live=r["new_go_live"],
            boards_reported=tuple(r["boards_reported"]),
            expected=tuple(expected.get(r["pk"], ())),
            sign_off=r["sign_off"],
        )
        for r in returns
    }


def _issue_keys(return_pks: ReturnIds) -> dict[int, list[str]]:
    """Each return's issue theme keys, in the managed list's order (one query)."""
    issues: dict[int, list[str]] = {}
    for return_id, key in (
        Return.issues.through.objects.filter(return_id__in=return_pks)
        .order_by("issuetheme__order", "issuetheme__label")
        .values_list("return_id", "issuetheme__key")
    ):
        issues.setdefault(return_id, []).append(key)
    return issues


def _milestone_dates(return_pks: ReturnIds) -> dict[int, list[tuple[str, date | None]]]:
    """Each return's milestones as (kind, date or None: not known) (one query)."""
    milestones: dict[int, list[tuple[str, date | None]]] = {}
    for return_id, kind, when in (
        Milestone.objects.filter(return_obj_id__in=return_pks)
        .order_by("kind")
        .values_list("return_obj_id", "kind", "date")
    ):
        milestones.setdefault(return_id, []).append((kind, when))
    return milestones


def _expected_governance(return_pks: ReturnIds) -> dict[int, list[ExpectedFacts]]:
    """Each return's expected governance, soonest first (one query)."""
    expected: dict[int, list[ExpectedFacts]] = {}
    for return_id, board, informal, when, plan in (
        ExpectedGovernance.objects.filter(return_obj_id__in=return_pks)
        .order_by("expected_date", "board")
        .values_list("return_obj_id", "board", "informal_board", "expected_date", "on_forward_plan")
    ):
        expected.setdefault(return_id, []).append(ExpectedFacts(board, informal, when, plan))
    return expected


def _is_due(activity: Mapping[str, Any], quarter: Quarter, has_return: bool) -> bool:
    return is_due(
        sdp_start=activity["sdp_start"],
        reporting_from=activity["reporting_from"],
        closed_from=activity["closed_from"],
        quarter=quarter,
        has_return=has_return,
    )


def dashboard(
    quarter: Quarter,
    outcome: int | None = None,
    activities=None,
    stage: Stage | None | Lookup = LOOKUP,
) -> Dashboard:
    """The dashboard of ``quarter`` compared as its stage says (read from the database
    unless given: pages pass ``page_period.quarter_stage``)."""
    loaded = load(quarter, outcome, activities)
    return compute(loaded.rows, quarter, loaded.theme_labels, stage_of(quarter, stage))


# Trend -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    quarter: Quarter
    on_track: int
    remedial: int
    unlikely: int

    @property
    def total(self) -> int:
        return self.on_track + self.remedial + self.unlikely

    def percentage(self, delivery: str) -> int | None:
        return percent(getattr(self, delivery), self.total)


def delivery_trend(outcome: int | None = None, activities=None) -> list[TrendPoint]:
    """The delivery split of submitted returns in every quarter on record, in one query."""
    returns = Return.objects.counted()
    if activities is not None:
        returns = returns.filter(activity__in=activities)
    if outcome is not None:
        returns = returns.filter(activity__outcome__number=outcome)
    rows = (
        returns.order_by()
        .values("period__start")
        .annotate(
            on_track=Count("pk", filter=Q(delivery=Delivery.ON_TRACK)),
            remedial=Count("pk", filter=Q(delivery=Delivery.REMEDIAL)),
            unlikely=Count("pk", filter=Q(delivery=Delivery.UNLIKELY)),
        )
        .order_by("period__start")
    )
    return [
        TrendPoint(
            Quarter.containing(r["period__start"]), r["on_track"], r["remedial"], r["unlikely"]
        )
        for r in rows
    ]


def overview_figures(d: Dashboard) -> list[Figure]:
    """The headline figures in the order of the seed's overview page: responses, delivery,
    due this year, the most frequent activity type and the four most frequent issue themes
    among activities not on track, milestones, mitigation, expected governance, registers.
    """
    types = sorted(d.section("not_on_track_type"), key=lambda f: -f.count)[:1]
    themes = sorted(
        (
            f
            for f in d.section("issues")
            if f.key not in ("issues.identified", "issues.more_than_one")
        ),
        key=lambda f: -f.count,
    )[:4]
    keys = ["responses.submitted", "delivery.on_track", "delivery.remedial", "delivery.unlikely"]
    result = [d[k] for k in keys]
    result.append(d["due_this_year.not_on_track"])
    result += [f for f in types if f.count]
    result.append(d["milestones.identified"])
    result += [f for f in themes if f.count]
    result += [
        d[k]
        for k in (
            "mitigation.in_place",
            "governance.expected.informal",
            "governance.expected.cabinet_committee",
            "risk_register.project",
            "risk_register.service",
        )
        if d.get(k) is not None
    ]
    return result
