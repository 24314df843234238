"""Key performance indicators, their targets and floor standards, quarterly results,
activity indicators with expected ranges, and directorate commentary."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kccperf.comparison import LOOKUP, Lookup, stage_of
from kccperf.models import Directorate, ReportingPeriod, Stage, acting_user_field
from kccperf.periods import Quarter
from kccperf.text_limits import NARRATIVE, PARAGRAPHS, REASON
from kccperf.versioning import Versioned
from kpis.scorecards import Scorecard, build_scorecard
from kpis.scoring import Flag, Rag, indicator_flag, rag_rating

VALUE = {"max_digits": 18, "decimal_places": 4}


class Unit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    NUMBER = "number", "Number"
    DAYS = "days", "Days"
    RATE = "rate", "Rate"
    TONNES = "tonnes", "Tonnes"
    MONEY = "money", "Money (£)"


class KpiQuerySet(models.QuerySet):
    def visible_to(self, user) -> KpiQuerySet:
        """KPI scorecards are council-wide: CMT, analysts and administrators read them all."""
        if user.is_authenticated and user.has_perm("kccperf.view_all"):
            return self.all()
        return self.none()

    def active_in(self, quarter: Quarter) -> KpiQuerySet:
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=quarter.end),
            Q(active_to__isnull=True) | Q(active_to__gte=quarter.start),
        )

    def scorecard(
        self, quarter: Quarter, *, trend_quarters: int = 8, stage: Stage | None | Lookup = LOOKUP
    ) -> Scorecard:
        """Rows for every KPI of this queryset active in ``quarter``: current, previous,
        target, floor, RAG, direction and trend. Three queries whatever the number of KPIs
        or quarters on record (see kpis.scorecards.build_scorecard), and one more for the
        quarter's stage unless given (pages pass ``page_period.quarter_stage``)."""
        stage = stage_of(quarter, stage)
        kpis = list(
            self.active_in(quarter)
            .select_related("directorate")
            .order_by("directorate__order", "directorate__name", "code")
        )
        window = quarter.window(max(trend_quarters, 2))
        ids = [kpi.pk for kpi in kpis]
        if not ids:
            return build_scorecard(kpis, quarter, window, [], [], stage)
        results = KpiResult.objects.filter(
            kpi_id__in=ids, period__start__gte=window[0].start, period__start__lte=quarter.start
        ).select_related("period")
        years = {quarter.start_year, quarter.previous().start_year}
        targets = KpiTarget.objects.filter(kpi_id__in=ids, financial_year__in=years)
        return build_scorecard(kpis, quarter, window, results, targets, stage)


class Kpi(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annually"

    code = models.CharField(max_length=20, unique=True, help_text="e.g. CYPE05")
    title = models.CharField(max_length=300)
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="kpis")
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.PERCENTAGE)
    higher_is_better = models.BooleanField(
        default=True, help_text="Polarity: untick when a lower value is better."
    )
    decimal_places = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(4)],
        help_text="The precision values are reported and rated at.",
    )
    rolling_12_months = models.BooleanField(default=False)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    data_source = models.CharField(max_length=200, blank=True)
    owner = models.CharField(max_length=150, blank=True, help_text="Who is responsible.")
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)
    data_period_note = models.CharField(
        max_length=200, blank=True, help_text="When the data lags, e.g. 'a quarter behind'."
    )
    data_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis_owned",
        help_text="Who checks this KPI's figures: may verify its values, like analysts.",
    )

    objects = KpiQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "KPI"
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="kpi_active_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("kpis:kpi-detail", kwargs={"code": self.code})

    @property
    def polarity_label(self) -> str:
        return "Higher is better" if self.higher_is_better else "Lower is better"

    def format_value(self, value: Decimal | None) -> str:
        from kpis.formatting import format_value

        return format_value(value, self.unit, self.decimal_places)


class KpiTarget(models.Model):
    """Target and floor standard for a financial year, from a quarter onwards.

    Targets are set at the start of the financial year (``from_quarter`` 1); a revision
    during the year is another row with the quarter it takes effect from and a reason.
    """

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2019 for 2019/20."
    )
    from_quarter = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    target = models.DecimalField(**VALUE)
    floor = models.DecimalField(
        **VALUE, null=True, blank=True, help_text="Floor standard; empty: rated Green/Red only."
    )
    reason = models.TextField(
        blank=True, max_length=REASON, help_text="Why the target was set or revised."
    )

    class Meta:
        ordering = ["kpi", "financial_year", "from_quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "financial_year", "from_quarter"], name="kpi_target_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(from_quarter__gte=1, from_quarter__lte=4),
                name="kpi_target_from_quarter_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.effective_from.label}: {self.target}"

    @property
    def effective_from(self) -> Quarter:
        return Quarter(self.financial_year, self.from_quarter)


def may_verify(user, kpi: Kpi) -> bool:
    """Who may mark a KPI's value verified (one home for the rule): analysts (the
    ``kpis.verify_kpiresult`` permission) and the KPI's data owner."""
    if not user.is_authenticated:
        return False
    return user.has_perm("kpis.verify_kpiresult") or (
        kpi.data_owner_id is not None and kpi.data_owner_id == user.pk
    )


class KpiResultQuerySet(models.QuerySet):
    def provisional(self) -> KpiResultQuerySet:
        return self.filter(verified_at__isnull=True)

    def verified(self) -> KpiResultQuerySet:
        return self.filter(verified_at__isnull=False)


class KpiResult(Versioned):
    """One value per KPI per quarter. A value is *provisional* until an analyst or the KPI's
    data owner verifies it (``verified_by``/``verified_at``); a revised value is provisional
    again. Every revision and verification is kept (KpiResultRevision).

    ``provisional`` is stored so SQL, the admin and exports can read it, and set in one place
    (:meth:`mark_verified` / :meth:`mark_provisional`, called by ``kpis.services``); a check
    constraint keeps it equal to "no ``verified_at``"."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="results")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="kpi_results"
    )
    value = models.DecimalField(**VALUE)
    provisional = models.BooleanField(default=True, editable=False)
    data_period = models.CharField(
        max_length=100,
        blank=True,
        help_text="The period the data covers when it lags, e.g. '12 months to Jun 2019'.",
    )
    commentary = models.TextField(blank=True, max_length=PARAGRAPHS)
    entered_by = acting_user_field()
    entered_at = models.DateTimeField(default=timezone.now)
    verified_by = acting_user_field()
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = KpiResultQuerySet.as_manager()

    class Meta:
        ordering = ["kpi", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period"], name="kpi_result_once_per_period"),
            models.CheckConstraint(
                condition=Q(provisional=True, verified_at__isnull=True)
                | Q(provisional=False, verified_at__isnull=False),
                name="kpi_result_provisional_until_verified",
            ),
        ]
        permissions = [("verify_kpiresult", "Can verify KPI values")]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.period.label}: {self.value}"

    @property
    def verified(self) -> bool:
        return not self.provisional

    def mark_verified(self, by, at) -> None:
        self.provisional, self.verified_by, self.verified_at = False, by, at

    def mark_provisional(self) -> None:
        self.provisional, self.verified_by, self.verified_at = True, None, None

    def rag(self, target: KpiTarget | None) -> Rag | None:
        """This value's RAG against ``target`` (the one in force for its quarter)."""
        return rag_rating(
            self.value,
            target.target if target else None,
            target.floor if target else None,
            self.kpi.higher_is_better,
            self.kpi.decimal_places,
        )


class KpiResultRevision(models.Model):
    """A change to a result's value or its verification: what it was, what it became, why."""

    class Kind(models.TextChoices):
        REVISED = "revised", "Revised"
        VERIFIED = "verified", "Verified"
        UNVERIFIED = "unverified", "Marked provisional"

    result = models.ForeignKey(KpiResult, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REVISED)
    old_value = models.DecimalField(**VALUE)
    new_value = models.DecimalField(**VALUE)
    old_provisional = models.BooleanField()
    new_provisional = models.BooleanField()
    old_commentary = models.TextField(blank=True, max_length=PARAGRAPHS)
    reason = models.TextField(
        blank=True, max_length=REASON, help_text="Why a verified value was revised."
    )
    revised_by = acting_user_field()
    revised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["result", "revised_at"]

    def __str__(self) -> str:
        return f"{self.result}: {self.old_value} -> {self.new_value}"


class ActivityIndicator(models.Model):
    """A volume or context measure without a target: values per quarter or month against
    an expected range ("based on past trends") and/or a national benchmark."""

    class Frequency(models.TextChoices):
        QUARTER = "quarter", "Quarterly"
        MONTH = "month", "Monthly"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, related_name="activity_indicators"
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.NUMBER)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.QUARTER
    )
    higher_is_better = models.BooleanField(
        null=True, blank=True, help_text="Empty when neither direction is better."
    )
    note = models.TextField(blank=True, max_length=REASON)

    class Meta:
        ordering = ["directorate__order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("kpis:indicator-detail", kwargs={"slug": self.slug})


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        ActivityIndicator, on_delete=models.CASCADE, related_name="values"
    )
    period_start = models.DateField(help_text="First day of the quarter or month.")
    label = models.CharField(max_length=40, help_text="e.g. 'Q2 2019/20' or 'Sep 2019'.")
    value = models.DecimalField(**VALUE, null=True, blank=True)
    upper = models.DecimalField(**VALUE, null=True, blank=True)
    lower = models.DecimalField(**VALUE, null=True, blank=True)
    benchmark = models.DecimalField(**VALUE, null=True, blank=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="indicator_value_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True)
                | Q(lower__isnull=True)
                | Q(upper__gte=models.F("lower")),
                name="indicator_upper_not_below_lower",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.slug} {self.label}: {self.value}"

    @property
    def flag(self) -> Flag | None:
        return indicator_flag(self.value, self.lower, self.upper)

    @property
    def quarter(self) -> Quarter:
        return Quarter.containing(self.period_start)


class DirectorateCommentary(Versioned):
    """The narrative for a directorate's scorecard in a quarter, written by analysts."""

    directorate = models.ForeignKey(
        Directorate, on_delete=models.CASCADE, related_name="kpi_commentaries"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="directorate_commentaries"
    )
    text = models.TextField(max_length=NARRATIVE)
    written_by = acting_user_field()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["directorate", "period__start"]
        verbose_name_plural = "directorate commentaries"
        constraints = [
            models.UniqueConstraint(
                fields=["directorate", "period"], name="commentary_once_per_directorate_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.directorate} {self.period}"
