"""The council scorecard table, shown on the page and exported as CSV/XLSX."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kpis.scorecards import ScorecardRow
from kpis.scoring import at_precision
from kpis.sparkline import sparkline_svg


def _number(row: ScorecardRow, value):
    """Exports carry numbers (at the reported precision), not formatted text."""
    return None if value is None else at_precision(value, row.kpi.decimal_places)


class ScorecardTable(tables.Table):
    code = tables.Column(accessor="kpi__code", verbose_name="Code", order_by=("kpi__code",))
    title = tables.Column(accessor="kpi__title", verbose_name="KPI", order_by=("kpi__title",))
    directorate = tables.Column(
        accessor="kpi__directorate__name",
        verbose_name="Directorate",
        order_by=("kpi__directorate__order", "kpi__code"),
    )
    current = tables.Column(accessor="value", verbose_name="Current", order_by=("value_sort",))
    target = tables.Column(accessor="target_value", verbose_name="Target", orderable=False)
    floor = tables.Column(
        accessor="floor", verbose_name="Floor standard", orderable=False, empty_values=()
    )
    previous = tables.Column(accessor="previous_value", verbose_name="Previous", orderable=False)
    rag = tables.Column(
        accessor="rag", verbose_name="RAG", order_by=("rag_sort", "kpi__code"), empty_values=()
    )
    direction = tables.Column(
        accessor="direction",
        verbose_name="Direction of travel",
        order_by=("direction_sort", "kpi__code"),
        empty_values=(),
    )
    trend = tables.Column(
        accessor="trend", verbose_name="Trend", orderable=False, exclude_from_export=True
    )
    # Only in exports: the page says "(p)" next to the value and gives units in the values.
    unit = tables.Column(accessor="kpi__unit", verbose_name="Unit", visible=False)
    provisional = tables.Column(
        accessor="verification",
        verbose_name="Verification",
        visible=False,
        orderable=False,
        empty_values=(),
    )

    class Meta:
        attrs = {"class": "table scorecard-table"}
        row_attrs = {
            "data-code": lambda record: record.code,
            "data-rag": lambda record: record.rag or "none",
            "data-direction": lambda record: record.direction or "none",
        }
        empty_text = "No KPIs match these filters."
        default = "–"

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    # Cells on the page -------------------------------------------------------------------
    def render_code(self, record: ScorecardRow):
        url = reverse("kpis:kpi-detail", kwargs={"code": record.code, "period": record.quarter})
        return format_html('<a href="{}">{}</a>', url, record.code)

    def value_code(self, record: ScorecardRow):
        return record.code

    def render_current(self, record: ScorecardRow):
        if record.provisional:
            return format_html(
                '{} <abbr title="provisional: not yet verified" class="hint">(p)</abbr>',
                record.value_display,
            )
        return record.value_display

    def render_target(self, record: ScorecardRow):
        return record.target_display

    def render_floor(self, record: ScorecardRow):
        if not record.has_floor:
            return mark_safe('<span class="hint">None (Green/Red only)</span>')
        return record.floor_display

    def render_previous(self, record: ScorecardRow):
        return record.previous_display

    def render_rag(self, record: ScorecardRow):
        return render_to_string("includes/_rag_badge.html", {"rag": record.rag})

    def render_direction(self, record: ScorecardRow):
        return render_to_string("includes/_direction.html", {"direction": record.direction})

    def render_trend(self, record: ScorecardRow):
        values = [value for _, value in record.trend]
        shown = ", ".join(
            f"{q.label} {record.formatted(v)}" for q, v in record.trend if v is not None
        )
        return sparkline_svg(values, f"Trend {record.code}: {shown or 'no data'}")

    # Cells in exports ------------------------------------------------------------------
    def value_current(self, record: ScorecardRow):
        return _number(record, record.value)

    def value_target(self, record: ScorecardRow):
        return _number(record, record.target_value)

    def value_floor(self, record: ScorecardRow):
        return _number(record, record.floor)

    def value_previous(self, record: ScorecardRow):
        return _number(record, record.previous_value)

    def value_rag(self, record: ScorecardRow):
        return record.rag.label if record.rag else "No data"

    def value_direction(self, record: ScorecardRow):
        return record.direction.label if record.direction else record.no_direction

    def value_unit(self, record: ScorecardRow):
        return record.kpi.get_unit_display()

    def value_provisional(self, record: ScorecardRow):
        return record.verification
