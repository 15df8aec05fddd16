"""
Every corpus model in an admin of its own, with Django's default ModelAdmin:
the pages a project gets by registering a model without more thought.
Served by tests/corpus/urls.py; the project's admin site is left alone.
"""

from django.apps import apps
from django.contrib import admin

site = admin.AdminSite(name="corpus_admin")

for model in apps.get_app_config("corpus").get_models():
    # The admin cannot show a composite primary key (Django 5.2).
    if not model._meta.is_composite_pk:
        site.register(model)
