from django.contrib import admin

from kccperf.versioning import VersionedAdminMixin
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiResultRevision,
    KpiTarget,
)


class KpiTargetInline(admin.TabularInline):
    model = KpiTarget
    extra = 0


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "directorate", "unit", "higher_is_better", "decimal_places"]
    list_filter = ["directorate", "unit", "higher_is_better"]
    search_fields = ["code", "title"]
    inlines = [KpiTargetInline]


class KpiResultRevisionInline(admin.TabularInline):
    model = KpiResultRevision
    extra = 0
    readonly_fields = [
        "old_value",
        "new_value",
        "old_provisional",
        "new_provisional",
        "old_commentary",
        "revised_by",
        "revised_at",
    ]


@admin.register(KpiResult)
class KpiResultAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["kpi", "period", "value", "provisional", "entered_by", "entered_at"]
    list_filter = ["period", "provisional", "kpi__directorate"]
    search_fields = ["kpi__code"]
    list_select_related = ["kpi", "period", "entered_by"]
    inlines = [KpiResultRevisionInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(ActivityIndicator)
class ActivityIndicatorAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "directorate", "unit", "frequency"]
    list_filter = ["directorate", "frequency"]
    search_fields = ["title", "slug"]
    inlines = [IndicatorValueInline]


@admin.register(DirectorateCommentary)
class DirectorateCommentaryAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["directorate", "period", "written_by", "written_at"]
    list_filter = ["period", "directorate"]
