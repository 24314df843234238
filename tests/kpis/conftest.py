import pytest

from kccperf import demo as organisation_demo
from kpis import demo
from tests.factories import PASSWORD


@pytest.fixture
def demo_data(db):
    """The organisation and the seed QPR's KPI data (fixtures/kpis_demo.json)."""
    organisation_demo.load(PASSWORD)
    demo.load(PASSWORD)


@pytest.fixture
def analyst_client(client, dan):
    client.force_login(dan)
    return client


@pytest.fixture
def cmt_client(client, carol):
    client.force_login(carol)
    return client
