"""Team flows: inviting a colleague and changing what they may do."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

User = get_user_model()


def invitation_url(*, user, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url + reverse("accept_invitation", args=[uid, token])


@transaction.atomic
def user_invite(*, email: str, display_name: str, role: str, invited_by, site_url: str):
    """Create the colleague's account without a password and e-mail them a link to choose one."""
    user = User(username=email, email=email, display_name=display_name)
    user.set_unusable_password()
    user.save()
    user.set_role(role)
    context = {"user": user, "invited_by": invited_by, "url": invitation_url(user=user, site_url=site_url)}
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return user


def user_remove_from_team(*, user) -> None:
    """Removing keeps the person's history (authored posts, replies) but closes their access."""
    user.groups.clear()
    user.is_active = False
    user.save(update_fields=["is_active"])
