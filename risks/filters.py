from __future__ import annotations

import django_filters
from django import forms

from kccperf.models import Directorate
from risks.models import Risk, RiskCategory


class RiskFilter(django_filters.FilterSet):
    """The register's filters. The level filter reads the band table (data), so it follows
    any change the risk manager makes to the bands."""

    level = django_filters.ChoiceFilter(
        label="Current level", method="filter_level", empty_label="Any level"
    )
    directorate = django_filters.ModelChoiceFilter(
        field_name="directorates",
        queryset=Directorate.objects.order_by("order", "name"),
        empty_label="Any directorate",
    )
    owner = django_filters.ChoiceFilter(
        field_name="owner_name", label="Risk owner", empty_label="Any owner"
    )
    category = django_filters.ModelChoiceFilter(
        queryset=RiskCategory.objects.all(), empty_label="Any category"
    )

    class Meta:
        model = Risk
        fields = ["level", "directorate", "owner", "category"]

    def __init__(self, *args, bands, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.bands = {b.level: b for b in bands}
        self.filters["level"].extra["choices"] = [(b.level, b.level) for b in bands]
        self.filters["owner"].extra["choices"] = [(o, o) for o in owners]
        for f in self.filters.values():
            f.extra.setdefault("widget", forms.Select)

    def filter_level(self, queryset, name, value):
        band = self.bands.get(value)
        if band is None:
            return queryset
        return queryset.filter(current_score__range=(band.min_score, band.max_score))
