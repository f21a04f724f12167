"""Flows on social accounts: connect, reconnect, disable, flag for reconnecting, refresh tokens.

Reconnecting an account releases the publications that were held while it could not post: they go out at the next
dispatch.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import email_after_commit
from accounts.models import User
from accounts.roles import Role
from publishing.adapters import get_adapter
from publishing.adapters.base import AdapterError, AuthExpired, TransientError
from publishing.models import Publication, SocialAccount

logger = logging.getLogger("museumcm.publishing")

Status = SocialAccount.Status


def socialaccount_connect(
    *,
    network: str,
    handle: str,
    by,
    credentials: dict,
    display_name: str = "",
    server_url: str = "",
    external_id: str = "",
    avatar_url: str = "",
    token_expires_at: datetime | None = None,
    options: dict | None = None,
    imitates: str = "",
) -> SocialAccount:
    """Create or reconnect the account (one per network and handle) with fresh credentials."""
    with transaction.atomic():
        account, _created = SocialAccount.objects.update_or_create(
            network=network,
            handle=handle,
            defaults={
                "credentials": credentials,
                "display_name": display_name or handle,
                "server_url": server_url,
                "external_id": external_id,
                "avatar_url": avatar_url,
                "token_expires_at": token_expires_at,
                "options": options or {},
                "imitates": imitates,
                "status": Status.CONNECTED,
                "status_reason": "",
                "connected_by": by,
            },
        )
        socialaccount_release(account=account)
    return account


def socialaccount_release(*, account: SocialAccount) -> int:
    """The account can post again: its held publications are dispatched as soon as their time has come."""
    return account.publications.filter(state=Publication.State.DUE, held=True).update(
        held=False, next_attempt_at=None, updated_at=timezone.now()
    )


def socialaccount_disable(*, account: SocialAccount) -> None:
    """Stop posting on this account; its due publications wait (connect it again to release them)."""
    SocialAccount.objects.filter(pk=account.pk).update(status=Status.DISABLED)


def socialaccount_needs_reconnect(*, account: SocialAccount, reason: str) -> bool:
    """The network refused the token: flag the account, hold its due publications, warn the team once."""
    with transaction.atomic():
        flagged = SocialAccount.objects.filter(pk=account.pk, status=Status.CONNECTED).update(
            status=Status.NEEDS_RECONNECT, status_reason=reason
        )
        account.publications.filter(state=Publication.State.DUE).update(held=True, updated_at=timezone.now())
    if flagged:
        account.refresh_from_db()
        _email_team(account)
    return bool(flagged)


def socialaccount_refresh(*, account: SocialAccount) -> bool:
    """Renew the account's token through its adapter; an account the network no longer accepts is flagged."""
    try:
        get_adapter(account).refresh_credentials()
    except TransientError as error:
        logger.warning("refreshing %s failed for now: %s", account, error.reason)
        return False
    except (AuthExpired, AdapterError) as error:
        socialaccount_needs_reconnect(account=account, reason=error.reason)
        return False
    account.save(update_fields=["credentials", "token_expires_at"])
    return True


def accounts_refresh_expiring(*, within: timedelta = timedelta(days=1)) -> int:
    """Refresh every connected account whose token expires within `within`; returns how many were renewed."""
    soon = timezone.now() + within
    accounts = SocialAccount.objects.connected().filter(token_expires_at__lte=soon)
    return sum(socialaccount_refresh(account=account) for account in accounts)


def _email_team(account: SocialAccount) -> None:
    recipients = list(
        User.objects.filter(groups__name__in=[Role.COMMUNITY_MANAGER, Role.MANAGER], is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    subject = _("Reconnect %(account)s: its publications are waiting") % {"account": account}
    body = _(
        "%(network)s no longer accepts museumcm's access to %(account)s (%(reason)s).\n\n"
        "Its scheduled publications are held until someone reconnects it: %(url)s"
    ) % {
        "network": account.get_network_display(),
        "account": account,
        "reason": account.status_reason,
        "url": settings.SITE_URL + reverse("social_accounts"),
    }
    email_after_commit(subject=subject, body=body, to=recipients)
