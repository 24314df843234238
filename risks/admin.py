from django.contrib import admin

from kccperf.versioning import VersionedAdminMixin
from risks.models import (
    DETAIL_FIELDS,
    ActionUpdate,
    MitigatingAction,
    Risk,
    RiskCategory,
    RiskHistory,
    RiskLevelBand,
    RiskRefresh,
    RiskRefreshEntry,
    ScaleLabel,
)
from risks.scoring import SCORE_FIELDS


@admin.register(RiskLevelBand)
class RiskLevelBandAdmin(admin.ModelAdmin):
    list_display = ["level", "min_score", "max_score", "colour", "order"]
    list_editable = ["min_score", "max_score", "colour", "order"]


@admin.register(ScaleLabel)
class ScaleLabelAdmin(admin.ModelAdmin):
    list_display = ["axis", "value", "label"]
    list_editable = ["label"]
    list_filter = ["axis"]


@admin.register(RiskCategory)
class RiskCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]


class MitigatingActionInline(admin.TabularInline):
    model = MitigatingAction
    extra = 0


@admin.register(Risk)
class RiskAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["ref", "title", "owner_name", "status", "current_score", "target_score"]
    list_filter = ["status", "category", "directorates"]
    search_fields = ["ref", "title", "owner_name"]
    # Listed because the scores come from an abstract base, which would put them first.
    fields = [
        "ref",
        *DETAIL_FIELDS,
        "directorates",
        "status",
        "removed_on",
        "removal_reason",
        *SCORE_FIELDS,
        "activities",
        "kpis",
        "current_score",
        "target_score",
    ]
    readonly_fields = ["ref", "current_score", "target_score"]
    filter_horizontal = ["directorates", "activities", "kpis"]
    inlines = [MitigatingActionInline]


class RiskRefreshEntryInline(admin.TabularInline):
    model = RiskRefreshEntry
    extra = 0
    fields = ["risk", *SCORE_FIELDS, "reason"]
    raw_id_fields = ["risk"]


@admin.register(RiskRefresh)
class RiskRefreshAdmin(admin.ModelAdmin):
    list_display = ["label", "date", "period", "recorded_by"]
    inlines = [RiskRefreshEntryInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "date", "by"]
    raw_id_fields = ["action"]


@admin.register(RiskHistory)
class RiskHistoryAdmin(admin.ModelAdmin):
    list_display = ["risk", "at", "by", "summary"]
    readonly_fields = ["risk", "at", "by", "summary", "changes"]
