"""Roles gather what each app declares (`AppConfig.role_permissions`); every name must be a real permission."""

import itertools

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import LADDER, Role, role_permissions

pytestmark = pytest.mark.django_db


def test_every_permission_an_app_grants_a_role_exists():
    for names in role_permissions().values():
        for name in names:
            app_label, codename = name.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), name


def test_each_role_may_do_what_the_one_before_it_may():
    permissions = role_permissions()
    for lower, higher in itertools.pairwise(LADDER):
        assert set(permissions[lower]) < set(permissions[higher])


def test_the_groups_hold_exactly_the_declared_permissions():
    for role, names in role_permissions().items():
        held = Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
        assert {f"{app}.{codename}" for app, codename in held} == set(names)
    assert "publishing.view_publication" in role_permissions()[Role.CURATOR]
