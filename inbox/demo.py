"""A few conversations for the demo museum, so the inbox has something to show before the sandbox's visitors answer.

Idempotent: rows are keyed by their sandbox ids. Live replies keep arriving from the sandbox network through the
ordinary beat sync once the demo's posts are published.
"""

from django.utils import timezone

from accounts.models import User
from inbox.models import Message, Reply, SavedReply
from publishing.models import Network, Publication, SocialAccount

SAVED_REPLIES = [
    ("Merci", "Merci beaucoup {author} ! À bientôt au musée."),
    ("Horaires", "Bonjour {author}, le musée est ouvert du mardi au dimanche, de 9 h à 18 h (nocturne le vendredi)."),
    ("Thanks", "Thank you {author}! We hope to see you soon at the museum."),
]

# (external id, author handle, name, text, hours ago, answered after minutes, routed to the curator)
CONVERSATIONS = [
    ("demo-1", "lea.martin", "Léa Martin", "Le musée est-il ouvert le lundi ?", 30, 25, False),
    ("demo-2", "tom_h", "Tom Harris", "Do you have audio guides in English?", 20, 95, False),
    ("demo-3", "nadia.k", "Nadia Kaci", "Quelle est la technique utilisée ? On dirait de la détrempe.", 5, None, True),
    ("demo-4", "kenji.t", "Kenji Tanaka", "Stunning! Thanks for sharing 🙏 https://example.org/photo", 3, None, False),
    ("demo-5", "hugo.voyage", "Hugo Petit", "Y a-t-il des visites guidées pour les enfants ?", 1, None, False),
]


def seed() -> None:
    account = SocialAccount.objects.filter(network=Network.SANDBOX).order_by("pk").first()
    manager = User.objects.filter(username="camille").first()
    curator = User.objects.filter(username="claire").first()
    if account is None or manager is None:
        return
    for title, text in SAVED_REPLIES:
        SavedReply.objects.get_or_create(title=title, defaults={"text": text, "created_by": manager})
    publication = Publication.objects.filter(account=account).exclude(external_id="").first()
    now = timezone.now()
    for external_id, handle, name, text, hours, answered, routed in CONVERSATIONS:
        created_at = now - timezone.timedelta(hours=hours)
        message, created = Message.objects.get_or_create(
            account=account,
            external_id=external_id,
            defaults={
                "author_id": handle,
                "author_handle": handle,
                "author_name": name,
                "text": text,
                "created_at": created_at,
                "publication": publication,
                "kind": Message.Kind.COMMENT,
            },
        )
        if not created:
            continue
        if answered is not None:
            sent_at = created_at + timezone.timedelta(minutes=answered)
            Reply.objects.create(
                message=message,
                author=manager,
                sent_by=manager,
                text="Merci pour votre message !",
                state=Reply.State.SENT,
                sent_at=sent_at,
                external_id=f"{external_id}-answer",
            )
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.DONE, first_response_at=sent_at, read=True
            )
        if routed and curator is not None:
            Message.objects.filter(pk=message.pk).update(
                routed_to=curator, routed_by=manager, routed_at=now, route_note="Tu saurais répondre ?"
            )
