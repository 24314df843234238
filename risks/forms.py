from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from kccperf.models import CabinetMember, Directorate
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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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

    class Meta:
        model = Risk
        fields = [*DETAIL_FIELDS, *SCORE_FIELDS, *LINK_FIELDS]
        widgets = {
            "directorates": forms.CheckboxSelectMultiple,
            "date_raised": DateInput(),
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
    removed_on = forms.DateField(label="Date removed", widget=DateInput())
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
    date = forms.DateField(
        label="Date of the refresh",
        widget=DateInput(),
        help_text="Usually the last day of the quarter being reported.",
    )
    label = forms.CharField(
        label="Name", max_length=60, help_text="How reports name this refresh, e.g. Q3 2019/20."
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        latest = RiskRefresh.objects.order_by("-date").first()
        if RiskRefresh.objects.filter(date=day).exists():
            raise forms.ValidationError("A refresh has already been recorded on this date")
        if latest and day < latest.date:
            raise forms.ValidationError(
                f"Enter a date after the latest refresh ({latest.date:%-d %B %Y})"
            )
        return day


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
        for field in self.fields.values():
            field.widget.attrs["aria-describedby"] = f"{risk.ref}-legend"

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
    class Meta:
        model = MitigatingAction
        fields = list(ACTION_FIELDS)
        widgets = {
            "description": CharacterCountTextarea(attrs={"rows": 3}),
            "due_date": DateInput(),
            "status": forms.RadioSelect,
        }
        help_texts = {"due_date": "Leave blank if the action is under regular review."}
        error_messages = {
            "description": {"required": "Enter what the action is"},
            "owner": {"required": "Enter who owns the action"},
        }

    def clean(self):
        data = super().clean()
        if not data.get("due_date") and not data.get("regular_review"):
            self.add_error("due_date", "Enter a due date, or tick regular review")
        return data


class ActionUpdateForm(forms.Form):
    date = forms.DateField(label="Date of the update", widget=DateInput())
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
