from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from kccperf.forms import PlausibleDateField, UkDateInput
from kccperf.models import CabinetMember, Directorate
from kccperf.periods import Quarter
from kccperf.text_limits import CharacterCountTextarea, limit
from kccperf.versioning import VersionedForm
from risks.models import (
    ACTION_FIELDS,
    DETAIL_FIELDS,
    LINK_FIELDS,
    ActionUpdate,
    MitigatingAction,
    Risk,
    RiskRefresh,
    RiskRefreshEntry,
    ScaleLabel,
)
from risks.scoring import SCORE_FIELDS, Position

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


def scale_choices(labels: dict[int, str]) -> list[tuple[int, str]]:
    return [(n, f"{n} – {labels[n]}" if labels.get(n) else str(n)) for n in range(1, 6)]


class ScoreField(forms.TypedChoiceField):
    """A 1–5 score; anything else is refused with a clear message."""

    def __init__(self, *, label: str, choices=SCORE_CHOICES, **kwargs):
        super().__init__(
            label=label,
            choices=choices,
            coerce=int,
            error_messages={
                "invalid_choice": "Choose a score from 1 to 5",
                "required": "Choose a score from 1 to 5",
            },
            **kwargs,
        )


def score_fields(labels: dict[str, dict[int, str]], *, blank: bool) -> dict[str, ScoreField]:
    """The four score fields, each offering its axis's scale words (ScaleLabel)."""
    fields = {}
    for name in SCORE_FIELDS:
        axis = name.rsplit("_", 1)[1]  # "likelihood" or "impact", as ScaleLabel.Axis
        choices = scale_choices(labels.get(axis, {}))
        if blank:
            choices = [("", "Choose a score"), *choices]
        fields[name] = ScoreField(label=capfirst(name.replace("_", " ")), choices=choices)
    return fields


class RiskForm(VersionedForm, forms.ModelForm):
    """Create or edit a risk. Scores are set when the risk is created; afterwards they change
    only through a refresh, which records the reason."""

    versioned_what = "risk"

    class Meta:
        model = Risk
        fields = [*DETAIL_FIELDS, *SCORE_FIELDS, *LINK_FIELDS]
        field_classes = {"date_raised": PlausibleDateField}
        widgets = {
            "directorates": forms.CheckboxSelectMultiple,
            "date_raised": UkDateInput(),
            "description": CharacterCountTextarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "Enter the risk's title"},
            "description": {"required": "Enter the cause, event and consequence"},
            "owner_name": {"required": "Enter the risk owner's name"},
            "date_raised": {"required": "Enter the date the risk was raised"},
        }

    def __init__(self, *args, labels: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Scores change only through a refresh, which records the reason.
            for name in SCORE_FIELDS:
                del self.fields[name]
        else:
            # A new risk starts with no score chosen, so nobody files a 1 × 1 by accident.
            self.fields.update(score_fields(labels or ScaleLabel.labels(), blank=True))
            self.fields["date_raised"].initial = timezone.localdate()
        self.fields["cabinet_member"].queryset = CabinetMember.objects.order_by("name")
        self.fields["directorates"].queryset = Directorate.objects.order_by("order", "name")
        self.fields[
            "activities"
        ].help_text = (
            "SDP activities this risk concerns. Hold Ctrl (Cmd on a Mac) to choose several."
        )
        self.fields["kpis"].help_text = "KPIs this risk concerns."


class RemoveRiskForm(forms.Form):
    removed_on = PlausibleDateField(label="Date removed", required=True)
    reason = forms.CharField(
        label="Reason for removing the risk",
        widget=CharacterCountTextarea(attrs={"rows": 4}),
        max_length=limit(Risk, "removal_reason"),
        error_messages={"required": "Enter the reason for removing the risk"},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for removing the risk")
        return reason


class RefreshForm(VersionedForm):
    versioned_what = "risk register"

    date = PlausibleDateField(
        label="Date of the refresh",
        required=True,
        help_text="Usually the last day of the quarter being reported, for example 31/12/2019: "
        "the refresh reports the quarter its date falls in. Not in the future, and after the "
        "latest refresh.",
    )
    label = forms.CharField(
        label="Name", max_length=60, help_text="How reports name this refresh, e.g. Q3 2019/20."
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(
                f"The date of the refresh cannot be in the future (today is {today:%-d %B %Y})"
            )
        latest = RiskRefresh.objects.order_by("-date").first()
        if RiskRefresh.objects.filter(date=day).exists():
            raise forms.ValidationError("A refresh has already been recorded on this date")
        if latest and day < latest.date:
            raise forms.ValidationError(
                f"Enter a date after the latest refresh ({latest.date:%-d %B %Y})"
            )
        return day

    def clean(self):
        data = super().clean()
        day, label = data.get("date"), data.get("label", "")
        if day is None or not label:
            return data
        quarter = Quarter.containing(day)
        try:
            named = Quarter.parse(label)
        except ValueError:
            return data  # a free name ("Autumn review") is fine; the date sets the quarter
        if named != quarter:
            self.add_error(
                "label",
                f"The name says {named.label} but {day:%-d %B %Y} is in {quarter.label}: "
                "change the name or the date",
            )
        return data


class RefreshLineForm(forms.Form):
    """One open risk's scores in a refresh; a reason is needed if any score moved."""

    reason = forms.CharField(
        label="Reason for change",
        required=False,
        widget=CharacterCountTextarea(attrs={"rows": 2}),
        max_length=limit(RiskRefreshEntry, "reason"),
    )

    def __init__(self, *args, risk: Risk, labels: dict, **kwargs):
        self.risk = risk
        kwargs.setdefault("initial", risk.position.scores())
        super().__init__(*args, prefix=risk.ref, **kwargs)
        self.fields.update(score_fields(labels, blank=False))
        self.order_fields([*SCORE_FIELDS, "reason"])

    def clean(self):
        data = super().clean()
        if all(name in data for name in SCORE_FIELDS):
            moved = self.position() != self.risk.position
            if moved and not data.get("reason", "").strip():
                self.add_error(
                    "reason", f"{self.risk.ref}: enter the reason, because a score has changed"
                )
        return data

    def position(self) -> Position:
        """The scores entered (call once the form is valid)."""
        return Position(**{name: self.cleaned_data[name] for name in SCORE_FIELDS})


class ActionForm(VersionedForm, forms.ModelForm):
    versioned_what = "action"

    class Meta:
        model = MitigatingAction
        fields = list(ACTION_FIELDS)
        field_classes = {"due_date": PlausibleDateField}
        widgets = {
            "description": CharacterCountTextarea(attrs={"rows": 3}),
            "due_date": UkDateInput(),
            "status": forms.RadioSelect,
        }
        help_texts = {
            "due_date": "Leave blank if the action is under regular review. "
            "For example, 31/03/2020."
        }
        error_messages = {
            "description": {"required": "Enter what the action is"},
            "owner": {"required": "Enter who owns the action"},
        }

    def clean(self):
        data = super().clean()
        if not data.get("due_date") and not data.get("regular_review"):
            self.add_error("due_date", "Enter a due date, or tick regular review")
        return data


class ActionUpdateForm(VersionedForm):
    versioned_what = "action"

    date = PlausibleDateField(label="Date of the update", required=True)
    text = forms.CharField(
        label="Update",
        widget=CharacterCountTextarea(attrs={"rows": 4}),
        max_length=limit(ActionUpdate, "text"),
        error_messages={"required": "Enter the update"},
    )
    status = forms.ChoiceField(
        label="Status of the action",
        choices=MitigatingAction.Status.choices,
        widget=forms.RadioSelect,
    )
