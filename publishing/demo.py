"""The demo museum's social accounts, all on the built-in sandbox network so the full loop runs offline."""

from publishing.models import Network, SocialAccount

ACCOUNTS = [
    ("musee.marceau", "Musée Marceau"),
    ("marceau.jeunesse", "Marceau Jeunesse"),
    ("marceau.collections", "Marceau — Collections"),
]


def seed() -> list[SocialAccount]:
    return [
        SocialAccount.objects.get_or_create(
            network=Network.SANDBOX, handle=handle, defaults={"display_name": name, "external_id": handle}
        )[0]
        for handle, name in ACCOUNTS
    ]
