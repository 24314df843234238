"""What the SDP monitoring app gives the reports app (its front door): the figures, tables,
charts and analysis text of an outcome's (or the council's) quarter for the SDP monitoring
report, and the monitoring sheets of the analyst workbook, as plain data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q

from kccperf.comparison import LOOKUP, Completeness, Lookup, stage_of
from kccperf.counting import counting_statement
from kccperf.models import Outcome, Stage
from kccperf.periods import Quarter
from kccperf.reporting import Sheet
from monitoring import analysis, charts, figures
from monitoring.models import (
    Activity,
    AnalysisText,
    Delivery,
    ExpectedGovernance,
    Milestone,
    Return,
    risk_register_label,
)

DELIVERY_LABELS = {
    Delivery.ON_TRACK: "On track",
    Delivery.REMEDIAL: "Requires remedial action",
    Delivery.UNLIKELY: "Unlikely to be achieved",
    "": "No return",
}


def completeness(quarter: Quarter, user) -> Completeness | None:
    """How many of the activities ``user`` sees that are due a return for ``quarter`` have
    submitted it (one query); ``None`` when they see no activity due."""
    submitted = Return.objects.submitted().filter(
        activity=OuterRef("pk"), period__start=quarter.start
    )
    counts = (
        Activity.objects.visible_to(user)
        .due_in(quarter)
        .aggregate(total=Count("pk"), done=Count("pk", filter=Q(Exists(submitted))))
    )
    if not counts["total"]:
        return None
    return Completeness(counts["done"], counts["total"], "returns in")


def _iso(day: date | None) -> str:
    return day.strftime("%-d %b %Y") if day else ""


def _figure(d: figures.Dashboard, f: figures.Figure) -> dict:
    return {
        "key": f.key,
        "label": f.label,
        "count": f.count,
        "base": f.base,
        "percentage": f.percentage,
        "display": f.display,
        "previous": f.previous,
        "change": f.change(d.previous_label) if d.has_previous else "",
    }


@dataclass(frozen=True)
class SdpSection:
    """An outcome's (or the council's) quarter for the SDP monitoring report."""

    previous_label: str
    comparison_note: str  # empty unless compared like for like (a collecting quarter)
    overview: list[dict]
    board_labels: list[str]
    summary: list[dict]
    analysis: str  # the analysts' saved text, else the draft written from the figures
    figures: dict[str, list[dict]] = field(default_factory=dict)  # by figure section
    tables: dict[str, dict] = field(default_factory=dict)  # only the tables with rows
    charts: dict[str, dict] = field(default_factory=dict)  # "issue_themes" only with issues


def _not_on_track_table(d: figures.Dashboard) -> dict:
    return {
        "caption": f"Activities not on track, {d.quarter.label}",
        "headers": [
            "Activity",
            f"{d.previous_label}",
            f"{d.quarter.label}",
            "Issues",
            "Mitigating actions or escalations",
            "Risk registers",
        ],
        "rows": [
            [
                f"{r.activity.reference} {r.activity.title}",
                DELIVERY_LABELS.get(r.previous_delivery, r.previous_delivery),
                DELIVERY_LABELS.get(r.delivery, r.delivery),
                "; ".join(r.issues),
                r.mitigation or "None yet",
                "; ".join(r.registers) or "None",
            ]
            for r in d.not_on_track
        ],
        "status_column": 2,
        "statuses": [r.delivery for r in d.not_on_track],
    }


def _revised_dates_table(d: figures.Dashboard) -> dict:
    return {
        "caption": f"Activities with revised end or go-live dates, {d.quarter.label}",
        "headers": ["Activity", "Status", "SDP end date", "New end date", "New go-live"],
        "rows": [
            [
                f"{r.activity.reference} {r.activity.title}",
                DELIVERY_LABELS.get(r.delivery, r.delivery),
                _iso(r.sdp_end),
                _iso(r.new_end_date),
                _iso(r.new_go_live),
            ]
            for r in d.revised_dates
        ],
        "status_column": 1,
        "statuses": [r.delivery for r in d.revised_dates],
    }


def _unrecorded_table(d: figures.Dashboard) -> dict:
    return {
        "caption": "Activities not on track not recorded on any risk register",
        "headers": ["Activity"],
        "rows": [[f"{a.reference} {a.title}"] for a in d.not_on_track_unrecorded],
    }


def _tables(d: figures.Dashboard) -> dict[str, dict]:
    tables = {}
    if d.not_on_track:
        tables["not_on_track"] = _not_on_track_table(d)
    if d.revised_dates:
        tables["revised_dates"] = _revised_dates_table(d)
    if d.not_on_track_unrecorded:
        tables["unrecorded"] = _unrecorded_table(d)
    return tables


def _summary(d: figures.Dashboard) -> list[dict]:
    return [
        {
            "reference": r.activity.reference,
            "activity": r.activity.name,
            "delivery": r.delivery,
            "delivery_label": DELIVERY_LABELS.get(r.delivery, r.delivery),
            "milestones": r.milestones,
            "boards": [r.boards[b] for b in figures.BOARDS],
        }
        for r in d.summary
    ]


def sdp_section(
    quarter: Quarter,
    outcome: Outcome | None,
    scope: str,
    stage: Stage | None | Lookup = LOOKUP,
) -> SdpSection:
    """The SDP figures of ``outcome`` (council-wide when ``None``) in ``quarter``, as the
    outcome dashboard computes them; ``scope`` names it in the drafted analysis text."""
    number = outcome.number if outcome else None
    d = figures.dashboard(quarter, number, stage=stage)
    saved = AnalysisText.objects.filter(period__start=quarter.start, outcome=outcome).first()
    by_section: dict[str, list[dict]] = {}
    for f in d.figures:
        by_section.setdefault(f.section, []).append(_figure(d, f))
    chart_list = {
        "delivery": charts.delivery_chart(d),
        "trend": charts.trend_chart(figures.delivery_trend(number)),
    }
    if d.section("issues"):
        chart_list["issue_themes"] = charts.issue_themes_chart(d)
    return SdpSection(
        previous_label=d.previous_label,
        comparison_note=d.comparison_note,
        overview=[_figure(d, f) for f in figures.overview_figures(d)],
        board_labels=[figures.BOARD_LABELS[b] for b in figures.BOARDS],
        summary=_summary(d),
        analysis=saved.text if saved else analysis.draft(d, scope),
        figures=by_section,
        tables=_tables(d),
        charts=chart_list,
    )


def sign_off_record(quarter: Quarter, outcome: Outcome | None) -> dict:
    """Which of the quarter's returns needing sign-off were signed off, for a published
    report to keep (one query): what the figures count, then one row per return."""
    returns = (
        Return.objects.for_quarter(quarter)
        .exclude(sign_off=Return.SignOff.NOT_NEEDED)
        .select_related("activity__outcome", "signed_off_by")
        .order_by("activity__outcome__number", "activity__number")
    )
    if outcome is not None:
        returns = returns.filter(activity__outcome=outcome)
    rows = [
        {
            "ref": r.activity.reference,
            "activity": r.activity.title,
            "state": r.get_sign_off_display(),
            "signed_off_by": str(r.signed_off_by)
            if r.sign_off == Return.SignOff.SIGNED_OFF and r.signed_off_by
            else "",
            "signed_off_at": r.signed_off_at.date().isoformat()
            if r.sign_off == Return.SignOff.SIGNED_OFF and r.signed_off_at
            else "",
            "on_behalf": bool(r.sign_off_reason),
        }
        for r in returns
    ]
    return {
        "counting": counting_statement(),
        "signed_off": sum(1 for row in rows if row["state"] == Return.SignOff.SIGNED_OFF.label),
        "returns": rows,
    }


# The analyst workbook -------------------------------------------------------------------

FIGURES_HEADERS = [
    "Scope",
    "Quarter",
    "Key",
    "Figure",
    "Count",
    "Base",
    "Percentage (%)",
    "Previous count",
    "Previous base",
]
# Added while a quarter is collecting and compared like for like (kccperf.comparison).
COMPARISON_HEADERS = ["Count among activities in both quarters", "Comparison"]


def _answer(ret: Return, field_) -> object:
    """A return's answer as the sheet shows it: choices as their labels, lists joined."""
    value = getattr(ret, field_.name)
    if field_.name == "risk_registers":
        return "; ".join(risk_register_label(v) for v in value)
    if field_.is_relation:
        return str(value) if value is not None else None
    if field_.choices and value not in (None, ""):
        if isinstance(value, list):
            labels = dict(field_.base_field.choices) if hasattr(field_, "base_field") else {}
            return "; ".join(str(labels.get(v, v)) for v in value)
        return getattr(ret, f"get_{field_.name}_display")()
    if isinstance(value, list):
        choices = dict(getattr(field_.base_field, "choices", None) or [])
        return "; ".join(str(choices.get(v, v)) for v in value)
    return value


def _grouped(queryset, *fields: str) -> dict[int, list[tuple]]:
    """``fields`` of ``queryset``'s rows (plain tuples, one query) by their return's id, the
    first of ``fields``. Cheaper than prefetching model instances: Django builds a queryset
    per return to hold each prefetched list, which cost more than the rows themselves."""
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for return_id, *values in queryset.values_list(*fields):
        grouped[return_id].append(tuple(values))
    return grouped


def _milestones(rows: list[tuple]) -> str:
    kinds = dict(Milestone.Kind.choices)
    return "; ".join(
        f"{kinds.get(kind, kind)}{f' ({text})' if text else ''}: "
        f"{on.isoformat() if on else 'not known'}"
        for kind, text, on in rows
    )


def _expected_governance(rows: list[tuple]) -> str:
    boards = dict(ExpectedGovernance._meta.get_field("board").choices or [])
    informal = dict(ExpectedGovernance._meta.get_field("informal_board").choices or [])
    return "; ".join(
        f"{boards.get(board, board)}"
        f"{f' ({informal.get(informal_board, informal_board)})' if informal_board else ''}: "
        f"{expected.isoformat() if expected else 'not known'}"
        for board, informal_board, expected in rows
    )


def _answers(fields: list, users: dict[int, str]) -> list:
    """For each field, how to show its raw value (``values_list``) as :func:`_answer` shows
    a model's (``None``: as it is): choices as their labels, lists joined, people by name."""

    def person(value):
        return users[value] if value is not None else None

    def risk_registers(value):
        return "; ".join(risk_register_label(v) for v in value)

    def joined(labels: dict):
        return lambda value: "; ".join(str(labels.get(v, v)) for v in value)

    def choice(flat: dict, inner: dict):
        def show(value):
            if value in (None, ""):
                return value
            if isinstance(value, list):
                return "; ".join(str(inner.get(v, v)) for v in value)
            return str(flat.get(value, value))

        return show

    shown = []
    for field_ in fields:
        base = getattr(field_, "base_field", None)
        if field_.name == "risk_registers":
            shown.append(risk_registers)
        elif field_.is_relation:
            shown.append(person)
        elif field_.choices:
            inner = dict(base.choices or []) if base is not None else {}
            shown.append(choice(dict(field_.flatchoices), inner))
        elif base is not None:
            shown.append(joined(dict(getattr(base, "choices", None) or [])))
        else:
            shown.append(None)
    return shown


def returns_sheet(quarter: Quarter) -> Sheet:
    """Every submitted return of the quarter with every field (a fixed number of queries:
    the returns as plain rows, the people they name, then their issue themes, milestones and
    expected governance as plain rows: no model per row)."""
    fields = [f for f in Return._meta.concrete_fields if f.name not in ("id", "activity", "period")]
    headers = ["Outcome", "Activity", "Activity title", "Directorate", "Lead officer", "Quarter"]
    headers += [str(f.verbose_name).capitalize() for f in fields]
    headers += ["Issue themes", "Milestones", "Expected governance"]
    activity_columns = [
        "id",
        "activity__outcome__number",
        "activity__number",
        "activity__title",
        "activity__directorate__name",
        "activity__lead_officer_id",
    ]
    returns = list(
        Return.objects.filter(period__start=quarter.start)
        .order_by("activity__outcome__number", "activity__number")
        .values_list(*activity_columns, *(f.attname for f in fields))
    )
    people = {row[5] for row in returns if row[5] is not None}
    relations = [n for n, f in enumerate(fields, start=len(activity_columns)) if f.is_relation]
    people |= {row[n] for row in returns for n in relations if row[n] is not None}
    User = get_user_model()
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=people)}
    shown = _answers(fields, users)
    of_quarter = {"return_obj__period__start": quarter.start}
    # The through table's link to the return is named "return" (a keyword: hence the dict).
    issues = _grouped(
        Return.issues.through.objects.filter(**{"return__period__start": quarter.start}).order_by(
            "issuetheme__order", "issuetheme__label"
        ),
        "return_id",
        "issuetheme__label",
    )
    milestones = _grouped(
        Milestone.objects.filter(**of_quarter).order_by("kind", "date"),
        "return_obj_id",
        "kind",
        "text",
        "date",
    )
    governance = _grouped(
        ExpectedGovernance.objects.filter(**of_quarter).order_by("board"),
        "return_obj_id",
        "board",
        "informal_board",
        "expected_date",
    )
    rows = []
    for pk, outcome, number, title, directorate, lead, *values in returns:
        rows.append(
            [
                outcome,
                f"{outcome}.{number}",
                title,
                directorate,
                users[lead] if lead is not None else None,
                quarter.label,
                *(v if show is None else show(v) for show, v in zip(shown, values, strict=True)),
                "; ".join(label for (label,) in issues.get(pk, ())),
                _milestones(milestones.get(pk, [])),
                _expected_governance(governance.get(pk, [])),
            ]
        )
    return Sheet("SDP returns", headers, rows)


def figures_sheet(quarter: Quarter, stage: Stage | None | Lookup = LOOKUP) -> Sheet:
    """The outcome dashboards' figures, council-wide and for each outcome (one load),
    compared with the previous quarter as the dashboards compare them."""
    stage = stage_of(quarter, stage)
    loaded = figures.load(quarter)
    scopes = [("Council-wide", loaded.rows)]
    for outcome in Outcome.objects.all():
        scopes.append(
            (
                f"Outcome {outcome.number}",
                [r for r in loaded.rows if r.activity.outcome == outcome.number],
            )
        )
    rows = []
    like_for_like = False
    for scope, scope_rows in scopes:
        d = figures.compute(scope_rows, quarter, loaded.theme_labels, stage)
        like_for_like = like_for_like or d.like_for_like
        for f in d.figures:
            rows.append(
                [
                    scope,
                    quarter.label,
                    f.key,
                    f.label,
                    f.count,
                    f.base,
                    f.percentage,
                    f.previous,
                    f.previous_base,
                    f.compared,
                    f.withheld or d.comparison_note,
                ]
            )
    if not like_for_like:  # a plain comparison: the sheet as it has always been
        return Sheet("Outcome figures", FIGURES_HEADERS, [row[:-2] for row in rows])
    return Sheet("Outcome figures", FIGURES_HEADERS + COMPARISON_HEADERS, rows)
