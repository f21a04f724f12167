from django.urls import path

from publishing import sandbox_views

urlpatterns: list = [
    path("sandbox/", sandbox_views.sandbox_feed, name="sandbox_feed"),
]
