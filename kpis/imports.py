"""CSV/XLSX imports of KPI data, for analysts (see README, "KPI data import format").

Three formats, each an :class:`kccperf.imports.Importer`: KPI results, targets and floor
standards, and activity indicator values with their expected range and benchmark. Every
row is checked before anything is written and nothing is written unless every row is
valid. Planning runs a fixed number of queries whatever the number of rows: the KPIs or
indicators named in the file are fetched once in ``prepare`` and the stored values of the
file's keys once in ``existing``.

Rules shared by the three formats:

- An unknown KPI code or indicator is an error: imports never create KPIs or indicators.
- A quarter (or month) must parse and must have started; a quarter with no
  ``ReportingPeriod`` yet is put on record when a result for it is imported (results are
  what define the quarters on record), never during the preview.
- An optional column left out of the file keeps what is stored; an optional column that
  is in the file but empty in a row clears the stored value (``provisional`` excepted:
  only "yes" means something, see KpiResultsImporter).
- Numbers are rounded to 4 decimal places (what is stored), so a re-import of the same
  file always compares equal and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models.functions import Upper
from django.utils import timezone

from kccperf.imports import Column, Importer, ImportIssue, ImportPlan, ParsedRow, RowReader
from kccperf.models import ReportingPeriod
from kccperf.periods import FinancialYear, Quarter
from kccperf.text_limits import limit
from kccperf.versioning import bump
from kpis.models import (
    ActivityIndicator,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiResultRevision,
    KpiTarget,
)

MAX_PLACES = 4
TOO_LARGE = Decimal(10) ** 14  # VALUE fields: 18 digits, 4 of them after the point


def number(row: RowReader, column: str, *, required: bool = True) -> Decimal | None:
    """A number as the database stores it: rounded to 4 decimal places, so a value a
    spreadsheet computed (91.66666666666667) imports, and importing it again compares equal."""
    value = row.decimal(column, required=required)
    if value is None:
        return None
    if abs(value) >= TOO_LARGE:
        row.add(column, f"is too large ({row.cells.get(column)!r})")
        return None
    stored = value.quantize(Decimal(1).scaleb(-MAX_PLACES), ROUND_HALF_UP)
    return stored if stored != value else value


def kpi_active(kpi: Kpi, quarter: Quarter) -> bool:
    """Whether the KPI is reported in the quarter (its active period; see Kpi.active_in)."""
    return not (
        (kpi.active_from and quarter.end < kpi.active_from)
        or (kpi.active_to and quarter.start > kpi.active_to)
    )


def started(row: RowReader, column: str, first_day: date, label: str) -> bool:
    if first_day > timezone.localdate():
        row.add(column, f"{label} has not started yet")
        return False
    return True


def ensure_periods(quarters: Iterable[Quarter]) -> dict[Quarter, ReportingPeriod]:
    """The ReportingPeriod of each quarter, creating the missing ones (two or three queries,
    whatever the number of quarters)."""
    quarters = set(quarters)
    starts = [q.start for q in quarters]
    found = {p.start: p for p in ReportingPeriod.objects.filter(start__in=starts)}
    missing = [q for q in quarters if q.start not in found]
    if missing:
        ReportingPeriod.objects.bulk_create(
            [ReportingPeriod(start=q.start, end=q.end, label=q.label) for q in missing],
            ignore_conflicts=True,
        )
        found = {p.start: p for p in ReportingPeriod.objects.filter(start__in=starts)}
    return {q: found[q.start] for q in quarters}


def _plain(record: dict) -> dict:
    """Stored values as the preview shows them: 97.0000 -> 97, True -> yes."""
    shown = {}
    for name, value in record.items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, Decimal):
            integral = value == value.to_integral_value()
            value = value.quantize(Decimal(1)) if integral else value.normalize()
        shown[name] = value
    return shown


def _codes(rows, column: str) -> set[str]:
    return {cells.get(column, "").strip().upper() for _, cells in rows} - {""}


def _present(row: RowReader, column: str) -> bool:
    """Whether the file has this (optional) column at all."""
    return column in row.cells


# KPI results ----------------------------------------------------------------------------


class _ByKpiCode:
    """Rows name their KPI in ``kpi_code`` (any case); an unknown code is the row's error."""

    kpis: dict[str, Kpi]
    by_code: dict[str, Kpi]

    def _load_kpis(self, rows) -> None:
        codes = _codes(rows, "kpi_code")
        self.kpis = {
            kpi.code.upper(): kpi
            for kpi in Kpi.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=codes)
        }
        self.by_code = {kpi.code: kpi for kpi in self.kpis.values()}

    def _kpi(self, row) -> Kpi | None:
        raw_code = row.text("kpi_code")
        kpi = self.kpis.get(raw_code.upper())
        if raw_code and kpi is None:
            row.add("kpi_code", f"unknown KPI code ({raw_code!r}); an import never creates KPIs")
        return kpi


class KpiResultsImporter(_ByKpiCode, Importer):
    kind = "kpi-results"
    title = "KPI results"
    parent = ("Load KPI data", "kpis:load-data")
    description = (
        "One row per KPI per quarter. A value that differs from the one stored is a "
        "revision: the old value is kept in the KPI's history. Imported values are "
        "provisional until verified; a changed value that was verified becomes provisional "
        "again, with the import as the reason."
    )
    columns = [
        Column("kpi_code", help="The KPI's code. It must already exist.", example="CYPE05"),
        Column(
            "quarter",
            help="The financial-year quarter the result is for: Q2 2019/20 (or 2019-20-q2).",
            example="Q2 2019/20",
        ),
        Column(
            "value",
            help="The result as a number (stored to 4 decimal places); a % sign and "
            "thousands separators are ignored.",
            example="91.5",
        ),
        Column(
            "provisional",
            required=False,
            help="yes makes a verified value provisional again (the import is the reason); "
            "no or empty changes nothing. An import never verifies: values are verified on "
            "the Verify values page.",
            example="yes",
        ),
        Column("commentary", required=False, help="What the figure shows.", example=""),
        Column(
            "data_period",
            required=False,
            help="The period the data covers when it lags behind the quarter.",
            example="12 months to Jun 2019",
        ),
    ]

    def plan(self, content: bytes, filename: str) -> ImportPlan:
        self.filename = filename  # named in the reason of the revisions it makes
        return super().plan(content, filename)

    def prepare(self, rows):
        self._load_kpis(rows)
        self.on_record = set(ReportingPeriod.objects.values_list("start", flat=True))

    def parse_row(self, row):
        kpi = self._kpi(row)
        quarter = row.quarter("quarter")
        if quarter and started(row, "quarter", quarter.start, quarter.label) and kpi:
            if not kpi_active(kpi, quarter):
                row.add("quarter", f"{kpi.code} is not active in {quarter.label}")
        values = {"value": number(row, "value")}
        if _present(row, "provisional") and row.boolean("provisional"):
            # As a word, so the preview reads "no -> yes" (see _plain). "no" is not a value:
            # an import cannot verify, so it leaves the verification as it is.
            values["provisional"] = "yes"
        if _present(row, "commentary"):
            values["commentary"] = row.text(
                "commentary", required=False, max_length=limit(KpiResult, "commentary")
            )
        if _present(row, "data_period"):
            values["data_period"] = row.text("data_period", required=False, max_length=100)
        if row.has_errors:
            return None
        label = f"{kpi.code} {quarter}"
        if quarter.start not in self.on_record:
            # The preview says so: a typo in the quarter would otherwise add a period.
            label += " – a new quarter on record"
        return ParsedRow(row.number, key=(kpi.code, quarter), values=values, label=label)

    def existing(self, parsed):
        kpi_ids = {self.by_code[row.key[0]].pk for row in parsed}
        starts = {row.key[1].start for row in parsed}
        stored = KpiResult.objects.filter(kpi_id__in=kpi_ids, period__start__in=starts).values(
            "kpi__code", "period__start", "value", "provisional", "commentary", "data_period"
        )
        return {
            (r.pop("kpi__code"), Quarter.containing(r.pop("period__start"))): _plain(r)
            for r in stored
        }

    def apply(self, plan: ImportPlan, user) -> None:
        """Create and revise results as ``kpis.services.record_result`` does, in bulk: a
        new value is provisional; a changed value keeps the old one as a KpiResultRevision
        and is provisional again, and so is a verified value the file marks "provisional:
        yes", with the import as the reason (an import never verifies). The rows are locked
        and compared again so the history is right under concurrent edits.
        """
        rows = [*plan.new, *(change.row for change in plan.changed)]
        periods = ensure_periods(row.key[1] for row in rows)
        kpi_ids = {self.by_code[row.key[0]].pk for row in rows}
        locked = {
            (r.kpi_id, r.period_id): r
            for r in KpiResult.objects.select_for_update().filter(
                kpi_id__in=kpi_ids, period__in=periods.values()
            )
        }
        now = timezone.now()
        reason = f"Imported from {getattr(self, 'filename', 'a file')}"
        creates, updates, revisions = [], [], []
        for row in rows:
            kpi, period = self.by_code[row.key[0]], periods[row.key[1]]
            result = locked.get((kpi.pk, period.pk))
            if result is None:
                creates.append(
                    KpiResult(
                        kpi=kpi,
                        period=period,
                        value=row.values["value"],
                        commentary=row.values.get("commentary", ""),
                        data_period=row.values.get("data_period", ""),
                        entered_by=user,
                        entered_at=now,
                        version=1,
                    )
                )
                continue
            after = {
                "value": row.values["value"],
                "commentary": row.values.get("commentary", result.commentary),
                "data_period": row.values.get("data_period", result.data_period),
            }
            revised = result.value != after["value"]
            unverify = result.verified and (revised or "provisional" in row.values)
            if not unverify and all(getattr(result, k) == v for k, v in after.items()):
                continue
            if revised or unverify:
                revisions.append(
                    KpiResultRevision(
                        result=result,
                        kind=(
                            KpiResultRevision.Kind.REVISED
                            if revised
                            else KpiResultRevision.Kind.UNVERIFIED
                        ),
                        old_value=result.value,
                        new_value=after["value"],
                        old_provisional=result.provisional,
                        new_provisional=True,
                        old_commentary=result.commentary,
                        reason=reason,
                        revised_by=user,
                        revised_at=now,
                    )
                )
                result.mark_provisional()
            for name, value in after.items():
                setattr(result, name, value)
            result.entered_by, result.entered_at = user, now
            bump(result)  # an edit form opened before the import is now stale
            updates.append(result)
        KpiResult.objects.bulk_create(creates)
        KpiResult.objects.bulk_update(
            updates,
            [
                "value",
                "provisional",
                "verified_by",
                "verified_at",
                "commentary",
                "data_period",
                "entered_by",
                "entered_at",
                "version",
            ],
        )
        KpiResultRevision.objects.bulk_create(revisions)


# Targets and floor standards ------------------------------------------------------------

_FROM_QUARTER = re.compile(r"^\s*Q?\s*([1-4])\s*$", re.IGNORECASE)


class KpiTargetsImporter(_ByKpiCode, Importer):
    kind = "kpi-targets"
    title = "KPI targets and floor standards"
    parent = ("Load KPI data", "kpis:load-data")
    description = (
        "One row per KPI per financial year, plus a row for each revision during the year "
        "with the quarter it takes effect from and the reason."
    )
    columns = [
        Column("kpi_code", help="The KPI's code. It must already exist.", example="CYPE05"),
        Column("financial_year", help="The financial year: 2019/20.", example="2019/20"),
        Column(
            "from_quarter",
            required=False,
            help="The quarter of that year the target applies from, 1 to 4 (or Q1 to Q4); "
            "empty means 1, the start of the year.",
            example="1",
        ),
        Column("target", help="The target, a number.", example="90"),
        Column(
            "floor",
            required=False,
            help="The floor standard; empty means none (rated Green or Red only). It must "
            "not be on the better side of the target.",
            example="80",
        ),
        Column(
            "reason",
            required=False,
            help="Why the target was set or revised.",
            example="Set at the start of the year",
        ),
    ]

    def prepare(self, rows):
        self._load_kpis(rows)

    def parse_row(self, row):
        kpi = self._kpi(row)
        year = None
        raw_year = row.text("financial_year")
        if raw_year:
            try:
                year = FinancialYear.parse(raw_year)
            except ValueError:
                row.add("financial_year", f"not a financial year like 2019/20 ({raw_year!r})")
        from_quarter = 1
        raw_quarter = row.cells.get("from_quarter", "").strip()
        if raw_quarter:
            match = _FROM_QUARTER.match(raw_quarter)
            if match:
                from_quarter = int(match[1])
            else:
                row.add("from_quarter", f"must be 1, 2, 3 or 4 ({raw_quarter!r})")
        target = number(row, "target")
        values = {"target": target}
        if _present(row, "floor"):
            floor = values["floor"] = number(row, "floor", required=False)
            if kpi and target is not None and floor is not None:
                if kpi.higher_is_better and floor > target:
                    row.add(
                        "floor",
                        f"is above the target ({floor} > {target}); for {kpi.code} higher is "
                        "better, so the floor standard must not be above the target",
                    )
                elif not kpi.higher_is_better and floor < target:
                    row.add(
                        "floor",
                        f"is below the target ({floor} < {target}); for {kpi.code} lower is "
                        "better, so the floor standard must not be below the target",
                    )
        if _present(row, "reason"):
            values["reason"] = row.text(
                "reason", required=False, max_length=limit(KpiTarget, "reason")
            )
        if row.has_errors:
            return None
        return ParsedRow(
            row.number,
            key=(kpi.code, year.start_year, from_quarter),
            values=values,
            label=f"{kpi.code} {year.label} from Q{from_quarter}",
        )

    def existing(self, parsed):
        kpi_ids = {self.by_code[row.key[0]].pk for row in parsed}
        years = {row.key[1] for row in parsed}
        stored = KpiTarget.objects.filter(kpi_id__in=kpi_ids, financial_year__in=years).values(
            "kpi__code", "financial_year", "from_quarter", "target", "floor", "reason"
        )
        return {
            (r.pop("kpi__code"), r.pop("financial_year"), r.pop("from_quarter")): _plain(r)
            for r in stored
        }

    def apply(self, plan: ImportPlan, user) -> None:
        KpiTarget.objects.bulk_create(
            [
                KpiTarget(
                    kpi=self.by_code[row.key[0]],
                    financial_year=row.key[1],
                    from_quarter=row.key[2],
                    target=row.values["target"],
                    floor=row.values.get("floor"),
                    reason=row.values.get("reason", ""),
                )
                for row in plan.new
            ]
        )
        if not plan.changed:
            return
        kpi_ids = {self.by_code[change.row.key[0]].pk for change in plan.changed}
        stored = {
            (t.kpi_id, t.financial_year, t.from_quarter): t
            for t in KpiTarget.objects.select_for_update().filter(
                kpi_id__in=kpi_ids,
                financial_year__in={change.row.key[1] for change in plan.changed},
            )
        }
        updates = []
        for change in plan.changed:
            code, year, from_quarter = change.row.key
            target = stored[(self.by_code[code].pk, year, from_quarter)]
            for name, value in change.row.values.items():
                setattr(target, name, value)
            updates.append(target)
        KpiTarget.objects.bulk_update(updates, ["target", "floor", "reason"])


# Activity indicators --------------------------------------------------------------------

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")
NUMBERS = ("value", "upper", "lower", "benchmark")


def parse_month(raw: str) -> date | None:
    """The first day of a month given as 2019-09 (or 2019-09-01, as Excel writes a date
    cell, or Sep 2019 / September 2019)."""
    match = _MONTH.match(raw)
    if match:
        year, month, day = int(match[1]), int(match[2]), match[3]
        if not 1 <= month <= 12 or (day is not None and int(day) != 1):
            return None
        return date(year, month, 1)
    for fmt in ("%b %Y", "%B %Y"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


class IndicatorValuesImporter(Importer):
    kind = "indicator-values"
    title = "activity indicator values and thresholds"
    parent = ("Load KPI data", "kpis:load-data")
    description = (
        "One row per activity indicator per period: the value, the expected range (upper "
        "and lower thresholds) and the benchmark, any of which may be empty."
    )
    columns = [
        Column(
            "indicator",
            help="The activity indicator's identifier (its slug, shown on its page). It must "
            "already exist.",
            example="cs-complaints-received",
        ),
        Column(
            "period",
            help="A quarter (Q2 2019/20) for a quarterly indicator, a month (2019-09) for a "
            "monthly one.",
            example="Q2 2019/20",
        ),
        Column("value", required=False, help="The value for the period.", example="1650"),
        Column(
            "upper",
            required=False,
            help="Upper threshold of the expected range. Give upper and lower together.",
            example="1700",
        ),
        Column(
            "lower",
            required=False,
            help="Lower threshold of the expected range; not above the upper one.",
            example="1500",
        ),
        Column("benchmark", required=False, help="The national benchmark, if any.", example=""),
    ]

    def prepare(self, rows):
        slugs = {cells.get("indicator", "").strip().lower() for _, cells in rows} - {""}
        self.indicators = {i.slug: i for i in ActivityIndicator.objects.filter(slug__in=slugs)}
        header = set(rows[0][1]) if rows else set()
        self.half_range = ("upper" in header) != ("lower" in header)
        self.has_numbers = any(name in header for name in NUMBERS)
        self.period_labels: dict[tuple[str, date], str] = {}

    def check_rows(self, parsed):
        issues = []
        if self.half_range:
            issues.append(
                ImportIssue(1, None, "give the upper and lower columns together, or neither")
            )
        if not self.has_numbers:
            issues.append(
                ImportIssue(1, None, "the file has none of the value, upper, lower or benchmark")
            )
        return issues

    def parse_row(self, row):
        raw_slug = row.text("indicator")
        indicator = self.indicators.get(raw_slug.lower())
        if raw_slug and indicator is None:
            row.add(
                "indicator",
                f"unknown activity indicator ({raw_slug!r}); an import never creates indicators",
            )
        start, label = self._period(row, indicator)
        values = {}
        for name in NUMBERS:
            if _present(row, name):
                values[name] = number(row, name, required=False)
        lower, upper = values.get("lower"), values.get("upper")
        if lower is not None and upper is not None and lower > upper:
            row.add("lower", f"is above the upper threshold ({lower} > {upper})")
        if values and all(value is None for value in values.values()) and not row.has_errors:
            row.add(None, "has no value, upper, lower or benchmark")
        if row.has_errors:
            return None
        self.period_labels[(indicator.slug, start)] = label
        return ParsedRow(
            row.number,
            key=(indicator.slug, start),
            values=values,
            label=f"{indicator.slug} {label}",
        )

    def _period(self, row: RowReader, indicator) -> tuple[date | None, str]:
        raw = row.text("period")
        if not raw:
            return None, ""
        monthly = indicator is not None and indicator.frequency == ActivityIndicator.Frequency.MONTH
        try:
            quarter = Quarter.parse(raw)
        except ValueError:
            quarter = None
        if quarter is not None:
            if monthly:
                row.add("period", f"{indicator.slug} is monthly: give a month like 2019-09")
                return None, ""
            return (
                (quarter.start, quarter.label)
                if started(row, "period", quarter.start, quarter.label)
                else (None, "")
            )
        month = parse_month(raw)
        if month is None:
            row.add("period", f"not a quarter like Q2 2019/20 or a month like 2019-09 ({raw!r})")
            return None, ""
        if indicator is not None and not monthly:
            row.add("period", f"{indicator.slug} is quarterly: give a quarter like Q2 2019/20")
            return None, ""
        label = f"{month:%b %Y}"
        return (month, label) if started(row, "period", month, label) else (None, "")

    def existing(self, parsed):
        slugs = {row.key[0] for row in parsed}
        starts = {row.key[1] for row in parsed}
        stored = IndicatorValue.objects.filter(
            indicator__slug__in=slugs, period_start__in=starts
        ).values("indicator__slug", "period_start", *NUMBERS)
        return {(r.pop("indicator__slug"), r.pop("period_start")): _plain(r) for r in stored}

    def apply(self, plan: ImportPlan, user) -> None:
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    indicator=self.indicators[row.key[0]],
                    period_start=row.key[1],
                    label=self.period_labels[row.key],
                    **{name: row.values.get(name) for name in NUMBERS},
                )
                for row in plan.new
            ]
        )
        if not plan.changed:
            return
        ids = {self.indicators[change.row.key[0]].pk for change in plan.changed}
        stored = {
            (v.indicator_id, v.period_start): v
            for v in IndicatorValue.objects.select_for_update().filter(
                indicator_id__in=ids,
                period_start__in={change.row.key[1] for change in plan.changed},
            )
        }
        updates = []
        for change in plan.changed:
            slug, start = change.row.key
            value = stored[(self.indicators[slug].pk, start)]
            for name, number_ in change.row.values.items():
                setattr(value, name, number_)
            updates.append(value)
        IndicatorValue.objects.bulk_update(updates, list(NUMBERS))
