"""Form pieces every app shares: the one date input pattern (a dd/mm/yyyy text box).

GOV.UK's pattern is a text box people type into, never a native date picker (which reads
differently in each browser and screen reader). Errors name the field they are about, since a
form can hold several fields labelled "Date".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

EARLIEST = date(2015, 1, 1)
LATEST = date(2035, 12, 31)
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_HINT = "For example, 31/03/2020."


class UkDateInput(forms.DateInput):
    """A plain text box (keyboard and screen-reader friendly) showing dd/mm/yyyy."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "class": "input-date",
                **(attrs or {}),
            },
            format="%d/%m/%Y",
        )


class PlausibleDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, between 2015 and 2035.

    ``error_name`` is how errors name the field ("The go-live milestone date"); it defaults to
    the label, so no message is a bare "Enter a real date" among several date fields.
    """

    widget = UkDateInput

    def __init__(self, *args: Any, error_name: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(*args, **kwargs)
        self.error_name = error_name

    def _name(self) -> str:
        name = self.error_name or str(self.label or "The date")
        return name[:1].upper() + name[1:]

    def clean(self, value: Any) -> date | None:
        self.error_messages["invalid"] = f"{self._name()} must be a real date, like 31/03/2020"
        day = super().clean(value)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError(
                f"{self._name()} must be between {EARLIEST:%Y} and {LATEST:%Y}",
                code="implausible",
            )
        return day
