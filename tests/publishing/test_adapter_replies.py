"""Answering a visitor, network by network: where each network puts the answer and what makes it safe to retry.
What every network must do when answering is in the contract suite (test_contract.py)."""

from datetime import timedelta

from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.adapters.base import ReplyTarget
from publishing.adapters.bluesky import tid_from_key
from tests.factories import PublicationFactory
from tests.fakes.linkedin import ORGANIZATION
from tests.networks import published


def test_facebook_answers_with_a_comment_on_the_visitors_comment(fake_facebook, facebook_account):
    publication = published(facebook_account, fake_facebook)
    comment = fake_facebook.add_comment(publication.external_id, "Ouvert le lundi ?")
    target = ReplyTarget(comment["id"], publication.external_id)

    result = get_adapter(facebook_account).reply(target, "Oui, de 9 h à 18 h.", idempotency_key="k")

    assert fake_facebook.replies == [
        {"id": result.external_id, "parent": comment["id"], "message": "Oui, de 9 h à 18 h."}
    ]


def test_instagram_answers_a_reply_under_its_top_level_comment(fake_instagram, instagram_account):
    publication = published(instagram_account, fake_instagram)
    top = fake_instagram.add_comment(publication.external_id, "Ouvert le lundi ?")
    nested = fake_instagram.add_comment(publication.external_id, "Je me demande aussi", parent=top["id"])
    target = ReplyTarget(nested["id"], publication.external_id, extra={"top_level_id": top["id"]})

    result = get_adapter(instagram_account).reply(target, "Fermé le mardi, ouvert le lundi.", idempotency_key="k")

    assert fake_instagram.replies == [
        {"id": result.external_id, "parent": top["id"], "message": "Fermé le mardi, ouvert le lundi."}
    ]


def test_threads_answers_with_a_published_text_container(fake_threads, threads_account):
    publication = published(threads_account, fake_threads)
    comment = fake_threads.add_comment(publication.external_id, "Ouvert le lundi ?")
    target = ReplyTarget(comment["id"], publication.external_id)

    result = get_adapter(threads_account).reply(target, "Oui, de 9 h à 18 h.", idempotency_key="k")

    assert fake_threads.replies == [
        {"id": result.external_id, "parent": comment["id"], "message": "Oui, de 9 h à 18 h."}
    ]
    assert fake_threads.containers[fake_threads.media[-1]["container"]]["fields"]["reply_to_id"] == comment["id"]


def test_linkedin_answers_with_a_comment_naming_the_parent_comment_and_the_post(fake_linkedin, linkedin_account):
    publication = published(linkedin_account, fake_linkedin)
    comment = fake_linkedin.add_comment(publication.external_id, "Ouvert le lundi ?")
    target = ReplyTarget(comment["urn"], publication.external_id, extra={"object": publication.external_id})

    result = get_adapter(linkedin_account).reply(target, "Oui, de 9 h à 18 h.", idempotency_key="k")

    answer = fake_linkedin.comments[-1]
    assert result.external_id == answer["urn"]
    assert (answer["parent"], answer["on"], answer["text"]) == (
        comment["urn"],
        publication.external_id,
        "Oui, de 9 h à 18 h.",
    )
    assert answer["actor"] == ORGANIZATION


def test_x_answers_the_right_tweet(fake_x, x_account):
    publication = PublicationFactory(account=x_account, text="La Joconde vous attend.")
    adapter = get_adapter(x_account)
    tweet_id = adapter.publish(publication).external_id
    fake_x.add_mention("@museum ouvert lundi ?", in_reply_to=tweet_id)
    message = adapter.fetch_messages({}).messages[0]

    result = adapter.reply(
        ReplyTarget(message.external_id, message.root_external_id, message.extra),
        "@lea_visite Non, le lundi est notre jour de fermeture.",
        idempotency_key="k-1",
    )
    (request,) = fake_x.received("POST", r"/2/tweets$")[1:]
    assert request.json()["reply"] == {"in_reply_to_tweet_id": message.external_id}
    assert result.external_id == fake_x.posts()[-1]["id"]


def test_mastodon_answers_the_right_status_once_mentioning_its_author(fake_mastodon, mastodon_account):
    publication = PublicationFactory(account=mastodon_account, text="La Joconde vous attend.")
    adapter = get_adapter(mastodon_account)
    post_id = adapter.publish(publication).external_id
    fake_mastodon.add_mention("@museum Ouvert lundi ?", in_reply_to=post_id, acct="lea@art.social")
    message = adapter.fetch_messages({}).messages[0]
    target = ReplyTarget(message.external_id, message.root_external_id, message.extra)

    first = adapter.reply(target, "Non, le lundi est notre jour de fermeture.", idempotency_key="k-1")
    again = adapter.reply(target, "Non, le lundi est notre jour de fermeture.", idempotency_key="k-1")

    assert first.external_id == again.external_id
    replies = [s for s in fake_mastodon.posts() if s["in_reply_to_id"] == message.external_id]
    assert len(replies) == 1
    assert replies[0]["sent"] == "@lea@art.social Non, le lundi est notre jour de fermeture."


def test_find_reply_recognises_the_answer_takahe_rewrote(fake_takahe, takahe_account):
    question = fake_takahe.add_mention("Ouvert lundi ? @museum", acct="visiteur@ailleurs.example")
    target = ReplyTarget(question["id"], extra={"acct": "visiteur@ailleurs.example"})
    adapter = get_adapter(takahe_account)
    since = timezone.now() - timedelta(minutes=5)
    assert adapter.find_reply(target, "Oui, de 9 h à 18 h : https://www.louvre.fr/horaires", since=since) is None

    sent = adapter.reply(target, "Oui, de 9 h à 18 h : https://www.louvre.fr/horaires", idempotency_key="k")

    found = adapter.find_reply(target, "Oui, de 9 h à 18 h : https://www.louvre.fr/horaires", since=since)
    assert found.external_id == sent.external_id
    assert adapter.find_reply(target, "Non, fermé.", since=since) is None


def test_bluesky_answers_with_root_and_parent_and_never_twice(fake_bluesky, bluesky_account):
    publication = PublicationFactory(account=bluesky_account, text="La Joconde vous attend.")
    adapter = get_adapter(bluesky_account)
    ours = adapter.publish(publication)
    post = {"uri": ours.external_id, "cid": ours.extra["cid"]}
    first = fake_bluesky.add_reply("Elle est en salle 711 ?", parent=post)
    fake_bluesky.add_reply("Et le lundi ?", parent=first, root=post, handle="jules.bsky.social")
    message = adapter.fetch_messages({}).messages[1]
    target = ReplyTarget(message.external_id, message.root_external_id, message.extra)

    answer = adapter.reply(target, "Le lundi, nous sommes fermés.", idempotency_key="reply-key-1")
    again = adapter.reply(target, "Le lundi, nous sommes fermés.", idempotency_key="reply-key-1")

    replies = [p for p in fake_bluesky.posts() if "reply" in p["value"]]
    assert len(replies) == 1 and answer.external_id == again.external_id == replies[0]["uri"]
    assert replies[0]["value"]["reply"] == {
        "root": post,
        "parent": {"uri": message.external_id, "cid": message.extra["cid"]},
    }
    assert answer.external_id.endswith(tid_from_key("reply-key-1"))
