"""The return form (lead officers), the submission window form and the reopen form.

The return form renders every question, including the ones that only apply when the
activity is not on track; a small script hides those, and :meth:`ReturnForm.clean` ignores
and clears them when it is on track, so the form works the same without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from kccperf.forms import DATE_HINT, PlausibleDateField

# Re-exported: the returns import checks dates against the same range.
from kccperf.forms import EARLIEST as EARLIEST
from kccperf.forms import LATEST as LATEST
from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kccperf.text_limits import CharacterCountTextarea, limit
from kccperf.versioning import VersionedForm, bump, lock_version
from monitoring import rules
from monitoring.models import (
    Activity,
    Board,
    Delivery,
    InformalBoard,
    IssueTheme,
    Milestone,
    Return,
    RiskRegister,
    SubmissionWindow,
)
from monitoring.rules import ISSUE_FIELDS

YES_NO = [("yes", "Yes"), ("no", "No")]


class ReturnForm(forms.Form):
    """One quarterly return. ``submitting`` turns on the rules for a complete return."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    delivery = forms.ChoiceField(
        label="Is the activity on track?",
        help_text="On track means to time, to budget and with the approvals it needs.",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    started = forms.ChoiceField(
        label="Has the activity formally started?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    progress = forms.CharField(
        label="Progress this quarter",
        help_text="What has been done since the last return.",
        widget=CharacterCountTextarea(attrs={"rows": 5}),
        max_length=limit(Return, "progress"),
        required=False,
    )

    new_end_date = PlausibleDateField(
        label="New end date", help_text="Only if it is later than the SDP end date. " + DATE_HINT
    )
    new_go_live = PlausibleDateField(
        label="New go-live date",
        help_text="Only if it is later than the original go-live date. " + DATE_HINT,
    )
    no_new_date = forms.BooleanField(label="There is no new date", required=False)

    issues = forms.ModelMultipleChoiceField(
        label="Which issues affect delivery?",
        help_text="Select all that apply.",
        queryset=IssueTheme.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_issue_text = forms.CharField(
        label="Other issue",
        help_text="If you selected Other, say what it is.",
        required=False,
        max_length=250,
    )
    issue_description = forms.CharField(
        label="Describe the issues",
        help_text="When they arose, why, and their impact on delivery.",
        widget=CharacterCountTextarea(attrs={"rows": 4}),
        max_length=limit(Return, "issue_description"),
        required=False,
    )
    mitigation = forms.CharField(
        label="Mitigating actions or escalations",
        widget=CharacterCountTextarea(attrs={"rows": 4}),
        max_length=limit(Return, "mitigation"),
        required=False,
    )
    mitigation_none_yet = forms.BooleanField(
        label="There are no mitigating actions or escalations yet", required=False
    )
    risk_registers = forms.MultipleChoiceField(
        label="On which risk registers are the issues recorded?",
        choices=RiskRegister.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    boards_reported = forms.MultipleChoiceField(
        label="Which boards has the activity reported to this quarter?",
        choices=Board.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reported_informal_board = forms.ChoiceField(
        label="Which informal governance board?",
        help_text="If it reported to an informal governance board.",
        choices=[("", "Not applicable"), *InformalBoard.choices],
        required=False,
    )

    def __init__(self, *args, activity: Activity, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.submitting = submitting
        self.milestone_kinds = list(Milestone.Kind)
        for kind in self.milestone_kinds:
            # Short labels: each pair sits in a fieldset whose legend names the milestone.
            self.fields[f"milestone_{kind.value}"] = PlausibleDateField(
                label="Date",
                help_text=DATE_HINT,
                error_name=f"The date of the “{kind.label}” milestone",
            )
            self.fields[f"milestone_{kind.value}_unknown"] = forms.BooleanField(
                label="Date not known", required=False
            )
        self.fields["milestone_other_text"] = forms.CharField(
            label="What is the other milestone?", required=False, max_length=250
        )
        # Same order as on the page, so the error summary reads top to bottom.
        self.order_fields(
            [
                "version",
                "delivery",
                "started",
                "progress",
                *ISSUE_FIELDS,
                "milestone_other_text",
                *[
                    f"milestone_{kind.value}{suffix}"
                    for kind in self.milestone_kinds
                    for suffix in ("", "_unknown")
                ],
                "new_end_date",
                "new_go_live",
                "no_new_date",
            ]
        )

    # Rendering helpers ----------------------------------------------------------------

    def milestone_rows(self):
        for kind in self.milestone_kinds:
            yield {
                "kind": kind,
                "date": self[f"milestone_{kind.value}"],
                "unknown": self[f"milestone_{kind.value}_unknown"],
            }

    def issue_fields(self):
        return [self[name] for name in ISSUE_FIELDS]

    # Validation -----------------------------------------------------------------------

    def clean_started(self):
        value = self.cleaned_data.get("started")
        return {"yes": True, "no": False}.get(value)

    def clean(self):
        data = super().clean()
        if data.get("delivery") == Delivery.ON_TRACK:
            # Not applicable: whatever was typed (e.g. with JavaScript off) is discarded.
            for name in ISSUE_FIELDS:
                self.errors.pop(name, None)
        answers = self.answers(data)
        dates = rules.ActivityDates(self.activity.sdp_end, self.activity.go_live)
        for name, message in rules.return_errors(answers, dates, submitting=self.submitting):
            self.add_error(name, message)
        self._clean_milestone_dates(data)
        self._keep_applicable(data, rules.applicable(answers))
        return data

    def answers(self, data: dict[str, Any]) -> rules.Answers:
        """The cleaned data as the plain answers :mod:`monitoring.rules` checks."""
        issues = list(data.get("issues") or [])
        return rules.Answers(
            delivery=data.get("delivery") or "",
            started=data.get("started"),
            progress=data.get("progress") or "",
            issues=tuple(theme.key for theme in issues),
            other_issue_selected=any(theme.is_other for theme in issues),
            other_issue_text=data.get("other_issue_text") or "",
            issue_description=data.get("issue_description") or "",
            mitigation=data.get("mitigation") or "",
            mitigation_none_yet=bool(data.get("mitigation_none_yet")),
            risk_registers=tuple(data.get("risk_registers") or ()),
            new_end_date=data.get("new_end_date"),
            new_go_live=data.get("new_go_live"),
            no_new_date=bool(data.get("no_new_date")),
            other_milestone_given=bool(
                data.get("milestone_other") or data.get("milestone_other_unknown")
            ),
            milestone_other_text=data.get("milestone_other_text") or "",
            boards_reported=tuple(data.get("boards_reported") or ()),
            reported_informal_board=data.get("reported_informal_board") or "",
            unreadable=frozenset(self.errors),
        )

    @staticmethod
    def _keep_applicable(data: dict[str, Any], answers: rules.Answers) -> None:
        """Clear the answers the rules say do not apply (e.g. issues when on track)."""
        data.update(rules.answer_values(answers))
        if not answers.issues:
            data["issues"] = []

    def _clean_milestone_dates(self, data: dict[str, Any]) -> None:
        """A form-only slip: a milestone's date given and "not known" ticked."""
        for kind in self.milestone_kinds:
            if data.get(f"milestone_{kind.value}") and data.get(f"milestone_{kind.value}_unknown"):
                self.add_error(
                    f"milestone_{kind.value}_unknown",
                    f"Either give the {kind.label.lower()} date or tick not known, not both",
                )

    # Results --------------------------------------------------------------------------

    def return_fields(self) -> dict[str, Any]:
        """The answers as the return's fields (:data:`monitoring.rules.ANSWER_FIELDS`)."""
        return rules.answer_values(self.answers(self.cleaned_data))

    def issue_themes(self) -> list[IssueTheme]:
        return list(self.cleaned_data.get("issues") or [])

    def milestones(self) -> list[dict]:
        """One dict per identified milestone: a date, or ticked "not known"."""
        data = self.cleaned_data
        result = []
        for kind in self.milestone_kinds:
            day = data.get(f"milestone_{kind.value}")
            unknown = data.get(f"milestone_{kind.value}_unknown")
            text = (
                data.get("milestone_other_text", "").strip() if kind == Milestone.Kind.OTHER else ""
            )
            if day or unknown or text:
                result.append({"kind": kind.value, "date": day, "text": text})
        return result


class ExpectedGovernanceForm(forms.Form):
    """A board the activity expects to report to during the rest of the financial year."""

    board = forms.ChoiceField(
        label="Board", choices=[("", "Choose a board"), *Board.choices], required=False
    )
    informal_board = forms.ChoiceField(
        label="Informal board",
        choices=[("", "Not applicable"), *InformalBoard.choices],
        required=False,
    )
    expected_date = PlausibleDateField(label="Expected date", help_text="If known.")
    on_forward_plan = forms.BooleanField(label="On the board's forward plan", required=False)

    def clean(self):
        data = super().clean()
        board = data.get("board")
        anything = (
            data.get("informal_board") or data.get("expected_date") or data.get("on_forward_plan")
        )
        if not board and anything:
            self.add_error("board", "Choose the board, or clear this row")
        if board == Board.INFORMAL and not data.get("informal_board"):
            self.add_error("informal_board", "Choose which informal governance board")
        if board and board != Board.INFORMAL:
            data["informal_board"] = ""
        return data

    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("board"):
            return None
        return {
            "board": data["board"],
            "informal_board": data.get("informal_board") or "",
            "expected_date": data.get("expected_date"),
            "on_forward_plan": bool(data.get("on_forward_plan")),
        }


class BaseGovernanceFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [row for form in self.forms if (row := form.row())]


# Two blank rows after the saved ones: a board can be added without JavaScript.
GovernanceFormSet = forms.formset_factory(
    ExpectedGovernanceForm, formset=BaseGovernanceFormSet, extra=2, max_num=20, validate_max=True
)
GOVERNANCE_PREFIX = "gov"


class SubmissionWindowForm(VersionedForm, forms.ModelForm):
    versioned_what = "submission window"

    quarter = forms.CharField(label="Quarter", help_text="For example, Q3 2019/20.", max_length=20)
    opens = PlausibleDateField(label="Opens", required=True)
    closes = PlausibleDateField(
        label="Closes",
        required=True,
        help_text="The last day returns can be submitted. " + DATE_HINT,
    )

    class Meta:
        model = SubmissionWindow
        fields = ["opens", "closes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["quarter"].initial = self.instance.period.label
        self.order_fields(["quarter", "opens", "closes"])

    def clean_quarter(self) -> Quarter:
        try:
            quarter = Quarter.parse(self.cleaned_data["quarter"].strip())
        except ValueError:
            raise ValidationError("Enter a quarter like Q3 2019/20") from None
        clash = SubmissionWindow.objects.filter(period__start=quarter.start).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise ValidationError(f"{quarter.label} already has a submission window")
        return quarter

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "The window must close on or after the day it opens")
        return data

    @transaction.atomic
    def save(self, commit=True):
        """Refuses with :class:`~kccperf.versioning.StaleEditError` when the window was saved
        since the form was read."""
        if self.instance.pk:
            stored = lock_version(
                SubmissionWindow.objects.filter(pk=self.instance.pk),
                self.base_version,
                what=self.versioned_what,
            )
            self.instance.version = stored.version if stored else 0
        self.instance.period = ReportingPeriod.objects.ensure(self.cleaned_data["quarter"])
        bump(self.instance)
        return super().save(commit=commit)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the return being reopened?",
        help_text="The lead officer and delegates see this reason.",
        widget=CharacterCountTextarea(attrs={"rows": 3}),
        max_length=limit(Return, "reopen_reason"),
    )


class SignOffForm(VersionedForm):
    """The approver's decision on a return waiting for sign-off. Sending back needs a
    comment; signing off on someone else's behalf (analysts) needs a reason."""

    versioned_what = "return"
    comment = forms.CharField(
        label="Comment for the lead officer",
        help_text="Required to send the return back: say what needs changing.",
        widget=CharacterCountTextarea(attrs={"rows": 4}),
        max_length=limit(Return, "sign_off_comment"),
        required=False,
    )
    reason = forms.CharField(
        label="Why are you signing off on the approver's behalf?",
        help_text="Required when you sign off a return you are not the approver of.",
        widget=CharacterCountTextarea(attrs={"rows": 3}),
        max_length=limit(Return, "sign_off_reason"),
        required=False,
    )

    def __init__(self, *args: Any, on_behalf: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_behalf = on_behalf
        if not on_behalf:
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = self.data.get("action")
        if action not in ("sign_off", "send_back"):
            raise ValidationError("Choose Sign off or Send back.")
        cleaned["action"] = action
        if action == "send_back" and not cleaned.get("comment", "").strip():
            self.add_error(
                "comment", "Enter a comment for the lead officer to send the return back"
            )
        if action == "sign_off" and self.on_behalf and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why you are signing off on the approver's behalf")
        return cleaned
