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


def test_an_admin_invites_a_colleague_who_sets_a_password_and_signs_in(admin_client, client, settings, sent_mail):
    with sent_mail():
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


def test_an_invitation_link_works_only_once(admin_client, client, settings, sent_mail):
    with sent_mail():
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


@pytest.mark.parametrize("role", [Role.CURATOR, Role.COMMUNITY_MANAGER, Role.MANAGER])
def test_a_demoted_superuser_has_exactly_the_powers_of_the_new_role(admin_client, role):
    from django.contrib.auth.models import Permission

    from accounts.roles import ROLE_PERMISSIONS

    superuser = User.objects.create_superuser("root", "root@museum.example", "Vermeer-1632-Delft")
    superuser.user_permissions.add(Permission.objects.get(codename="manage_team"))  # given to the person alone
    assert superuser.role == Role.ADMIN

    admin_client.post(reverse("change_role", args=[superuser.pk]), {"role": role})

    demoted = User.objects.get(pk=superuser.pk)
    assert demoted.role == role and not demoted.is_superuser and not demoted.is_staff
    every = {p for names in ROLE_PERMISSIONS.values() for p in names}
    assert {p for p in every if demoted.has_perm(p)} == set(ROLE_PERMISSIONS[role])
    admin_client.force_login(demoted)
    assert admin_client.get(reverse("team")).status_code == 403
    assert admin_client.get("/admin/").status_code == 302  # Django's admin sends non-staff to its sign-in


def test_promoting_to_administrator_gives_the_admin_powers(admin_client, curator):
    admin_client.post(reverse("change_role", args=[curator.pk]), {"role": Role.ADMIN})

    promoted = User.objects.get(pk=curator.pk)
    assert promoted.role == Role.ADMIN and promoted.is_superuser and promoted.is_staff


def test_a_removed_superuser_loses_the_flags_too(admin_client):
    superuser = User.objects.create_superuser("root", "root@museum.example", "Vermeer-1632-Delft")

    admin_client.post(reverse("remove_member", args=[superuser.pk]))

    removed = User.objects.get(pk=superuser.pk)
    assert not (removed.is_active or removed.is_superuser or removed.is_staff)


def test_the_last_administrator_cannot_be_demoted_or_removed(db, admin_user, curator):
    from accounts import services

    with pytest.raises(services.RoleChangeRefused):
        services.user_set_role(user=admin_user, role=Role.CURATOR, by=None)
    with pytest.raises(services.RoleChangeRefused):
        services.user_remove_from_team(user=admin_user, by=None)

    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_active and admin_user.is_superuser


def test_with_two_administrators_one_may_demote_the_other_but_not_then_be_demoted(admin_client, admin_user):
    from accounts import services

    other = User.objects.create_superuser("root", "root@museum.example", "Vermeer-1632-Delft")

    response = admin_client.post(reverse("change_role", args=[other.pk]), {"role": Role.MANAGER}, follow=True)

    assert User.objects.get(pk=other.pk).role == Role.MANAGER
    assert "is now Manager" in response.content.decode()
    with pytest.raises(services.RoleChangeRefused, match="last administrator"):
        services.user_set_role(user=admin_user, role=Role.MANAGER, by=other)


def test_the_role_flags_migration_follows_the_role_groups(db, admin_user, curator):
    from importlib import import_module

    from django.apps import apps

    User.objects.filter(pk=curator.pk).update(is_superuser=True, is_staff=True)  # demoted before the fix
    bare = User.objects.create(username="root", email="root@museum.example", is_superuser=True, is_staff=True)

    import_module("accounts.migrations.0003_role_flags").align_flags(apps, None)

    assert not User.objects.get(pk=curator.pk).is_superuser
    assert User.objects.get(pk=bare.pk).role == Role.ADMIN
    assert User.objects.get(pk=admin_user.pk).is_superuser


def test_the_django_admin_cannot_grant_superuser_or_change_roles_behind_the_team_page(admin_client, curator):
    url = reverse("admin:accounts_user_change", args=[curator.pk])
    assert admin_client.get(url).status_code == 200

    admin_client.post(
        url,
        {
            "username": curator.username,
            "email": curator.email,
            "display_name": "Claire",
            "is_superuser": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    curator.refresh_from_db()
    assert curator.display_name == "Claire"  # the form was saved...
    assert not curator.is_superuser and not curator.is_staff and curator.role == Role.CURATOR  # ...not the powers
