"""One audit trail: every row written to the portal's data, grouped by the act that wrote it.

An **entry** of the change log is one act: a request, a management command run, or (when
neither) one database transaction. It is django-pghistory's :class:`pghistory.models.Context`
row, whose ``metadata`` says who and what (user, username, method and path, or command). A
**change** is one row inserted, updated or deleted by that act, recorded by the PostgreSQL
trigger of :mod:`audit.triggers` (so the admin, bulk writes, ``QuerySet.update`` and raw SQL are
recorded as well as forms). A **sign-in** (or failed sign-in, or sign-out) is a row of
:class:`SignIn`, itself audited, so it shows on the change log as an entry too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTextTransform
from pghistory.models import Context


class EntryQuerySet(models.QuerySet["Entry"]):
    def person(self, user_id: int) -> EntryQuerySet:
        return self.filter(metadata__user=user_id)


class Entry(Context):
    """An entry of the change log (a pghistory context: one request, command or transaction)."""

    objects = EntryQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name_plural = "entries"
        default_permissions = ()
        permissions = [("view_change_log", "Can read the change log")]

    @property
    def user_id(self) -> int | None:
        value = self.metadata.get("user")
        return int(value) if value not in (None, "") else None


USER_KEY = KeyTextTransform("user", "metadata")


class Change(models.Model):
    """One row written (written by the trigger only; never edited)."""

    class Operation(models.TextChoices):
        INSERT = "INSERT", "Added"
        UPDATE = "UPDATE", "Changed"
        DELETE = "DELETE", "Removed"

    entry = models.ForeignKey(
        Entry,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_column="context_id",
        related_name="changes",
        null=True,
        # Indexed by the two indexes below that start with it, not a third of its own (with
        # one, the planner chose it for the area filter and walked a whole load's changes).
        db_index=False,
    )
    at = models.DateTimeField()
    app_label = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    operation = models.CharField(max_length=6, choices=Operation.choices)
    # Column names whose value changed (an update), or every column (insert, delete).
    changed = models.JSONField(default=list)
    # Old values of the changed columns (update), the whole old row (delete).
    before = models.JSONField(null=True)
    # The whole new row (insert, update).
    after = models.JSONField(null=True)
    # The row's reporting period (``period_id`` column), when it has one: the quarter filter.
    period_id = models.BigIntegerField(null=True)

    class Meta:
        default_permissions = ()
        ordering = ["id"]
        indexes = [
            models.Index(fields=["entry", "id"], name="audit_change_entry"),
            # The change log's area filter: "has this entry a change in this area" is one
            # probe, not a walk through every change of a load of 200,000.
            models.Index(fields=["entry", "app_label"], name="audit_change_entry_area"),
            models.Index(fields=["app_label", "model", "object_pk"], name="audit_change_object"),
            models.Index(fields=["period_id"], name="audit_change_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.app_label}.{self.model} {self.object_pk}"


class SignIn(models.Model):
    """A sign-in, a failed sign-in or a sign-out (never the password typed)."""

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        FAILED = "failed", "Sign-in failed"
        SIGNED_OUT = "signed_out", "Signed out"

    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    username = models.CharField("Username given", max_length=254, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.GenericIPAddressField("Address", null=True, blank=True)
    method = models.CharField("Signed in with", max_length=40, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-at"]
        verbose_name = "sign-in"

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.username}"
