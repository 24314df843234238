"""Import historic SDP returns (MS Forms exports reshaped to one row per activity and quarter).

The format is documented in README.md ("SDP returns import format") and on the upload page,
which offers a template. Every row is checked with the same rules as the browser form
(a submitted return); nothing is written unless every row passes; a row equal to the stored
return is unchanged, so importing the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.db.models import Prefetch

from kccperf.imports import DATE_HINT, Column, Importer, ImportPlan, ParsedRow, RowReader, parse_day
from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kccperf.text_limits import limit
from monitoring import rules
from monitoring.forms import EARLIEST, LATEST
from monitoring.models import (
    Activity,
    Board,
    Delivery,
    InformalBoard,
    IssueTheme,
    Milestone,
    Return,
    RiskRegister,
)
from monitoring.services import ReturnData, import_return

NOT_KNOWN = "not known"
MILESTONE_COLUMNS = {
    "approval_date": Milestone.Kind.APPROVAL,
    "eqia_date": Milestone.Kind.EQIA,
    "consultation_date": Milestone.Kind.CONSULTATION,
    "key_decision_date": Milestone.Kind.KEY_DECISION,
    "go_live_date": Milestone.Kind.GO_LIVE,
    "other_milestone_date": Milestone.Kind.OTHER,
}
EXPECTED_COLUMNS = {
    "expected_cmm": Board.CMM,
    "expected_corporate_board": Board.CORPORATE_BOARD,
    "expected_cabinet_committee": Board.CABINET_COMMITTEE,
    "expected_informal": Board.INFORMAL,
}
DATE_HELP = "A date (2019-09-30 or 30/09/2019), 'not known', or empty if none."


# The rules name the form's fields; the file's columns for the few named differently.
COLUMN_OF = {"other_issue_text": "other_issue", "milestone_other_text": "other_milestone"}
FIELD_OF = {column: name for name, column in COLUMN_OF.items()}


def _field(column: str | None) -> str:
    """The answer a column holds (see COLUMN_OF)."""
    return FIELD_OF.get(column or "", column or "")


def _choices(enum) -> dict[str, str]:
    """Keys and labels both accepted (MS Forms exports hold the labels)."""
    result = {value: value for value in enum.values}
    result.update({label: value for value, label in enum.choices})
    return result


DELIVERY = _choices(Delivery)
DELIVERY.update({"on track": "on_track", "remedial action": "remedial", "unlikely": "unlikely"})
REGISTERS = _choices(RiskRegister)
REGISTERS.update({"project/programme": "project", "service/divisional": "service"})
BOARDS = _choices(Board)
INFORMAL = _choices(InformalBoard)
STATUSES = {"submitted": Return.Status.SUBMITTED, "draft": Return.Status.DRAFT}


def _iso(day: date | None) -> str:
    return day.isoformat() if day else NOT_KNOWN


class ReturnsImporter(Importer):
    kind = "sdp-returns"
    title = "SDP returns"
    description = (
        "Historic quarterly returns, one row per activity and quarter (for example the MS Forms "
        "export of a past quarter, with the columns renamed). A row for a return already stored "
        "replaces its answers; the history records the import."
    )
    permission = "monitoring.manage_monitoring"
    columns = [
        Column("quarter", help="The quarter of the return.", example="Q2 2019/20"),
        Column("outcome", help="Strategic outcome number.", example="1"),
        Column("activity", help="Activity number within the outcome.", example="4"),
        Column(
            "status",
            required=False,
            help="submitted (default) or draft.",
            example="submitted",
        ),
        Column(
            "delivery",
            help="on_track, remedial or unlikely, or the form's wording "
            "(e.g. 'It requires remedial action').",
            example="remedial",
        ),
        Column("started", help="Has the activity formally started? yes or no.", example="yes"),
        Column("progress", help="Progress this quarter.", example="Framework design finished."),
        *[
            Column(name, required=False, help=f"{kind.label}: {DATE_HELP}", example=example)
            for (name, kind), example in zip(
                MILESTONE_COLUMNS.items(),
                ["2019-05-10", "", "", "", "2020-03-31", "not known"],
                strict=True,
            )
        ],
        Column(
            "other_milestone",
            required=False,
            help="What the other milestone is (needed when other_milestone_date is given).",
            example="Joint review with district councils",
        ),
        Column("new_end_date", required=False, help="After the SDP end date.", example=""),
        Column(
            "new_go_live",
            required=False,
            help="After the original go-live (or SDP end) date.",
            example="2020-09-01",
        ),
        Column(
            "issues",
            required=False,
            help="Issue themes separated by ';' (keys or labels, e.g. capacity; dependencies). "
            "Required when not on track.",
            example="capacity; dependencies",
        ),
        Column("other_issue", required=False, help="Needed when the themes include Other."),
        Column(
            "issue_description",
            required=False,
            help="Required when not on track.",
            example="Not enough systems resource.",
        ),
        Column(
            "mitigation",
            required=False,
            help="Mitigating actions or escalations; required when not on track, "
            "unless mitigation_none_yet is yes.",
            example="Escalated to the directorate management team.",
        ),
        Column("mitigation_none_yet", required=False, help="yes or no (default no)."),
        Column(
            "risk_registers",
            required=False,
            help="project, service, directorate, corporate or none, separated by ';'. "
            "Required when not on track.",
            example="project",
        ),
        Column(
            "boards_reported",
            required=False,
            help="Boards reported to this quarter: cmm, corporate_board, informal, "
            "cabinet_committee, separated by ';'.",
            example="informal",
        ),
        Column(
            "reported_informal_board",
            required=False,
            help="Which informal governance board it reported to: scb, icb or bdg. "
            "Required when boards_reported includes informal.",
            example="scb",
        ),
        *[
            Column(
                name,
                required=False,
                help=f"Expected reports to {board.label} during the rest of the year: dates "
                "or 'not known', separated by ';'."
                + (
                    " Put the board first: scb, icb or bdg (e.g. 'scb 2019-09-19')."
                    if board == Board.INFORMAL
                    else ""
                ),
                example="bdg 2019-09-19" if board == Board.INFORMAL else "",
            )
            for name, board in EXPECTED_COLUMNS.items()
        ],
        Column(
            "forward_plan",
            required=False,
            help="Boards whose forward plan holds the expected item (cmm, corporate_board, "
            "informal, cabinet_committee), separated by ';'.",
            example="",
        ),
    ]

    # Hooks -------------------------------------------------------------------------------

    def prepare(self, rows) -> None:
        self.activities = {
            (a.outcome.number, a.number): a for a in Activity.objects.select_related("outcome")
        }
        themes = list(IssueTheme.objects.all())
        self.themes = {t.key: t for t in themes} | {t.label: t for t in themes}

    def parse_row(self, row: RowReader) -> ParsedRow | None:
        quarter = row.quarter("quarter")
        activity = self._activity(row)
        status = row.choice("status", STATUSES, required=False) or Return.Status.SUBMITTED
        answers, milestones = self._answers(row)
        dates = rules.ActivityDates(activity.sdp_end, activity.go_live) if activity else None
        # Every row is checked as a submitted return, like the form's Submit button.
        for name, message in rules.return_errors(answers, dates, submitting=True):
            row.add(COLUMN_OF.get(name, name), message)
        answers = rules.applicable(answers)
        governance = self._governance(row)
        if row.has_errors or activity is None or quarter is None:
            return None
        values = {
            "status": status,
            **rules.answer_values(answers),
            "issues": sorted(answers.issues),
            "risk_registers": sorted(answers.risk_registers),
            "boards_reported": sorted(answers.boards_reported),
            "milestones": sorted(f"{k}|{_iso(d)}" for k, d in milestones),
            "other_milestone": answers.milestone_other_text,
            "expected_governance": sorted(governance),
        }
        return ParsedRow(
            row.number,
            key=(activity.pk, quarter.start),
            values=values,
            label=f"{activity.reference} {quarter.label}",
        )

    def _activity(self, row: RowReader) -> Activity | None:
        outcome = row.integer("outcome", minimum=1, maximum=99)
        number = row.integer("activity", minimum=1, maximum=999)
        if outcome is None or number is None:
            return None
        activity = self.activities.get((outcome, number))
        if activity is None:
            row.add("activity", f"there is no activity {outcome}.{number}")
        return activity

    def _milestones(self, row: RowReader) -> tuple[list[tuple[str, date | None]], str]:
        """(kind, date or None for not known) of each milestone given, and the other's name."""
        milestones = []
        for column, kind in MILESTONE_COLUMNS.items():
            value = self._dated(row, column)
            if value is not False:
                milestones.append((kind.value, value))
        other_text = row.text("other_milestone", required=False, max_length=250)
        # Named without a date: the other milestone's date is not known (as in the form).
        if other_text and not any(kind == Milestone.Kind.OTHER for kind, _ in milestones):
            milestones.append((Milestone.Kind.OTHER.value, None))
        return milestones, other_text

    def _answers(self, row: RowReader) -> tuple[rules.Answers, list[tuple[str, date | None]]]:
        """The row's cells as the plain answers :mod:`monitoring.rules` checks, and its
        milestones; read in the columns' order, so errors read left to right."""
        delivery = row.choice("delivery", DELIVERY, required=False) or ""
        started = self._yes_no(row, "started")
        progress = row.text("progress", required=False, max_length=limit(Return, "progress"))
        milestones, other_text = self._milestones(row)
        new_end = self._plausible(row, "new_end_date")
        new_go_live = self._plausible(row, "new_go_live")
        issues = self._issues(row)
        answers = rules.Answers(
            delivery=delivery,
            started=started,
            progress=progress,
            issues=tuple(theme.key for theme in issues),
            other_issue_selected=any(theme.is_other for theme in issues),
            other_issue_text=row.text("other_issue", required=False, max_length=250),
            issue_description=row.text(
                "issue_description",
                required=False,
                max_length=limit(Return, "issue_description"),
            ),
            mitigation=row.text(
                "mitigation", required=False, max_length=limit(Return, "mitigation")
            ),
            mitigation_none_yet=row.boolean("mitigation_none_yet"),
            risk_registers=tuple(row.choices("risk_registers", REGISTERS)),
            new_end_date=new_end,
            new_go_live=new_go_live,
            # A file has no "no new date" column: no revised date given means none.
            no_new_date=not (new_end or new_go_live),
            other_milestone_given=any(kind == Milestone.Kind.OTHER for kind, _ in milestones),
            milestone_other_text=other_text,
            boards_reported=tuple(row.choices("boards_reported", BOARDS)),
            reported_informal_board=row.choice("reported_informal_board", INFORMAL, required=False)
            or "",
        )
        if answers.delivery == rules.ON_TRACK:
            # Not applicable, as in the form: the issue columns are ignored, errors and all.
            row.errors = [e for e in row.errors if _field(e.column) not in rules.ISSUE_FIELDS]
        unreadable = frozenset(_field(e.column) for e in row.errors)
        return replace(answers, unreadable=unreadable), milestones

    def _issues(self, row: RowReader) -> list[IssueTheme]:
        issues = []
        for part in filter(None, (p.strip() for p in row.cells.get("issues", "").split(";"))):
            theme = self.themes.get(part) or self.themes.get(part.lower())
            if theme is None:
                row.add("issues", f"{part!r} is not an issue theme")
            else:
                issues.append(theme)
        return issues

    def _governance(self, row: RowReader) -> list[str]:
        """The expected governance cells as "board|informal board|date|on forward plan"."""
        forward_plan = set(row.choices("forward_plan", BOARDS))
        governance = []
        for column, board in EXPECTED_COLUMNS.items():
            for part in filter(None, (p.strip() for p in row.cells.get(column, "").split(";"))):
                informal = ""
                if board == Board.INFORMAL:
                    informal_text, _, part = part.partition(" ")
                    informal = INFORMAL.get(informal_text) or INFORMAL.get(informal_text.lower())
                    if not informal:
                        row.add(
                            column, f"start each entry with scb, icb or bdg ({informal_text!r})"
                        )
                        continue
                    part = part.strip() or NOT_KNOWN
                day = self._entry_date(row, column, part)
                if day is False:
                    continue
                governance.append(f"{board.value}|{informal}|{_iso(day)}|{board in forward_plan}")
        return governance

    def existing(self, parsed: list[ParsedRow]) -> dict[Any, dict[str, Any]]:
        activity_ids = {row.key[0] for row in parsed}
        starts = {row.key[1] for row in parsed}
        returns = (
            Return.objects.filter(activity_id__in=activity_ids, period__start__in=starts)
            .select_related("period")
            .prefetch_related(
                "issues",
                Prefetch("milestones", queryset=Milestone.objects.order_by("kind")),
                "expected_governance",
            )
        )
        return {(r.activity_id, r.period.start): self.values_of(r) for r in returns}

    @staticmethod
    def values_of(r: Return) -> dict[str, Any]:
        milestones = list(r.milestones.all())
        other = next((m.text for m in milestones if m.kind == Milestone.Kind.OTHER), "")
        return {
            "status": r.status,
            **{name: getattr(r, name) for name in rules.ANSWER_FIELDS},
            "issues": sorted(t.key for t in r.issues.all()),
            "risk_registers": sorted(r.risk_registers),
            "boards_reported": sorted(r.boards_reported),
            "milestones": sorted(f"{m.kind}|{_iso(m.date)}" for m in milestones),
            "other_milestone": other,
            "expected_governance": sorted(
                f"{g.board}|{g.informal_board}|{_iso(g.expected_date)}|{g.on_forward_plan}"
                for g in r.expected_governance.all()
            ),
        }

    def apply(self, plan: ImportPlan, user) -> None:
        rows = [*plan.new, *(change.row for change in plan.changed)]
        activities = Activity.objects.in_bulk({row.key[0] for row in rows})
        themes = {t.key: t for t in IssueTheme.objects.all()}
        periods: dict[date, ReportingPeriod] = {}
        for row in rows:
            activity_id, start = row.key
            if start not in periods:
                periods[start] = ReportingPeriod.objects.ensure(Quarter.containing(start))
            v = row.values
            data = ReturnData(
                fields={name: v[name] for name in rules.ANSWER_FIELDS},
                issues=[themes[key] for key in v["issues"]],
                milestones=[
                    {
                        "kind": kind,
                        "date": None if day == NOT_KNOWN else date.fromisoformat(day),
                        "text": v["other_milestone"] if kind == "other" else "",
                    }
                    for kind, day in (item.split("|") for item in v["milestones"])
                ],
                governance=[
                    {
                        "board": board,
                        "informal_board": informal,
                        "expected_date": None if day == NOT_KNOWN else date.fromisoformat(day),
                        "on_forward_plan": plan_flag == "True",
                    }
                    for board, informal, day, plan_flag in (
                        item.split("|") for item in v["expected_governance"]
                    )
                ],
            )
            import_return(
                activities[activity_id], periods[start], data, by=user, status=v["status"]
            )

    # Cells -------------------------------------------------------------------------------

    @staticmethod
    def _yes_no(row: RowReader, column: str) -> bool | None:
        """True, False, or None when empty (the rules ask for it) or unreadable."""
        raw = row.cells.get(column, "").strip().lower()
        if not raw:
            return None
        if raw in ("yes", "y", "true", "1"):
            return True
        if raw in ("no", "n", "false", "0"):
            return False
        row.add(column, f"must be yes or no ({row.cells.get(column, '')!r})")
        return None

    def _plausible(self, row: RowReader, column: str) -> date | None:
        raw = row.cells.get(column, "").strip()
        if not raw:
            return None
        day = self._entry_date(row, column, raw, allow_unknown=False)
        return day or None

    @staticmethod
    def _entry_date(row: RowReader, column: str, text: str, *, allow_unknown: bool = True):
        """A date, None for "not known", or False after recording an error."""
        if allow_unknown and text.lower() == NOT_KNOWN:
            return None
        day = parse_day(text)
        if day is None:
            row.add(column, f"{DATE_HINT} ({text!r})")
            return False
        if not EARLIEST <= day <= LATEST:
            row.add(column, f"{text} is not between {EARLIEST.year} and {LATEST.year}")
            return False
        return day

    def _dated(self, row: RowReader, column: str):
        """Milestone cell: False when empty (no milestone), None when not known, or a date."""
        raw = row.cells.get(column, "").strip()
        if not raw:
            return False
        day = self._entry_date(row, column, raw)
        return False if day is False else day

    def template_rows(self):
        yield [column.name for column in self.columns]
        yield [column.example for column in self.columns]
