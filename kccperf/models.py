"""The organisation the three apps share: people, directorates, cabinet portfolios,
strategic outcomes and the quarters the council reports on."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kccperf.periods import FinancialYear, Quarter


def acting_user_field(**options: Any) -> models.ForeignKey[Any, Any]:
    """Who did something (entered, revised, recorded, submitted...): optional, kept as NULL
    when the account is deleted, and no reverse accessor on User. ``options`` override."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        **{
            "null": True,
            "blank": True,
            "on_delete": models.SET_NULL,
            "related_name": "+",
            **options,
        },
    )


class Role(models.TextChoices):
    """The portal's roles; each is a Django group of the same name (migration 0002)."""

    LEAD_OFFICER = "Lead officer"
    CMT = "CMT", "CMT"
    ANALYST = "Analyst"
    RISK_MANAGER = "Risk manager"


class Directorate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=20, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    corporate_director = models.CharField(max_length=120, blank=True)
    director_title = models.CharField(
        max_length=80,
        default="Corporate Director",
        help_text="How the director is styled in reports, e.g. 'Director' for Public Health.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in reports.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def cabinet_members_on(self, day: date) -> list[CabinetMember]:
        """Cabinet members holding a portfolio for this directorate on ``day``."""
        portfolios = (
            self.portfolios.active_on(day)
            .select_related("cabinet_member")
            .order_by("order", "cabinet_member__name")
        )
        return [portfolio.cabinet_member for portfolio in portfolios]


class CabinetMember(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PortfolioQuerySet(models.QuerySet):
    def active_on(self, day: date) -> PortfolioQuerySet:
        return self.filter(Q(starts__lte=day), Q(ends__isnull=True) | Q(ends__gte=day))


class Portfolio(models.Model):
    """A cabinet member's responsibility for (part of) a directorate, for a time."""

    cabinet_member = models.ForeignKey(
        CabinetMember, on_delete=models.CASCADE, related_name="portfolios"
    )
    directorate = models.ForeignKey(
        Directorate, on_delete=models.CASCADE, related_name="portfolios"
    )
    title = models.CharField(max_length=200)
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = PortfolioQuerySet.as_manager()

    class Meta:
        ordering = ["directorate", "order", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="portfolio_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cabinet_member}: {self.title}"


class Outcome(models.Model):
    """A strategic outcome of the council's Strategic Statement."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=250)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Outcome {self.number}: {self.title}"


class User(AbstractUser):
    """A person using the portal: lead officers, CMT, analysts, risk managers."""

    job_title = models.CharField(max_length=150, blank=True)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        # Reads the prefetched/cached groups once per request (see roles()).
        return role.value in self.roles()

    def roles(self) -> frozenset[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = frozenset(self.groups.values_list("name", flat=True))
        return self._role_names

    @property
    def role_label(self) -> str:
        names = [role.label for role in Role if role.value in self.roles()]
        if self.is_superuser:
            names.append("Administrator")
        return ", ".join(names) or "No role"


class ReportingPeriodQuerySet(models.QuerySet["ReportingPeriod"]):
    def latest_quarter(self, today: date | None = None) -> Quarter | None:
        """The most recent quarter on record that has started (not the calendar's)."""
        today = today or timezone.localdate()
        period = self.filter(start__lte=today).order_by("-start").first()
        return period.quarter if period else None

    def ensure(self, quarter: Quarter) -> ReportingPeriod:
        period, _ = self.get_or_create(
            start=quarter.start, defaults={"end": quarter.end, "label": quarter.label}
        )
        return period

    def for_quarter(self, quarter: Quarter) -> ReportingPeriod:
        return self.get(start=quarter.start)


class ReportingPeriod(models.Model):
    """A quarter the council reports on. Returns, KPI results and refreshes point here.

    A row exists once the quarter has data or a submission window: the period switcher
    lists these rows and the latest one is the portal's default period.
    """

    start = models.DateField(unique=True)
    end = models.DateField()
    label = models.CharField(max_length=20, unique=True)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="period_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        quarter = Quarter.containing(self.start)
        self.start, self.end, self.label = quarter.start, quarter.end, quarter.label
        super().save(*args, **kwargs)

    @property
    def quarter(self) -> Quarter:
        return Quarter.containing(self.start)

    @property
    def financial_year(self) -> FinancialYear:
        return self.quarter.financial_year

    @property
    def slug(self) -> str:
        return self.quarter.slug


class PortalPermissions(models.Model):
    """Holds the portal-wide permissions the roles are built from (no table)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_all", "Can read every directorate's dashboards, scorecards and registers"),
            ("export_data", "Can export tables and workbooks"),
            ("load_data", "Can load data and manage submission windows"),
        ]

    def __str__(self) -> str:
        return "Portal permissions"


class ImportBatch(models.Model):
    """An uploaded CSV/XLSX file, kept with what importing it did (see kccperf.imports)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Checked, waiting for confirmation"
        APPLIED = "applied", "Imported"
        REJECTED = "rejected", "Rejected (errors)"

    kind = models.CharField(max_length=50)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="imports")
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    summary = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename} ({self.get_status_display()})"
