from django.urls import path

from project.urls import urlpatterns as project_urlpatterns

from .admin import site

urlpatterns = [*project_urlpatterns, path("corpus-admin/", site.urls)]
