"""The permission matrix: every URL pattern × anonymous and each role -> expected outcome.

Each app lists its URL patterns in ``tests/<app>/urls_matrix.py`` as ``CASES``, a list of
:class:`UrlCase`. ``tests/test_permission_matrix.py`` collects them all and fails on any URL
pattern of the project that no case covers.

Expected outcomes: an HTTP status code (200, 403, 404, 405, 302) or ``LOGIN`` (redirect to the
login page). The ``who`` keys are: anonymous, alice (lead officer who owns the objects the
setup makes), bob (another lead officer), carol (CMT), dan (analyst), erin (risk manager),
root (superuser, staff).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"
WHO = ("anonymous", "alice", "bob", "carol", "dan", "erin", "root")


@dataclass
class UrlCase:
    url_name: str
    expect: dict[str, int | str]
    # setup(cast) -> URL kwargs; runs inside the test's database with the cast created.
    setup: Callable[[dict], dict] = field(default=lambda cast: {})
    method: str = "get"
    query: str = ""
    # Form data sent with the request (a POST's body).
    data: dict = field(default_factory=dict)
    # Settings the case runs with (e.g. single sign-on configured).
    settings: dict = field(default_factory=dict)
    # When a pattern needs more than one case (e.g. own vs other's object), give each an id.
    id: str = ""

    def __post_init__(self):
        missing = set(WHO) - set(self.expect)
        if missing:
            raise ValueError(f"{self.url_name}: expectations missing for {sorted(missing)}")


def everyone(status: int, anonymous: int | str = LOGIN, **overrides) -> dict[str, int | str]:
    """Same status for every signed-in person, with overrides."""
    expect: dict[str, int | str] = {who: status for who in WHO}
    expect["anonymous"] = anonymous
    expect.update(overrides)
    return expect


def readers(status_for_readers: int = 200, others: int = 403, **overrides) -> dict:
    """CMT, analysts and admin read; lead officers and risk managers do not."""
    expect = everyone(others)
    expect.update(carol=status_for_readers, dan=status_for_readers, root=status_for_readers)
    expect.update(overrides)
    return expect
