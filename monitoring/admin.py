"""Analysts manage activities, lead officers, delegates and the managed lists here.

Analysts who are staff get add/change permissions on these models from the role (migration
0003), so the admin shows them exactly these screens.
"""

from django.contrib import admin

from kccperf.admin import ASSIGNABLE
from kccperf.models import ReportingPeriod, User
from kccperf.periods import Quarter
from kccperf.versioning import VersionedAdminMixin
from monitoring.models import (
    Activity,
    ActivityType,
    ExpectedGovernance,
    IssueTheme,
    Milestone,
    ReminderLog,
    Return,
    ReturnRevision,
    SubmissionWindow,
)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "title",
        "directorate",
        "lead_officer",
        "activity_type",
        "sdp_end",
        "corporate_board",
        "is_active",
    )
    list_display_links = ("reference", "title")
    list_filter = ("outcome", "directorate", "activity_type", "corporate_board", "is_active")
    search_fields = (
        "title",
        "lead_officer__username",
        "lead_officer__first_name",
        "lead_officer__last_name",
    )
    autocomplete_fields = ("lead_officer", "approver")
    filter_horizontal = ("delegates",)
    list_select_related = ("outcome", "directorate", "lead_officer", "activity_type")
    ordering = ("outcome__number", "number")
    fieldsets = (
        (None, {"fields": ("outcome", "number", "title", "directorate", "activity_type")}),
        ("People", {"fields": ("lead_officer", "delegates")}),
        ("Dates", {"fields": ("sdp_start", "sdp_end", "go_live")}),
        ("Status", {"fields": ("corporate_board", "is_active", "reporting_from", "closed_from")}),
        ("Sign-off", {"fields": ("sign_off_required", "approver")}),
    )
    readonly_fields = ("closed_from",)

    # Lead officers and delegates: active people who are not superusers (the picker offers the
    # same, kccperf/admin.py), checked again when the form is saved.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("lead_officer", "approver"):
            kwargs["queryset"] = User.objects.filter(**ASSIGNABLE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "delegates":
            kwargs["queryset"] = User.objects.filter(**ASSIGNABLE).order_by(
                "last_name", "first_name"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Ref.", ordering="number")
    def reference(self, obj: Activity) -> str:
        return obj.reference

    def save_model(self, request, obj: Activity, form, change: bool) -> None:
        # Adding an activity records the quarter it happens in: one that started before
        # the quarter being reported reports from that quarter, not retrospectively.
        if not change and obj.reporting_from is None:
            live = ReportingPeriod.objects.live_quarter()
            if Quarter.containing(obj.sdp_start) < live:
                obj.reporting_from = live.start
        super().save_model(request, obj, form, change)


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(IssueTheme)
class IssueThemeAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "order", "is_other", "is_active")
    list_editable = ("order", "is_active")
    prepopulated_fields = {"key": ("label",)}


@admin.register(SubmissionWindow)
class SubmissionWindowAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ("period", "opens", "closes")
    list_select_related = ("period",)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ExpectedGovernanceInline(admin.TabularInline):
    model = ExpectedGovernance
    extra = 0


@admin.register(Return)
class ReturnAdmin(VersionedAdminMixin, admin.ModelAdmin):
    """For inspection; returns are changed through the form, which keeps their history."""

    list_display = (
        "activity",
        "period",
        "status",
        "sign_off",
        "delivery",
        "updated_by",
        "updated_at",
    )
    list_filter = ("period", "status", "sign_off", "delivery", "activity__outcome")
    list_select_related = ("activity__outcome", "period", "updated_by")
    search_fields = ("activity__title",)
    inlines = [MilestoneInline, ExpectedGovernanceInline]
    readonly_fields = (
        "submitted_by",
        "submitted_at",
        "updated_by",
        "updated_at",
        "version",
        "reopened_by",
        "reopened_at",
        # Sign-off moves only through the approver's page (with its history).
        "sign_off",
        "approver",
        "sign_off_round",
        "signed_off_by",
        "signed_off_at",
        "sign_off_comment",
        "sign_off_reason",
    )

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReturnRevision)
class ReturnRevisionAdmin(admin.ModelAdmin):
    list_display = ("return_obj", "version", "action", "by", "at")
    list_select_related = ("return_obj__activity__outcome", "return_obj__period", "by")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("user", "window", "kind", "batch", "sent_at")
    list_filter = ("kind", "window")
    list_select_related = ("user", "window__period")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
