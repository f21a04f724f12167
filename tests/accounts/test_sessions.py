"""Sessions and links: idle sign-out, the e-mail address behind the password, the lifetime of reset and invitation
links."""

import time
from datetime import datetime, timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.middleware import IdleTimeoutMiddleware
from accounts.tokens import InvitationTokenGenerator, invitation_token_generator
from tests.factories import PASSWORD


def _last_seen(client, seconds_ago: float) -> None:
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time() - seconds_ago)
    session.save()


def test_a_session_idle_for_longer_than_the_setting_is_signed_out(client, curator, settings):
    client.force_login(curator)
    client.get(reverse("home"))
    _last_seen(client, settings.SESSION_IDLE_HOURS * 3600 + 60)

    response = client.get(reverse("home"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_signed_in(client, curator, settings):
    client.force_login(curator)
    client.get(reverse("home"))
    _last_seen(client, settings.SESSION_IDLE_HOURS * 3600 - 60)

    assert client.get(reverse("home")).status_code == 200
    assert client.session[IdleTimeoutMiddleware.KEY] >= time.time() - 5  # the activity counts again


def _profile(curator, **extra) -> dict:
    return {"display_name": curator.display_name, "email": curator.email, "language": "en", "time_zone": "", **extra}


def test_changing_the_e_mail_address_needs_the_current_password(client, curator):
    client.force_login(curator)

    refused = client.post(reverse("profile"), _profile(curator, email="thief@evil.example"))
    wrong = client.post(reverse("profile"), _profile(curator, email="thief@evil.example", current_password="nope"))

    assert refused.status_code == wrong.status_code == 200
    assert "Enter your current password to change your e-mail address." in refused.content.decode()
    curator.refresh_from_db()
    assert curator.email == "claire@museum.example"

    client.post(reverse("profile"), _profile(curator, email="claire.d@museum.example", current_password=PASSWORD))
    curator.refresh_from_db()
    assert curator.email == "claire.d@museum.example"


def test_other_profile_fields_change_without_the_password(client, curator):
    client.force_login(curator)

    client.post(reverse("profile"), _profile(curator, display_name="Claire D."))

    curator.refresh_from_db()
    assert curator.display_name == "Claire D."


def _made(generator_class, user, ago: timedelta) -> str:
    class Then(generator_class):
        def _now(self):
            return datetime.now() - ago

    return Then().make_token(user)


def test_a_password_reset_link_lives_hours_not_days(client, curator, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 2 * 3600
    uid = urlsafe_base64_encode(force_bytes(curator.pk))
    fresh = _made(PasswordResetTokenGenerator, curator, timedelta(hours=1))
    stale = _made(PasswordResetTokenGenerator, curator, timedelta(hours=3))

    assert default_token_generator.check_token(curator, fresh)
    assert not default_token_generator.check_token(curator, stale)
    page = client.get(reverse("password_reset_confirm", args=[uid, stale]), follow=True).content.decode()
    assert "This link is invalid or has already been used" in page


def test_an_invitation_link_lives_invitation_days_and_is_not_a_reset_link(curator, settings):
    settings.INVITATION_DAYS = 7

    assert invitation_token_generator.check_token(curator, _made(InvitationTokenGenerator, curator, timedelta(days=6)))
    assert not invitation_token_generator.check_token(
        curator, _made(InvitationTokenGenerator, curator, timedelta(days=8))
    )
    assert not default_token_generator.check_token(curator, invitation_token_generator.make_token(curator))
    assert not invitation_token_generator.check_token(curator, default_token_generator.make_token(curator))
