from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("comments/", include("django_comments.urls")),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
