"""Every URL of the reports app × role (see tests/matrix.py).

Reading reports needs kccperf.view_all (CMT, analysts); drafts, texts, versions and
publishing need reports.publish_report (analysts); supporting tables need kccperf.load_data
(analysts); the workbook needs kccperf.export_data (analysts)."""

from __future__ import annotations

from kccperf.models import ReportingPeriod
from tests.matrix import LOGIN, UrlCase, everyone, readers
from tests.reports.factories import Q2, make_published, make_report, make_table


def analysts(status: int = 200, **overrides) -> dict:
    return everyone(403, dan=status, root=status, **overrides)


def _period(cast) -> dict:
    ReportingPeriod.objects.ensure(Q2)
    return {"period": Q2}


def _published_qpr(cast) -> dict:
    make_published()
    return {"period": Q2}


def _qpr(cast) -> dict:
    make_report()
    return {"period": Q2}


def _published_sdp(cast) -> dict:
    make_published("sdp-council")
    return {"period": Q2}


def _published_outcome(cast) -> dict:
    make_published("sdp-outcome", outcome=1)
    return {"period": Q2, "number": 1}


def _outcome(cast) -> dict:
    make_report("sdp-outcome", outcome=1)
    return {"period": Q2, "number": 1}


def _sdp(cast) -> dict:
    make_report("sdp-council")
    return {"period": Q2}


CASES = [
    UrlCase("reports:index", readers(200)),
    UrlCase("reports:index-period", readers(200), setup=_period),
    # A published report is read by CMT and analysts.
    UrlCase("reports:qpr", readers(200), setup=_published_qpr),
    # The Word file follows the export rule: CMT read the report but download nothing.
    UrlCase(
        "reports:qpr",
        readers(200, carol=403),
        setup=_published_qpr,
        query="version=1&_export=docx",
        id="docx",
    ),
    # So does the PDF (printed by Chromium).
    UrlCase(
        "reports:qpr",
        readers(200, carol=403),
        setup=_published_qpr,
        query="version=1&_export=pdf",
        id="pdf",
    ),
    # Not published yet: analysts see the draft; CMT get 404.
    UrlCase("reports:qpr", readers(200, carol=404), setup=_period, id="unpublished"),
    UrlCase("reports:qpr-publish", everyone(405, anonymous=LOGIN), setup=_period),
    UrlCase("reports:qpr-publish", analysts(302), setup=_period, method="post", id="post"),
    UrlCase("reports:qpr-texts", analysts(200), setup=_qpr),
    UrlCase("reports:qpr-versions", analysts(200), setup=_published_qpr),
    UrlCase("reports:sdp-council", readers(200), setup=_published_sdp),
    UrlCase(
        "reports:sdp-council",
        readers(200, carol=403),
        setup=_published_sdp,
        query="version=1&_export=docx",
        id="docx",
    ),
    UrlCase("reports:sdp-council", readers(200, carol=404), setup=_period, id="unpublished"),
    UrlCase("reports:sdp-council-publish", analysts(302), setup=_period, method="post"),
    UrlCase("reports:sdp-council-texts", analysts(200), setup=_sdp),
    UrlCase("reports:sdp-council-versions", analysts(200), setup=_published_sdp),
    UrlCase("reports:sdp-outcome", readers(200), setup=_published_outcome),
    UrlCase(
        "reports:sdp-outcome",
        readers(200, carol=403),
        setup=_published_outcome,
        query="version=1&_export=docx",
        id="docx",
    ),
    UrlCase(
        "reports:sdp-outcome",
        readers(200, carol=404),
        setup=lambda cast: {**_outcome(cast)},
        id="unpublished",
    ),
    UrlCase("reports:sdp-outcome-publish", analysts(302), setup=_outcome, method="post"),
    UrlCase("reports:sdp-outcome-texts", analysts(200), setup=_outcome),
    UrlCase("reports:sdp-outcome-versions", analysts(200), setup=_published_outcome),
    UrlCase("reports:workbook", analysts(200), setup=_period),
    UrlCase("reports:tables", analysts(200)),
    UrlCase("reports:tables-period", analysts(200), setup=_period),
    UrlCase("reports:table-edit", analysts(200), setup=lambda cast: {"pk": make_table().pk}),
    UrlCase("reports:import-tables", analysts(200)),
    UrlCase("reports:import-tables-template", analysts(200), setup=lambda cast: {"fmt": "csv"}),
    UrlCase(
        "reports:import-tables-confirm",
        everyone(405, anonymous=LOGIN),
        setup=lambda cast: {"batch_id": 999999},
    ),
    UrlCase(
        "reports:import-tables-confirm",
        analysts(404),
        setup=lambda cast: {"batch_id": 999999},
        method="post",
        id="post",
    ),
]
