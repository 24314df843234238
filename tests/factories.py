"""Plain factory functions for tests: make_<thing>(**overrides)."""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth.models import Group

from kccperf.models import Directorate, Outcome, ReportingPeriod, Role, User
from kccperf.periods import Quarter

_seq = itertools.count(1)
PASSWORD = "test-password-123"


def make_directorate(**overrides) -> Directorate:
    n = next(_seq)
    fields = {
        "name": f"Directorate {n}",
        "short_name": f"D{n}",
        "slug": f"directorate-{n}",
        "corporate_director": f"Director {n}",
        "order": n,
    }
    fields.update(overrides)
    return Directorate.objects.create(**fields)


def make_outcome(**overrides) -> Outcome:
    fields = {"number": next(_seq) + 100, "title": "An outcome"}
    fields.update(overrides)
    return Outcome.objects.create(**fields)


def make_period(label: str = "Q2 2019/20") -> ReportingPeriod:
    return ReportingPeriod.objects.ensure(Quarter.parse(label))


def make_user(username: str | None = None, *, role: Role | None = None, **overrides) -> User:
    username = username or f"user{next(_seq)}"
    fields = {
        "first_name": username.title(),
        "last_name": "Tester",
        "email": f"{username}@example.org",
    }
    fields.update(overrides)
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def make_cast() -> dict[str, User]:
    """The fixed cast (STYLE.md §12): alice and bob lead officers, carol CMT, dan analyst,
    erin risk manager, root administrator."""
    return {
        "alice": make_user("alice", role=Role.LEAD_OFFICER),
        "bob": make_user("bob", role=Role.LEAD_OFFICER),
        "carol": make_user("carol", role=Role.CMT),
        "dan": make_user("dan", role=Role.ANALYST),
        "erin": make_user("erin", role=Role.RISK_MANAGER),
        "root": User.objects.create_superuser("root", "root@example.org", PASSWORD),
    }


def day(text: str) -> date:
    return date.fromisoformat(text)
