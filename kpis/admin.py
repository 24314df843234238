from django.contrib import admin
from django.db import transaction

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
    list_display = [
        "code",
        "title",
        "directorate",
        "unit",
        "higher_is_better",
        "decimal_places",
        "data_owner",
    ]
    list_filter = ["directorate", "unit", "higher_is_better"]
    list_select_related = ["directorate", "data_owner"]
    search_fields = ["code", "title"]
    inlines = [KpiTargetInline]


class KpiResultRevisionInline(admin.TabularInline):
    model = KpiResultRevision
    extra = 0
    readonly_fields = [
        "kind",
        "reason",
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
    list_display = [
        "kpi",
        "period",
        "value",
        "provisional",
        "verified_by",
        "verified_at",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["period", "provisional", "kpi__directorate"]
    search_fields = ["kpi__code"]
    list_select_related = ["kpi", "period", "entered_by", "verified_by"]
    readonly_fields = ["provisional", "verified_by", "verified_at"]
    inlines = [KpiResultRevisionInline]

    def save_model(self, request, obj, form, change):
        """A value changed in the admin is a revision like any other: kept in the history
        and provisional until verified again (verifying is done on the portal's pages)."""
        with transaction.atomic():
            if change and "value" in form.changed_data:
                before = KpiResult.objects.select_for_update().get(pk=obj.pk)
                KpiResultRevision.objects.create(
                    result=obj,
                    old_value=before.value,
                    new_value=obj.value,
                    old_provisional=before.provisional,
                    new_provisional=True,
                    old_commentary=before.commentary,
                    reason="Changed in the admin",
                    revised_by=request.user,
                )
                obj.mark_provisional()
            super().save_model(request, obj, form, change)


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
