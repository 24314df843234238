"""The workbook's SDP returns sheet from plain rows (monitoring.reporting.returns_sheet) shows
every answer as the model does (``_answer``: choices as labels, lists joined, people named)."""

from __future__ import annotations

from datetime import date

import pytest

from monitoring.models import Board, Return, RiskRegister
from monitoring.reporting import _answer, returns_sheet
from tests.factories import make_user
from tests.monitoring.factories import Q2, make_activity, make_outcome, make_return

pytestmark = pytest.mark.django_db


def test_every_answer_reads_as_the_model_shows_it():
    outcome = make_outcome(1)
    approver = make_user("ann.approver", first_name="Ann", last_name="Approver")
    make_return(
        make_activity(outcome=outcome, title="Libraries <reopened> & more"),
        delivery=Return.Delivery.REMEDIAL,
        risk_registers=[RiskRegister.CORPORATE, RiskRegister.NONE],
        boards_reported=[Board.CMM, "retired-board"],
        new_end_date=date(2020, 6, 30),
        sign_off=Return.SignOff.SIGNED_OFF,
        approver=approver,
        signed_off_by=approver,
        issues=["capacity"],
        milestones={"go_live": date(2020, 1, 31)},
        expected=[Board.CABINET_COMMITTEE],
    )
    make_return(
        make_activity(outcome=outcome, lead_officer=make_user("no.names")),
        delivery=Return.Delivery.ON_TRACK,
        updated_by=None,
    )
    sheet = returns_sheet(Q2)
    fields = [f for f in Return._meta.concrete_fields if f.name not in ("id", "activity", "period")]
    returns = Return.objects.order_by("activity__outcome__number", "activity__number")
    assert len(sheet.rows) == 2
    for row, ret in zip(sheet.rows, returns, strict=True):
        activity = ret.activity
        assert row[:6] == [
            1,
            f"1.{activity.number}",
            activity.title,
            activity.directorate.name,
            str(activity.lead_officer),
            Q2.label,
        ]
        assert row[6 : 6 + len(fields)] == [_answer(ret, f) for f in fields]
    first = dict(zip(sheet.headers, sheet.rows[0], strict=True))
    assert first["Approver"] == str(approver)
    assert "Corporate risk register" in first["Risk registers"]
