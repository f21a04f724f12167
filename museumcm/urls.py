from django.contrib import admin
from django.urls import include, path

from museumcm import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The public Q&A site first: its readers are the many, and resolving their address then tries 3 patterns, not 80.
    path("ask/", include("ask.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("editorial.urls")),
    path("", include("publishing.urls")),
    path("inbox/", include("inbox.urls")),
    path("insights/", include("insights.urls")),
    path("admin/", admin.site.urls),
    # Uploaded media are served by editorial's views only (signed-in, or a signed link for a network): never as
    # static files from MEDIA_ROOT, where a file would be read by anyone with the type its name suggests.
]
