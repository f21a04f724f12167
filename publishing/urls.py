from django.urls import path

from publishing import sandbox_views
from publishing.views import accounts, pause, publications

urlpatterns: list = [
    path("sandbox/", sandbox_views.sandbox_feed, name="sandbox_feed"),
    path("accounts/networks/", accounts.social_accounts, name="social_accounts"),
    path("accounts/networks/<int:pk>/quota/", accounts.account_quota, name="account_quota"),
    path("accounts/networks/<int:pk>/disable/", accounts.account_disable, name="account_disable"),
    path("accounts/networks/connect/<str:network>/", accounts.account_connect, name="account_connect"),
    path("accounts/networks/callback/<str:network>/", accounts.oauth_callback, name="oauth_callback"),
    path("accounts/networks/choose/", accounts.account_choose, name="account_choose"),
    path(
        "publishing/<int:pk>/retry/confirm/",
        publications.publication_retry_confirm,
        name="publication_retry_confirm",
    ),
    path("publishing/<int:pk>/<slug:action>/", publications.publication_action, name="publication_action"),
    path("publishing/pause/", pause.publishing_pause_page, name="publishing_pause_page"),
    path("publishing/pause/start/", pause.publishing_pause, name="publishing_pause"),
    path("publishing/pause/resume/", pause.publishing_resume, name="publishing_resume"),
]
