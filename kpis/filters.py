"""Scorecard filters. Directorate narrows the KPI queryset in SQL; RAG, direction and the
change in Green depend on computed ratings, so they narrow the built rows."""

from __future__ import annotations

import django_filters

from kccperf.comparison import Basis
from kccperf.models import Directorate
from kpis.models import Kpi
from kpis.scorecards import ScorecardRow
from kpis.scoring import Direction, Rag

NONE = "none"
RAG_CHOICES = [(r.value, r.label) for r in Rag] + [(NONE, "No data")]
DIRECTION_CHOICES = [(d.value, d.label) for d in Direction] + [(NONE, "No direction of travel")]
GREEN_CHOICES = [("gained", "Became Green this quarter"), ("lost", "No longer Green")]


def _keep(queryset, name, value):
    return queryset


class ScorecardFilter(django_filters.FilterSet):
    directorate = django_filters.ModelChoiceFilter(
        queryset=Directorate.objects.all(),
        to_field_name="slug",
        empty_label="All directorates",
    )
    rag = django_filters.ChoiceFilter(
        label="RAG rating", choices=RAG_CHOICES, method=_keep, empty_label="Any rating"
    )
    direction = django_filters.ChoiceFilter(
        label="Direction of travel",
        choices=DIRECTION_CHOICES,
        method=_keep,
        empty_label="Any direction",
    )
    green = django_filters.ChoiceFilter(
        label="Change in Green", choices=GREEN_CHOICES, method=_keep, empty_label="Any"
    )

    class Meta:
        model = Kpi
        fields = ["directorate"]

    def filter_rows(
        self, rows: list[ScorecardRow], basis: Basis | None = None
    ) -> list[ScorecardRow]:
        """The rows the filters keep; "gained"/"lost" Green count only the KPIs the
        comparison's ``basis`` includes (a KPI without a value yet has lost nothing)."""
        data = self.form.cleaned_data
        if data.get("rag"):
            wanted = None if data["rag"] == NONE else data["rag"]
            rows = [row for row in rows if row.rag == wanted]
        if data.get("direction"):
            wanted = None if data["direction"] == NONE else data["direction"]
            rows = [row for row in rows if row.direction == wanted]
        if data.get("green") and basis is not None:
            rows = [row for row in rows if basis.includes(row.kpi.pk)]
        if data.get("green") == "gained":
            rows = [r for r in rows if r.rag == Rag.GREEN and r.previous_rag != Rag.GREEN]
        elif data.get("green") == "lost":
            rows = [r for r in rows if r.rag != Rag.GREEN and r.previous_rag == Rag.GREEN]
        return rows

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.form.cleaned_data.get(name) for name in self.filters)
