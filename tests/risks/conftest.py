import pytest

from kccperf import demo as organisation_demo
from risks import demo as risks_demo
from tests.factories import PASSWORD


@pytest.fixture
def risk_demo(db):
    """The organisation and the risk register as at the Q1 and Q2 2019/20 refreshes."""
    organisation_demo.load(PASSWORD)
    risks_demo.load(PASSWORD)
