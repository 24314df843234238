"""The change log's filters: person, area (app), record, quarter and dates."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from audit.models import Change, Entry
from kccperf.models import ReportingPeriod, User

# Areas of the portal (app labels) as people name them.
AREAS = {
    "monitoring": "SDP monitoring",
    "kpis": "Key performance indicators",
    "risks": "Risk register",
    "reports": "Reports",
    "kccperf": "Organisation, people and quarters",
    "auth": "Roles",
    "audit": "Sign-ins",
    "otp_totp": "Two-factor devices",
    "axes": "Sign-in lockouts",
}
OBJECT_PATTERN = re.compile(r"^(?P<app>[a-z_0-9]+)\.(?P<model>[a-z_0-9]+):(?P<pk>[\w-]{1,64})$")


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _changes(**lookups) -> Exists:
    return Exists(Change.objects.filter(entry=OuterRef("pk"), **lookups))


class ObjectField(forms.CharField):
    """``app.model:pk``, as the "all changes to this record" links write it."""

    def clean(self, value):
        value = super().clean(value)
        if value and not OBJECT_PATTERN.match(value):
            raise ValidationError(
                "Give it as area.model:number, e.g. monitoring.return:12 "
                "(follow a record's \u201call changes\u201d link)."
            )
        return value


class ObjectFilter(django_filters.CharFilter):
    field_class = ObjectField


class EntryFilterForm(forms.Form):
    def clean(self):
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "Must be on or after the From date.")
            data.pop("until", None)
        return data


class EntryFilter(django_filters.FilterSet):
    # A name or username typed, not a list of every account (hundreds at 10x: a select of
    # them all cost more than the rest of the page).
    person = django_filters.CharFilter(
        label="Person",
        method="filter_person",
        help_text="Username or part of a name, e.g. analyst or Lister",
        max_length=150,
    )
    area = django_filters.ChoiceFilter(
        label="Area", choices=list(AREAS.items()), method="filter_area", empty_label="Any area"
    )
    quarter = django_filters.ModelChoiceFilter(
        label="Quarter of the record",
        queryset=ReportingPeriod.objects.order_by("-start"),
        method="filter_quarter",
        empty_label="Any quarter",
    )
    since = django_filters.DateFilter(
        label="From (date)",
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label="To (date)",
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    object = ObjectFilter(
        label="Record",
        method="filter_object",
        help_text="Set by a record's \u201call changes\u201d link, e.g. monitoring.return:12",
    )

    class Meta:
        model = Entry
        fields = ["person", "area", "quarter", "since", "until", "object"]
        form = EntryFilterForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["quarter"].label_from_instance = lambda p: p.label

    def filter_person(self, queryset, name, value):
        value = value.strip()
        people = User.objects.filter(
            Q(username__iexact=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(username__icontains=value)
        ).values_list("pk", flat=True)
        # One query for the people; entries by any of them (metadata's "user" is indexed).
        ids = list(people[:200])
        return queryset.filter(metadata__user__in=ids) if ids else queryset.none()

    def filter_area(self, queryset, name, value):
        return queryset.filter(_changes(app_label=value))

    def filter_quarter(self, queryset, name, value):
        return queryset.filter(_changes(period_id=value.pk))

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_day_start(value + timedelta(days=1)))

    def filter_object(self, queryset, name, value):
        match = OBJECT_PATTERN.match(value)
        if match is None:
            return queryset.none()
        return queryset.filter(
            _changes(app_label=match["app"], model=match["model"], object_pk=match["pk"])
        )
