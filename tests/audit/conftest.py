from tests.monitoring.conftest import in_window  # noqa: F401 - the Q2 2019/20 window's days
