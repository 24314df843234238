"""Every KPI URL × role. CMT, analysts and administrators read every scorecard
(``kccperf.view_all``); lead officers and risk managers get 403. Exports need
``kccperf.export_data`` (analysts)."""

from __future__ import annotations

from tests.matrix import UrlCase, everyone, readers

Q2 = "2019-20-q2"


def _kpi(cast):
    from tests.kpis.factories import make_kpi, make_result, make_target

    kpi = make_kpi(code="MX01")
    make_target(kpi)
    make_result(kpi, "Q1 2019/20", 85)
    make_result(kpi, "Q2 2019/20", 91)
    return kpi


def _kpi_kwargs(cast, period=False):
    kwargs = {"code": _kpi(cast).code}
    return {**kwargs, "period": Q2} if period else kwargs


def _directorate_kwargs(cast, period=False):
    kwargs = {"slug": _kpi(cast).directorate.slug}
    return {**kwargs, "period": Q2} if period else kwargs


def _indicator_kwargs(cast, period=False):
    from tests.kpis.factories import make_indicator, make_indicator_value

    indicator = make_indicator(slug="mx-indicator")
    make_indicator_value(indicator, "Q1 2019/20", 100)
    make_indicator_value(indicator, "Q2 2019/20", 130)
    kwargs = {"slug": indicator.slug}
    return {**kwargs, "period": Q2} if period else kwargs


def _with_data(cast, period=False):
    _kpi(cast)
    return {"period": Q2} if period else {}


# Loading data (analysts: kccperf.load_data) ---------------------------------------------


def loaders(status: int = 200, **overrides) -> dict:
    """Analysts and administrators load data; everyone else signed in gets 403."""
    return everyone(403, **{"dan": status, "root": status, **overrides})


def _pending_batch(cast, kind: str, content: bytes) -> dict:
    """A checked file of dan's waiting for confirmation (others: 404 once allowed in)."""
    from kccperf.models import ImportBatch

    batch = ImportBatch.objects.create(
        kind=kind, filename="file.csv", content=content, uploaded_by=cast["dan"]
    )
    return {"batch_id": batch.pk}


def _results_batch(cast):
    _kpi(cast)
    return _pending_batch(cast, "kpi-results", b"kpi_code,quarter,value\nMX01,Q3 2019/20,93\n")


def _targets_batch(cast):
    _kpi(cast)
    return _pending_batch(cast, "kpi-targets", b"kpi_code,financial_year,target\nMX01,2020/21,95\n")


def _indicators_batch(cast):
    _indicator_kwargs(cast)
    return _pending_batch(
        cast, "indicator-values", b"indicator,period,value\nmx-indicator,Q3 2019/20,140\n"
    )


LOAD_DATA_CASES = [
    UrlCase("kpis:load-data", loaders()),
    UrlCase(
        "kpis:result-edit",
        loaders(),
        setup=lambda c: {"code": _kpi(c).code, "period": Q2},
    ),
    UrlCase(
        "kpis:result-edit",
        loaders(404),
        setup=lambda c: {"code": "NOPE99", "period": Q2},
        id="unknown",
    ),
]


def _owned_by_alice(cast):
    """A KPI whose data owner is alice (a lead officer): she verifies its values."""
    kpi = _kpi(cast)
    kpi.data_owner = cast["alice"]
    kpi.save()
    return {"period": Q2}


# Verifying values: analysts (kpis.verify_kpiresult) and a KPI's data owner.
LOAD_DATA_CASES += [
    UrlCase("kpis:verify", loaders(), setup=_with_data),
    UrlCase("kpis:verify", loaders(), setup=lambda c: _with_data(c, True), id="period"),
    UrlCase("kpis:verify", loaders(alice=200), setup=_owned_by_alice, id="data-owner"),
    UrlCase(
        "kpis:result-verify",
        # A version that is not the stored one: sent back to the value's page to check it.
        loaders(302),
        setup=lambda c: _kpi_kwargs(c, True),
        method="post",
        data={"version": "0"},
    ),
]
for _name, _batch in (
    ("import-results", _results_batch),
    ("import-targets", _targets_batch),
    ("import-indicators", _indicators_batch),
):
    LOAD_DATA_CASES += [
        UrlCase(f"kpis:{_name}", loaders()),
        UrlCase(f"kpis:{_name}-template", loaders(), setup=lambda c: {"fmt": "csv"}, id="csv"),
        UrlCase(f"kpis:{_name}-template", loaders(), setup=lambda c: {"fmt": "xlsx"}, id="xlsx"),
        # dan confirms his own checked file; the administrator did not upload it: 404.
        UrlCase(
            f"kpis:{_name}-confirm",
            loaders(302, root=404),
            setup=_batch,
            method="post",
        ),
    ]


CASES = [
    UrlCase("kpis:scorecard", readers(), setup=_with_data),
    UrlCase("kpis:scorecard", readers(), setup=lambda c: _with_data(c, True), id="period"),
    UrlCase(
        "kpis:scorecard",
        readers(carol=403),
        setup=lambda c: _with_data(c, True),
        query="_export=csv",
        id="export-csv",
    ),
    UrlCase(
        "kpis:scorecard",
        readers(carol=403),
        setup=lambda c: _with_data(c, True),
        query="_export=xlsx",
        id="export-xlsx",
    ),
    UrlCase("kpis:summary", readers(), setup=_with_data),
    UrlCase("kpis:summary", readers(), setup=lambda c: _with_data(c, True), id="period"),
    UrlCase("kpis:directorate", readers(), setup=_directorate_kwargs),
    UrlCase(
        "kpis:directorate",
        readers(),
        setup=lambda c: _directorate_kwargs(c, True),
        id="period",
    ),
    UrlCase(
        "kpis:directorate",
        readers(404, others=403),
        setup=lambda c: {"slug": "no-such-directorate"},
        id="unknown",
    ),
    # A directorate's own download follows the export rule: CMT read it, download nothing.
    UrlCase(
        "kpis:directorate",
        readers(carol=403),
        setup=lambda c: _directorate_kwargs(c, True),
        query="_export=csv",
        id="export-csv",
    ),
    UrlCase(
        "kpis:directorate",
        readers(carol=403),
        setup=lambda c: _directorate_kwargs(c, True),
        query="_export=xlsx",
        id="export-xlsx",
    ),
    UrlCase("kpis:kpi-detail", readers(), setup=_kpi_kwargs),
    UrlCase("kpis:kpi-detail", readers(), setup=lambda c: _kpi_kwargs(c, True), id="period"),
    UrlCase(
        "kpis:kpi-detail",
        readers(404, others=403),
        setup=lambda c: {"code": "NOPE99"},
        id="unknown",
    ),
    UrlCase("kpis:indicator-detail", readers(), setup=_indicator_kwargs),
    UrlCase(
        "kpis:indicator-detail",
        readers(),
        setup=lambda c: _indicator_kwargs(c, True),
        id="period",
    ),
    # Analysts write directorate commentary; CMT members read it only.
    UrlCase(
        "kpis:commentary-edit",
        loaders(),
        setup=lambda c: _directorate_kwargs(c, True),
    ),
    UrlCase(
        "kpis:commentary-edit",
        loaders(400),  # an empty form is rejected
        setup=lambda c: _directorate_kwargs(c, True),
        method="post",
        id="post",
    ),
    *LOAD_DATA_CASES,
]
