import pytest

from kccperf import demo as organisation_demo
from risks import demo as risks_demo
from tests.factories import PASSWORD


@pytest.fixture
def risk_demo(db):
    """The organisation and the risk register as at the Q1 and Q2 2019/20 refreshes.

    Loaded per test (about a second): a module-scoped copy held in an outer transaction
    upset the serialized rollback of the browser tests that ran after it.
    """
    organisation_demo.load(PASSWORD)
    risks_demo.load(PASSWORD)
