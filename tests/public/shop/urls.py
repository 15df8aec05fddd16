from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # The storefront and, under dashboard/, oscar's own back office.
    path("", include(apps.get_app_config("oscar").urls[0])),
]
