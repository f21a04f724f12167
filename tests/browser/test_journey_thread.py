"""The thread journey in real Chromium: a community manager writes a post in parts for Bluesky and Facebook.

The editor explains how to write a thread; the live preview shows Bluesky's parts one by one and counts each on its
own (the second is too long, then fixed); Facebook, which has no threads, refuses the parted text with its reason
until the post gets a one-part text there. Saved, the Bluesky publication goes out as a thread on the fake PDS.
"""

import pytest
from playwright.sync_api import expect

from publishing.adapters import get_adapter
from publishing.models import Network
from tests.conftest import browser_login
from tests.factories import PostFactory, PublicationFactory, SocialAccountFactory

pytestmark = [pytest.mark.browser]

OPENING = "Nuit des musées : trois rendez-vous."
SECOND = "19 h, la cour s'illumine."


def test_a_thread_is_written_previewed_part_by_part_and_published_as_a_thread(
    page, community_manager, fake_bluesky, bluesky_account
):
    facebook = SocialAccountFactory(network=Network.FACEBOOK, handle="musee-marceau")
    post = PostFactory(author=community_manager, title="Nuit des musées", text="Brouillon")
    bluesky = PublicationFactory(post=post, account=bluesky_account, text="")
    PublicationFactory(post=post, account=facebook, text="")

    browser_login(page, community_manager)
    page.goto(f"/calendar/posts/{post.pk}/edit/")
    expect(page.get_by_text("put a line with only --- between its parts")).to_be_visible()

    # Two parts, the second one too long for Bluesky: the preview shows each part and names the one at fault.
    page.get_by_label("Master text").fill(f"{OPENING}\n---\n{'a' * 301}")
    bluesky_card = page.locator("#validation .preview-bluesky")
    expect(bluesky_card.locator(".preview-part")).to_have_count(2)
    expect(bluesky_card.locator(".problem-error")).to_have_text(
        "Error: Part 2: Bluesky allows 300 characters; this text has 301."
    )
    facebook_card = page.locator("#validation .preview-facebook")
    expect(facebook_card.locator('.problem-error[data-code="no_threads"]')).to_contain_text("Facebook has no threads")

    # Fixed: the second part shortened, and Facebook given its own text in one part.
    page.get_by_label("Master text").fill(f"{OPENING}\n---\n{SECOND}")
    expect(bluesky_card.locator(".preview-part").nth(1)).to_contain_text(SECOND)
    expect(bluesky_card.locator(".problem-error")).to_have_count(0)
    page.get_by_text("Adapt the text for Facebook").click()
    page.get_by_label(f"Text on {facebook}").fill(f"{OPENING} {SECOND}")
    expect(page.locator("#validation .problem-error")).to_have_count(0)
    expect(facebook_card.locator(".preview-part")).to_have_count(0)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The post is saved.")).to_be_visible()

    bluesky.refresh_from_db()
    assert bluesky.parts == [OPENING, SECOND]
    get_adapter(bluesky_account).publish(bluesky)
    first, second = fake_bluesky.posts()
    assert [first["value"]["text"], second["value"]["text"]] == [OPENING, SECOND]
    assert second["value"]["reply"]["parent"] == {"uri": first["uri"], "cid": first["cid"]}
