from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.static import serve

from museumcm import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("editorial.urls")),
    path("", include("publishing.urls")),
    path("inbox/", include("inbox.urls")),
    path("admin/", admin.site.urls),
    # Uploaded media: served by Django (behind login-free URLs with random names) because Meta fetches images
    # from a public URL; a reverse proxy may serve MEDIA_ROOT directly instead.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        login_not_required(serve),
        {"document_root": settings.MEDIA_ROOT},
    ),
]
