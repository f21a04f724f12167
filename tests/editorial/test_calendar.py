"""Month, week and list views: what they show, their filters, moves, and a query count that does not grow."""

import zoneinfo
from datetime import date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.models import Post, WeekApproval
from editorial.services.posts import post_create
from publishing.models import Network, Publication
from tests.factories import CampaignFactory, SocialAccountFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens: the Mastodon adapter falls back to its default limits


def next_month_first() -> date:
    today = timezone.localdate()
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def accounts(db):
    return [
        SocialAccountFactory(network=Network.MASTODON, handle="marceau", server_url=CLOSED_PORT),
        SocialAccountFactory(network=Network.SANDBOX, handle="musee.marceau"),
        SocialAccountFactory(network=Network.INSTAGRAM, handle="museemarceau"),
    ]


def make_posts(n: int, first: date, author, accounts, campaign=None) -> list[Post]:
    return [
        post_create(
            author=author,
            title=f"Post {i}",
            text=f"Texte {i} #MuseumWeek",
            scheduled_at=at(first + timedelta(days=i % 28), 8 + i % 12),
            accounts=accounts,
            campaign=campaign,
        )
        for i in range(n)
    ]


def month_url(first: date, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"month": f"{first:%Y-%m}", **params}.items())
    return f"{reverse('calendar')}?{query}"


def test_calendar_needs_the_view_permission(client, stranger):
    client.force_login(stranger)
    assert client.get(reverse("calendar")).status_code == 403
    assert client.get(reverse("calendar_week")).status_code == 403
    assert client.get(reverse("calendar_list")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("calendar"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={quote(reverse('calendar'))}"


def test_month_view_shows_posts_at_local_time_with_networks_and_today(client, curator, community_manager, accounts):
    first = next_month_first()
    post_create(
        author=community_manager,
        title="Nuit des musées",
        text="Venez !",
        scheduled_at=at(first, 19, 30),
        accounts=accounts,
    )
    client.force_login(curator)
    page = client.get(month_url(first)).content.decode()
    assert "Nuit des musées" in page
    assert ">19:30<" in page
    assert "network-mastodon" in page and "network-instagram" in page
    today_page = client.get(reverse("calendar")).content.decode()
    assert 'aria-current="date"' in today_page


def test_a_junk_month_shows_the_current_month(client, curator):
    client.force_login(curator)
    response = client.get(reverse("calendar") + "?month=junk")
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.parametrize("view", ["calendar", "calendar_week", "calendar_list"])
def test_views_escape_html_and_script_in_titles(client, curator, community_manager, accounts, view):
    day = timezone.localdate() + timedelta(days=1)
    post_create(
        author=community_manager,
        title="<script>alert(1)</script><b>x</b>",
        text="<img src=x onerror=alert(1)>",
        scheduled_at=at(day),
        accounts=accounts,
    )
    client.force_login(curator)
    week = day.isocalendar()
    params = f"?week={week.year}-W{week.week}" if view == "calendar_week" else f"?month={day:%Y-%m}"
    page = client.get(reverse(view) + params).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_filters_by_network_campaign_status_and_author(client, curator, community_manager, manager, accounts):
    first = next_month_first()
    week_campaign = CampaignFactory(name="Museum Week")
    post_create(
        author=community_manager,
        title="Mastodon only",
        text="a",
        scheduled_at=at(first, 9),
        accounts=[accounts[0]],
        campaign=week_campaign,
    )
    other = post_create(
        author=manager, title="Instagram only", text="b", scheduled_at=at(first, 11), accounts=[accounts[2]]
    )
    Post.objects.filter(pk=other.pk).update(status=Post.Status.IN_REVIEW)
    client.force_login(curator)

    def titles(**params):
        page = client.get(month_url(first, **params)).content.decode()
        return {t for t in ("Mastodon only", "Instagram only") if t in page}

    assert titles() == {"Mastodon only", "Instagram only"}
    assert titles(network="mastodon") == {"Mastodon only"}
    assert titles(account=accounts[2].pk) == {"Instagram only"}
    assert titles(campaign=week_campaign.pk) == {"Mastodon only"}
    assert titles(status="in_review") == {"Instagram only"}
    assert titles(author=manager.pk) == {"Instagram only"}


def test_week_view_places_a_post_in_its_hour_and_shows_the_week_state(client, curator, community_manager, accounts):
    first = next_month_first()
    post_create(author=community_manager, title="Atelier", text="a", scheduled_at=at(first, 14, 15), accounts=accounts)
    iso = first.isocalendar()
    WeekApproval.objects.create(year=iso.year, week=iso.week, state=WeekApproval.State.SUBMITTED)
    client.force_login(curator)
    page = client.get(reverse("calendar_week") + f"?week={iso.year}-W{iso.week}").content.decode()
    assert "Atelier" in page
    assert ">14:15<" in page
    assert "Submitted for approval" in page


def test_month_view_shows_each_weeks_approval_state(client, curator):
    first = next_month_first()
    iso = first.isocalendar()
    WeekApproval.objects.create(year=iso.year, week=iso.week, state=WeekApproval.State.APPROVED)
    client.force_login(curator)
    page = client.get(month_url(first)).content.decode()
    assert "week-approved" in page


def test_list_view_groups_posts_by_day_with_publication_states(client, curator, community_manager, accounts):
    first = next_month_first()
    post = post_create(
        author=community_manager, title="Vernissage", text="a", scheduled_at=at(first, 18), accounts=accounts[:1]
    )
    post.publications.update(state=Publication.State.FAILED)
    client.force_login(curator)
    page = client.get(reverse("calendar_list") + f"?month={first:%Y-%m}").content.decode()
    assert "Vernissage" in page
    assert "Failed" in page


def test_clicking_a_post_opens_the_side_panel_fragment(client, curator, community_manager, accounts):
    post = make_posts(1, next_month_first(), community_manager, accounts)[0]
    client.force_login(curator)
    fragment = client.get(reverse("post_detail", args=[post.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and post.title in fragment
    full = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "<html" in full and post.title in full


@pytest.mark.parametrize("view", ["calendar", "calendar_week", "calendar_list"])
def test_views_run_the_same_number_of_queries_for_5_and_500_posts(
    client, curator, community_manager, accounts, django_assert_max_num_queries, view
):
    first = next_month_first()
    params = {"calendar": f"?month={first:%Y-%m}", "calendar_list": f"?month={first:%Y-%m}"}
    iso = first.isocalendar()
    url = reverse(view) + params.get(view, f"?week={iso.year}-W{iso.week}")
    client.force_login(curator)
    make_posts(5, first, community_manager, accounts)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    make_posts(495, first, community_manager, accounts)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Post 4") >= 1


def htmx_move(client, post, day: date, time: str = "10:00"):
    return client.post(
        reverse("post_move", args=[post.pk]), {"day": day.isoformat(), "at": time}, headers={"HX-Request": "true"}
    )


def test_dragging_a_post_to_another_day_moves_it_and_its_publications(client, community_manager, accounts):
    first = next_month_first()
    post = post_create(
        author=community_manager, title="Déplacée", text="a", scheduled_at=at(first, 10), accounts=accounts
    )
    client.force_login(community_manager)
    response = htmx_move(client, post, first + timedelta(days=2), "10:00")
    assert response.status_code == 200
    assert "calendar-changed" in response.headers["HX-Trigger"]
    post.refresh_from_db()
    assert post.scheduled_at == at(first + timedelta(days=2), 10)
    assert set(post.publications.values_list("scheduled_at", flat=True)) == {post.scheduled_at}
    assert post.changes.filter(summary="Moved").exists()


def test_a_move_into_the_past_is_refused_with_a_message(client, community_manager, accounts):
    post = make_posts(1, next_month_first(), community_manager, accounts)[0]
    before = post.scheduled_at
    client.force_login(community_manager)
    response = htmx_move(client, post, timezone.localdate() - timedelta(days=3))
    assert "past" in response.content.decode()
    post.refresh_from_db()
    assert post.scheduled_at == before


def test_a_move_into_the_spring_forward_gap_is_refused(client, community_manager, accounts):
    post = make_posts(1, next_month_first(), community_manager, accounts)[0]
    client.force_login(community_manager)
    response = htmx_move(client, post, date(2027, 3, 28), "02:30")
    assert "does not exist" in response.content.decode()
    post.refresh_from_db()
    assert post.scheduled_at != at(date(2027, 3, 28), 3, 30)


def test_curators_cannot_move_posts(client, curator, community_manager, accounts):
    post = make_posts(1, next_month_first(), community_manager, accounts)[0]
    client.force_login(curator)
    assert htmx_move(client, post, next_month_first() + timedelta(days=3)).status_code == 403


def test_the_keyboard_move_form_moves_without_javascript(client, community_manager, accounts):
    first = next_month_first()
    post = make_posts(1, first, community_manager, accounts)[0]
    client.force_login(community_manager)
    form = client.get(reverse("post_move", args=[post.pk])).content.decode()
    assert 'type="date"' in form and 'type="time"' in form
    response = client.post(
        reverse("post_move", args=[post.pk]), {"day": (first + timedelta(days=5)).isoformat(), "at": "16:45"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.scheduled_at == at(first + timedelta(days=5), 16, 45)


def test_moving_an_approved_post_sends_it_back_to_review(client, community_manager, accounts):
    first = next_month_first()
    post = make_posts(1, first, community_manager, accounts)[0]
    Post.objects.filter(pk=post.pk).update(status=Post.Status.APPROVED)
    post.publications.update(state=Publication.State.DUE)
    client.force_login(community_manager)
    htmx_move(client, post, first + timedelta(days=1), "09:00")
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert set(post.publications.values_list("state", flat=True)) == {Publication.State.PENDING}


def test_a_busy_day_shows_its_first_posts_and_links_to_the_rest(client, curator, community_manager, accounts):
    first = next_month_first()
    for hour in range(8, 15):
        post_create(
            author=community_manager, title=f"À {hour} h", text="x", scheduled_at=at(first, hour), accounts=accounts[:1]
        )
    client.force_login(curator)
    page = client.get(month_url(first)).content.decode()
    assert "À 8 h" in page and "À 11 h" in page and "À 12 h" not in page
    assert "+ 3 more" in page
    assert f"{reverse('calendar_list')}?day={first.isoformat()}" in page
    day_list = client.get(reverse("calendar_list") + f"?day={first.isoformat()}").content.decode()
    assert all(f"À {hour} h" in day_list for hour in range(8, 15))


def test_a_past_post_offers_no_move(client, community_manager, accounts):
    past = post_create(
        author=community_manager,
        title="Hier",
        text="x",
        scheduled_at=timezone.now() - timedelta(days=1),
        accounts=accounts[:1],
    )
    client.force_login(community_manager)
    page = client.get(reverse("calendar")).content.decode()
    if f'data-post="{past.pk}"' not in page:  # yesterday was last month: look there
        page = client.get(month_url(timezone.localdate() - timedelta(days=1))).content.decode()
    chip = page.split(f'data-post="{past.pk}"')[0].rsplit("<div", 1)[1]
    assert "draggable" not in chip
    assert reverse("post_move", args=[past.pk]) not in page
