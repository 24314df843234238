"""Reports: the managed supporting tables the QPR prints, and the published reports
(Quarterly Performance Report, SDP monitoring reports) kept as frozen snapshots."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kccperf.models import Directorate, Outcome, ReportingPeriod, acting_user_field
from kccperf.periods import Quarter
from kccperf.text_limits import REASON
from kccperf.versioning import Versioned
from reports.formatting import format_cell


class ReportTableQuerySet(models.QuerySet):
    def for_quarter(self, quarter: Quarter) -> ReportTableQuerySet:
        return self.filter(period__start=quarter.start)

    def with_cells(self) -> ReportTableQuerySet:
        """Tables with their directorate and cells (two queries whatever the number)."""
        return self.select_related("directorate", "period").prefetch_related("cells")


class ReportTable(Versioned):
    """A supporting table of the QPR (calls by service, complaints by service, ...): row
    and column labels (each optionally in a group) and a number or nothing in each cell."""

    slug = models.SlugField(max_length=80, help_text="Names the table across quarters.")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="report_tables"
    )
    directorate = models.ForeignKey(
        Directorate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_tables",
        help_text="The QPR section the table belongs to; empty for council-wide tables.",
    )
    title = models.CharField(max_length=250)
    footnote = models.TextField(blank=True, max_length=REASON)
    row_header = models.CharField(
        max_length=120, blank=True, help_text="Heading of the row labels' column."
    )
    empty_text = models.CharField(
        max_length=20, default="–", help_text="What an empty cell shows, e.g. N/A*."
    )
    # [{"label": "Citizen", "group": "Status"}, ...] in display order.
    rows = models.JSONField(default=list)
    columns = models.JSONField(default=list)
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the section.")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = acting_user_field()

    objects = ReportTableQuerySet.as_manager()

    class Meta:
        ordering = ["period__start", "directorate__order", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "period"], name="report_table_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    def get_absolute_url(self) -> str:
        return reverse("reports:table-edit", kwargs={"pk": self.pk})

    def grid(self) -> list[list[ReportTableCell | None]]:
        """Cells by row then column (uses prefetched cells)."""
        by_position = {(c.row, c.column): c for c in self.cells.all()}
        return [
            [by_position.get((r, c)) for c in range(len(self.columns))]
            for r in range(len(self.rows))
        ]

    def as_data(self) -> dict:
        """The table as plain data: what snapshots, pages, Word files and workbooks use."""
        return {
            "slug": self.slug,
            "title": self.title,
            "footnote": self.footnote,
            "row_header": self.row_header,
            "directorate": self.directorate.slug if self.directorate_id else None,
            "columns": [dict(c) for c in self.columns],
            "rows": [
                {
                    "label": row["label"],
                    "group": row.get("group", ""),
                    "cells": [
                        {
                            "column": f"{column.get('group', '')} {column['label']}".strip(),
                            "raw": format(cell.value.normalize(), "f")
                            if cell and cell.value is not None
                            else None,
                            "text": cell.display if cell else self.empty_text,
                        }
                        for column, cell in zip(self.columns, cells, strict=True)
                    ],
                }
                for row, cells in zip(self.rows, self.grid(), strict=True)
            ],
            "empty_text": self.empty_text,
        }


class ReportTableCell(models.Model):
    table = models.ForeignKey(ReportTable, on_delete=models.CASCADE, related_name="cells")
    row = models.PositiveSmallIntegerField()
    column = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    places = models.PositiveSmallIntegerField(
        default=0, help_text="Decimal places shown (as given when loaded)."
    )
    unit = models.CharField(max_length=10, blank=True, help_text="%, £ or a word.")

    class Meta:
        ordering = ["table", "row", "column"]
        constraints = [
            models.UniqueConstraint(fields=["table", "row", "column"], name="one_cell_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.table_id} [{self.row}, {self.column}]: {self.value}"

    @property
    def display(self) -> str:
        if self.value is None:
            return self.table.empty_text
        return format_cell(self.value, self.places, self.unit)


class Report(Versioned):
    """A report for a quarter. Its draft is built live from the apps; publishing stores a
    :class:`ReportVersion` whose snapshot is what the report's pages show from then on."""

    class Kind(models.TextChoices):
        QPR = "qpr", "Quarterly Performance Report"
        SDP_OUTCOME = "sdp-outcome", "SDP monitoring report"
        SDP_COUNCIL = "sdp-council", "SDP monitoring report: council-wide"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    # Analysts' words kept with the report: {"introduction": ..., "analysis-3": ...}.
    texts = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = acting_user_field()

    class Meta:
        ordering = ["-period__start", "kind", "outcome__number"]
        permissions = [("publish_report", "Can edit and publish quarterly reports")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "outcome"],
                name="one_report_per_kind_period_outcome",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(kind="sdp-outcome", outcome__isnull=False)
                | (~Q(kind="sdp-outcome") & Q(outcome__isnull=True)),
                name="report_outcome_only_for_outcome_reports",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"reports:{self.kind}", kwargs=self.url_kwargs())

    @property
    def quarter(self) -> Quarter:
        return self.period.quarter

    @property
    def title(self) -> str:
        if self.kind == self.Kind.SDP_OUTCOME:
            return f"SDP monitoring report: Outcome {self.outcome.number}, {self.period.label}"
        return f"{self.get_kind_display()}, {self.period.label}"

    def url_kwargs(self) -> dict:
        kwargs = {"period": self.quarter}
        if self.kind == self.Kind.SDP_OUTCOME:
            kwargs["number"] = self.outcome.number
        return kwargs

    def action_url(self, action: str) -> str:
        """``publish``, ``texts`` or ``versions`` of this report."""
        return reverse(f"reports:{self.kind}-{action}", kwargs=self.url_kwargs())

    @property
    def publish_url(self) -> str:
        return self.action_url("publish")

    @property
    def texts_url(self) -> str:
        return self.action_url("texts")

    @property
    def versions_url(self) -> str:
        return self.action_url("versions")


class ReportVersion(models.Model):
    """A published report: the full data it showed (figures, tables, texts) as JSON."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    data = models.JSONField()
    # What changed since the version before: [{"where": ..., "before": ..., "after": ...}].
    changes = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="Why it was republished.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = acting_user_field()

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
