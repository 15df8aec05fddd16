"""
The application still works on seeded data: every admin changelist, add page
and change page of the seeded demo project answers without a server error.
The third-party corpus is checked the same way in tests/test_thirdparty.py.
"""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction

from tests.admin_pages import admin_pages, new_superuser
from tests.corpus.admin import site as corpus_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="class")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo project seeded at a small scale, rolled back after the class
    (before the corpus is seeded outside any transaction)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed", "--seed", "11", "--scale", "0.1", "--no-migrate", "--noinput",
            "--exclude", "corpus", verbosity=0,
        )
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestDemo:
    def test_every_admin_page_of_the_seeded_demo_answers(self, seeded_demo, client):
        client.force_login(new_superuser())
        pages, failures = admin_pages(admin.site, client)
        assert pages > 3 * len(admin.site._registry)
        assert failures == []


@pytest.mark.django_db
@pytest.mark.urls("tests.corpus.urls")
def test_every_admin_page_of_the_seeded_corpus_answers(seeded_corpus, client):
    """The corpus of hard schemas, each model under Django's default ModelAdmin."""
    client.force_login(new_superuser())
    pages, failures = admin_pages(corpus_site, client)
    assert pages > 3 * len(corpus_site._registry)
    assert failures == []
