import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import PASSWORD


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The whole demo data set, loaded once per test module and rolled back after it:
    each test still runs in its own savepoint inside this transaction."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_module, db):
    return None
