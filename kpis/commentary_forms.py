"""The analysts' form for a directorate's commentary in a quarter."""

from __future__ import annotations

from django import forms

from kccperf.text_limits import CharacterCountTextarea, limit
from kccperf.versioning import VersionedForm
from kpis.models import DirectorateCommentary


class DirectorateCommentaryForm(VersionedForm):
    versioned_what = "commentary"

    text = forms.CharField(
        label="Commentary",
        help_text="The narrative for this directorate's scorecard in the quarter. "
        "Leave a blank line between paragraphs.",
        widget=CharacterCountTextarea(attrs={"rows": 12}),
        max_length=limit(DirectorateCommentary, "text"),
        error_messages={"required": "Enter the commentary"},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter the commentary")
        return text
