"""
Request every admin changelist, add page and (for a few rows of each model)
change page as a superuser, and say which answered a server error.

Used in process by tests/test_admin_pages.py and, under another project's
settings, as ``python -m tests.admin_pages``, which logs in as a new
superuser and prints the result for the default admin site as JSON, with
the pages the setting ``EXTRA_PAGES`` names, if any: the dotted path of a
function returning more URLs to request (an application's own admin, its
site), read once the database holds the rows they show.
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
        for url in urls:
            pages += 1
            failure = _failure(client, url)
            if failure:
                failures.append(f"{opts.label} {url}: {failure}")
    return pages, failures


def sample_keys(model):
    """Primary keys of the first, middle and last rows, as the admin quotes them."""
    from django.contrib.admin.utils import quote

    keys = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
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


def extra_pages(client):
    """(pages requested, [failure]) for the URLs ``settings.EXTRA_PAGES`` lists."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    if not getattr(settings, "EXTRA_PAGES", None):
        return 0, []
    try:
        urls = import_string(settings.EXTRA_PAGES)()
    except Exception as exc:  # Rows the pages cannot even be listed from.
        return 1, [f"{settings.EXTRA_PAGES}: {type(exc).__name__}: {str(exc)[:300]}"]
    failures = [f"{url}: {failure}" for url in urls if (failure := _failure(client, url))]
    return len(urls), failures


def new_superuser(username="admin-pages"):
    """A superuser of a name no seeded row holds, whatever the user model."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    fields = {User.USERNAME_FIELD: username, "password": None}
    if User.EMAIL_FIELD and User.EMAIL_FIELD != User.USERNAME_FIELD:
        fields[User.EMAIL_FIELD] = f"{username}@example.invalid"
    return User._default_manager.create_superuser(**fields)


def main():
    from django.contrib import admin
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # The test client's own hooks, and 'testserver'.
    client = Client()
    client.force_login(new_superuser())
    pages, failures = admin_pages(admin.site, client)
    more, more_failures = extra_pages(client)
    pages, failures = pages + more, failures + more_failures
    json.dump({"pages": pages, "failures": failures}, sys.stdout, indent=1)


if __name__ == "__main__":
    django.setup()
    main()
