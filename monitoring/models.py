"""SDP monitoring: significant activities, their quarterly returns and submission windows.

An :class:`Activity` is a "piece of significant activity" of the Strategic Delivery Plan. Its
lead officer (and any delegates) fill in one :class:`Return` per quarter while the quarter's
:class:`SubmissionWindow` is open. Every save bumps ``Return.version`` (optimistic locking)
and is kept as a :class:`ReturnRevision`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kccperf.models import Directorate, Outcome, ReportingPeriod, acting_user_field
from kccperf.periods import Quarter
from kccperf.text_limits import ANALYSIS, PARAGRAPHS, REASON
from kccperf.versioning import Versioned
from monitoring.rules import SIGN_OFF_PERMISSION, SUBMIT_PERMISSION

# Managed lists -------------------------------------------------------------------------


class ActivityType(models.Model):
    """E.g. People Commissioning, Infrastructure Commissioning, Transformation."""

    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class IssueThemeQuerySet(models.QuerySet):
    def active(self) -> IssueThemeQuerySet:
        return self.filter(is_active=True)


class IssueTheme(models.Model):
    """A DECA-based theme a lead officer can tick when an activity is not on track."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_other = models.BooleanField(
        default=False, help_text="Ticking this theme asks for a free-text description."
    )

    objects = IssueThemeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


# Activities ----------------------------------------------------------------------------


def _led_or_delegated(user) -> Q:
    """Activities ``user`` leads or is a delegate of."""
    delegated = Activity.delegates.through.objects.filter(user_id=user.pk).values("activity_id")
    return Q(lead_officer_id=user.pk) | Q(pk__in=delegated)


def has_return_in(quarter: Quarter) -> Exists:
    """Whether the activity holds a return (of any status) for ``quarter``."""
    return Exists(Return.objects.filter(period__start=quarter.start, activity=OuterRef("pk")))


def due_in(quarter: Quarter) -> Q:
    """:func:`monitoring.rules.is_due` as a filter on activities (the one SQL form of it)."""
    running = (
        Q(sdp_start__lte=quarter.end)
        & (Q(reporting_from__isnull=True) | Q(reporting_from__lte=quarter.end))
        & (Q(closed_from__isnull=True) | Q(closed_from__gt=quarter.start))
    )
    return running | Q(has_return_in(quarter))


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        """Readers of everything see every activity; others those they lead or are delegated."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("kccperf.view_all"):
            return self
        return self.filter(_led_or_delegated(user))

    def editable_by(self, user) -> ActivityQuerySet:
        """Activities whose returns ``user`` may fill in: the one rule of who edits a return.

        The ``monitoring.submit_return`` permission, and then lead officer or delegate of
        the activity; superusers may edit every activity's returns.
        """
        if not user.is_authenticated or not user.has_perm(SUBMIT_PERMISSION):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(_led_or_delegated(user))

    def due_in(self, quarter: Quarter) -> ActivityQuerySet:
        """Activities expected to send a return for ``quarter`` (see :func:`due_in`)."""
        return self.filter(due_in(quarter))

    def active(self) -> ActivityQuerySet:
        return self.filter(is_active=True)

    def for_outcome(self, outcome: Outcome | int | None) -> ActivityQuerySet:
        if outcome is None:
            return self
        number = outcome.number if isinstance(outcome, Outcome) else outcome
        return self.filter(outcome__number=number)


class Activity(models.Model):
    """A piece of significant activity in the Strategic Delivery Plan."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="activities")
    number = models.PositiveSmallIntegerField(help_text="Number within the strategic outcome.")
    title = models.CharField(max_length=300)
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, related_name="activities"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_activities"
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delegated_activities",
        help_text="People who may also fill in this activity's returns.",
    )
    activity_type = models.ForeignKey(
        ActivityType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    sdp_start = models.DateField("SDP start date")
    sdp_end = models.DateField("SDP end date")
    go_live = models.DateField("original go-live date", null=True, blank=True)
    corporate_board = models.BooleanField(
        "considered by Corporate Board",
        default=False,
        help_text="High risk, complexity or financial value.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Closed activities get no more returns."
    )
    reporting_from = models.DateField(
        "reports from",
        null=True,
        blank=True,
        help_text="First day of the first quarter it reports, when added to the plan after "
        "its SDP start (blank: from the quarter it starts).",
    )
    closed_from = models.DateField(
        "closed from",
        null=True,
        blank=True,
        help_text="First day of the first quarter it no longer reports: set when it is closed "
        "(to the quarter being reported then), cleared when it is reopened.",
    )
    sign_off_required = models.BooleanField(
        "returns need sign-off",
        null=True,
        blank=True,
        help_text="Blank: as its outcome says.",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_activities",
        help_text="Signs off its returns (blank: the outcome's approver, else the "
        "directorate's director).",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["outcome__number", "number"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["outcome", "number"], name="activity_number_unique"),
            models.CheckConstraint(
                condition=Q(sdp_end__gte=models.F("sdp_start")), name="activity_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, closed_from__isnull=True)
                | Q(is_active=False, closed_from__isnull=False),
                name="activity_closed_from_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs) -> None:
        # Closing records the quarter it happens in, so earlier quarters keep their base.
        if self.is_active:
            self.closed_from = None
        elif self.closed_from is None:
            self.closed_from = ReportingPeriod.objects.live_quarter().start
        else:
            self.closed_from = Quarter.containing(self.closed_from).start
        if self.reporting_from is not None:
            self.reporting_from = Quarter.containing(self.reporting_from).start
        if kwargs.get("update_fields") is not None and "is_active" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "closed_from"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """E.g. "1.4": outcome 1, activity 4."""
        return f"{self.outcome.number}.{self.number}"

    def is_editable_by(self, user) -> bool:
        """Whether ``user`` may fill in this activity's returns (see ``editable_by``)."""
        return Activity.objects.filter(pk=self.pk).editable_by(user).exists()

    @property
    def needs_sign_off(self) -> bool:
        """The one rule of whether a submitted return waits for sign-off: the activity's
        own setting, else its outcome's."""
        if self.sign_off_required is not None:
            return self.sign_off_required
        return self.outcome.sign_off_required

    @property
    def sign_off_approver_id(self) -> int | None:
        """Who signs off its returns: the activity's named approver, else the outcome's,
        else the directorate's director (None: nobody named; analysts sign off on behalf)."""
        return self.approver_id or self.outcome.approver_id or self.directorate.director_id


# Windows -------------------------------------------------------------------------------


class SubmissionWindowQuerySet(models.QuerySet):
    def open_on(self, today: date) -> SubmissionWindowQuerySet:
        return self.filter(opens__lte=today, closes__gte=today)


class SubmissionWindow(Versioned):
    """When lead officers may submit the returns of a quarter (inclusive dates)."""

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="submission_window"
    )
    opens = models.DateField()
    closes = models.DateField()

    objects = SubmissionWindowQuerySet.as_manager()

    class Meta:
        ordering = ["-opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gte=models.F("opens")), name="window_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period.label}: {self.opens:%d %b %Y} to {self.closes:%d %b %Y}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # A window is how analysts open a quarter (form, admin, demo and imports alike).
        self.period.open_for_returns()

    @property
    def quarter(self) -> Quarter:
        return self.period.quarter

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens <= today <= self.closes

    def days_left(self, today: date | None = None) -> int | None:
        """Whole days until it closes, counting the closing day (0 after it closed)."""
        today = today or timezone.localdate()
        if today > self.closes:
            return 0
        return (self.closes - max(today, self.opens)).days + 1


# Returns -------------------------------------------------------------------------------


class Delivery(models.TextChoices):
    ON_TRACK = "on_track", "Yes, it is on track"
    REMEDIAL = "remedial", "It requires remedial action"
    UNLIKELY = "unlikely", "No, it is unlikely to be achieved"


class RiskRegister(models.TextChoices):
    PROJECT = "project", "Project/programme risk register"
    SERVICE = "service", "Service/divisional risk register"
    DIRECTORATE = "directorate", "Directorate risk register"
    CORPORATE = "corporate", "Corporate risk register"
    NONE = "none", "None"


def risk_register_label(value: str) -> str:
    """A risk register answer in a file: the form's "None" reads there as a missing value,
    so it says what it means."""
    if value == RiskRegister.NONE:
        return "Not on a risk register"
    return str(RiskRegister(value).label)


class Board(models.TextChoices):
    CMM = "cmm", "Cabinet Members Meeting"
    CORPORATE_BOARD = "corporate_board", "Corporate Board"
    INFORMAL = "informal", "Informal governance board"
    CABINET_COMMITTEE = "cabinet_committee", "Cabinet Committee"


class InformalBoard(models.TextChoices):
    SCB = "scb", "Service Commissioning Board"
    ICB = "icb", "Infrastructure Commissioning Board"
    BDG = "bdg", "Budget Delivery Group"


class ReturnQuerySet(models.QuerySet):
    def for_quarter(self, quarter: Quarter) -> ReturnQuerySet:
        return self.filter(period__start=quarter.start)

    def visible_to(self, user) -> ReturnQuerySet:
        return self.filter(activity__in=Activity.objects.visible_to(user))

    def submitted(self) -> ReturnQuerySet:
        return self.filter(status=Return.Status.SUBMITTED)

    def counted(self) -> ReturnQuerySet:
        """The returns dashboards and reports count: submitted ones, or with
        ``SDP_COUNT_RETURNS = "signed_off"`` only those signed off or not needing it
        (:func:`kccperf.counting.counts_signed_off_only`, the setting's one reader)."""
        from kccperf.counting import counts_signed_off_only

        submitted = self.submitted()
        if counts_signed_off_only():
            return submitted.filter(sign_off__in=Return.SIGNED_OFF_OR_NOT_NEEDED)
        return submitted

    def awaiting_sign_off_by(self, user) -> ReturnQuerySet:
        """Returns waiting for ``user``'s sign-off (those they are the approver of)."""
        if not user.is_authenticated or not user.has_perm(SIGN_OFF_PERMISSION):
            return self.none()
        return self.filter(sign_off=Return.SignOff.AWAITING, approver_id=user.pk)


class Return(models.Model):
    """One activity's quarterly monitoring return (the MS Form it replaces)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class SignOff(models.TextChoices):
        NOT_NEEDED = "", "Not needed"
        AWAITING = "awaiting", "Awaiting sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        SENT_BACK = "sent_back", "Sent back"

    SIGNED_OFF_OR_NOT_NEEDED = (SignOff.NOT_NEEDED, SignOff.SIGNED_OFF)

    Delivery = Delivery

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="returns")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    delivery = models.CharField(
        "Is the activity on track?", max_length=20, choices=Delivery.choices, blank=True
    )
    started = models.BooleanField("Has the activity formally started?", null=True, blank=True)
    progress = models.TextField("Progress this quarter", blank=True, max_length=PARAGRAPHS)
    new_end_date = models.DateField("New end date", null=True, blank=True)
    new_go_live = models.DateField("New go-live date", null=True, blank=True)
    no_new_date = models.BooleanField("No new date", default=False)

    issues = models.ManyToManyField(IssueTheme, blank=True, related_name="returns")
    other_issue_text = models.CharField("Other issue", max_length=250, blank=True)
    issue_description = models.TextField(
        "Description of the issues", blank=True, max_length=PARAGRAPHS
    )
    mitigation = models.TextField(
        "Mitigating actions or escalations", blank=True, max_length=PARAGRAPHS
    )
    mitigation_none_yet = models.BooleanField("No mitigating actions yet", default=False)
    risk_registers = ArrayField(
        models.CharField(max_length=20, choices=RiskRegister.choices),
        default=list,
        blank=True,
        help_text="Where the issues are recorded.",
    )

    boards_reported = ArrayField(
        models.CharField(max_length=20, choices=Board.choices),
        default=list,
        blank=True,
        help_text="Boards the activity reported to this quarter.",
    )
    reported_informal_board = models.CharField(
        max_length=10, choices=InformalBoard.choices, blank=True
    )

    submitted_by = acting_user_field()
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_by = acting_user_field()
    updated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: every save increments it; a form based on an older one is refused.
    version = models.PositiveIntegerField(default=0)

    # An analyst can reopen one return outside its window; submitting closes it again.
    is_reopened = models.BooleanField(default=False)
    reopened_by = acting_user_field()
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True, max_length=REASON)

    # Sign-off (when the activity needs it): submitting sets AWAITING and names the approver;
    # the approver signs it off or sends it back (status back to draft) with a comment.
    sign_off = models.CharField(
        max_length=20, choices=SignOff.choices, blank=True, default=SignOff.NOT_NEEDED
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returns_to_sign_off",
        help_text="Who signs off this submission (set when it is submitted).",
    )
    # Each submission that waits for sign-off is a new round: the approver's e-mail is
    # keyed by it, so they are told once per submission.
    sign_off_round = models.PositiveIntegerField(default=0)
    signed_off_by = acting_user_field()
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_comment = models.TextField(
        "comment", blank=True, max_length=REASON, help_text="Why it was sent back."
    )
    sign_off_reason = models.TextField(
        "reason for signing off on behalf", blank=True, max_length=REASON
    )

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["period__start", "activity__outcome__number", "activity__number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "period"], name="one_return_per_quarter")
        ]
        indexes = [
            models.Index(
                fields=["approver", "sign_off"],
                name="return_awaiting_approver",
                condition=Q(sign_off="awaiting"),
            )
        ]
        permissions = [
            ("submit_return", "Can fill in and submit SDP returns of activities they lead"),
            (
                "manage_monitoring",
                "Can manage submission windows, activities and lists, reopen returns, "
                "import returns and chase lead officers",
            ),
            ("sign_off_return", "Can sign off a quarterly return they are the approver of"),
            ("sign_off_on_behalf", "Can sign off any quarterly return on behalf, with a reason"),
        ]

    def __str__(self) -> str:
        return f"{self.activity.reference} {self.period.label}"

    @property
    def quarter(self) -> Quarter:
        return self.period.quarter

    @property
    def is_on_track(self) -> bool:
        return self.delivery == Delivery.ON_TRACK

    @property
    def not_on_track(self) -> bool:
        return self.delivery in (Delivery.REMEDIAL, Delivery.UNLIKELY)

    @property
    def risk_register_labels(self) -> list[str]:
        return [RiskRegister(r).label for r in self.risk_registers]

    @property
    def board_labels(self) -> list[str]:
        return [Board(b).label for b in self.boards_reported]

    @property
    def milestones_by_date(self) -> list[Milestone]:
        """The milestones in date order, those with no known date last (uses the prefetch)."""
        return sorted(
            self.milestones.all(),
            key=lambda m: (m.date is None, m.date or date.min, list(Milestone.Kind).index(m.kind)),
        )


class Milestone(models.Model):
    """A key milestone named in a return; no date means "not known"."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", "Approval to proceed"
        EQIA = "eqia", "EQIA initial screening"
        CONSULTATION = "consultation", "Consultation start"
        KEY_DECISION = "key_decision", "Key decision"
        GO_LIVE = "go_live", "Go-live"
        OTHER = "other", "Other"

    return_obj = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="milestones", db_column="return_id"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField(null=True, blank=True, help_text="Empty: not known.")
    text = models.CharField(max_length=250, blank=True, help_text="What the 'other' one is.")

    class Meta:
        ordering = ["return_obj", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["return_obj", "kind"], name="one_milestone_per_kind")
        ]

    def __str__(self) -> str:
        when = f"{self.date:%d/%m/%Y}" if self.date else "not known"
        return f"{self.get_kind_display()}: {when}"

    @property
    def date_not_known(self) -> bool:
        return self.date is None


class ExpectedGovernance(models.Model):
    """A board the activity expects to report to during the rest of the financial year."""

    return_obj = models.ForeignKey(
        Return,
        on_delete=models.CASCADE,
        related_name="expected_governance",
        db_column="return_id",
    )
    board = models.CharField(max_length=20, choices=Board.choices)
    informal_board = models.CharField(max_length=10, choices=InformalBoard.choices, blank=True)
    expected_date = models.DateField(null=True, blank=True, help_text="Empty: not known yet.")
    on_forward_plan = models.BooleanField("on the board's forward plan", default=False)

    class Meta:
        ordering = ["return_obj", "expected_date", "board"]
        verbose_name_plural = "expected governance"

    def __str__(self) -> str:
        name = (
            self.get_informal_board_display() if self.informal_board else self.get_board_display()
        )
        return f"{name} ({self.expected_date or 'date not known'})"


class ReturnRevision(models.Model):
    """One save of a return: who, when and what changed (field -> [old, new])."""

    class Action(models.TextChoices):
        SAVED = "saved", "Saved draft"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"
        IMPORTED = "imported", "Imported"
        SIGNED_OFF = "signed_off", "Signed off"
        SENT_BACK = "sent_back", "Sent back"

    return_obj = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="revisions", db_column="return_id"
    )
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices, default=Action.SAVED)
    by = acting_user_field(blank=False)
    at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["return_obj", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["return_obj", "version"], name="one_revision_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.return_obj} v{self.version} {self.get_action_display()}"


class ReminderLog(models.Model):
    """An e-mail reminder sent to a lead officer; the unique key stops duplicates."""

    class Kind(models.TextChoices):
        OPENING = "opening", "Window opening"
        CLOSING = "closing", "Window closing soon"
        ON_DEMAND = "on_demand", "On demand"
        SIGN_OFF = "sign_off", "Awaiting sign-off"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sdp_reminders"
    )
    window = models.ForeignKey(SubmissionWindow, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # On-demand reminders are keyed by day, so the button can chase again tomorrow but
    # never e-mails the same person twice on the same day; opening/closing use "";
    # sign-off notices are keyed by return and submission round ("<return id>.<round>").
    batch = models.CharField(max_length=20, blank=True, default="")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "window", "kind", "batch"], name="one_reminder_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.window.period.label}"


# Analysis --------------------------------------------------------------------------------


class AnalysisText(Versioned):
    """The analysis an analyst edited for an outcome dashboard (or the council-wide one:
    no outcome) and quarter. Without one, CMT reads the draft generated from the figures."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="sdp_analyses"
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, null=True, blank=True, related_name="sdp_analyses"
    )
    text = models.TextField("Analysis", max_length=ANALYSIS)
    updated_by = acting_user_field(blank=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "outcome"],
                name="one_analysis_per_outcome_quarter",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        scope = f"Outcome {self.outcome.number}" if self.outcome_id else "Council"
        return f"{scope} {self.period.label}"
