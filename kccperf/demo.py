"""Demo data for the shared organisation: directorates, cabinet members, outcomes,
reporting periods and one user per role (fixtures/organisation.json)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from kccperf.models import CabinetMember, Directorate, Outcome, Portfolio, ReportingPeriod, User
from kccperf.periods import Quarter

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

#: The demo tells a live story. The seed reports' quarter is closed and its reports are
#: published; the next quarter is being collected, its submission window open on the day
#: the demo is loaded (dates relative to that day, so the demo never goes stale).
SEED_QUARTER = Quarter(2019, 2)
LIVE_QUARTER = SEED_QUARTER.next()
#: The live window opened this many days before the demo is loaded and closes this many after.
LIVE_WINDOW_OPENED_DAYS_AGO = 3
LIVE_WINDOW_DAYS_LEFT = 11


def live_window(today: date) -> tuple[date, date]:
    """(opens, closes) of the live quarter's submission window, around ``today``."""
    return (
        today - timedelta(days=LIVE_WINDOW_OPENED_DAYS_AGO),
        today + timedelta(days=LIVE_WINDOW_DAYS_LEFT),
    )


def quarter_moment(quarter: Quarter, days_after_end: int = 30) -> datetime:
    """When the demo says something about ``quarter`` happened (commentary written, figures
    entered, reports published): noon, ``days_after_end`` days after the quarter ended;
    never the day the demo was loaded."""
    day = quarter.end + timedelta(days=days_after_end)
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def read_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# Demo users share one password hash, so a reload checks the password once, not per user
# (PBKDF2 is deliberately slow). Keyed by the hashers in force: tests use a faster one.
_password_checks: dict[tuple, bool] = {}
_password_hashes: dict[tuple, str] = {}


def _key(*parts) -> tuple:
    return (*parts, tuple(settings.PASSWORD_HASHERS))


def _password_matches(password: str, encoded: str) -> bool:
    key = _key(password, encoded)
    if key not in _password_checks:
        _password_checks[key] = check_password(password, encoded)
    return _password_checks[key]


def _set_shared_password(user: User, password: str, created: bool) -> None:
    """Give the user the demo password, sharing one hash between demo users."""
    key = _key(password)
    if not created and _password_matches(password, user.password):
        # Already right: adopt this hash as the shared one (no change, no new hashing).
        _password_hashes.setdefault(key, user.password)
        if user.password == _password_hashes[key]:
            return
    elif key not in _password_hashes:
        _password_hashes[key] = make_password(password)
    user.password = _password_hashes[key]
    user.save(update_fields=["password"])


# Every account the current load made or updated, in order: load_demo prints them all.
accounts_loaded: list[User] = []


def ensure_user(
    password: str, *, username: str, roles=(), superuser=False, staff=False, **fields
) -> User:
    """Create or update a user; sets the password only when the user is new or it changed."""
    directorate = fields.pop("directorate", None)
    if isinstance(directorate, str):
        directorate = Directorate.objects.get(slug=directorate)
    fields = {k: v for k, v in fields.items() if k != "illustrative"}
    user, created = User.objects.update_or_create(
        username=username,
        defaults={
            **fields,
            "directorate": directorate,
            "is_staff": superuser or staff,
            "is_superuser": superuser,
        },
    )
    _set_shared_password(user, password, created)
    user.groups.set(Group.objects.filter(name__in=roles))
    accounts_loaded.append(user)
    return user


def load(password: str) -> None:
    data = read_fixture("organisation.json")
    for item in data["directorates"]:
        directorate, _ = Directorate.objects.update_or_create(
            slug=item["slug"],
            defaults={
                key: item[key]
                for key in ("name", "short_name", "corporate_director", "director_title", "order")
            },
        )
        for order, entry in enumerate(item["portfolios"]):
            member, _ = CabinetMember.objects.get_or_create(name=entry["cabinet_member"])
            Portfolio.objects.update_or_create(
                cabinet_member=member,
                directorate=directorate,
                title=entry["title"],
                defaults={"starts": date.fromisoformat(entry["starts"]), "order": order},
            )
    for item in data["outcomes"]:
        Outcome.objects.update_or_create(number=item["number"], defaults={"title": item["title"]})
    for label in data["reporting_periods"]:
        ReportingPeriod.objects.ensure(Quarter.parse(label))
    for item in data["demo_users"]:
        ensure_user(password, **item)
