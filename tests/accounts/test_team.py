import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _invite(admin_client, email="lea@museum.example", role=Role.CURATOR):
    return admin_client.post(reverse("team"), {"email": email, "display_name": "Léa Petit", "role": role})


def _invitation_link(message) -> str:
    return re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)


def test_an_admin_invites_a_colleague_who_sets_a_password_and_signs_in(admin_client, client, settings):
    response = _invite(admin_client, role=Role.COMMUNITY_MANAGER)

    assert response.status_code == 302
    invited = User.objects.get(email="lea@museum.example")
    assert invited.role == Role.COMMUNITY_MANAGER and not invited.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lea@museum.example"]

    path = _invitation_link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    client.logout()
    accepted = client.post(path, {"new_password1": "Vermeer-1632-Delft", "new_password2": "Vermeer-1632-Delft"})

    assert accepted.status_code == 302
    signed_in = client.post(reverse("login"), {"username": "lea@museum.example", "password": "Vermeer-1632-Delft"})
    assert signed_in.status_code == 302 and signed_in.url == reverse("home")


def test_an_invitation_link_works_only_once(admin_client, client, settings):
    _invite(admin_client)
    path = _invitation_link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    client.logout()
    client.post(path, {"new_password1": "Vermeer-1632-Delft", "new_password2": "Vermeer-1632-Delft"})

    again = client.get(path)

    assert again.status_code == 400
    assert "This invitation link is not valid" in again.content.decode()


@pytest.mark.parametrize("path", ["/accounts/invitation/MQ/not-a-token/", "/accounts/invitation/@@@/x-y/"])
def test_an_invalid_invitation_link_explains_itself(client, db, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "ask the administrator who invited you" in response.content.decode().lower()


def test_inviting_an_address_already_in_the_team_is_refused_with_a_reason(admin_client, curator):
    response = _invite(admin_client, email=curator.email.upper())

    assert response.status_code == 200
    assert "already uses this address" in response.content.decode()
    assert User.objects.filter(email__iexact=curator.email).count() == 1


def test_an_admin_changes_a_role_and_removes_a_member(admin_client, curator):
    admin_client.post(reverse("change_role", args=[curator.pk]), {"role": Role.MANAGER})
    curator.refresh_from_db()
    assert curator.role == Role.MANAGER

    admin_client.post(reverse("remove_member", args=[curator.pk]))
    curator.refresh_from_db()
    assert not curator.is_active and curator.role is None


def test_an_admin_cannot_demote_or_remove_themself(admin_client, admin_user):
    admin_client.post(reverse("change_role", args=[admin_user.pk]), {"role": Role.CURATOR})
    admin_client.post(reverse("remove_member", args=[admin_user.pk]))

    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_active


def test_roles_come_from_the_data_migration_with_their_permissions(db):
    from django.contrib.auth.models import Group

    curator_perms = set(Group.objects.get(name=Role.CURATOR).permissions.values_list("codename", flat=True))
    manager_perms = set(Group.objects.get(name=Role.MANAGER).permissions.values_list("codename", flat=True))

    assert "add_idea" in curator_perms and "approve_week" not in curator_perms
    assert "approve_week" in manager_perms and "manage_team" not in manager_perms
