"""Change-log rows as people read them: labels instead of column names, choices as their
labels, a link to each record's page. Pure functions of the stored rows (and a map of the
quarters the page names), so a page of entries costs no query per row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from audit.filters import AREAS
from audit.models import Change, Entry
from kccperf.periods import Quarter

EMPTY = "\u2014"
# Columns a record's title is read from, in order.
NAME_COLUMNS = ("reference", "ref", "code", "title", "name", "label", "username", "slug")
# Shown in the page only up to this many characters (the CSV keeps whole values).
SHORT = 240
# Longer structured values are named by their size (a published report's snapshot).
DOCUMENT_LIMIT = 1000


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeRow:
    # "INSERT", "UPDATE" or "DELETE": an added record shows its values, a removed one its last.
    kind: str
    operation: str
    what: str
    title: str
    url: str | None
    history_query: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class EntryRow:
    at: Any
    person: str
    action: str
    changes: tuple[ChangeRow, ...]
    # Changes of the entry not shown on the page (the CSV has them all); ``many``: more than
    # the count's cap.
    more: int
    many: bool = False


@cache
def _model(app_label: str, model: str) -> type[models.Model] | None:
    try:
        return django_apps.get_model(app_label, model)
    except LookupError:
        return None


@cache
def _fields_by_column(app_label: str, model: str) -> dict[str, models.Field]:
    cls = _model(app_label, model)
    if cls is None:
        return {}
    return {str(f.column): f for f in cls._meta.concrete_fields}


@cache
def user_columns(app_label: str, model: str) -> tuple[tuple[str, models.Field], ...]:
    """The columns of a model that name a person (foreign keys to the user)."""
    user = get_user_model()
    return tuple(
        (column, f)
        for column, f in _fields_by_column(app_label, model).items()
        if f.is_relation and f.related_model is user
    )


def what(app_label: str, model: str) -> str:
    cls = _model(app_label, model)
    if cls is None:
        return f"{app_label}.{model}"
    if cls._meta.auto_created:  # a many-to-many table, e.g. a person's roles
        return {"kccperf.user_groups": "Role membership"}.get(
            f"{app_label}.{model}", capfirst(str(cls._meta.verbose_name))
        )
    return capfirst(str(cls._meta.verbose_name))


def label(app_label: str, model: str, column: str) -> str:
    field = _fields_by_column(app_label, model).get(column)
    if field is None:
        return column
    name = str(field.verbose_name)
    if field.is_relation and name == field.name.replace("_", " "):
        name = str(field.related_model._meta.verbose_name) if field.related_model else name
    return capfirst(name)


def value_text(
    app_label: str,
    model: str,
    column: str,
    value: Any,
    short: bool = True,
    names: Mapping[int, str] | None = None,
) -> str:
    """A stored value as the page shows it (``short``: long texts cut; ``names``: people by
    user id, for the columns that name a person)."""
    if value is None or value == "":
        return EMPTY
    field = _fields_by_column(app_label, model).get(column)
    if field is not None and field.flatchoices:
        choices = {str(k): str(v) for k, v in field.flatchoices}
        value = choices.get(str(value), value)
    elif isinstance(value, bool):
        value = "Yes" if value else "No"
    elif isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            value = timezone.localtime(moment).strftime("%-d %b %Y %H:%M:%S")
    elif isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            value = day.strftime("%-d %b %Y")
    elif field is not None and field.is_relation and field.related_model is not None:
        if field.related_model is get_user_model() and names and value in names:
            value = names[value]
        else:
            value = f"{field.related_model._meta.verbose_name} {value}"
    elif isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        value = "; ".join(_item_label(field, v) for v in value) or EMPTY  # an array column
    elif isinstance(value, dict | list):
        value = document_text(value)
    text = value if isinstance(value, str) else str(value)
    if short and len(text) > SHORT:
        text = text[: SHORT - 1] + "\u2026"
    return text


def _item_label(field: models.Field | None, item: Any) -> str:
    """An array column's item: its choice's label (the risk register answer "none" as the
    files say it, not as a bare "None")."""
    from monitoring.models import RiskRegister, risk_register_label

    base = getattr(field, "base_field", None)
    if base is not None and list(base.choices or ()) == list(RiskRegister.choices):
        return risk_register_label(str(item))
    if base is not None and base.flatchoices:
        return str(dict(base.flatchoices).get(item, item))
    return str(item)


def document_text(value: dict | list) -> str:
    """A structured value (a JSON column: a revision's changes, a report's snapshot) as
    JSON text with its times in UK time like every other time; a long document (a published
    report's whole snapshot) is named by its size, not spelled out."""

    def local(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: local(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [local(inner) for inner in item]
        if isinstance(item, str) and "T" in item:
            moment = parse_datetime(item)
            if moment is not None and timezone.is_aware(moment):
                return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
        return item

    text = json.dumps(local(value), ensure_ascii=False)
    if len(text) > DOCUMENT_LIMIT:
        return f"(a document of {len(text) // 1000 or 1} KB: see the record itself)"
    return text


def title(change: Change) -> str:
    row = change.after or change.before or {}
    for column in NAME_COLUMNS:
        if row.get(column):
            return f"{what(change.app_label, change.model)} {row[column]}"
    return f"{what(change.app_label, change.model)} {change.object_pk}"


def field_changes(
    change: Change, short: bool = True, names: Mapping[int, str] | None = None
) -> tuple[FieldChange, ...]:
    a, m = change.app_label, change.model
    before, after = change.before or {}, change.after or {}
    cls = _model(a, m)
    pk_column = cls._meta.pk.column if cls is not None else "id"
    rows = []
    for column in change.changed:
        if column == pk_column and change.operation != Change.Operation.UPDATE:
            continue  # the record's number is in its title
        old = before.get(column) if change.operation != Change.Operation.INSERT else None
        new = after.get(column) if change.operation != Change.Operation.DELETE else None
        if change.operation != Change.Operation.UPDATE and old in (None, "") and new in (None, ""):
            continue  # an empty column of a record added or removed
        rows.append(
            FieldChange(
                label(a, m, column),
                value_text(a, m, column, old, short, names),
                value_text(a, m, column, new, short, names),
            )
        )
    return tuple(rows)


def _instance(change: Change) -> models.Model | None:
    cls = _model(change.app_label, change.model)
    row = change.after if change.operation != Change.Operation.DELETE else None
    if cls is None or not row:
        return None
    fields = _fields_by_column(change.app_label, change.model)
    return cls(**{f.attname: row.get(column) for column, f in fields.items() if column in row})


# Pages of records, from the stored row alone (``periods``: quarter of each period id).
def _return_url(change: Change, periods: Mapping[int, Quarter]) -> str | None:
    row = change.after or {}
    quarter = periods.get(row.get("period_id") or 0)
    if quarter is None:
        return None
    return reverse(
        "monitoring:return-history", kwargs={"activity_pk": row["activity_id"], "period": quarter}
    )


PAGES: dict[str, Callable[[Change, Mapping[int, Quarter]], str | None]] = {
    "monitoring.return": _return_url,
}
# Models whose own get_absolute_url reads only their own columns.
OWN_PAGES = {"kpis.kpi", "kpis.activityindicator", "risks.risk", "reports.reporttable"}


def object_url(change: Change, user: Any, periods: Mapping[int, Quarter]) -> str | None:
    """The record's page: its own page when it has one, else its admin page when the reader
    may open it there; ``None`` for a record since removed."""
    if change.operation == Change.Operation.DELETE:
        return None
    key = f"{change.app_label}.{change.model}"
    try:
        if key in PAGES:
            return PAGES[key](change, periods)
        if key in OWN_PAGES:
            instance = _instance(change)
            return instance.get_absolute_url() if instance is not None else None  # type: ignore[attr-defined]
        cls = _model(change.app_label, change.model)
        if cls is not None and cls in admin.site._registry:
            perms = (
                f"{change.app_label}.view_{change.model}",
                f"{change.app_label}.change_{change.model}",
            )
            if any(user.has_perm(p) for p in perms):
                return reverse(
                    f"admin:{change.app_label}_{change.model}_change", args=[change.object_pk]
                )
    except (NoReverseMatch, KeyError, TypeError, ValueError):
        return None
    return None


def action(entry: Entry, changes: Iterable[Change] = ()) -> str:
    meta = entry.metadata or {}
    for change in changes:
        if change.app_label == "audit" and change.model == "signin" and change.after:
            outcome = value_text("audit", "signin", "outcome", change.after.get("outcome"))
            via = change.after.get("method")
            return f"{outcome}{f' ({via})' if via else ''}"
    if meta.get("command"):
        return f"Command: {meta['command']}"
    if meta.get("url"):
        return f"{meta.get('method') or 'Request'} {meta['url']}"
    return "Direct database change (no request or command)"


def person(entry: Entry, names: Mapping[int, str]) -> str:
    meta = entry.metadata or {}
    user_id = entry.user_id
    if user_id is not None:
        return names.get(user_id) or meta.get("username") or f"User {user_id}"
    if meta.get("command"):
        return f"System ({meta.get('os_user') or 'server'})"
    return "Not signed in" if meta.get("url") else "System"


def entry_rows(
    entries: Iterable[tuple[Entry, list[Change]]],
    user: Any,
    names: Mapping[int, str],
    periods: Mapping[int, Quarter],
    short: bool = True,
) -> list[EntryRow]:
    rows = []
    for entry, entry_changes in entries:
        changes = tuple(
            ChangeRow(
                kind=change.operation,
                operation=change.get_operation_display(),
                what=what(change.app_label, change.model),
                title=title(change),
                url=object_url(change, user, periods),
                history_query=f"{change.app_label}.{change.model}:{change.object_pk}",
                fields=field_changes(change, short, names),
            )
            for change in entry_changes
        )
        total = getattr(entry, "change_count", None) or len(changes)
        cap = getattr(entry, "count_cap", None)
        rows.append(
            EntryRow(
                entry.created_at,
                person(entry, names),
                action(entry, entry_changes),
                changes,
                total - len(changes),
                many=cap is not None and total > cap,
            )
        )
    return rows


def area_of(change: Change) -> str:
    return AREAS.get(change.app_label, change.app_label)
