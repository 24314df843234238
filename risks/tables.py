from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from risks.register import RegisterRow
from risks.scoring import Band

DIRECTION_WORDS = {"improved": "Improved", "worsened": "Worsened", "same": "No change"}


def level_badge(band: Band | None) -> str:
    if band is None:
        return format_html('<span class="badge rag-none">No level</span>')
    return format_html('<span class="badge rag-{}">{}</span>', band.colour or "none", band.level)


def _level(band: Band | None) -> str:
    return band.level if band else ""


class RiskTable(tables.Table):
    """The register: one :class:`risks.register.RegisterRow` a line."""

    ref = tables.Column(
        "Reference", accessor="risk__ref", linkify=lambda record: record.risk.get_absolute_url()
    )
    title = tables.Column("Risk", accessor="risk__title")
    owner = tables.Column("Risk owner", accessor="risk__owner_name")
    current_score = tables.Column(
        "Current score", accessor="risk__current_score", attrs={"td": {"class": "number"}}
    )
    current_level = tables.Column(
        "Current level", accessor="current", order_by=("risk__current_score",), empty_values=()
    )
    target_score = tables.Column(
        "Target score", accessor="risk__target_score", attrs={"td": {"class": "number"}}
    )
    target_level = tables.Column(
        "Target level", accessor="target", order_by=("risk__target_score",), empty_values=()
    )
    direction = tables.Column("Since previous refresh", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "table register-table"}
        empty_text = "No open risks match these filters."
        orderable = True

    def render_owner(self, record: RegisterRow) -> str:
        risk = record.risk
        if risk.owner_title:
            return format_html(
                '{} <span class="hint owner-title">{}</span>', risk.owner_name, risk.owner_title
            )
        return risk.owner_name

    def value_owner(self, record: RegisterRow) -> str:
        return record.risk.owner

    def render_current_level(self, record: RegisterRow) -> str:
        return level_badge(record.current)

    def render_target_level(self, record: RegisterRow) -> str:
        return level_badge(record.target)

    def render_direction(self, record: RegisterRow) -> str:
        d = record.direction
        if d is None:
            return format_html('<span class="hint">{}</span>', record.direction_note)
        # The portal's one direction marker (word, then an arrow meaning better or worse).
        return format_html(
            '{} <span class="score-change">({} → {})</span>',
            mark_safe(render_to_string("includes/_direction.html", {"direction": d}).strip()),  # noqa: S308 - our template
            record.previous_score,
            record.latest_score,
        )

    def value_direction(self, record: RegisterRow) -> str:
        if record.direction is None:
            return record.direction_note
        words = DIRECTION_WORDS[record.direction]
        return f"{words} ({record.previous_score} to {record.latest_score})"

    def value_current_level(self, record: RegisterRow) -> str:
        return _level(record.current)

    def value_target_level(self, record: RegisterRow) -> str:
        return _level(record.target)
