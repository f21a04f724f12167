"""Ask the museum in real Chromium: a visitor's question on a phone, through the team's inbox, to the public site."""

from datetime import datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from ask.models import Question, Theme
from ask.publication import asker_notify
from ask.services import channel_account, question_of_the_day_release
from editorial.models import Post
from inbox.models import Message, Reply
from inbox.sending import reply_send
from inbox.sync import account_sync
from publishing.models import Network
from tests.conftest import browser_login
from tests.factories import SocialAccountFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _no_earlier_questions_counted():
    """The per-address counters live in the cache (Redis), shared with the tests before."""
    cache.clear()


PHONE = {"width": 390, "height": 844}
EMAIL = "lea.visitor@example.org"


def _phone(browser, live_server, **options):
    context = browser.new_context(locale="en-GB", base_url=live_server.url, viewport=PHONE, **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _signed_in(browser, live_server, user):
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    browser_login(page, user)
    return context, page


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_visitors_question_becomes_the_question_of_the_day_and_a_social_post(
    browser, live_server, page, settings, community_manager, curator, manager
):
    settings.ASK_MIN_FILL_SECONDS = 0.2
    settings.ASK_DAILY_HOUR = 10
    Theme.objects.create(slug="origins", name_fr="Origines", name_en="Origins")
    SocialAccountFactory(network=Network.MASTODON, handle="musee@example.social")
    channel_account()

    # A visitor on a phone asks, with an e-mail address.
    visitor_context, visitor = _phone(browser, live_server)
    visitor.goto("/ask/")
    visitor.get_by_label("Your question").fill("Depuis quand sait-on faire du feu ?")
    expect(visitor.locator("#question-counter")).to_have_text("565 of 600 characters left.")
    visitor.get_by_label("Your first name (optional)").fill("Léa")
    visitor.get_by_label("Your e-mail address (optional)").fill(EMAIL)
    visitor.get_by_label("I agree to be e-mailed once").check()
    visitor.wait_for_timeout(300)  # a person takes longer than the minimum time to fill
    visitor.get_by_role("button", name="Send my question").click()
    expect(visitor.get_by_role("heading", name="Thank you for your question!")).to_be_visible()
    assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # One sync brings it into the inbox; the community manager routes it to the curator.
    account_sync(account=channel_account())
    cm_context, cm = _signed_in(browser, live_server, community_manager)
    cm.goto("/inbox/")
    row = cm.locator("#message-rows .message-row").filter(has_text="Depuis quand sait-on faire du feu ?")
    row.get_by_role("link").first.click()
    cm.get_by_role("combobox", name="Curator").select_option(label=str(curator))
    cm.get_by_role("button", name="Ask for an answer").click()
    expect(cm.get_by_text(f"Asked {curator} for an answer.")).to_be_visible()

    # The curator drafts the answer, with an image described for those who cannot see it.
    curator_context, expert = _signed_in(browser, live_server, curator)
    expert.goto("/inbox/questions/")
    expert.get_by_role("link", name="Question from Léa").click()
    answer = "Depuis au moins 400 000 ans.\n\n![Un foyer préhistorique](/static/img/favicon.svg)"
    expert.get_by_label("Draft answer").fill(answer)
    expert.get_by_role("button", name="Save draft").click()
    expect(expert.get_by_text("Your draft is saved")).to_be_visible()
    curator_context.close()

    # The manager approves it as the question of the day, in the question's inbox conversation.
    question = Question.objects.get()
    manager_context, boss = _signed_in(browser, live_server, manager)
    boss.goto(f"/inbox/{Message.objects.get(external_id=question.external_id).pk}/")
    expect(boss.get_by_role("textbox", name="Answer:")).to_have_value(answer)
    boss.get_by_label("Theme").select_option(label="Origins")
    boss.get_by_role("button", name="Approve as question of the day").click()
    expect(boss.get_by_text("Added to the question-of-the-day queue.")).to_be_visible()
    expect(boss.get_by_text("Approved: the question of the day on")).to_be_visible()
    manager_context.close()
    assert visitor.goto(f"/ask/answers/{question.make_slug()}/").status == 404

    # At the set hour (beat's function, on a controlled clock) it goes out through the reply pipeline, once.
    tomorrow = timezone.localtime() + timedelta(days=1)
    at_ten = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, 0, tzinfo=timezone.get_current_timezone())
    assert question_of_the_day_release(now=at_ten - timedelta(minutes=1)) is None
    assert question_of_the_day_release(now=at_ten).pk == question.pk
    reply = Reply.objects.get(state=Reply.State.QUEUED)
    assert reply_send(reply_id=reply.pk) == Reply.State.SENT
    asker_notify(question_id=question.pk)  # the task enqueued after commit

    question.refresh_from_db()
    visitor.goto(question.get_absolute_url())
    expect(visitor.get_by_role("heading", name="Depuis quand sait-on faire du feu ?")).to_be_visible()
    expect(visitor.get_by_role("img", name="Un foyer préhistorique")).to_be_visible()
    visitor.goto("/ask/answers/")
    expect(visitor.get_by_role("link", name="Depuis quand sait-on faire du feu ?")).to_be_visible()
    assert "Depuis quand sait-on faire du feu ?" in visitor.request.get(f"{live_server.url}/ask/feed/").text()
    told = [sent for sent in mail.outbox if sent.to == [EMAIL]]
    assert len(told) == 1 and question.get_absolute_url() in told[0].body
    assert question.email == ""
    visitor_context.close()

    # The community manager turns it into a social post.
    cm.goto("/ask/team/")
    cm.get_by_role("listitem").filter(has_text="Depuis quand").get_by_role(
        "button", name="Turn into a social post"
    ).click()
    expect(cm.get_by_text("A draft post is ready at the next free slot")).to_be_visible()
    post = Post.objects.get()
    assert question.public_url() in post.publications.get().text
    cm_context.close()


@pytest.mark.parametrize("path", ["/ask/", "/ask/answers/", "/ask/themes/origins/", "ANSWER", "/ask/thanks/"])
def test_public_pages_pass_axe_at_phone_width(browser, live_server, page, path):
    theme = Theme.objects.create(slug="origins", name_fr="Origines", name_en="Origins")
    question = Question.objects.create(text="Qui était Lucy ?", theme=theme, language="fr")
    Question.objects.filter(pk=question.pk).update(
        state="published", answer="Une australopithèque.", published_at=timezone.now(), slug=question.make_slug()
    )
    context, phone = _phone(browser, live_server)
    phone.goto(question.make_slug().join(["/ask/answers/", "/"]) if path == "ANSWER" else path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _serious_violations(phone) == []
    context.close()


def test_the_pages_read_and_the_form_works_without_javascript(browser, live_server, page, settings):
    settings.ASK_MIN_FILL_SECONDS = 0.2
    context, phone = _phone(browser, live_server, java_script_enabled=False)
    phone.goto("/ask/")
    expect(phone.locator("#question-counter")).to_have_text("600 characters at most.")
    phone.get_by_label("Your question").fill("Pourquoi avons-nous un menton ?")
    phone.wait_for_timeout(300)
    phone.get_by_role("button", name="Send my question").click()
    expect(phone.get_by_role("heading", name="Thank you for your question!")).to_be_visible()
    assert Question.objects.get().text == "Pourquoi avons-nous un menton ?"

    phone.goto("/ask/")
    box = phone.get_by_label("Your question")
    box.fill("x" * 700)  # without the counter, the browser itself stops at the limit, visibly
    assert len(box.input_value()) == 600
    context.close()
