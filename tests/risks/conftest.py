import pytest
from django.db import transaction

from kccperf import demo as organisation_demo
from risks import demo as risks_demo
from tests.factories import PASSWORD


def _load_demo() -> None:
    organisation_demo.load(PASSWORD)
    risks_demo.load(PASSWORD)


@pytest.fixture
def risk_demo(db):
    """The organisation and the risk register as at the Q1 and Q2 2019/20 refreshes."""
    _load_demo()


@pytest.fixture(scope="module")
def shared_risk_demo(django_db_setup, django_db_blocker):
    """The demo register loaded once for a module of read-only tests, in a transaction that
    is rolled back at the end of the module (each test's own transaction nests inside it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def read_only_demo(shared_risk_demo, db):
    """Use in tests that only read the demo register."""
