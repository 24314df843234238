"""Writes to KPI data that touch more than one row, each in one transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, bump, lock_version
from kpis.models import DirectorateCommentary, Kpi, KpiResult, KpiResultRevision


@transaction.atomic
def record_result(
    kpi: Kpi,
    period: ReportingPeriod | Quarter,
    value: Decimal,
    provisional: bool,
    commentary: str,
    data_period: str,
    by,
    *,
    at: datetime | None = None,
    base_version: int | None = None,
) -> tuple[KpiResult, bool]:
    """Create or update the KPI's result for ``period``; returns (result, changed).

    When an existing value or provisional flag changes, the old one is kept as a
    KpiResultRevision so a revised figure keeps its history. Saving identical data
    changes nothing (re-importing a file is a no-op). ``period`` may be a Quarter: its
    ReportingPeriod is created if needed. ``at`` (default now) is when it was entered.
    ``base_version`` is the version the person's form was read at (0: no value yet); a value
    saved since then refuses with :class:`~kccperf.versioning.StaleEditError` and writes
    nothing.
    """
    what = f"value of {kpi.code}"
    with transaction.atomic():
        if isinstance(period, Quarter):
            period = ReportingPeriod.objects.ensure(period)
        value = Decimal(value)
        result = lock_version(
            KpiResult.objects.filter(kpi=kpi, period=period), base_version, what=what
        )
        now = at or timezone.now()
        if result is None:
            try:
                # Two first values at once: the second finds the row on the constraint.
                with transaction.atomic():
                    result = KpiResult.objects.create(
                        kpi=kpi,
                        period=period,
                        value=value,
                        provisional=provisional,
                        commentary=commentary,
                        data_period=data_period,
                        entered_by=by,
                        entered_at=now,
                        version=1,
                    )
            except IntegrityError:
                if base_version is not None:
                    raise StaleEditError(1, what=what) from None
                return record_result(
                    kpi, period, value, provisional, commentary, data_period, by, at=at
                )
            return result, True
        unchanged = (
            result.value == value
            and result.provisional == provisional
            and result.commentary == commentary
            and result.data_period == data_period
        )
        if unchanged:
            return result, False
        if result.value != value or result.provisional != provisional:
            KpiResultRevision.objects.create(
                result=result,
                old_value=result.value,
                new_value=value,
                old_provisional=result.provisional,
                new_provisional=provisional,
                old_commentary=result.commentary,
                revised_by=by,
                revised_at=now,
            )
        result.value = value
        result.provisional = provisional
        result.commentary = commentary
        result.data_period = data_period
        result.entered_by = by
        result.entered_at = now
        bump(result)
        result.save()
        return result, True


@transaction.atomic
def save_commentary(
    directorate, quarter: Quarter, text: str, by, base_version: int | None = None
) -> DirectorateCommentary:
    """Write (or rewrite) a directorate's commentary for ``quarter``, stamped with who and when;
    refuses with :class:`~kccperf.versioning.StaleEditError` when it was saved since the form
    was loaded at ``base_version``."""
    with transaction.atomic():
        period = ReportingPeriod.objects.ensure(quarter)
        commentary = lock_version(
            DirectorateCommentary.objects.filter(directorate=directorate, period=period),
            base_version,
            what="commentary",
        ) or DirectorateCommentary(directorate=directorate, period=period)
        commentary.text = text
        commentary.written_by = by
        commentary.written_at = timezone.now()
        bump(commentary)
        commentary.save()
    return commentary
