"""URLs for requests on `ASK_HOST`: the public site at the root; the team's pages stay on the app's host."""

from django.urls import include, path

from ask.urls import public_urls

urlpatterns = [path("", include(public_urls))]
