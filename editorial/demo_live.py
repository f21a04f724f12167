"""The demo's live session: the museum's next night opening, its run sheet prepared and approved, ready to tap on the
sandbox accounts (`make run`). Idempotent, like the rest of the demo."""

import datetime

from django.utils import timezone

from accounts.models import User
from editorial.models import LiveSession, MuseumEvent
from editorial.services.live import live_post_add, live_session_approve, live_session_create
from publishing.models import Network, SocialAccount

UID = "demo-nocturne@musee-marceau.example"
TAG = "NocturneMarceau"
RUN_SHEET = [
    ("19:00", "Les portes s'ouvrent : bienvenue à la nocturne du Musée Marceau, jusqu'à 23 h ! #NocturneMarceau"),
    ("19:45", "Dans la cour, le quatuor Lumen joue Debussy sous les lampions. Venez l'écouter ! #NocturneMarceau"),
    ("21:00", "Visite éclair de « Lumières du Nord » : rendez-vous salle 12 avec notre commissaire. #NocturneMarceau"),
    ("22:30", "Dernière demi-heure : la galerie des sculptures vous attend, à la bougie. #NocturneMarceau"),
]


def next_night_opening(today: datetime.date) -> datetime.date:
    """The museum opens late on Fridays: the next one, today included."""
    return today + datetime.timedelta(days=(4 - today.weekday()) % 7)


def seed() -> LiveSession | None:
    author, manager = User.objects.filter(username="camille").first(), User.objects.filter(username="marc").first()
    accounts = list(
        SocialAccount.objects.filter(network=Network.SANDBOX, handle__in=["musee.marceau", "marceau.jeunesse"])
    )
    if author is None or manager is None or not accounts:
        return None
    day = next_night_opening(timezone.localdate())
    event, _created = MuseumEvent.objects.get_or_create(
        uid=UID,
        defaults={"title": "Nocturne du vendredi", "kind": MuseumEvent.Kind.OTHER, "starts_on": day, "ends_on": day},
    )
    existing = LiveSession.objects.filter(event=event).first()
    if existing:
        return existing
    session = live_session_create(
        by=author, title="Nocturne du vendredi en direct", event=event, accounts=accounts, hashtag=TAG
    )
    for at, text in RUN_SHEET:
        planned = timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(at)))
        live_post_add(session=session, by=author, text=text, planned_at=planned)
    live_session_approve(session=session, by=manager)
    return session
