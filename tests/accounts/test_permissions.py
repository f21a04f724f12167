"""The permission matrix: every role against every page of the shell; 200 allowed, 403 refused, 302 to sign in."""

import pytest
from django.urls import reverse

ROLES = ["curator", "community_manager", "manager", "admin", "stranger"]

# page → roles allowed to open it (everyone else gets 403)
STAFF = {"curator", "community_manager", "manager", "admin"}
PLANNERS = {"community_manager", "manager", "admin"}
PAGES = {
    "home": set(ROLES),
    "profile": set(ROLES),
    "calendar": STAFF,
    "calendar_week": STAFF,
    "calendar_list": STAFF,
    "ideas": STAFF,
    "campaigns": STAFF,
    "events": STAFF,
    "slots": STAFF,
    "calendar_feed": STAFF,
    "notifications": set(ROLES),
    "post_new": PLANNERS,
    "inbox": PLANNERS,
    "inbox_questions": STAFF,
    "inbox_saved_replies": PLANNERS,
    "social_accounts": PLANNERS,
    "sandbox_feed": STAFF,
    "team": {"admin"},
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_it_may(client, role_users, role, page):
    client.force_login(role_users[role])

    response = client.get(reverse(page))

    assert response.status_code == (200 if role in PAGES[page] else 403)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(client, db, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["curator", "community_manager", "manager", "stranger"])
def test_only_an_admin_may_invite_change_or_remove_a_member(client, role_users, role):
    target = role_users["stranger" if role != "stranger" else "curator"]
    client.force_login(role_users[role])

    invite = client.post(reverse("team"), {"email": "x@museum.example", "display_name": "X", "role": "admin"})
    change = client.post(reverse("change_role", args=[target.pk]), {"role": "admin"})
    remove = client.post(reverse("remove_member", args=[target.pk]))

    assert (invite.status_code, change.status_code, remove.status_code) == (403, 403, 403)
    target.refresh_from_db()
    assert target.is_active and target.role != "admin"


def _navigation(client) -> str:
    page = client.get(reverse("home")).content.decode()
    start = page.index('class="mainnav"')
    return page[start : page.index("</nav>", start)]


def test_the_navigation_shows_only_what_the_role_may_open(client, curator, community_manager, admin_user):
    client.force_login(curator)
    navigation = _navigation(client)
    assert reverse("team") not in navigation and 'href="/inbox/"' not in navigation
    assert reverse("inbox_questions") in navigation

    client.force_login(community_manager)
    navigation = _navigation(client)
    assert 'href="/inbox/"' in navigation and reverse("inbox_questions") not in navigation

    client.force_login(admin_user)
    assert reverse("team") in _navigation(client)
