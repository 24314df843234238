"""The analyst workbook of a quarter (.xlsx): one sheet each for the KPI scorecard, activity
indicator values, SDP returns (every field), outcome figures, risk register, mitigating
actions and supporting tables.

Numbers and dates are written as Excel numbers and dates (not text); header rows are frozen;
text is made safe by the one XLSX writer, ``kccperf.output.xlsx`` (formulas escaped,
characters an .xlsx cannot hold dropped, long text truncated, times in Europe/London); each
sheet comes from a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Prefetch

from kccperf.models import Outcome
from kccperf.output.xlsx import XlsxWriter
from kccperf.periods import Quarter
from reports.builders import TREND_QUARTERS


class _Sheet:
    """A sheet of the workbook with a bold, frozen header row (the writer makes text safe)."""

    def __init__(self, workbook: XlsxWriter, title: str, headers: list[str]):
        self.sheet = workbook.create_sheet(title, headers)

    def add(self, values: list) -> None:
        self.sheet.append(values)


def _kpi_sheet(workbook: XlsxWriter, quarter: Quarter) -> None:
    from kpis.models import Kpi

    sheet = _Sheet(
        workbook,
        "KPI scorecard",
        [
            "Code",
            "KPI",
            "Directorate",
            "Unit",
            "Higher is better",
            "Quarter",
            "Value",
            "Provisional",
            "Previous value",
            "Target",
            "Floor standard",
            "RAG",
            "Previous RAG",
            "Direction of travel",
            "Data period",
        ],
    )
    card = Kpi.objects.all().scorecard(quarter, trend_quarters=2)
    for row in card.rows:
        kpi = row.kpi
        sheet.add(
            [
                kpi.code,
                kpi.title,
                kpi.directorate.name,
                kpi.get_unit_display(),
                kpi.higher_is_better,
                quarter.label,
                row.value,
                row.provisional,
                row.previous_value,
                row.target_value,
                row.floor,
                row.rag.label if row.rag else None,
                row.previous_rag.label if row.previous_rag else None,
                row.direction.label if row.direction else None,
                row.current.data_period if row.current else None,
            ]
        )


def _indicator_sheet(workbook: XlsxWriter, quarter: Quarter) -> None:
    from kpis.models import IndicatorValue, Unit
    from kpis.scoring import indicator_flag

    sheet = _Sheet(
        workbook,
        "Activity indicators",
        [
            "Indicator",
            "Title",
            "Directorate",
            "Unit",
            "Period start",
            "Period",
            "Value",
            "Lower expected",
            "Upper expected",
            "National benchmark",
            "Against range",
        ],
    )
    first = quarter.window(TREND_QUARTERS)[0]
    units = dict(Unit.choices)
    values = (
        IndicatorValue.objects.filter(period_start__gte=first.start, period_start__lte=quarter.end)
        .order_by("indicator__directorate__order", "indicator__title", "period_start")
        .values_list(
            "indicator__slug",
            "indicator__title",
            "indicator__directorate__name",
            "indicator__unit",
            "period_start",
            "label",
            "value",
            "lower",
            "upper",
            "benchmark",
        )
    )
    for slug, title, directorate, unit, start, label, value, lower, upper, benchmark in values:
        flag = indicator_flag(value, lower, upper)
        sheet.add(
            [
                slug,
                title,
                directorate,
                units.get(unit, unit),
                start,
                label,
                value,
                lower,
                upper,
                benchmark,
                flag.label if flag else "Within range",
            ]
        )


def _returns_sheet(workbook: XlsxWriter, quarter: Quarter) -> None:
    from monitoring.models import ExpectedGovernance, IssueTheme, Milestone, Return

    fields = [f for f in Return._meta.concrete_fields if f.name not in ("id", "activity", "period")]
    headers = ["Outcome", "Activity", "Activity title", "Directorate", "Lead officer", "Quarter"]
    headers += [str(f.verbose_name).capitalize() for f in fields]
    headers += ["Issue themes", "Milestones", "Expected governance"]
    sheet = _Sheet(workbook, "SDP returns", headers)
    returns = (
        Return.objects.filter(period__start=quarter.start)
        .select_related(
            "activity__outcome",
            "activity__directorate",
            "activity__lead_officer",
            "period",
            "submitted_by",
            "updated_by",
            "reopened_by",
        )
        .prefetch_related(
            Prefetch("issues", queryset=IssueTheme.objects.order_by("order", "label")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("kind", "date")),
            Prefetch("expected_governance", queryset=ExpectedGovernance.objects.order_by("board")),
        )
        .order_by("activity__outcome__number", "activity__number")
    )
    for ret in returns:
        activity = ret.activity
        row = [
            activity.outcome.number,
            f"{activity.outcome.number}.{activity.number}",
            activity.title,
            activity.directorate.name if activity.directorate_id else None,
            str(activity.lead_officer) if activity.lead_officer_id else None,
            quarter.label,
        ]
        for field in fields:
            value = getattr(ret, field.name)
            if field.is_relation:
                value = str(value) if value is not None else None
            elif field.choices and value not in (None, ""):
                if isinstance(value, list):
                    labels = dict(field.base_field.choices) if hasattr(field, "base_field") else {}
                    value = "; ".join(str(labels.get(v, v)) for v in value)
                else:
                    value = getattr(ret, f"get_{field.name}_display")()
            elif isinstance(value, list):
                choices = dict(getattr(field.base_field, "choices", None) or [])
                value = "; ".join(str(choices.get(v, v)) for v in value)
            row.append(value)
        row.append("; ".join(t.label for t in ret.issues.all()))
        row.append(
            "; ".join(
                f"{m.get_kind_display()}{f' ({m.text})' if m.text else ''}: "
                f"{m.date.isoformat() if m.date else 'not known'}"
                for m in ret.milestones.all()
            )
        )
        row.append(
            "; ".join(
                f"{g.get_board_display()}"
                f"{f' ({g.get_informal_board_display()})' if g.informal_board else ''}: "
                f"{g.expected_date.isoformat() if g.expected_date else 'not known'}"
                for g in ret.expected_governance.all()
            )
        )
        sheet.add(row)


def _figures_sheet(workbook: XlsxWriter, quarter: Quarter) -> None:
    from monitoring import figures

    sheet = _Sheet(
        workbook,
        "Outcome figures",
        [
            "Scope",
            "Quarter",
            "Key",
            "Figure",
            "Count",
            "Base",
            "Percentage (%)",
            "Previous count",
            "Previous base",
        ],
    )
    loaded = figures.load(quarter)
    scopes = [("Council-wide", loaded.rows)]
    for outcome in Outcome.objects.all():
        scopes.append(
            (
                f"Outcome {outcome.number}",
                [r for r in loaded.rows if r.activity.outcome == outcome.number],
            )
        )
    for scope, rows in scopes:
        d = figures.compute(rows, quarter, loaded.theme_labels)
        for f in d.figures:
            sheet.add(
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
                ]
            )


def _risk_sheets(workbook: XlsxWriter, quarter: Quarter) -> None:
    from risks.models import MitigatingAction, Risk, RiskLevelBand, RiskRefresh
    from risks.scoring import risk_level

    bands = RiskLevelBand.objects.as_bands()
    refresh = RiskRefresh.objects.for_quarter(quarter)
    entries = {}
    if refresh is not None:
        entries = {e.risk_id: e for e in refresh.entries.all()}
    sheet = _Sheet(
        workbook,
        "Risk register",
        [
            "Reference",
            "Title",
            "Status",
            "Risk owner",
            "Cabinet member",
            "Directorates",
            "Category",
            "Date raised",
            "Refresh",
            "Current likelihood",
            "Current impact",
            "Current score",
            "Current level",
            "Target likelihood",
            "Target impact",
            "Target score",
            "Target level",
            "Reason for change",
            "Description",
        ],
    )
    risks = (
        Risk.objects.select_related("cabinet_member", "category")
        .prefetch_related("directorates")
        .order_by("ref")
    )
    if refresh is not None:
        risks = risks.filter(pk__in=list(entries))
    for risk in risks:
        entry = entries.get(risk.pk, risk)
        sheet.add(
            [
                risk.ref,
                risk.title,
                risk.get_status_display(),
                risk.owner,
                risk.cabinet_member.name if risk.cabinet_member else None,
                "; ".join(d.name for d in risk.directorates.all()),
                risk.category.name if risk.category else None,
                risk.date_raised,
                refresh.label if refresh else "Current register",
                entry.current_likelihood,
                entry.current_impact,
                entry.current_score,
                risk_level(entry.current_score, bands),
                entry.target_likelihood,
                entry.target_impact,
                entry.target_score,
                risk_level(entry.target_score, bands),
                getattr(entry, "reason", ""),
                risk.description,
            ]
        )
    actions = _Sheet(
        workbook,
        "Mitigating actions",
        [
            "Risk",
            "Action",
            "Owner",
            "Due date",
            "Regular review",
            "Status",
            "Latest update date",
            "Latest update",
        ],
    )
    queryset = MitigatingAction.objects.select_related("risk").prefetch_related("updates")
    if refresh is not None:
        queryset = queryset.filter(risk_id__in=list(entries))
    for action in queryset.order_by("risk__ref", "order", "pk"):
        updates = list(action.updates.all())
        latest = updates[-1] if updates else None
        actions.add(
            [
                action.risk.ref,
                action.description,
                action.owner,
                action.due_date,
                action.regular_review,
                action.get_status_display(),
                latest.date if latest else None,
                latest.text if latest else None,
            ]
        )


def _tables_sheet(workbook: XlsxWriter, quarter: Quarter) -> None:
    """In the import format, so the sheet can be corrected and loaded back."""
    from reports.models import ReportTable

    sheet = _Sheet(
        workbook,
        "Supporting tables",
        [
            "table_slug",
            "quarter",
            "title",
            "directorate",
            "row_group",
            "row_label",
            "column_group",
            "column_label",
            "value",
            "unit",
            "footnote",
            "row_header",
            "empty_text",
            "order",
        ],
    )
    for table in ReportTable.objects.for_quarter(quarter).with_cells():
        grid = table.grid()
        first = True
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                cell = grid[r][c]
                sheet.add(
                    [
                        table.slug,
                        quarter.label,
                        table.title if first else None,
                        (table.directorate.slug if table.directorate else None) if first else None,
                        row.get("group") or None,
                        row["label"],
                        column.get("group") or None,
                        column["label"],
                        cell.value if cell else None,
                        (cell.unit or None) if cell else None,
                        (table.footnote or None) if first else None,
                        (table.row_header or None) if first else None,
                        table.empty_text if first else None,
                        table.order if first else None,
                    ]
                )
                first = False


def analyst_workbook(quarter: Quarter) -> bytes:
    workbook = XlsxWriter()
    _kpi_sheet(workbook, quarter)
    _indicator_sheet(workbook, quarter)
    _returns_sheet(workbook, quarter)
    _figures_sheet(workbook, quarter)
    _risk_sheets(workbook, quarter)
    _tables_sheet(workbook, quarter)
    return workbook.save()
