"""The draft analysis text of an outcome dashboard, written from its figures (pure).

Factual sentences only: the numbers and how they compare with the previous quarter. An
analyst edits the draft before CMT reads it (:class:`monitoring.models.AnalysisText`).
"""

from __future__ import annotations

from monitoring.figures import (
    BOARDS,
    DELIVERIES,
    MILESTONE_SHORT,
    REGISTER_SHORT,
    REGISTERS,
    Dashboard,
    Figure,
)
from monitoring.models import Board, Delivery, Milestone


def _n(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 activity", "3 activities"."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _activities(count: int) -> str:
    return _n(count, "activity", "activities")


def _change(figure: Figure, label: str) -> str:
    return f" ({figure.change(label)})" if figure.previous is not None else ""


def _previous(figure: Figure, label: str) -> str:
    """ "2 in Q1"; like for like, "1 like for like against 2 in Q1"."""
    if figure.compared is not None:
        return f"{figure.compared} like for like against {figure.previous} in {label}"
    return f"{figure.previous} in {label}"


def _list(parts: list[str]) -> str:
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _pct(figure: Figure) -> str:
    return f"{figure.percentage}%" if figure.percentage is not None else "n/a"


def _of(count: int, base: int | None) -> str:
    """ "all 14 activities", "9 of the 14 activities", "the 1 activity", "none of the 5
    activities": never "14 of the 14"."""
    base = base or 0
    if base == 1:
        return "the 1 activity" if count else "not the 1 activity"
    if count == base:
        return f"all {base} activities"
    if count == 0:
        return f"none of the {base} activities"
    return f"{count} of the {base} activities"


def _pct_and_change(figure: Figure, label: str) -> str:
    """ "(100%, the same as in Q1)", "(64%)": the share and, when there is one, the change."""
    if figure.previous is None:
        return f"({_pct(figure)})"
    return f"({_pct(figure)}, {figure.change(label)})"


def draft(d: Dashboard, scope: str) -> str:
    """Paragraphs (separated by blank lines) for the dashboard of ``scope`` ("Strategic
    Outcome 1" or "the council")."""
    q = d.quarter.label
    prev = d.previous_label
    paragraphs: list[str] = []

    responses = d["responses.submitted"]
    paragraphs.append(
        f"Submissions: {_of(responses.count, responses.base)} of {scope} due a return for {q} "
        f"submitted it {_pct_and_change(responses, prev)}."
        + (f" {d.comparison_note}" if d.comparison_note else "")
    )
    if not responses.count:
        return "\n\n".join(paragraphs)

    on_track, remedial, unlikely = (d[f"delivery.{x}"] for x in DELIVERIES)
    started = d["delivery.started"]
    paragraphs.append(
        f"Delivery: {_activities(on_track.count)} ({_pct(on_track)}) "
        f"{'is' if on_track.count == 1 else 'are'} on track{_change(on_track, prev)}, "
        f"{remedial.count} ({_pct(remedial)}) "
        f"{'requires' if remedial.count == 1 else 'require'} remedial action"
        f"{_change(remedial, prev)} and {unlikely.count} ({_pct(unlikely)}) "
        f"{'is' if unlikely.count == 1 else 'are'} unlikely to be achieved"
        f"{_change(unlikely, prev)}. {_of(started.count, started.base).capitalize()} "
        f"{'has' if started.count == 1 else 'have'} formally started."
    )

    due = d["due_this_year.total"]
    if due.count:
        not_on = d["due_this_year.not_on_track"]
        remedial_due = d[f"due_this_year.{Delivery.REMEDIAL}"].count
        unlikely_due = d[f"due_this_year.{Delivery.UNLIKELY}"].count
        # Only the ones not on track are split: "5 are not on track: 2 on track, ..." listed
        # activities that are on track among those that are not.
        split = [
            f"{remedial_due} {'requires' if remedial_due == 1 else 'require'} remedial action",
            f"{unlikely_due} {'is' if unlikely_due == 1 else 'are'} unlikely to be achieved",
        ]
        new_date = d["due_this_year.new_date"]
        text = (
            f"Due to complete this year: by their SDP end dates, {_activities(due.count)} "
            f"{'is' if due.count == 1 else 'are'} due to complete in "
            f"{d.quarter.financial_year.label}. "
        )
        if not_on.count:
            text += (
                f"Of these, {not_on.count} ({_pct(not_on)}) {'is' if not_on.count == 1 else 'are'}"
                f" not on track{_change(not_on, prev)}: {_list(split)}. "
            )
        else:
            text += "All of them are on track. "
        text += (
            f"{new_date.count} of the {due.count} gave a new end or go-live date and "
            f"{d['due_this_year.no_new_date'].count} gave none."
        )
        paragraphs.append(text)

    milestones = d["milestones.identified"]
    kinds = [
        f"{MILESTONE_SHORT[k.value]} {d[f'milestones.{k.value}'].count}"
        + (
            f" ({_previous(d[f'milestones.{k.value}'], prev)})"
            if d[f"milestones.{k.value}"].previous is not None
            else ""
        )
        for k in Milestone.Kind
    ]
    text = (
        f"Milestones: {_of(milestones.count, milestones.base)} identified key milestones "
        f"{_pct_and_change(milestones, prev)}."
    )
    if milestones.count:
        text += f" By type: {_list(kinds)}."
    paragraphs.append(text)

    revised = d["revised_dates.total"]
    if revised.count:
        split = [
            f"{d[f'revised_dates.{x}'].count} {label}"
            for x, label in (
                (Delivery.ON_TRACK, "on track"),
                (Delivery.REMEDIAL, "requiring remedial action"),
                (Delivery.UNLIKELY, "unlikely to be achieved"),
            )
        ]
        paragraphs.append(
            f"Revised dates: {_activities(revised.count)} gave an end or go-live date "
            f"beyond the SDP date{_change(revised, prev)}: {_list(split)}."
        )

    not_on_track = d["delivery.not_on_track"]
    if not_on_track.count:
        themes = sorted(
            (f for f in d.section("issues") if f.key.count(".") == 1 and f.count),
            key=lambda f: -f.count,
        )
        themes = [f for f in themes if f.key not in ("issues.identified", "issues.more_than_one")]
        parts = [
            f"{d.theme_labels[f.key.split('.', 1)[1]]} {f.count} ({_pct(f)}"
            + (f"; {_previous(f, prev)})" if f.previous is not None else ")")
            for f in themes
        ]
        more = d["issues.more_than_one"]
        text = (
            f"Issues: of the {_activities(not_on_track.count)} not on track, "
            f"{d['issues.identified'].count} identified the issues affecting delivery"
        )
        text += f": {_list(parts)}." if parts else "."
        text += (
            f" {_activities(more.count).capitalize()} identified more than one issue"
            f"{_change(more, prev)}."
        )
        paragraphs.append(text)

        mitigation = d["mitigation.in_place"]
        paragraphs.append(
            f"Mitigating actions: {_of(mitigation.count, mitigation.base)} with issues "
            f"{'has' if mitigation.count == 1 else 'have'} mitigating actions or escalations "
            f"in place {_pct_and_change(mitigation, prev)}."
        )

        recorded = d["risk_register.recorded"]
        registers = [
            f"{REGISTER_SHORT[r]} {d[f'risk_register.{r}'].count}"
            for r in REGISTERS
            if d[f"risk_register.{r}"].count
        ]
        text = (
            f"Risk: {_of(recorded.count, recorded.base)} not on track "
            f"{'has' if recorded.count == 1 else 'have'} the issues recorded on a risk register"
        )
        text += f" ({_list(registers)})." if registers else "."
        if d.not_on_track_unrecorded:
            names = _list([a.name for a in d.not_on_track_unrecorded])
            text += f" Not recorded on any risk register: {names}."
        paragraphs.append(text)
    else:
        paragraphs.append("Issues: every activity that responded is on track.")

    reported = [
        f"{_board(b)} {d[f'governance.reported.{b}'].count}"
        + _change(d[f"governance.reported.{b}"], prev)
        for b in BOARDS
    ]
    expected = [
        f"{_board(b)} {d[f'governance.expected.{b}'].count}"
        + _change(d[f"governance.expected.{b}"], prev)
        for b in BOARDS
    ]
    none = d["governance.expected.none"]
    plan = d["governance.informal_forward_plan"]
    text = (
        f"Governance: activities that reported during {q} to {_list(reported)}. "
        f"Activities expecting to report during the rest of "
        f"{d.quarter.financial_year.label} to {_list(expected)}; "
        f"{_activities(none.count)} expect to report to none of these boards"
        f"{_change(none, prev)}."
    )
    if plan.base:
        text += (
            f" Of the {plan.base} expecting an informal governance board, {plan.count} "
            f"({_pct(plan)}) {'has' if plan.count == 1 else 'have'} the item on the "
            f"board's forward plan."
        )
    paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _board(board: str) -> str:
    return {
        Board.CMM: "Cabinet Members Meeting",
        Board.CORPORATE_BOARD: "Corporate Board",
        Board.INFORMAL: "an informal governance board",
        Board.CABINET_COMMITTEE: "Cabinet Committees",
    }[board]
