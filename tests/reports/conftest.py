import pytest
from django.core.management import call_command

from tests.factories import PASSWORD


@pytest.fixture
def demo(db):
    """The whole demo data set (organisation, SDP returns, KPIs, risks, report tables)."""
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)


@pytest.fixture
def qpr_demo(db):
    """The demo data the QPR is built from: organisation, KPIs, risks and report tables
    (without the SDP returns, the slowest part of the demo data to load)."""
    from kccperf import demo as organisation
    from kpis import demo as kpis
    from reports import demo as reports
    from risks import demo as risks

    for loader in (organisation, kpis, risks, reports):
        loader.load(PASSWORD)
