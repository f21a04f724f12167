"""The live desk journey in real Chromium at 390 px, with a real Celery worker on Redis.

A community manager prepares a live session with three posts on two sandbox accounts; the manager approves it; during
the "event" the community manager publishes them one tap at a time as a thread; a sandbox visitor's reply to the first
appears in the live column. Each post exists exactly once on the sandbox, each answering the one before.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from editorial.models import LiveSession
from publishing.models import SandboxPost, SandboxReply
from tests.conftest import browser_login
from tests.editorial.live_helpers import RUN_SHEET
from tests.factories import MuseumEventFactory, SocialAccountFactory
from tests.publishing.pipeline import start_worker

pytestmark = [pytest.mark.browser, pytest.mark.worker]
PHONE = {"width": 390, "height": 844}


def phone(browser, live_server, user):
    context = browser.new_context(locale="en-GB", base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, user)
    return page


def test_a_live_session_is_prepared_approved_and_published_tap_by_tap_as_a_thread(
    page, browser, live_server, celery_worker_factory, community_manager, manager
):
    # `page` is unused but sets up the live server's static files; each person gets their own phone below.
    event = MuseumEventFactory(title="Nocturne d'hiver")
    accounts = [
        SocialAccountFactory(display_name="Musée Marceau"),
        SocialAccountFactory(display_name="Marceau Jeunesse"),
    ]
    start_worker(celery_worker_factory)
    cm = phone(browser, live_server, community_manager)

    # The community manager prepares the session and its run sheet.
    cm.goto("/live/")
    cm.get_by_label("Title").fill("Nocturne en direct")
    cm.get_by_label("Event").select_option(label="Nocturne d'hiver")
    for account in accounts:
        cm.get_by_label(str(account)).check()
    cm.get_by_label("Hashtag").fill("#NuitAuMusee")
    cm.get_by_role("button", name="Create the session").click()
    expect(cm.get_by_role("heading", name="Nocturne en direct")).to_be_visible()
    for number, text in enumerate(RUN_SHEET):
        if number:
            cm.get_by_text("Add a post to the run sheet").click()
        cm.get_by_label("Text").fill(text)
        cm.get_by_role("button", name="Add the post").click()
        expect(cm.get_by_text("The post is added to the run sheet.")).to_be_visible()
    expect(cm.locator(".live-entry")).to_have_count(3)
    expect(cm.locator(".live-tap")).to_have_count(0)  # nothing can go out before the approval
    session = LiveSession.objects.get(event=event)

    # The manager approves the session as a whole.
    boss = phone(browser, live_server, manager)
    boss.goto(f"/live/{session.pk}/")
    boss.get_by_role("button", name="Approve the session").click()
    expect(boss.get_by_text("The live session is approved")).to_be_visible()
    boss.context.close()

    # During the event: one tap per post, each one's status on both networks within seconds.
    cm.reload()
    entries = cm.locator(".live-entry")
    for number in range(3):
        entry = entries.nth(number)
        entry.get_by_role("button", name="Publish now").click()
        expect(entry.locator(".live-target .badge-ok")).to_have_count(2)
        expect(entry.get_by_role("button", name="Publish now")).to_have_count(0)

    # A visitor answers the first post on the sandbox: the reply streams into the live column.
    first = SandboxPost.objects.filter(account=accounts[0]).order_by("pk").first()
    SandboxReply.objects.create(
        post=first,
        in_reply_to=first.external_id,
        author_handle="lea.martin",
        author_name="Léa Martin",
        text="Quelle belle soirée, merci !",
        language="fr",
        created_at=timezone.now(),
    )
    expect(cm.locator("#live-column-messages")).to_contain_text("Quelle belle soirée, merci !", timeout=40_000)

    # Each post exists exactly once on each account, each answering the one before.
    for account in accounts:
        posts = list(SandboxPost.objects.filter(account=account).order_by("pk"))
        assert [p.text for p in posts] == RUN_SHEET
        assert [p.in_reply_to for p in posts] == ["", posts[0].external_id, posts[1].external_id]
    cm.context.close()
