"""Demo data for the shared organisation: directorates, cabinet members, outcomes,
reporting periods and one user per role (fixtures/organisation.json)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group

from kccperf.models import CabinetMember, Directorate, Outcome, Portfolio, ReportingPeriod, User
from kccperf.periods import Quarter

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def read_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# Demo users share one password hash, so a reload checks the password once, not per user
# (PBKDF2 is deliberately slow): {(password, encoded hash): matches}.
_password_checks: dict[tuple[str, str], bool] = {}
_password_hashes: dict[str, str] = {}


def _hash_for(password: str) -> str:
    if password not in _password_hashes:
        _password_hashes[password] = make_password(password)
    return _password_hashes[password]


def _password_matches(password: str, encoded: str) -> bool:
    key = (password, encoded)
    if key not in _password_checks:
        _password_checks[key] = check_password(password, encoded)
    return _password_checks[key]


def ensure_user(password: str, *, username: str, roles=(), superuser=False, **fields) -> User:
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
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created or not _password_matches(password, user.password):
        user.password = _hash_for(password)
        user.save(update_fields=["password"])
    else:
        # Share the hash of the other demo users (so the next load checks it once).
        _password_hashes.setdefault(password, user.password)
        if user.password != _password_hashes[password]:
            user.password = _password_hashes[password]
            user.save(update_fields=["password"])
    user.groups.set(Group.objects.filter(name__in=roles))
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
