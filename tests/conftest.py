import pytest
from django.core.management import call_command

import seeding


@pytest.fixture(scope="module")
def seeded_corpus(django_db_setup, django_db_blocker):
    """The corpus app seeded once per module (seed 3), emptied afterwards."""
    with django_db_blocker.unblock():
        seeding.seed("default", seed=3, only=["corpus"])
        yield
        call_command("flush", interactive=False, verbosity=0)
