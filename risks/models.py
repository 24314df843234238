"""The corporate risk register: risks scored 5×5, the band table and scale labels as data,
periodic refreshes that snapshot every open risk, mitigating actions and each risk's history."""

from __future__ import annotations

import operator
import re
from datetime import date
from functools import reduce

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse

from kccperf.models import acting_user_field
from kccperf.text_limits import PARAGRAPHS, REASON
from kccperf.versioning import Versioned
from risks.scoring import SCORE_FIELDS, Band, Position

SCALE = [MinValueValidator(1), MaxValueValidator(5)]
REF_PREFIX = "CRR"
REF_PATTERN = re.compile(r"^CRR(\d{4,})$")

# The field lists of a risk, one home each (forms, history, imports and admin use them). The
# scores (risks.scoring.SCORE_FIELDS) change only through a refresh and the links are sets, so
# each is listed apart from the details a person edits on the risk form.
DETAIL_FIELDS = (
    "title",
    "description",
    "owner_name",
    "owner_title",
    "owner_user",
    "cabinet_member",
    "category",
    "date_raised",
)
LINK_FIELDS = ("directorates", "activities", "kpis")
ACTION_FIELDS = ("description", "owner", "due_date", "regular_review", "status")


def _scale_field(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, validators=SCALE)


def _scores_on_the_scale(name: str) -> models.CheckConstraint:
    """The database's copy of the 1–5 scale for a model holding the four scores."""
    in_scale = (Q(**{f"{field}__range": (1, 5)}) for field in SCORE_FIELDS)
    return models.CheckConstraint(condition=reduce(operator.and_, in_scale), name=name)


class ScoredPosition(models.Model):
    """A position's four scores (1–5 each) and the two products, stored so SQL can filter and
    sort by score; the products are set only by set_scores() from the scoring rule."""

    current_likelihood = _scale_field("current likelihood")
    current_impact = _scale_field("current impact")
    target_likelihood = _scale_field("target likelihood")
    target_impact = _scale_field("target impact")
    current_score = models.PositiveSmallIntegerField(editable=False, default=1)
    target_score = models.PositiveSmallIntegerField(editable=False, default=1)

    class Meta:
        abstract = True

    @property
    def position(self) -> Position:
        return Position.of(self)

    def set_scores(self) -> None:
        """Called by save() and before bulk_create/bulk_update (which skip save())."""
        position = self.position
        self.current_score = position.current_score
        self.target_score = position.target_score


class RiskCategory(models.Model):
    """A managed list of risk categories (Financial, Safeguarding, ...)."""

    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "risk categories"

    def __str__(self) -> str:
        return self.name


class RiskLevelBandQuerySet(models.QuerySet):
    def as_bands(self) -> list[Band]:
        """The band table for :func:`risks.scoring.risk_level` (one query)."""
        return [
            Band(b.level, b.min_score, b.max_score, b.colour)
            for b in self.order_by("order", "min_score")
        ]


class RiskLevelBand(models.Model):
    """One row of the council's band table: scores ``min_score``–``max_score`` are ``level``."""

    class Colour(models.TextChoices):
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"

    level = models.CharField(max_length=40, unique=True)
    min_score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    max_score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(25)])
    colour = models.CharField(max_length=10, choices=Colour.choices)
    order = models.PositiveSmallIntegerField(default=0)

    objects = RiskLevelBandQuerySet.as_manager()

    class Meta:
        ordering = ["order", "min_score"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=F("min_score")), name="band_max_not_below_min"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} ({self.min_score}–{self.max_score})"


class ScaleLabel(models.Model):
    """The words for a point on the likelihood or impact scale, e.g. impact 5 'Major'."""

    class Axis(models.TextChoices):
        LIKELIHOOD = "likelihood", "Likelihood"
        IMPACT = "impact", "Impact"

    axis = models.CharField(max_length=10, choices=Axis.choices)
    value = models.PositiveSmallIntegerField(validators=SCALE)
    label = models.CharField(max_length=40)

    class Meta:
        ordering = ["axis", "value"]
        constraints = [
            models.UniqueConstraint(fields=["axis", "value"], name="one_label_per_scale_point")
        ]

    def __str__(self) -> str:
        return f"{self.get_axis_display()} {self.value}: {self.label}"

    @classmethod
    def labels(cls) -> dict[str, dict[int, str]]:
        """{"likelihood": {1: "Very unlikely", ...}, "impact": {...}} in one query."""
        result: dict[str, dict[int, str]] = {cls.Axis.LIKELIHOOD: {}, cls.Axis.IMPACT: {}}
        for row in cls.objects.all():
            result[row.axis][row.value] = row.label
        return result


def can_read_register(user) -> bool:
    """Corporate risks are readable by CMT and analysts (kccperf.view_all) and risk managers
    (risks.view_risk); nobody else."""
    return user.is_authenticated and (
        user.has_perm("kccperf.view_all") or user.has_perm("risks.view_risk")
    )


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user) -> RiskQuerySet:
        return self if can_read_register(user) else self.none()

    def open(self) -> RiskQuerySet:
        return self.filter(status=Risk.Status.OPEN)


class ReferenceCounter(models.Model):
    """The last risk number handed out, so a removed or deleted risk's number is never reused."""

    prefix = models.CharField(max_length=10, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}{self.last_number:04d}"

    @classmethod
    def next_ref(cls) -> str:
        """Lock the counter row and hand out the next number (above every existing one).

        The lock lasts until the caller's transaction ends, so two people adding a risk at
        once get different numbers."""
        with transaction.atomic():
            counter, _ = cls.objects.select_for_update().get_or_create(prefix=REF_PREFIX)
            refs = Risk.objects.filter(ref__startswith=REF_PREFIX).values_list("ref", flat=True)
            highest = max((ref_number(ref) or 0 for ref in refs), default=0)
            counter.last_number = max(counter.last_number, highest) + 1
            counter.save(update_fields=["last_number"])
        return f"{REF_PREFIX}{counter.last_number:04d}"

    @classmethod
    def note(cls, ref: str) -> None:
        """A reference given explicitly (demo, import) moves the counter past it."""
        number = ref_number(ref)
        if number is not None:
            counter, _ = cls.objects.get_or_create(prefix=REF_PREFIX)
            if counter.last_number < number:
                cls.objects.filter(pk=counter.pk).update(last_number=number)


def ref_number(ref: str) -> int | None:
    match = REF_PATTERN.match(ref)
    return int(match.group(1)) if match else None


class Risk(Versioned, ScoredPosition):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REMOVED = "removed", "Removed"

    ref = models.CharField(
        "reference",
        max_length=12,
        unique=True,
        help_text="CRR0001 style; given when the risk is created and never reused.",
    )
    title = models.CharField(max_length=250)
    description = models.TextField(max_length=PARAGRAPHS, help_text="Cause, event and consequence.")
    owner_name = models.CharField("risk owner", max_length=120)
    owner_title = models.CharField(
        "risk owner's post", max_length=200, blank=True, help_text="e.g. Corporate Director"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
        verbose_name="risk owner's portal account",
        help_text="Only if the owner uses the portal.",
    )
    cabinet_member = models.ForeignKey(
        "kccperf.CabinetMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
        verbose_name="responsible cabinet member",
    )
    directorates = models.ManyToManyField("kccperf.Directorate", related_name="risks", blank=True)
    category = models.ForeignKey(
        RiskCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    date_raised = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    removed_on = models.DateField(null=True, blank=True)
    removal_reason = models.TextField(blank=True, max_length=REASON)
    activities = models.ManyToManyField(
        "monitoring.Activity",
        related_name="corporate_risks",
        blank=True,
        verbose_name="linked SDP activities",
    )
    kpis = models.ManyToManyField(
        "kpis.Kpi", related_name="corporate_risks", blank=True, verbose_name="linked KPIs"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["ref"]
        permissions = [
            ("record_refresh", "Can record a refresh of the risk register"),
            ("update_action", "Can update mitigating actions"),
        ]
        constraints = [
            _scores_on_the_scale("risk_scores_1_to_5"),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(removal_reason=""),
                name="removed_risk_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.set_scores()
        if not self.ref:
            self.ref = ReferenceCounter.next_ref()
        elif self._state.adding:
            ReferenceCounter.note(self.ref)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:risk-detail", kwargs={"ref": self.ref})

    @property
    def owner(self) -> str:
        return f"{self.owner_name}, {self.owner_title}" if self.owner_title else self.owner_name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RiskRefreshQuerySet(models.QuerySet):
    def for_quarter(self, quarter) -> RiskRefresh | None:
        """The latest refresh dated in ``quarter``, else the latest before its end."""
        in_quarter = self.filter(date__range=(quarter.start, quarter.end)).order_by("-date")
        return in_quarter.first() or self.filter(date__lte=quarter.end).order_by("-date").first()


class RiskRefresh(models.Model):
    """The register as reviewed on a date: every open risk's scores then (the entries)."""

    date = models.DateField(unique=True)
    label = models.CharField(max_length=60)
    period = models.ForeignKey(
        "kccperf.ReportingPeriod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_refreshes",
    )
    recorded_by = acting_user_field()
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = RiskRefreshQuerySet.as_manager()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return self.label

    def previous(self) -> RiskRefresh | None:
        return RiskRefresh.objects.filter(date__lt=self.date).order_by("-date").first()


class RiskRefreshEntry(ScoredPosition):
    refresh = models.ForeignKey(RiskRefresh, on_delete=models.CASCADE, related_name="entries")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="refresh_entries")
    reason = models.TextField("reason for change", blank=True, max_length=REASON)

    class Meta:
        ordering = ["refresh__date", "risk__ref"]
        verbose_name_plural = "risk refresh entries"
        constraints = [
            models.UniqueConstraint(fields=["refresh", "risk"], name="one_entry_per_risk"),
            _scores_on_the_scale("entry_scores_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.risk_id} at {self.refresh_id}"

    def save(self, *args, **kwargs) -> None:
        self.set_scores()
        super().save(*args, **kwargs)


class MitigatingAction(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress / partially complete"
        COMPLETED = "completed", "Completed"
        CLOSED = "closed", "Closed"
        REGULAR_REVIEW = "regular_review", "Regular review"

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(max_length=REASON)
    owner = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)
    regular_review = models.BooleanField(
        default=False, help_text="Reviewed regularly rather than due on a date."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["risk__ref", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(regular_review=True) | Q(due_date__isnull=False),
                name="action_due_date_or_regular_review",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def due_label(self) -> str:
        if self.regular_review and not self.due_date:
            return "Regular review"
        return self.due_date.strftime("%-d %b %Y") if self.due_date else ""

    def is_due_by(self, day: date) -> bool:
        """Regular-review actions count as due by every refresh (fixture _notes)."""
        if self.due_date is None:
            return True
        return self.due_date <= day


class ActionUpdate(models.Model):
    action = models.ForeignKey(MitigatingAction, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField(max_length=REASON)
    by = acting_user_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"


class RiskHistory(models.Model):
    """Who changed what on a risk, and when: {"field": [old, new], ...} plus a summary."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="history")
    by = acting_user_field()
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "risk history"

    def __str__(self) -> str:
        return f"{self.risk_id}: {self.summary}"
