"""OAuth 2 user tokens renewed with the refresh_token grant where the network hands out a new refresh token at each
renewal and may stop accepting the old one (Tumblr always; Pinterest's continuous tokens).

A refresh token used but not stored is lost for good, and two workers renewing at once burn one token twice. So the
renewal holds the account's row (`SELECT … FOR UPDATE SKIP LOCKED`) from before the call until the new pair is
committed: a second worker finds the row taken and tries later, or finds a newer refresh token than the one it read
and takes it instead of calling. A worker killed between the network's answer and the commit stores nothing: its
successor sends the old refresh token again, which the network accepts once more (its grace) or refuses; refused, the
account is flagged to be reconnected (AuthExpired), never left to fail silently.
"""

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from publishing.adapters.base import AuthExpired, Rejected, TransientError


class RotatingRefresh:
    """Mixed into an Adapter: `call` renews the token once on a 401 and tries again (`renews`); `token_request` is the
    network's token endpoint call (how its client authenticates)."""

    token_path: ClassVar[str]

    def client(self) -> tuple[str, str]:
        app = getattr(settings, "SOCIAL_APPS", {}).get(self.network, {})
        return app.get("client_id", ""), app.get("client_secret", "")

    def token_request(self, form: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def renews(self, error: AuthExpired) -> bool:
        """A 401 is an expired access token, cured by one renewal (`call` then tries again)."""
        return bool(self.credentials.get("refresh_token"))

    def refresh_credentials(self) -> None:
        from publishing.models import SocialAccount

        used = self.credentials.get("refresh_token")
        if not used:
            raise AuthExpired(gettext("%(network)s gave no refresh token: reconnect the account.") % self._named())
        with transaction.atomic():
            row = SocialAccount.objects.select_for_update(skip_locked=True).filter(pk=self.account.pk).first()
            if row is None:
                raise TransientError(gettext("Another worker is renewing this account's token; trying again shortly."))
            if (row.credentials or {}).get("refresh_token") == used:
                self._renew(row, used)
        self.account.credentials, self.account.token_expires_at = row.credentials, row.token_expires_at

    def _renew(self, row, used: str) -> None:
        try:
            token = self.token_request({"grant_type": "refresh_token", "refresh_token": used})
        except Rejected as error:  # the token endpoint refusing the refresh token: only a reconnection helps
            raise AuthExpired(error.reason, http_status=error.http_status) from error
        if not token.get("access_token"):
            raise TransientError(gettext("%(network)s sent no access token.") % self._named())
        row.credentials = {
            **(row.credentials or {}),
            "access_token": token["access_token"],
            "refresh_token": token.get("refresh_token") or used,
        }
        seconds = token.get("expires_in")
        row.token_expires_at = timezone.now() + timedelta(seconds=int(seconds)) if seconds else None
        row.save(update_fields=["credentials", "token_expires_at"])

    def _named(self) -> dict[str, str]:
        return {"network": self.network_name}
