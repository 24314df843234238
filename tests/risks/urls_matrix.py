"""Every URL of the risks app × role (see tests/matrix.py).

Readers of the register: CMT and analysts (kccperf.view_all), risk managers (risks.view_risk)
and admin. Writers: risk managers and admin. Lead officers get 403 everywhere.
"""

from __future__ import annotations

from kccperf.periods import Quarter
from tests.matrix import LOGIN, UrlCase, everyone
from tests.risks.factories import make_action, make_refresh, make_risk

Q2 = Quarter(2019, 2)


def register_readers(status: int = 200, **overrides) -> dict:
    return everyone(403, carol=status, dan=status, erin=status, root=status, **overrides)


def risk_managers(status: int = 200, **overrides) -> dict:
    return everyone(403, erin=status, root=status, **overrides)


def _risk(cast) -> dict:
    return {"ref": make_risk().ref}


def _action(cast) -> dict:
    return {"pk": make_action().pk}


def _refresh(cast) -> dict:
    return {"pk": make_refresh().pk}


CASES = [
    UrlCase("risks:register", register_readers()),
    # Exports: analysts (kccperf.export_data) and risk managers, not CMT.
    UrlCase("risks:register", risk_managers(dan=200), query="_export=csv", id="csv"),
    UrlCase("risks:register", risk_managers(dan=200), query="_export=xlsx", id="xlsx"),
    UrlCase("risks:overview", register_readers()),
    UrlCase("risks:overview-period", register_readers(), setup=lambda cast: {"period": Q2}),
    UrlCase("risks:overview-refresh", register_readers(), setup=_refresh),
    # The overview's PDF: the export rule (analysts and risk managers, not CMT).
    UrlCase(
        "risks:overview-refresh",
        risk_managers(dan=200),
        setup=_refresh,
        query="_export=pdf",
        id="pdf",
    ),
    UrlCase(
        "risks:overview-refresh",
        register_readers(404),
        setup=lambda cast: {"pk": 999999},
        id="unknown",
    ),
    UrlCase("risks:heatmap", register_readers()),
    UrlCase("risks:heatmap-period", register_readers(), setup=lambda cast: {"period": Q2}),
    UrlCase("risks:risk-detail", register_readers(), setup=_risk),
    UrlCase(
        "risks:risk-detail",
        register_readers(404),
        setup=lambda cast: {"ref": "CRR9999"},
        id="unknown",
    ),
    UrlCase("risks:risk-create", risk_managers()),
    UrlCase("risks:risk-create", risk_managers(), method="post", id="post-empty"),
    UrlCase("risks:risk-edit", risk_managers(), setup=_risk),
    UrlCase("risks:risk-edit", risk_managers(), setup=_risk, method="post", id="post-empty"),
    UrlCase("risks:risk-remove", risk_managers(), setup=_risk),
    UrlCase("risks:risk-remove", risk_managers(), setup=_risk, method="post", id="post-empty"),
    UrlCase("risks:refresh-record", risk_managers()),
    UrlCase("risks:action-create", risk_managers(), setup=_risk),
    UrlCase("risks:action-edit", risk_managers(), setup=_action),
    UrlCase("risks:action-update", risk_managers(), setup=_action),
    UrlCase("risks:action-update", risk_managers(), setup=_action, method="post", id="post"),
    # The cross-check is read by everyone who reads the register.
    UrlCase("risks:crosscheck", risk_managers(carol=200, dan=200)),
    UrlCase(
        "risks:crosscheck-period",
        risk_managers(carol=200, dan=200),
        setup=lambda cast: {"period": Q2},
    ),
    UrlCase("risks:import", risk_managers()),
    UrlCase("risks:import-template", risk_managers(), setup=lambda cast: {"fmt": "csv"}, id="csv"),
    UrlCase(
        "risks:import-template", risk_managers(), setup=lambda cast: {"fmt": "xlsx"}, id="xlsx"
    ),
    # Confirm is POST only; an unknown batch is 404 for those allowed to import.
    UrlCase(
        "risks:import-confirm",
        everyone(405, anonymous=LOGIN),
        setup=lambda cast: {"batch_id": 999999},
    ),
    UrlCase(
        "risks:import-confirm",
        risk_managers(404),
        setup=lambda cast: {"batch_id": 999999},
        method="post",
        id="post",
    ),
]
