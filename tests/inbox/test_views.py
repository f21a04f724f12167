"""The inbox pages as each role sees them: permissions, filters, bulk actions, safety, constant query counts."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inbox.models import Message, Presence, Reply, SavedReply
from inbox.selectors import response_times
from inbox.views.listing import PAGE_SIZE
from publishing.models import Network
from tests.factories import CampaignFactory, MessageFactory, PostFactory, PublicationFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "inbox_status", "questions_status"),
    [
        ("curator", 403, 200),
        ("community_manager", 200, 200),
        ("manager", 200, 200),
        ("admin", 200, 200),
        ("stranger", 403, 403),
    ],
)
def test_each_role_sees_what_it_may(client, role_users, role, inbox_status, questions_status):
    message = MessageFactory()
    signed_in(client, role_users[role])
    assert client.get(reverse("inbox")).status_code == inbox_status
    assert client.get(reverse("inbox_conversation", args=[message.pk])).status_code == inbox_status
    assert client.get(reverse("inbox_questions")).status_code == questions_status
    answer_status = 302 if inbox_status == 200 else 403
    response = client.post(reverse("inbox_status", args=[message.pk]), {"status": "done"})
    assert response.status_code == answer_status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_curator_sees_only_questions_routed_to_them(client, curator, community_manager):
    mine = MessageFactory(routed_to=curator, route_note="Vous savez ?", routed_by=community_manager)
    other = MessageFactory()
    signed_in(client, curator)

    page = client.get(reverse("inbox_questions")).content.decode()

    assert mine.author_name in page
    assert "Vous savez ?" in page
    assert client.get(reverse("inbox_question", args=[mine.pk])).status_code == 200
    assert client.get(reverse("inbox_question", args=[other.pk])).status_code == 404
    assert client.post(reverse("inbox_reply", args=[mine.pk]), {"text": "Oui"}).status_code == 403


def _list_queries(client, count, user):
    account = SocialAccountFactory()
    for n in range(count):
        post = PostFactory(campaign=CampaignFactory(), author=user)
        publication = PublicationFactory(account=account, post=post)
        MessageFactory(account=account, publication=publication, assignee=user, routed_to=user, text=f"m{n}")
    cache.clear()  # the worst case: counts per network recomputed too
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("inbox"))
    assert response.status_code == 200
    return len(queries)


def test_the_inbox_list_runs_the_same_number_of_queries_for_5_and_200_messages(
    client, community_manager, django_assert_max_num_queries
):
    signed_in(client, community_manager)
    few = _list_queries(client, 5, community_manager)
    Message.objects.all().delete()
    many = _list_queries(client, 200, community_manager)
    assert few == many
    cache.clear()
    with django_assert_max_num_queries(few):
        client.get(reverse("inbox"))


def test_filters_narrow_the_list(client, community_manager):
    mastodon = SocialAccountFactory(network=Network.MASTODON, handle="museum@fake.social")
    campaign = CampaignFactory(name="MuseumWeek")
    publication = PublicationFactory(account=mastodon, post=PostFactory(campaign=campaign))
    on_post = MessageFactory(account=mastodon, publication=publication, text="On the campaign post")
    mention = MessageFactory(account=mastodon, kind=Message.Kind.MENTION, text="A mention", assignee=community_manager)
    sandbox = MessageFactory(text="Sur le bac à sable")
    done = MessageFactory(text="Already answered", status=Message.Status.DONE)
    signed_in(client, community_manager)

    def shown(**params):
        rows = client.get(reverse("inbox"), params).context["rows"]
        return {m.pk for m in rows}

    assert shown() == {on_post.pk, mention.pk, sandbox.pk}
    assert shown(network="mastodon") == {on_post.pk, mention.pk}
    assert shown(account=mastodon.pk, kind="mention") == {mention.pk}
    assert shown(assignee="me") == {mention.pk}
    assert shown(assignee="none") == {on_post.pk, sandbox.pk}
    assert shown(campaign=campaign.pk) == {on_post.pk}
    assert shown(post=publication.post_id) == {on_post.pk}
    assert shown(status="done") == {done.pk}
    assert shown(q="bac a sable") == {sandbox.pk}
    assert shown(network="not-a-network") == {on_post.pk, mention.pk, sandbox.pk}  # a stale link still works


def test_counts_per_network_show_open_and_unread(client, community_manager):
    MessageFactory(read=True)
    MessageFactory()
    MessageFactory(status=Message.Status.DONE)
    signed_in(client, community_manager)
    counts = client.get(reverse("inbox")).context["counts"]
    assert counts == [{"account__network": "sandbox", "open": 2, "unread": 1}]


def test_bulk_actions_mark_done_spam_and_assign(client, community_manager, manager):
    first, second, third = MessageFactory(), MessageFactory(), MessageFactory()
    signed_in(client, community_manager)
    url = reverse("inbox_bulk")

    client.post(url, {"ids": [first.pk, second.pk], "action": "done"})
    client.post(url, {"ids": [third.pk], "action": "spam"})
    client.post(url, {"ids": [first.pk, third.pk], "action": "assign", "assignee": manager.pk})
    response = client.post(url, {"action": "done"}, follow=True)

    assert Message.objects.get(pk=first.pk).status == Message.Status.DONE
    assert Message.objects.get(pk=second.pk).status == Message.Status.DONE
    assert Message.objects.get(pk=third.pk).status == Message.Status.SPAM
    assert set(Message.objects.filter(assignee=manager).values_list("pk", flat=True)) == {first.pk, third.pk}
    assert "Select at least one message." in response.content.decode()


class ActiveContent(HTMLParser):
    """Collects what could run in the page: scripts without src, style elements, event handlers, js: links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style" or (tag == "script" and not attributes.get("src")):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def assert_no_active_content(page: str) -> None:
    parser = ActiveContent()
    parser.feed(page)
    assert parser.found == []


HOSTILE = [
    "<script>alert('x')</script><style>body{display:none}</style>",
    '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">clic</a>',
    "مرحبا، هل المتحف مفتوح يوم الإثنين؟ שלום",
    "👩🏽‍🎨👨‍👩‍👧‍👦🏳️‍🌈 family 🇫🇷",
    "long " * 2000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_and_unusual_text_is_shown_escaped_and_whole(client, community_manager, text):
    message = MessageFactory(text=text, author_name="<b onmouseover=alert(1)>Eve</b>")
    signed_in(client, community_manager)

    for url in (reverse("inbox"), reverse("inbox_conversation", args=[message.pk])):
        assert_no_active_content(client.get(url).content.decode())
    conversation = client.get(reverse("inbox_conversation", args=[message.pk])).content.decode()
    if "long" in text:
        assert conversation.count("long ") >= 2000
    if "مرحبا" in text:
        assert "مرحبا" in conversation and 'dir="auto"' in conversation
    if "👩🏽‍🎨" in text:
        assert "👩🏽‍🎨👨‍👩‍👧‍👦🏳️‍🌈" in conversation


def test_links_in_messages_are_clickable_but_nofollow(client, community_manager):
    message = MessageFactory(text="Voir https://example.org/expo?x=1 merci")
    signed_in(client, community_manager)
    page = client.get(reverse("inbox_conversation", args=[message.pk])).content.decode()
    assert '<a href="https://example.org/expo?x=1" rel="nofollow noopener">' in page


def test_too_long_a_reply_is_refused_with_the_text_kept(client, community_manager, mastodon_account):
    message = MessageFactory(account=mastodon_account)
    signed_in(client, community_manager)
    text = "Merci ! " * 80

    response = client.post(reverse("inbox_reply", args=[message.pk]), {"text": text})

    assert response.status_code == 200
    page = response.content.decode()
    assert "500" in page and 'aria-invalid="true"' in page
    assert text.strip() in page
    assert not Reply.objects.exists()


def test_an_empty_reply_is_refused(client, community_manager):
    message = MessageFactory()
    signed_in(client, community_manager)
    response = client.post(reverse("inbox_reply", args=[message.pk]), {"text": ""})
    assert response.status_code == 200
    assert not Reply.objects.exists()


def test_ask_an_expert_route_draft_then_send(client, community_manager, curator):
    message = MessageFactory(text="Quelle technique pour ce tableau ?")
    signed_in(client, community_manager)
    client.post(reverse("inbox_route", args=[message.pk]), {"expert": curator.pk, "note": "Détrempe ?"})
    message.refresh_from_db()
    assert message.routed_to == curator

    signed_in(client, curator)
    client.post(reverse("inbox_question", args=[message.pk]), {"text": "C'est une détrempe sur bois."})
    draft = Reply.objects.get(message=message)
    assert draft.state == Reply.State.DRAFT and draft.author == curator

    signed_in(client, community_manager)
    page = client.get(reverse("inbox_conversation", args=[message.pk])).content.decode()
    assert "C&#x27;est une détrempe sur bois." in page
    client.post(reverse("inbox_reply", args=[message.pk]), {"text": "C'est une détrempe sur bois, merci !"})

    sent = Reply.objects.get(message=message)  # the draft itself became the reply: one row, never two
    assert sent.pk == draft.pk
    assert sent.state == Reply.State.QUEUED
    assert sent.author == curator and sent.sent_by == community_manager
    assert sent.text == "C'est une détrempe sur bois, merci !"


def test_saved_replies_fill_in_the_authors_name(client, community_manager):
    message = MessageFactory(author_name="Léa Martin")
    SavedReply.objects.create(title="Merci", text="Merci {author} ! {unknown}")
    signed_in(client, community_manager)
    saved = SavedReply.objects.get()

    page = client.get(reverse("inbox_conversation", args=[message.pk]), {"saved": saved.pk}).content.decode()

    assert "Merci Léa Martin ! {unknown}</textarea>" in page


def test_saved_replies_can_be_added_and_deleted(client, community_manager):
    signed_in(client, community_manager)
    client.post(reverse("inbox_saved_replies"), {"title": "Horaires", "text": "Ouvert de 9 h à 18 h."})
    saved = SavedReply.objects.get()
    client.post(reverse("inbox_saved_reply_delete", args=[saved.pk]))
    assert not SavedReply.objects.exists()


def test_colleagues_see_who_is_viewing_and_replying(client, community_manager, manager):
    message = MessageFactory()
    signed_in(client, manager)
    client.get(reverse("inbox_conversation", args=[message.pk]))
    client.post(reverse("inbox_presence", args=[message.pk]), {"activity": "replying"})
    assert Presence.objects.get(user=manager).activity == "replying"

    signed_in(client, community_manager)
    page = client.get(reverse("inbox_conversation", args=[message.pk])).content.decode()
    assert f"{manager} is replying" in page
    Presence.objects.update(seen_at=timezone.now() - timezone.timedelta(minutes=5))
    assert f"{manager} is" not in client.get(reverse("inbox_presence", args=[message.pk])).content.decode()


def test_new_messages_are_served_to_the_poller(client, community_manager):
    old = MessageFactory(text="old one")
    signed_in(client, community_manager)
    new = MessageFactory(text="brand new")

    page = client.get(reverse("inbox_new"), {"after": old.pk}, HTTP_HX_REQUEST="true").content.decode()

    assert "brand new" in page and "old one" not in page
    assert f"after={new.pk}" in page
    assert 'hx-swap-oob="afterbegin:#message-rows"' in page


def test_a_burst_bigger_than_a_page_reaches_the_list_over_several_polls(client, community_manager):
    old = MessageFactory(text="old one")
    signed_in(client, community_manager)
    burst = MessageFactory.create_batch(PAGE_SIZE + 3)

    first = client.get(reverse("inbox_new"), {"after": old.pk}, HTTP_HX_REQUEST="true").content.decode()
    second = client.get(reverse("inbox_new"), {"after": _poller_after(first)}, HTTP_HX_REQUEST="true").content.decode()

    def shown(page):
        return {message.pk for message in burst if f'data-id="{message.pk}"' in page}

    assert len(shown(first)) == PAGE_SIZE
    assert shown(first) | shown(second) == {message.pk for message in burst}


def test_a_message_synced_while_the_list_is_drawn_reaches_the_list_or_its_poller(client, community_manager):
    old = MessageFactory(text="old one")
    signed_in(client, community_manager)
    arrived = []

    def sync_commits_meanwhile(execute, sql, params, many, context):
        """A worker's sync commits a message right after the list's first read of the messages."""
        result = execute(sql, params, many, context)
        if not arrived and 'FROM "inbox_message"' in sql:
            arrived.append(MessageFactory(text="arrived meanwhile"))
        return result

    with connection.execute_wrapper(sync_commits_meanwhile):
        page = client.get(reverse("inbox")).content.decode()

    (new,) = arrived
    poller = client.get(reverse("inbox_new"), {"after": _poller_after(page)}, HTTP_HX_REQUEST="true")
    assert "arrived meanwhile" in page or "arrived meanwhile" in poller.content.decode()
    assert old.pk < new.pk


def _poller_after(page: str) -> int:
    return int(page.split('id="inbox-poller"', 1)[1].split("after=", 1)[1].split('"', 1)[0].split("&", 1)[0])


def test_response_times_give_median_and_90th_percentile_per_network_and_week(client, community_manager):
    now = timezone.now()
    for seconds in (60, 120, 600):
        created = now - timezone.timedelta(hours=2)
        MessageFactory(created_at=created, first_response_at=created + timezone.timedelta(seconds=seconds))
    MessageFactory()  # not answered: not counted

    (row,) = response_times()

    assert row.network == "sandbox"
    assert row.answered == 3
    assert row.median_s == pytest.approx(120)
    assert row.p90_s == pytest.approx(504)
    signed_in(client, community_manager)
    assert "8 min" in client.get(reverse("inbox")).content.decode()


def test_home_shows_open_conversations_and_questions_for_me(client, community_manager, curator):
    MessageFactory(text="Ouvert le lundi ?", assignee=community_manager)
    MessageFactory(text="Quelle technique ?", routed_to=curator)

    signed_in(client, community_manager)
    page = client.get(reverse("home")).content.decode()
    assert "2 open conversations" in page and "1 assigned to you" in page

    signed_in(client, curator)
    page = client.get(reverse("home")).content.decode()
    assert "Questions for me" in page and "Quelle technique ?" in page
    assert "Ouvert le lundi ?" not in page


def test_a_failed_reply_shows_its_reason_and_can_be_retried(
    client, community_manager, django_capture_on_commit_callbacks
):
    message = MessageFactory()
    failed = Reply.objects.create(
        message=message, author=community_manager, text="Merci !", state=Reply.State.FAILED, error="Trop long pour X."
    )
    signed_in(client, community_manager)
    page = client.get(reverse("inbox_conversation", args=[message.pk])).content.decode()
    assert "Trop long pour X." in page and "Try again" in page

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("inbox_reply_retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.state == Reply.State.QUEUED and failed.error == ""
    assert len(callbacks) == 1  # the send task is enqueued once, after commit
    client.post(reverse("inbox_reply_retry", args=[failed.pk]))  # a double click moves nothing
    assert Reply.objects.get(pk=failed.pk).state == Reply.State.QUEUED


def test_a_reply_stalled_in_sending_can_be_retried_with_its_key(client, community_manager):
    message = MessageFactory()
    stalled = Reply.objects.create(message=message, author=community_manager, text="Merci", state=Reply.State.SENDING)
    fresh = Reply.objects.create(message=message, author=community_manager, text="Merci", state=Reply.State.SENDING)
    Reply.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timezone.timedelta(minutes=30))
    signed_in(client, community_manager)

    client.post(reverse("inbox_reply_retry", args=[stalled.pk]))
    client.post(reverse("inbox_reply_retry", args=[fresh.pk]))

    assert Reply.objects.get(pk=stalled.pk).state == Reply.State.QUEUED
    assert Reply.objects.get(pk=fresh.pk).state == Reply.State.SENDING  # still in its worker's hands


def test_the_list_shows_who_is_in_a_conversation(client, community_manager, manager):
    message = MessageFactory()
    Presence.objects.create(message=message, user=manager, activity=Presence.Activity.REPLYING)
    signed_in(client, community_manager)
    assert f"{manager} is replying" in client.get(reverse("inbox")).content.decode()


def test_a_search_pages_newest_first_whether_its_words_are_common_or_rare(community_manager):
    """The page comes from the newest messages when they hold enough matches, else from every match sorted by date:
    both give the same rows in the same order as a plain search."""
    from inbox.selectors import Filters, inbox_page

    start = timezone.now() - timezone.timedelta(days=30)
    for n in range(12):  # a common word in every message, a rare one in three old ones
        text = "horaires du musée" + (" détrempe" if n in (1, 2, 4) else "")
        MessageFactory(text=text, created_at=start + timezone.timedelta(days=n))

    def page(q: str, offset: int = 0, limit: int = 4) -> list[int]:
        rows = inbox_page(filters=Filters(q=q), user=community_manager, offset=offset, limit=limit, window=5)
        return [row.created_at.day for row in rows]

    def expected(q: str, offset: int = 0, limit: int = 4) -> list[int]:
        rows = Message.objects.search(q).order_by("-created_at", "-id")[offset : offset + limit]
        return [row.created_at.day for row in rows]

    assert page("horaires") == expected("horaires") and len(page("horaires")) == 4  # from the newest five
    assert page("horaires", offset=4) == expected("horaires", offset=4)  # past the window
    phrase = '"horaires du musée" -détrempe'  # the window matches without the text index: the same query syntax
    assert page(phrase) == expected(phrase) and len(page(phrase)) == 4
    assert page("détrempe") == expected("détrempe") and len(page("détrempe")) == 3  # all older than the window
    assert page("détrempe", offset=2) == expected("détrempe", offset=2)


def test_a_page_number_past_any_inbox_is_not_found(client, community_manager):
    signed_in(client, community_manager)

    assert client.get(reverse("inbox"), {"page": "99999999999999999999"}).status_code == 404


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("Merci {author} ! {0} :-{ {author:>5000000} {author.__class__} {unknown}",
         "Merci Léa Martin ! {0} :-{ {author:>5000000} {author.__class__} {unknown}"),
        ("{handle} / {account} / {{author}}", "@lea / Musée Marceau / {Léa Martin}"),
    ],
)  # fmt: skip
def test_saved_replies_fill_placeholders_by_name_only(client, community_manager, text, filled):
    account = SocialAccountFactory(display_name="Musée Marceau")
    message = MessageFactory(account=account, author_name="Léa Martin", author_handle="@lea")
    saved = SavedReply.objects.create(title="Merci", text=text)
    signed_in(client, community_manager)

    response = client.get(reverse("inbox_conversation", args=[message.pk]), {"saved": saved.pk})

    assert response.status_code == 200
    assert saved.fill_placeholders(message) == filled


def test_refresh_now_enqueues_one_sync_per_inbox_account_after_commit(
    client, community_manager, django_capture_on_commit_callbacks
):
    SocialAccountFactory(network=Network.SANDBOX)
    SocialAccountFactory(network=Network.MASTODON, handle="museum@fake.social")
    signed_in(client, community_manager)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("inbox_refresh"))

    assert response.status_code == 302
    assert len(callbacks) == 1  # both syncs in one batch, sent once the request's transaction commits
