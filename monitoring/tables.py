"""The outcome dashboard's per-activity summary table, shown on the page and exported."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kccperf.periods import Quarter
from monitoring.figures import DELIVERY_SHORT, SummaryRow
from monitoring.models import Board, Delivery


class BoardColumn(tables.Column):
    """Reported/expected for one board: a tick and words on the page, words in exports."""

    def __init__(self, board: str, **kwargs):
        self.board = board
        super().__init__(
            accessor="boards",
            empty_values=(),
            order_by=(f"sort_boards__{board}", "sort_activity"),
            **kwargs,
        )

    def render(self, record: SummaryRow):
        text = record.boards[self.board]
        if not text:
            return mark_safe('<span class="board-none">No</span>')
        return format_html(
            '<span class="board-yes"><span aria-hidden="true">✓ </span>{}</span>', text
        )

    def value(self, record: SummaryRow):
        return record.boards[self.board] or "No"


class SummaryTable(tables.Table):
    activity = tables.Column(
        accessor="activity__title",
        verbose_name="Activity",
        order_by=("sort_activity",),
    )
    delivery = tables.Column(
        accessor="delivery",
        verbose_name="Delivery",
        empty_values=(),
        order_by=("sort_delivery", "sort_activity"),
    )
    milestones = tables.Column(
        accessor="milestones",
        verbose_name="Milestones",
        empty_values=(),
        order_by=("milestones", "sort_activity"),
    )
    cmm = BoardColumn(Board.CMM, verbose_name="CMM")
    corporate_board = BoardColumn(Board.CORPORATE_BOARD, verbose_name="Corporate Board")
    informal = BoardColumn(Board.INFORMAL, verbose_name="Informal Governance")
    cabinet_committee = BoardColumn(Board.CABINET_COMMITTEE, verbose_name="Cabinet Committee")
    sign_off = tables.Column(
        accessor="sign_off",
        verbose_name="Sign-off",
        empty_values=(),
        order_by=("sign_off", "sort_activity"),
    )
    # Only in exports.
    reference = tables.Column(
        accessor="activity__reference", verbose_name="Reference", visible=False
    )
    activity_type = tables.Column(
        accessor="activity__activity_type",
        verbose_name="Activity type",
        visible=False,
        empty_values=(),
    )
    sdp_end = tables.Column(
        accessor="activity__sdp_end", verbose_name="SDP end date", visible=False
    )
    considered = tables.Column(
        accessor="activity__corporate_board",
        verbose_name="Considered by Corporate Board",
        visible=False,
        empty_values=(),
    )

    class Meta:
        # The id: sorting the summary (far down the dashboard) comes back to it.
        attrs = {"class": "table summary-table", "id": "activity-summary"}
        row_attrs = {"data-activity": lambda record: record.activity.reference}
        empty_text = "No activities are due a return this quarter."
        order_by = ("activity",)
        sequence = ("reference", "activity", "...")

    def __init__(self, rows, *, quarter: Quarter, caption: str = "", **kwargs):
        super().__init__(rows, **kwargs)
        self.quarter = quarter
        self.caption = caption

    # On the page ------------------------------------------------------------------------
    def render_activity(self, record: SummaryRow):
        url = reverse(
            "monitoring:scorecard",
            kwargs={"activity_pk": record.activity.pk, "period": self.quarter},
        )
        return format_html('<a href="{}">{} {}</a>', url, record.reference, record.activity.title)

    def render_delivery(self, record: SummaryRow):
        if not record.delivery:
            return mark_safe('<span class="hint">No return</span>')
        return format_html(
            '<span class="badge status-{}">{}</span>',
            record.delivery,
            DELIVERY_SHORT[record.delivery],
        )

    def render_sign_off(self, record: SummaryRow):
        return record.sign_off or mark_safe('<span class="hint">No return</span>')

    def render_milestones(self, record: SummaryRow):
        if not record.milestones:
            return "None identified"
        return format_html('<span aria-hidden="true">✓ </span>{} identified', record.milestones)

    # In exports ---------------------------------------------------------------------------
    def value_activity(self, record: SummaryRow):
        return record.activity.title

    def value_delivery(self, record: SummaryRow):
        return Delivery(record.delivery).label if record.delivery else "No return"

    def value_sign_off(self, record: SummaryRow):
        return record.sign_off or "No return"

    def value_milestones(self, record: SummaryRow):
        return record.milestones

    def value_activity_type(self, record: SummaryRow):
        return record.activity.activity_type or ""

    def value_considered(self, record: SummaryRow):
        return "Yes" if record.activity.corporate_board else "No"
