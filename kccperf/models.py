"""The organisation the three apps share: people, directorates, cabinet portfolios,
strategic outcomes and the quarters the council reports on."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kccperf import lookups
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
    APPROVER = "Approver"


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
    director = models.ForeignKey(
        "kccperf.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directorates_led",
        help_text="Signs off the returns of the directorate's activities that need sign-off "
        "and name no approver of their own (needs the Approver role).",
    )

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


class OutcomeQuerySet(models.QuerySet["Outcome"]):
    def numbered_or_404(self, number: int) -> Outcome:
        """The outcome a URL names by its number (kept under the data's version inside a
        GET: :mod:`kccperf.lookups`), else 404."""
        outcomes = lookups.instances("outcomes", "kccperf", None, lambda: list(self.all()))
        for outcome in outcomes:
            if outcome.number == number:
                return outcome
        raise Http404(f"No outcome {number}.")


class Outcome(models.Model):
    """A strategic outcome of the council's Strategic Statement."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=250)
    sign_off_required = models.BooleanField(
        "returns need sign-off",
        default=False,
        help_text="Submitted returns of its activities wait for sign-off before they count "
        "(an activity can say otherwise).",
    )
    approver = models.ForeignKey(
        "kccperf.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes_approved",
        help_text="Signs off its activities' returns (blank: each directorate's director).",
    )

    objects = OutcomeQuerySet.as_manager()

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
            self._role_names = lookups.versioned(
                "roles",
                "kccperf",
                self.pk,
                lambda: frozenset(self.groups.values_list("name", flat=True)),
            )
        return self._role_names

    @property
    def role_label(self) -> str:
        names = [role.label for role in Role if role.value in self.roles()]
        if self.is_superuser:
            names.append("Administrator")
        return ", ".join(names) or "No role"


class Stage(models.TextChoices):
    """Where a quarter is in its life (see :attr:`ReportingPeriod.stage`)."""

    COLLECTING = "collecting", "Collecting"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"


class ReportingPeriodQuerySet(models.QuerySet["ReportingPeriod"]):
    def ensure(self, quarter: Quarter) -> ReportingPeriod:
        period, _ = self.get_or_create(
            start=quarter.start, defaults={"end": quarter.end, "label": quarter.label}
        )
        return period

    def for_quarter(self, quarter: Quarter) -> ReportingPeriod:
        return self.get(start=quarter.start)

    def stage_of(self, quarter: Quarter) -> Stage | None:
        """The quarter's stage, ``None`` when it is not on record (one query; pages use
        :func:`kccperf.page_period.quarter_stage`, which costs none)."""
        period = self.filter(start=quarter.start).first()
        return period.stage if period else None

    def live_quarter(self, today: date | None = None) -> Quarter:
        """The quarter being reported now: the latest opened for returns and not closed;
        else the one after the latest closed; else the calendar's."""
        live = self.filter(opened_at__isnull=False, closed_at__isnull=True).order_by("-start")
        period = live.first()
        if period is not None:
            return period.quarter
        closed = self.filter(closed_at__isnull=False).order_by("-start").first()
        if closed is not None:
            return closed.quarter.next()
        return Quarter.containing(today or timezone.localdate())


class ReportingPeriod(models.Model):
    """A quarter the council reports on. Returns, KPI results and refreshes point here.

    A row exists once the quarter has data or a submission window; the period switcher
    lists these rows. Its life, recorded by the acts that move it on (never by data
    arriving): *opened* when analysts open its submission window, *closed* when analysts
    close it, *published* when its first report is published (which closes it too).
    :mod:`kccperf.page_period` chooses each person's default quarter from these stages.
    """

    start = models.DateField(unique=True)
    end = models.DateField()
    label = models.CharField(max_length=20, unique=True)
    opened_at = models.DateTimeField(
        null=True, blank=True, help_text="When analysts opened the quarter for returns."
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When analysts closed the quarter: no more data."
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the quarter's first report was published."
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="period_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(closed_at__isnull=False),
                name="period_published_is_closed",
            ),
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

    @property
    def stage(self) -> Stage:
        """Published (its reports are out), closed (no more data), else collecting: its
        window is open or data is still arriving."""
        if self.published_at is not None:
            return Stage.PUBLISHED
        if self.closed_at is not None:
            return Stage.CLOSED
        return Stage.COLLECTING

    @property
    def is_collecting(self) -> bool:
        return self.stage == Stage.COLLECTING

    @property
    def is_open_for_returns(self) -> bool:
        """Opened by analysts for returns and not yet closed: the quarter people report."""
        return self.opened_at is not None and self.closed_at is None

    # The acts that move a quarter on. Each sets its timestamp once (a second call keeps
    # the first time) with one UPDATE, so two analysts acting at once agree.

    def open_for_returns(self) -> None:
        """Its submission window was set up: lead officers now report this quarter."""
        self._stamp(opened_at=timezone.now())

    def close(self) -> None:
        """No more data is expected: CMT's pages now open on it."""
        self._stamp(closed_at=timezone.now())

    def reopen(self) -> None:
        """Closed by mistake: collecting again (a published quarter stays published)."""
        if self.published_at is not None:
            raise ValueError(f"{self.label} is published; publish a new version instead")
        ReportingPeriod.objects.filter(pk=self.pk).update(closed_at=None)
        self.closed_at = None

    def mark_published(self) -> None:
        """Its first report was published (which closes it)."""
        now = timezone.now()
        self._stamp(closed_at=now)
        self._stamp(published_at=now)

    def _stamp(self, **field: Any) -> None:
        ((name, value),) = field.items()
        if getattr(self, name) is None:
            ReportingPeriod.objects.filter(pk=self.pk, **{f"{name}__isnull": True}).update(**field)
            setattr(
                self, name, ReportingPeriod.objects.values_list(name, flat=True).get(pk=self.pk)
            )


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


class SignOnIdentity(models.Model):
    """Who a portal user is at the identity provider (single sign-on), by a claim that never
    changes: ``sub``, or Entra ID's ``oid``. E-mail addresses and names change; this does not."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sign_on_identity")
    issuer = models.CharField(max_length=255)
    claim = models.CharField(max_length=30, help_text="The claim the subject comes from.")
    subject = models.CharField(max_length=255)
    first_signed_in = models.DateTimeField(auto_now_add=True)
    last_signed_in = models.DateTimeField()
    groups = models.JSONField(
        default=list, blank=True, help_text="The provider's groups at the last sign-in."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "claim", "subject"], name="unique_sign_on_identity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.claim} {self.subject})"


class DataVersion(models.Model):
    """The one row of data versions (kccperf.figure_cache): each app's counter, bumped by a
    trigger in the transaction of every write to that app's tables; ``epoch`` is new whenever
    the row is made again (an emptied or rebuilt database)."""

    epoch = models.UUIDField()
    kccperf = models.BigIntegerField(default=0)
    monitoring = models.BigIntegerField(default=0)
    kpis = models.BigIntegerField(default=0)
    risks = models.BigIntegerField(default=0)
    reports = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Data versions ({self.epoch})"
