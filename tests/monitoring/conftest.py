import pytest
import time_machine

from tests.monitoring.factories import make_activity, make_window

# Inside the Q2 2019/20 window (30 Aug - 13 Sep 2019).
IN_WINDOW = "2019-09-05 10:00:00+01:00"
AFTER_WINDOW = "2019-10-01 10:00:00+01:00"


@pytest.fixture
def in_window():
    with time_machine.travel(IN_WINDOW, tick=True):
        yield


@pytest.fixture
def after_window():
    with time_machine.travel(AFTER_WINDOW, tick=True):
        yield


@pytest.fixture
def window(db):
    return make_window()


@pytest.fixture
def activity(alice, window):
    """Alice's activity (bob has nothing to do with it)."""
    return make_activity(lead_officer=alice)
