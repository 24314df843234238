"""Forms analysts use to load KPI data by hand (the file imports are in kpis/imports.py).

Kept apart from any ``forms.py`` of the scorecard pages because two people build this app
at the same time: this module belongs to the data-loading pages (kpis/data_views.py).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from kccperf.periods import Quarter
from kccperf.text_limits import CharacterCountTextarea, limit
from kccperf.versioning import VersionedForm
from kpis.imports import kpi_active
from kpis.models import Kpi, KpiResult, KpiResultRevision


class KpiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kpi) -> str:
        return f"{obj.code}: {obj.title}"


class NumberField(forms.DecimalField):
    """A decimal that, like the imports, ignores a trailing % and thousands separators."""

    def to_python(self, value) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().removesuffix("%").replace(",", "").strip()
        return super().to_python(value)


class ResultChooserForm(forms.Form):
    """Which KPI and quarter to enter or correct a value for."""

    kpi = KpiChoiceField(
        label="KPI",
        queryset=Kpi.objects.order_by("code"),
        to_field_name="code",
        empty_label="Choose a KPI",
        error_messages={"required": "Choose a KPI", "invalid_choice": "Choose a KPI from the list"},
    )
    quarter = forms.CharField(
        label="Quarter",
        help_text="For example, Q2 2019/20.",
        max_length=20,
        error_messages={"required": "Enter the quarter, for example Q2 2019/20"},
    )

    def clean(self):
        data = super().clean()
        kpi, quarter = data.get("kpi"), data.get("quarter")
        if kpi and quarter and not kpi_active(kpi, quarter):
            self.add_error("quarter", f"{kpi.code} is not reported in {quarter.label}")
        return data

    def clean_quarter(self) -> Quarter:
        raw = self.cleaned_data["quarter"]
        try:
            quarter = Quarter.parse(raw)
        except ValueError:
            raise forms.ValidationError("Enter a quarter like Q2 2019/20") from None
        if quarter.start > timezone.localdate():
            raise forms.ValidationError(f"{quarter.label} has not started yet")
        return quarter


class ResultForm(VersionedForm):
    """One KPI result: the value, what it covers, commentary, and why a verified value is
    revised (``kpis.services.record_result`` decides when the reason is needed)."""

    versioned_what = "value"

    value = NumberField(
        label="Value",
        max_digits=18,
        decimal_places=4,
        help_text="A number with up to 4 decimal places, for example 91.5.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the value",
            "invalid": "Enter the value as a number, like 91.5",
            "max_decimal_places": "Enter the value with no more than 4 decimal places",
            "max_digits": "Enter a value smaller than 100,000,000,000,000",
            "max_whole_digits": "Enter a value smaller than 100,000,000,000,000",
        },
    )
    data_period = forms.CharField(
        label="Period the data covers (optional)",
        required=False,
        max_length=100,
        help_text="Only when the data lags behind the quarter, for example 12 months to Jun 2019.",
    )
    commentary = forms.CharField(
        label="Commentary (optional)",
        required=False,
        widget=CharacterCountTextarea(attrs={"rows": 5}),
        max_length=limit(KpiResult, "commentary"),
    )
    reason = forms.CharField(
        label="Reason for the revision",
        required=False,
        help_text="Needed only when the stored value is verified and you change it. "
        "The revised value is provisional until it is verified again.",
        widget=CharacterCountTextarea(attrs={"rows": 3}),
        max_length=limit(KpiResultRevision, "reason"),
    )


class ValueVersionChoices(forms.MultipleChoiceField):
    """Choices "<id>:<version>" that accept any version of a listed value: a value revised
    since the page was shown is then refused by the service as stale (409, "changed since
    you opened it"), not as an unknown choice."""

    def valid_value(self, value) -> bool:
        pk, _, version = str(value).partition(":")
        return version.isdigit() and any(
            str(key).partition(":")[0] == pk for key, _ in self.choices
        )


class VerifyValuesForm(forms.Form):
    """Which of a quarter's provisional values to verify: each choice is "<id>:<version>", so
    a value revised after the page was shown refuses the verification (versioning)."""

    verify = ValueVersionChoices(
        label="Values to verify",
        help_text="Tick the values you have checked against their source.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one value to verify",
            "invalid_choice": "Select values from the list",
        },
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verify"].choices = [
            (
                f"{r.pk}:{r.version}",
                f"{r.kpi.code} {r.kpi.title}: {r.kpi.format_value(r.value)}",
            )
            for r in results
        ]

    def clean_verify(self) -> dict[int, int]:
        """{result id: version shown}."""
        chosen = {}
        for raw in self.cleaned_data["verify"]:
            pk, _, version = raw.partition(":")
            chosen[int(pk)] = int(version)
        return chosen
