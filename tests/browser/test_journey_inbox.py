"""The inbox journey in real Chromium: a reply arrives on Mastodon, is routed to a curator, drafted, and sent once."""

import pytest
from playwright.sync_api import expect

from inbox.models import Message, Reply
from tests.conftest import browser_login, wait_for
from tests.factories import PublicationFactory
from tests.fakes.mastodon import render

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_a_question_is_synced_routed_drafted_and_answered_once(
    browser, live_server, page, celery_worker, fake_mastodon, mastodon_account, community_manager, curator
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    ours = fake_mastodon._status(render("Nouvelle salle : les primitifs italiens."), fake_mastodon.account, None)
    PublicationFactory(
        account=mastodon_account,
        external_id=ours["id"],
        state="published",
        text="Nouvelle salle : les primitifs italiens.",
    )
    question = fake_mastodon.add_mention(
        "@museum Quelle technique pour ce panneau ? <script>alert(1)</script>",
        in_reply_to=ours["id"],
        acct="lea@ex.social",
    )

    # The community manager asks for a sync: the message appears in the list without reloading the page.
    browser_login(page, community_manager)
    page.goto("/inbox/")
    page.get_by_role("button", name="Refresh now").click()
    row = page.locator("#message-rows .message-row").filter(has_text="Quelle technique")
    expect(row).to_be_visible(timeout=25_000)  # brought in by the list's poller (every 10 s)
    assert Message.objects.filter(external_id=question["id"]).count() == 1

    # …opens the conversation (our post is shown above it) and routes it to the curator.
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Our post")).to_be_visible()
    expect(page.get_by_text("Nouvelle salle : les primitifs italiens.")).to_be_visible()
    page.get_by_role("combobox", name="Curator").select_option(label=str(curator))
    page.get_by_label("Note for the curator").fill("Détrempe ou huile ?")
    page.get_by_role("button", name="Ask for an answer").click()
    expect(page.get_by_text(f"Asked {curator} for an answer.")).to_be_visible()
    conversation_url = page.url

    # The curator finds it under "Questions for me" and drafts an answer.
    curator_context = browser.new_context(locale="en-GB", base_url=live_server.url)
    curator_page = curator_context.new_page()
    browser_login(curator_page, curator)
    curator_page.goto("/inbox/questions/")
    expect(curator_page.get_by_text("Détrempe ou huile ?")).to_be_visible()
    curator_page.get_by_role("link", name="Question from Lea").click()
    curator_page.get_by_label("Draft answer").fill("C'est une détrempe sur panneau de bois.")
    curator_page.get_by_role("button", name="Save draft").click()
    expect(curator_page.get_by_text("Your draft is saved")).to_be_visible()
    curator_context.close()

    # The community manager edits the draft and sends it; the status updates in place.
    page.goto(conversation_url)
    reply_box = page.get_by_label("Your reply")
    expect(reply_box).to_have_value("C'est une détrempe sur panneau de bois.")
    reply_box.fill("C'est une détrempe sur panneau de bois. Merci de votre question !")
    page.get_by_role("button", name="Send reply").click()
    thread = page.locator("#thread")
    expect(thread.locator(".our-reply .badge")).to_have_text("Sent", timeout=20_000)
    expect(thread.get_by_text("Merci de votre question !")).to_be_visible()

    posted = fake_mastodon.received("POST", r"/api/v1/statuses$")
    assert len(posted) == 1
    assert posted[0].fields()["in_reply_to_id"] == question["id"]
    assert "Merci de votre question" in posted[0].fields()["status"]
    assert Reply.objects.get().state == Reply.State.SENT
    assert page.locator("script:not([src])").count() == 0
    assert errors == []


def test_keyboard_moves_through_the_list_and_marks_done(page, community_manager):
    from tests.factories import MessageFactory

    first = MessageFactory(text="Premier message")
    MessageFactory(text="Second message")
    browser_login(page, community_manager)
    page.goto("/inbox/")

    page.locator("#message-rows .message-link").first.focus()  # the shortcuts act while the list has focus
    page.keyboard.press("j")
    expect(page.locator(".message-row.is-current")).to_contain_text("Premier message")
    page.keyboard.press("e")

    expect(page.locator("#message-rows")).not_to_contain_text("Premier message")
    wait_for(lambda: Message.objects.get(pk=first.pk).status == Message.Status.DONE)


def test_a_message_both_drawn_and_polled_is_listed_once(page, community_manager):
    """A sync that commits while the list is drawn puts its message in the rows and in the next poll's answer."""
    from tests.factories import MessageFactory

    before = MessageFactory(text="Déjà là")
    meanwhile = MessageFactory(text="Arrivé pendant l'affichage")
    browser_login(page, community_manager)
    page.goto("/inbox/")
    later = MessageFactory(text="Arrivé ensuite")

    page.evaluate(
        "url => htmx.ajax('GET', url, {target: '#inbox-poller', swap: 'none'})", f"/inbox/new/?after={before.pk}"
    )

    expect(page.locator(f"#message-{later.pk}")).to_have_count(1)
    expect(page.locator(f"#message-{meanwhile.pk}")).to_have_count(1)
    expect(page.locator("#message-rows .message-row")).to_have_count(3)
