from typing import ClassVar

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    # What each role gains here (accounts/roles.py).
    role_permissions: ClassVar[dict[str, list[str]]] = {"admin": ["accounts.manage_team"]}

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import IdleTimeoutMiddleware

        # Django's own hook for every way of signing in (the login view, an accepted invitation, tests' force_login):
        # the idle clock starts at sign-in, so the first pages do not each write the session.
        user_logged_in.connect(IdleTimeoutMiddleware.signed_in, dispatch_uid="museumcm-idle-clock")
