"""Writes to KPI data that touch more than one row, each in one transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, bump, lock_version
from kpis.models import DirectorateCommentary, Kpi, KpiResult, KpiResultRevision, may_verify


class ReasonRequired(ValueError):
    """A verified value was revised without saying why; nothing was saved."""

    def __init__(self, result: KpiResult):
        super().__init__(
            f"{result.kpi.code} {result.period.label} is verified: give a reason for revising it"
        )


@transaction.atomic
def record_result(
    kpi: Kpi,
    period: ReportingPeriod | Quarter,
    value: Decimal,
    commentary: str,
    data_period: str,
    by,
    *,
    reason: str = "",
    mark_provisional: bool = False,
    at: datetime | None = None,
    base_version: int | None = None,
) -> tuple[KpiResult, bool]:
    """Create or update the KPI's result for ``period``; returns (result, changed).

    A new value is provisional until verified (:func:`verify_results`). A changed value keeps
    the old one as a KpiResultRevision and is provisional again; revising a *verified* value
    needs a ``reason`` (else :class:`ReasonRequired`, nothing written), kept on the revision.
    ``mark_provisional`` makes a verified value provisional again without changing it (an
    import's "provisional: yes"). Commentary and the data period change without touching the
    verification. Saving identical data changes nothing (re-importing a file is a no-op).
    ``period`` may be a Quarter: its ReportingPeriod is created if needed. ``at`` (default
    now) is when it was entered. ``base_version`` is the version the person's form was read
    at (0: no value yet); a value saved since then refuses with
    :class:`~kccperf.versioning.StaleEditError` and writes nothing.
    """
    what = f"value of {kpi.code}"
    reason = reason.strip()
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
                    kpi,
                    period,
                    value,
                    commentary,
                    data_period,
                    by,
                    reason=reason,
                    mark_provisional=mark_provisional,
                    at=at,
                )
            return result, True
        result.kpi = kpi
        revised = result.value != value
        unverify = result.verified and (revised or mark_provisional)
        if (
            not revised
            and not unverify
            and result.commentary == commentary
            and result.data_period == data_period
        ):
            return result, False
        if unverify and not reason:
            raise ReasonRequired(result)
        if revised or unverify:
            kind = KpiResultRevision.Kind.REVISED if revised else KpiResultRevision.Kind.UNVERIFIED
            KpiResultRevision.objects.create(
                result=result,
                kind=kind,
                old_value=result.value,
                new_value=value,
                old_provisional=result.provisional,
                new_provisional=True,
                old_commentary=result.commentary,
                reason=reason,
                revised_by=by,
                revised_at=now,
            )
            result.mark_provisional()
        result.value = value
        result.commentary = commentary
        result.data_period = data_period
        result.entered_by = by
        result.entered_at = now
        bump(result)
        result.save()
        return result, True


class NotAllowedToVerify(PermissionError):
    """The person may not verify one of the values (not an analyst nor its data owner)."""


@transaction.atomic
def verify_results(versions: dict[int, int | None], by, *, at: datetime | None = None) -> int:
    """Mark the KPI results ``versions`` names (result id -> the version the person saw, or
    None from a script) verified by ``by``, all or none; returns how many were verified.

    Every row is locked and checked first: one saved since it was shown refuses the lot with
    :class:`~kccperf.versioning.StaleEditError`, one ``by`` may not verify
    (:func:`kpis.models.may_verify`) with :class:`NotAllowedToVerify`, and nothing is written
    (``by`` None: a loader or script, with no person to check).
    A value already verified is left as it is. Each verification is kept in the value's
    revision history and moves its version on, so a form opened before it is stale.
    """
    now = at or timezone.now()
    locked = list(
        KpiResult.objects.select_for_update(of=("self",))
        .filter(pk__in=versions)
        .select_related("kpi", "period")
        .order_by("pk")
    )
    if len(locked) != len(versions):  # one was deleted since it was shown
        raise StaleEditError(0, what="list of values")
    for result in locked:
        base = versions[result.pk]
        if base is not None and result.version != base:
            raise StaleEditError(
                result.version, what=f"value of {result.kpi.code} {result.period.label}"
            )
        if by is not None and not may_verify(by, result.kpi):
            raise NotAllowedToVerify(f"You may not verify {result.kpi.code}")
    todo = [result for result in locked if result.provisional]
    for result in todo:
        result.mark_verified(by, now)
        bump(result)
    KpiResult.objects.bulk_update(todo, ["provisional", "verified_by", "verified_at", "version"])
    KpiResultRevision.objects.bulk_create(
        KpiResultRevision(
            result=result,
            kind=KpiResultRevision.Kind.VERIFIED,
            old_value=result.value,
            new_value=result.value,
            old_provisional=True,
            new_provisional=False,
            old_commentary=result.commentary,
            revised_by=by,
            revised_at=now,
        )
        for result in todo
    )
    return len(todo)


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
