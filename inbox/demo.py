"""A few conversations for the demo museum, so the inbox has something to show before the sandbox's visitors answer.

The conversations are replies on the sandbox network itself (under the demo's latest published post), so the beat's
recheck finds them there instead of marking them deleted, and answering one goes out through the sandbox like any
other. Idempotent: every row is keyed (a sandbox reply by its idempotency key, a message by its sandbox id).
"""

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from inbox.models import Message, Reply, SavedReply
from publishing.adapters.sandbox import VISITORS
from publishing.models import Network, Publication, SandboxPost, SandboxReply, SocialAccount

SAVED_REPLIES = [
    ("Merci", "Merci beaucoup {author} ! À bientôt au musée."),
    ("Horaires", "Bonjour {author}, le musée est ouvert du mardi au dimanche, de 9 h à 18 h (nocturne le vendredi)."),
    ("Thanks", "Thank you {author}! We hope to see you soon at the museum."),
]

# (key, author handle, name, text, hours ago, answered after minutes, routed to the curator)
CONVERSATIONS = [
    ("demo-1", "lea.martin", "Léa Martin", "Le musée est-il ouvert le lundi ?", 30, 25, False),
    ("demo-2", "tom_h", "Tom Harris", "Do you have audio guides in English?", 20, 95, False),
    ("demo-3", "nadia.k", "Nadia Kaci", "Quelle est la technique utilisée ? On dirait de la détrempe.", 5, None, True),
    ("demo-4", "kenji.t", "Kenji Tanaka", "Stunning! Thanks for sharing 🙏 https://example.org/photo", 3, None, False),
    ("demo-5", "hugo.voyage", "Hugo Petit", "Y a-t-il des visites guidées pour les enfants ?", 1, None, False),
]
LANGUAGES = {handle: language for handle, _name, language in VISITORS}
ANSWER = "Merci pour votre message !"


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"museumcm-demo-{name}")


def seed() -> None:
    account = SocialAccount.objects.filter(network=Network.SANDBOX).order_by("pk").first()
    manager = User.objects.filter(username="camille").first()
    curator = User.objects.filter(username="claire").first()
    if account is None or manager is None:
        return
    for title, text in SAVED_REPLIES:
        SavedReply.objects.get_or_create(title=title, defaults={"text": text, "created_by": manager})
    sandbox_post, publication = _conversation_post(account)
    now = timezone.now()
    for key, handle, name, text, hours, answered, routed in CONVERSATIONS:
        question, _ = SandboxReply.objects.get_or_create(
            idempotency_key=_key(key),
            defaults={
                "post": sandbox_post,
                "in_reply_to": sandbox_post.external_id,
                "author_handle": handle,
                "author_name": name,
                "text": text,
                "language": LANGUAGES.get(handle, "fr"),
                "created_at": now - timedelta(hours=hours),
            },
        )
        message, created = Message.objects.get_or_create(
            account=account,
            external_id=question.external_id,
            defaults={
                "author_id": handle,
                "author_handle": handle,
                "author_name": name,
                "text": text,
                "created_at": question.created_at,
                "publication": publication,
                "parent_external_id": sandbox_post.external_id,
                "root_external_id": sandbox_post.external_id,
                "extra": {"language": question.language},
                "kind": Message.Kind.COMMENT,
            },
        )
        if not created:
            continue
        if answered is not None:
            _answer(message, question, manager, question.created_at + timedelta(minutes=answered))
        if routed and curator is not None:
            Message.objects.filter(pk=message.pk).update(
                routed_to=curator, routed_by=manager, routed_at=now, route_note="Tu saurais répondre ?"
            )


def _conversation_post(account: SocialAccount) -> tuple[SandboxPost, Publication | None]:
    """The sandbox post the conversations answer: the demo's latest published one, else a welcome post."""
    publication = (
        Publication.objects.filter(account=account, state=Publication.State.PUBLISHED, external_id__startswith="post-")
        .order_by("-published_at")
        .first()
    )
    post = publication and SandboxPost.objects.filter(idempotency_key=publication.idempotency_key).first()
    if post:
        return post, publication
    post, _ = SandboxPost.objects.get_or_create(
        idempotency_key=_key("welcome"),
        defaults={
            "account": account,
            "text": "Bienvenue au Musée Marceau ! Posez-nous vos questions ici.",
            "created_at": timezone.now() - timedelta(days=2),
        },
    )
    return post, None


def _answer(message: Message, question: SandboxReply, manager: User, sent_at: datetime) -> None:
    answer, _ = SandboxReply.objects.get_or_create(
        idempotency_key=_key(f"answer-{question.pk}"),
        defaults={
            "post": question.post,
            "in_reply_to": question.external_id,
            "author_handle": message.account.handle,
            "author_name": message.account.display_name,
            "text": ANSWER,
            "by_museum": True,
            "created_at": sent_at,
        },
    )
    Reply.objects.create(
        message=message,
        author=manager,
        sent_by=manager,
        text=ANSWER,
        state=Reply.State.SENT,
        sent_at=sent_at,
        external_id=answer.external_id,
    )
    Message.objects.filter(pk=message.pk).update(status=Message.Status.DONE, first_response_at=sent_at, read=True)
