"""
Request every admin changelist, add page and (for a few rows of each model)
change page as a superuser, and say which answered a server error.

Used in process by tests/test_admin_pages.py and, under another project's
settings, as ``python -m tests.admin_pages [MODULE]``, which logs in as a new
superuser and prints, as JSON, the result for the default admin site or, with
MODULE, for the URLs that ``MODULE.urls()`` lists: an application's own pages.
"""

import json
import sys

import django

#: Rows per model whose change page is requested: the first, middle and last.
ROWS_PER_MODEL = 3


def admin_pages(site, client):
    """
    Return (pages requested, [failure]) for every model registered on
    ``site``; ``client`` is logged in as a superuser. A failure names the
    URL and the error, an exception raised or a status of 500 and above.
    """
    from django.urls import reverse

    pages, failures = 0, []
    for model in sorted(site._registry, key=lambda model: model._meta.label):
        opts = model._meta
        prefix = f"{site.name}:{opts.app_label}_{opts.model_name}"
        urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        for pk in sample_keys(model):
            urls.append(reverse(f"{prefix}_change", args=[pk]))
        pages += len(urls)
        failures += [f"{opts.label} {failure}" for failure in answers(client, urls)]
    return pages, failures


def answers(client, urls):
    """A failure per URL of ``urls`` that answered a server error."""
    failures = []
    for url in urls:
        failure = _failure(client, url)
        if failure:
            failures.append(f"{url}: {failure}")
    return failures


def sample_keys(rows):
    """Primary keys of the first, middle and last of ``rows`` (a model's
    rows, or a queryset's), as the admin quotes them."""
    from django.contrib.admin.utils import quote

    if isinstance(rows, type):
        rows = rows._base_manager.all()
    keys = list(rows.order_by("pk").values_list("pk", flat=True))
    if len(keys) > ROWS_PER_MODEL:
        keys = [keys[0], keys[len(keys) // 2], keys[-1]]
    return [quote(pk) for pk in keys]


def _failure(client, url):
    try:
        response = client.get(url)
    except Exception as exc:  # The page's error is what the test reports.
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return None


def new_superuser(username="admin-pages"):
    """A superuser of a name no seeded row holds, whatever the user model."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    fields = {User.USERNAME_FIELD: username, "password": None}
    if User.EMAIL_FIELD and User.EMAIL_FIELD != User.USERNAME_FIELD:
        fields[User.EMAIL_FIELD] = f"{username}@example.invalid"
    return User._default_manager.create_superuser(**fields)


def main(pages=None):
    from django.contrib import admin
    from django.utils.module_loading import import_string

    if pages is None:
        requested, failures = admin_pages(admin.site, superuser_client())
    else:
        urls = import_string(f"{pages}.urls")()
        requested, failures = len(urls), answers(superuser_client("app-pages"), urls)
    json.dump({"pages": requested, "failures": failures}, sys.stdout, indent=1)


def superuser_client(username="admin-pages"):
    """A test client logged in as a new superuser, ``username``."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # The test client's own hooks, and 'testserver'.
    client = Client()
    client.force_login(new_superuser(username))
    return client


if __name__ == "__main__":
    django.setup()
    main(*sys.argv[1:2])
