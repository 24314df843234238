"""How long each free text may be: one home for the limits, sized from the seed reports.

The Q2 2019/20 SDP monitoring report (the council-wide one, 19,400 characters in all) has no
section longer than about 2,900 characters, and an activity's return there is a few short
paragraphs; the Quarterly Performance Report's longest directorate narrative is about 8,300
characters. The limits leave room above those and stop a pasted document (issue 14: three
2.3 MB saves grew the database by 19 MB).

The limits sit on the model fields (``max_length`` on a ``TextField``), so model forms and the
admin enforce them; plain forms and the importers read them with :func:`limit`, and every
text box shows a GOV.UK-style character count (:class:`CharacterCountTextarea`). Histories
store the texts of saves that passed these limits, so they are bounded too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

# A return's progress, issues and mitigation; a risk's description; a KPI's commentary.
PARAGRAPHS = 4_000
# A reason or a note: why a score or target changed, why a return was reopened.
REASON = 2_000
# A directorate's commentary; a report's own texts (introduction, summary, an analysis).
NARRATIVE = 10_000
# The analysis of a whole dashboard (the council-wide SDP report is about 19,400 in all).
ANALYSIS = 20_000


def limit(model: type[models.Model], field: str) -> int:
    """The most characters ``model.field`` holds."""
    max_length = getattr(model._meta.get_field(field), "max_length", None)
    if max_length is None:
        raise ValueError(f"{model.__name__}.{field} has no max_length")
    return max_length


class CharacterCountTextarea(forms.Textarea):
    """A textarea that tells people how many characters they have left (GOV.UK's character
    count, ``static/js/character-count.js``). The field's ``max_length`` becomes
    ``data-maxlength`` instead of ``maxlength``, so pasted text over the limit can still be
    seen and cut down rather than silently truncated; the form refuses it with a message."""

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        max_length = widget_attrs.pop("maxlength", None)
        if max_length:
            widget_attrs["data-maxlength"] = max_length
            widget_attrs["data-module"] = "character-count"
        return context


def text_field(max_length: int, *, rows: int = 5, **kwargs: Any) -> forms.CharField:
    """A plain form's free-text field limited to ``max_length``, with the character count."""
    attrs = {"rows": rows, **kwargs.pop("attrs", {})}
    return forms.CharField(
        max_length=max_length, widget=CharacterCountTextarea(attrs=attrs), **kwargs
    )
