from django.contrib import admin
from django.urls import include, path

from museumcm import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("editorial.urls")),
    path("", include("publishing.urls")),
    path("inbox/", include("inbox.urls")),
    path("insights/", include("insights.urls")),
    path("ask/", include("ask.urls")),
    path("admin/", admin.site.urls),
    # Uploaded media are served by editorial's views only (signed-in, or a signed link for a network): never as
    # static files from MEDIA_ROOT, where a file would be read by anyone with the type its name suggests.
]
