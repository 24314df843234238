"""Optimistic locking for every form that edits shared data (one home for the rule).

A record people edit carries a ``version`` (:class:`Versioned`); its form carries the version
it was read at (:class:`VersionedForm`, a hidden field). A save locks the row, compares the
versions (:func:`lock_version`) and, when someone saved meanwhile, refuses with
:class:`StaleEditError`: nothing is written, and the view shows the form again with the
person's input and the "changed since you opened it" warning
(``templates/includes/_stale_warning.html``), at the current version so that saving again
keeps their text. SDP returns use the same rule (``monitoring.services.save_return``), with
the revisions made meanwhile listed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


class Versioned(models.Model):
    """A record edited through forms: ``version`` goes up by one at every save."""

    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


class StaleEditError(Exception):
    """The record changed since the form was loaded; nothing was saved."""

    def __init__(self, current_version: int, *, what: str = "record", revisions=()):
        super().__init__(f"the {what} is at version {current_version}")
        self.current_version = current_version
        self.what = what
        self.revisions = list(revisions)


def lock_version(
    queryset: models.QuerySet[M], base_version: int | None, *, what: str = "record"
) -> M | None:
    """The row of ``queryset`` (one or none), locked until the transaction ends, after checking
    it is still at ``base_version`` (a record not yet saved is at version 0).

    Raises :class:`StaleEditError` when it is not. ``base_version`` None (a form that does not
    carry one, e.g. a script) skips the check but still locks. Call inside
    ``transaction.atomic()``, then save with :func:`bump`.
    """
    obj = queryset.select_for_update(of=("self",)).first()
    current = obj.version if obj is not None else 0  # type: ignore[attr-defined]
    if base_version is not None and current != base_version:
        raise StaleEditError(current, what=what)
    return obj


def bump(obj: Any) -> None:
    """Count a save of ``obj`` (before ``obj.save()``)."""
    obj.version = (obj.version or 0) + 1


OUT_OF_DATE = (
    "This form did not say which version of the {what} it was opened at, so saving it could "
    "undo someone else's changes. Reload the page, then make your changes again."
)


class VersionField(forms.IntegerField):
    """The version the form was read at (required: a post without it could silently overwrite
    someone else's save). Code that writes without a form calls the services with
    ``base_version=None``."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """Mixed into a form (or ModelForm) that edits a :class:`Versioned` record."""

    version = VersionField()
    #: How the warnings name the record ("risk", "report's texts").
    versioned_what = "record"

    def full_clean(self) -> None:
        super().full_clean()
        # A hidden field's error cannot be fixed in the field: say it once, for the form.
        errors = self.errors  # already cleaned: no second pass
        if self.is_bound and "version" in errors:
            del errors["version"]
            self.add_error(None, OUT_OF_DATE.format(what=self.versioned_what))

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None:
            version = getattr(instance, "version", 0) if instance.pk else 0
        self.fields["version"].initial = version or 0

    @property
    def base_version(self) -> int | None:
        return self.cleaned_data.get("version")


def _bump_locked(obj: Any) -> None:
    """``bump`` from the stored version, read under a row lock (inside a transaction)."""
    if obj.pk is not None:
        stored = (
            type(obj)
            ._default_manager.select_for_update()
            .filter(pk=obj.pk)
            .values_list("version", flat=True)
            .first()
        )
        obj.version = stored or 0
    bump(obj)


class VersionedAdminMixin:
    """For a ModelAdmin of a :class:`Versioned` record (or one with inlines that are): an admin
    save is a save, so it moves the version on, and a form opened before it gets the "changed
    since you opened it" answer instead of silently undoing the admin's change."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            _bump_locked(obj)
            super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            for inline_form in formset.forms:
                record = inline_form.instance
                if hasattr(record, "version") and inline_form.has_changed():
                    _bump_locked(record)
            super().save_formset(request, form, formset, change)  # type: ignore[misc]


def at_version(data, version: int):
    """The posted data with the current version, so the form shown after a stale save keeps
    the person's input and saving it again goes through."""
    fresh = data.copy()
    fresh["version"] = str(version)
    return fresh


def stale_context(error: StaleEditError) -> dict:
    """What ``includes/_stale_warning.html`` shows."""
    return {"what": error.what, "version": error.current_version, "revisions": error.revisions}
