"""Every monitoring URL pattern x role (see tests/matrix.py).

alice leads the activity the setups make; bob is another lead officer (404 on alice's
activity); carol (CMT) and dan (analyst) read every activity but only alice may edit it.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from kccperf.models import Role
from kccperf.periods import Quarter
from monitoring.models import Activity, Return
from tests.matrix import LOGIN, UrlCase, everyone, readers
from tests.monitoring.factories import Q2, make_activity, make_return, make_window


def _analysts(status=200, **overrides):
    expect = everyone(403, dan=status, root=status)
    expect.update(overrides)
    return expect


def _alices_activity(cast, *, open_window=False):
    if open_window:
        today = timezone.localdate()
        quarter = Quarter.containing(today).previous()
        make_window(quarter, opens=today - timedelta(days=3), closes=today + timedelta(days=3))
    else:
        quarter = Q2
        make_window(Q2)
    activity = make_activity(lead_officer=cast["alice"])
    return {"activity_pk": activity.pk, "period": quarter}


def _carol_approves(cast):
    """carol (CMT) gets the Approver role; nothing waits for her yet."""
    cast["carol"].groups.add(Group.objects.get(name=Role.APPROVER.value))
    return {}


def _awaiting_carol(cast):
    """alice's return waits for sign-off by carol (CMT, and Approver of this return)."""
    kwargs = _alices_activity(cast)
    _carol_approves(cast)
    activity = Activity.objects.get(pk=kwargs["activity_pk"])
    make_return(activity, sign_off=Return.SignOff.AWAITING, approver=cast["carol"])
    return kwargs


def _window(cast):
    return {"pk": make_window(Q2).pk}


# Object pages: alice owns, bob and erin cannot see (404), carol and dan read, root edits.
OBJECT_READ = everyone(200, alice=200, bob=404, erin=404)

CASES = [
    # /returns/
    UrlCase("monitoring:my-returns", everyone(200)),
    UrlCase("monitoring:my-returns-period", everyone(200), setup=lambda cast: {"period": Q2}),
    UrlCase("monitoring:return-edit", OBJECT_READ, setup=_alices_activity, id="closed-window"),
    UrlCase(
        "monitoring:return-edit",
        OBJECT_READ,
        setup=lambda cast: _alices_activity(cast, open_window=True),
        id="open-window",
    ),
    UrlCase(
        "monitoring:return-edit",
        # An empty post re-renders the form with errors for those who may edit.
        everyone(403, alice=200, bob=404, erin=404, root=200),
        setup=lambda cast: _alices_activity(cast, open_window=True),
        method="post",
        id="post-open-window",
    ),
    UrlCase(
        "monitoring:return-edit",
        everyone(403, bob=404, erin=404),
        setup=_alices_activity,
        method="post",
        id="post-closed-window",
    ),
    UrlCase("monitoring:return-history", OBJECT_READ, setup=_alices_activity),
    UrlCase("monitoring:return-reopen", _analysts(), setup=_alices_activity),
    UrlCase(
        "monitoring:return-reopen",
        _analysts(),  # no reason given: the form again, with the error
        setup=_alices_activity,
        method="post",
        id="post",
    ),
    # Sign-off: the named approver (carol here) and those who sign off on behalf (dan, root);
    # alice (the lead officer) may read the return but not sign it off; bob and erin cannot
    # see it. A post without a decision gets the form again with its error.
    UrlCase(
        "monitoring:return-sign-off",
        everyone(200, alice=403, bob=404, erin=404),
        setup=_awaiting_carol,
    ),
    UrlCase(
        "monitoring:return-sign-off",
        everyone(200, alice=403, bob=404, erin=404),
        setup=_awaiting_carol,
        method="post",
        id="post",
    ),
    UrlCase("monitoring:sign-off-list", _analysts()),
    UrlCase("monitoring:sign-off-list", _analysts(carol=200), setup=_carol_approves, id="approver"),
    # /windows/
    UrlCase("monitoring:window-list", _analysts()),
    UrlCase("monitoring:window-create", _analysts()),
    UrlCase("monitoring:window-edit", _analysts(), setup=_window),
    # /chase/
    UrlCase("monitoring:chase", _analysts()),
    UrlCase("monitoring:chase-period", _analysts(), setup=lambda cast: {"period": Q2}),
    UrlCase(
        "monitoring:chase-outcome",
        _analysts(),
        setup=lambda cast: {"period": Q2, "outcome": make_activity().outcome.number},
    ),
    UrlCase(
        "monitoring:chase-period",
        _analysts(),
        setup=lambda cast: {"period": Q2},
        query="_export=csv",
        id="csv",
    ),
    UrlCase(
        "monitoring:chase-remind",
        _analysts(302),
        setup=lambda cast: _window(cast) and {"period": Q2},
        method="post",
    ),
    UrlCase(
        "monitoring:chase-remind",
        _analysts(405),
        setup=lambda cast: {"period": Q2},
        id="get",
    ),
    # /import/
    UrlCase("monitoring:import-returns", _analysts()),
    UrlCase(
        "monitoring:import-returns-template",
        _analysts(),
        setup=lambda cast: {"fmt": "csv"},
    ),
    UrlCase(
        "monitoring:import-returns-confirm",
        _analysts(404),  # no such batch
        setup=lambda cast: {"batch_id": 999999},
        method="post",
    ),
    # /dashboards/ (CMT and analysts read; analysts edit the analysis)
    UrlCase("monitoring:dashboard-index", readers()),
    UrlCase(
        "monitoring:dashboard-index", readers(), setup=lambda cast: {"period": Q2}, id="period"
    ),
    UrlCase("monitoring:council-dashboard", readers()),
    UrlCase(
        "monitoring:council-dashboard",
        readers(),
        setup=lambda cast: _alices_activity(cast) and {"period": Q2},
        id="period",
    ),
    UrlCase(
        "monitoring:council-dashboard",
        readers(carol=403),  # downloads follow the export rule
        setup=lambda cast: {"period": Q2},
        query="_export=xlsx",
        id="xlsx",
    ),
    UrlCase(
        "monitoring:outcome-dashboard",
        readers(),
        setup=lambda cast: {"outcome": make_activity().outcome.number},
    ),
    UrlCase(
        "monitoring:outcome-dashboard",
        readers(),
        setup=lambda cast: _alices_activity(cast) and {"outcome": 1, "period": Q2},
        id="period",
    ),
    UrlCase(
        "monitoring:outcome-dashboard",
        readers(carol=403),  # downloads follow the export rule
        setup=lambda cast: _alices_activity(cast) and {"outcome": 1, "period": Q2},
        query="_export=csv",
        id="csv",
    ),
    UrlCase(
        "monitoring:outcome-dashboard",
        readers(carol=403),  # downloads follow the export rule
        setup=lambda cast: _alices_activity(cast) and {"outcome": 1, "period": Q2},
        query="_export=figures",
        id="figures",
    ),
    UrlCase(
        "monitoring:outcome-dashboard",
        readers(404),
        setup=lambda cast: {"outcome": 99, "period": Q2},
        id="no-such-outcome",
    ),
    UrlCase(
        "monitoring:analysis-edit",
        _analysts(),
        setup=lambda cast: _alices_activity(cast) and {"outcome": 1, "period": Q2},
    ),
    UrlCase(
        "monitoring:analysis-edit",
        _analysts(),  # empty text: the form again, with the error
        setup=lambda cast: _alices_activity(cast) and {"outcome": 1, "period": Q2},
        method="post",
        id="post",
    ),
    UrlCase("monitoring:council-analysis-edit", _analysts(), setup=lambda cast: {"period": Q2}),
    UrlCase(
        "monitoring:council-analysis-edit",
        _analysts(),
        setup=lambda cast: {"period": Q2},
        method="post",
        id="post",
    ),
    # /scorecards/
    UrlCase(
        "monitoring:scorecard",
        OBJECT_READ,
        setup=lambda cast: {"activity_pk": _alices_activity(cast)["activity_pk"]},
    ),
    UrlCase("monitoring:scorecard", OBJECT_READ, setup=_alices_activity, id="period"),
    UrlCase(
        "monitoring:scorecards-print",
        _analysts(),
        setup=lambda cast: _alices_activity(cast) and {"outcome": 1, "period": Q2},
    ),
    UrlCase(
        "monitoring:scorecards-xlsx",
        _analysts(),
        setup=lambda cast: _alices_activity(cast) and {"outcome": 1, "period": Q2},
    ),
]

__all__ = ["CASES", "LOGIN"]
