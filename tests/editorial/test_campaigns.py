"""Campaigns: create and change with checked input, a page listing their posts, permissions per role."""

import datetime

import pytest
from django.urls import reverse

from editorial.models import Campaign
from tests.factories import CampaignFactory, PostFactory

VALID = {
    "name": "MuseumWeek 2030",
    "hashtags": "#MuseumWeek, #MuseumWeek2030",
    "starts_on": "2030-06-15",
    "ends_on": "2030-06-21",
    "colour": "#1F5FBF",
    "goal": "Faire découvrir les réserves.",
}


def test_a_community_manager_creates_a_campaign(client, community_manager):
    client.force_login(community_manager)

    response = client.post(reverse("campaign_create"), VALID)

    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == reverse("campaign_detail", args=[campaign.pk])
    assert (campaign.hashtags, campaign.colour) == ("#MuseumWeek #MuseumWeek2030", "#1f5fbf")
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2030, 6, 15), datetime.date(2030, 6, 21))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "required"),
        ({"hashtags": "#Museum Week #ok, museum"}, "hashtags", "Week, museum"),
        ({"colour": "red"}, "colour", "#7a4b9a"),
        ({"ends_on": "2030-06-01"}, "ends_on", "ends before it starts"),
    ],
)
def test_bad_campaign_input_gets_a_clear_message_and_keeps_the_rest(client, community_manager, changes, field, message):
    client.force_login(community_manager)

    response = client.post(reverse("campaign_create"), {**VALID, **changes})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Faire découvrir les réserves." in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_campaign_page_lists_its_posts_in_time_order(client, curator):
    campaign = CampaignFactory(name="MuseumWeek")
    later = PostFactory(campaign=campaign, title="Deuxième")
    PostFactory(campaign=campaign, title="Première", scheduled_at=later.scheduled_at - datetime.timedelta(hours=1))
    PostFactory(title="Hors campagne")
    client.force_login(curator)

    response = client.get(reverse("campaign_detail", args=[campaign.pk]))

    assert [p.title for p in response.context["posts"]] == ["Première", "Deuxième"]
    assert "Hors campagne" not in response.content.decode()


def test_the_campaign_list_queries_do_not_grow(client, curator, django_assert_max_num_queries):
    for campaign in CampaignFactory.create_batch(20):
        PostFactory(campaign=campaign)
    client.force_login(curator)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("campaigns"))

    assert len(response.context["campaigns"]) == 20


@pytest.mark.parametrize("role", ["curator", "community_manager", "manager", "admin", "stranger"])
def test_who_may_see_create_and_change_campaigns(client, role_users, role):
    campaign = CampaignFactory()
    client.force_login(role_users[role])

    listing = client.get(reverse("campaigns")).status_code
    create = client.post(reverse("campaign_create"), VALID).status_code
    change = client.post(reverse("campaign_edit", args=[campaign.pk]), VALID).status_code

    if role == "stranger":
        assert (listing, create, change) == (403, 403, 403)
    elif role == "curator":
        assert (listing, create, change) == (200, 403, 403)
    else:
        assert (listing, create, change) == (200, 302, 302)
