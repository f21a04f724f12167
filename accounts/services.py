"""Team flows: inviting a colleague and changing what they may do."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.mail import email_after_commit
from accounts.roles import Role
from accounts.tokens import invitation_token_generator

User = get_user_model()


def invitation_url(*, user, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return site_url + reverse("accept_invitation", args=[uid, token])


@transaction.atomic
def user_invite(*, email: str, display_name: str, role: str, invited_by, site_url: str):
    """Create the colleague's account without a password and e-mail them a link to choose one."""
    user = User(username=email, email=email, display_name=display_name)
    user.set_unusable_password()
    user.save()
    user.set_role(role)
    context = {"user": user, "invited_by": invited_by, "url": invitation_url(user=user, site_url=site_url)}
    email_after_commit(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[email],
    )
    return user


class RoleChangeRefused(Exception):
    """The change would leave the team without an administrator, or someone would change their own access."""


def _administrators():
    return User.objects.active().filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True))


def _refuse_unless_another_admin_remains(*, user, by) -> None:
    if by is not None and user.pk == by.pk:
        raise RoleChangeRefused(_("You cannot change your own access; ask another administrator."))
    # Lock every administrator's row: two administrators demoting each other at once cannot both succeed.
    admins = set(User.objects.select_for_update().filter(pk__in=_administrators().values("pk")).values_list("pk"))
    if admins == {(user.pk,)}:
        message = _("%(name)s is the last administrator: make someone else administrator first.")
        raise RoleChangeRefused(message % {"name": user})


@transaction.atomic
def user_set_role(*, user, role: str, by) -> None:
    """Give `user` exactly the powers of `role` (superuser and staff flags only for an administrator).

    Raises RoleChangeRefused rather than leave the team without an active administrator.
    """
    if role != Role.ADMIN:
        _refuse_unless_another_admin_remains(user=user, by=by)
    user.set_role(role)


@transaction.atomic
def user_remove_from_team(*, user, by) -> None:
    """Removing keeps the person's history (authored posts, replies) but closes their access."""
    _refuse_unless_another_admin_remains(user=user, by=by)
    user.groups.clear()
    user.user_permissions.clear()
    user.is_active = user.is_superuser = user.is_staff = False
    user.save(update_fields=["is_active", "is_superuser", "is_staff"])
