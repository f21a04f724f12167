"""The demo museum's social accounts, all on the built-in sandbox network so the full loop runs offline: three plain
ones, and two that behave like Pinterest and Tumblr (their rules, their previews, Pinterest's boards)."""

from datetime import datetime

from publishing.adapters import get_adapter
from publishing.adapters.sandbox import imitation_options
from publishing.models import Network, Publication, SandboxPost, SocialAccount

ACCOUNTS = [
    ("musee.marceau", "Musée Marceau", ""),
    ("marceau.jeunesse", "Marceau Jeunesse", ""),
    ("marceau.collections", "Marceau — Collections", ""),
    ("marceau.pinterest", "Musée Marceau (Pinterest)", Network.PINTEREST),
    ("marceau.tumblr", "Musée Marceau (Tumblr)", Network.TUMBLR),
]


def seed() -> list[SocialAccount]:
    return [
        SocialAccount.objects.get_or_create(
            network=Network.SANDBOX,
            handle=handle,
            defaults={
                "display_name": name,
                "external_id": handle,
                "imitates": imitates,
                "options": imitation_options(imitates),
            },
        )[0]
        for handle, name, imitates in ACCOUNTS
    ]


def publish_in_sandbox(publications, *, at: datetime) -> None:
    """Publish the demo's already-published posts through the sandbox, dated `at`: the sandbox feed shows what the
    calendar says is published, and visitors' replies to them are real sandbox messages that can be answered."""
    for publication in publications:
        result = get_adapter(publication.account).publish(publication)
        SandboxPost.objects.filter(idempotency_key=publication.idempotency_key).update(created_at=at)
        Publication.objects.filter(pk=publication.pk).update(
            state=Publication.State.PUBLISHED,
            published_at=at,
            external_id=result.external_id,
            external_url=result.url,
        )
