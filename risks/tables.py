from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from risks.models import Risk

DIRECTION_WORDS = {"improved": "Improved", "worsened": "Worsened", "same": "No change"}
DIRECTION_ARROWS = {"improved": "↓", "worsened": "↑", "same": "→"}


def level_badge(level: str | None, colour: str) -> str:
    if not level:
        return format_html('<span class="badge rag-none">No level</span>')
    return format_html('<span class="badge rag-{}">{}</span>', colour or "none", level)


class RiskTable(tables.Table):
    """The register. Rows are risks carrying ``current_level``/``target_level`` (+ colours)
    and ``direction`` set by the view from the band table and the last two refreshes."""

    ref = tables.Column("Reference", linkify=True)
    title = tables.Column("Risk")
    owner = tables.Column("Risk owner", accessor="owner_name", order_by=("owner_name",))
    current_score = tables.Column("Current score", attrs={"td": {"class": "number"}})
    current_level = tables.Column("Current level", order_by=("current_score",), empty_values=())
    target_score = tables.Column("Target score", attrs={"td": {"class": "number"}})
    target_level = tables.Column("Target level", order_by=("target_score",), empty_values=())
    direction = tables.Column("Since previous refresh", orderable=False, empty_values=())

    class Meta:
        model = Risk
        fields = ()
        sequence = (
            "ref",
            "title",
            "owner",
            "current_score",
            "current_level",
            "target_score",
            "target_level",
            "direction",
        )
        attrs = {"class": "table register-table"}
        empty_text = "No open risks match these filters."
        orderable = True

    def render_owner(self, record):
        if record.owner_title:
            return format_html(
                '{} <span class="hint owner-title">{}</span>', record.owner_name, record.owner_title
            )
        return record.owner_name

    def value_owner(self, record):
        return record.owner

    def render_current_level(self, record):
        return level_badge(record.current_level, record.current_colour)

    def render_target_level(self, record):
        return level_badge(record.target_level, record.target_colour)

    def render_direction(self, record):
        d = record.direction
        if d is None:
            return format_html('<span class="hint">{}</span>', record.direction_note)
        return format_html(
            '<span class="dot dot-{}"><span aria-hidden="true">{}</span> {} ({} → {})</span>',
            d,
            DIRECTION_ARROWS[d],
            DIRECTION_WORDS[d],
            record.previous_score,
            record.latest_score,
        )

    def value_direction(self, record):
        if record.direction is None:
            return record.direction_note
        words = DIRECTION_WORDS[record.direction]
        return f"{words} ({record.previous_score} to {record.latest_score})"

    def value_current_level(self, record):
        return record.current_level or ""

    def value_target_level(self, record):
        return record.target_level or ""
