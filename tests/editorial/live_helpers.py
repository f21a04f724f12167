"""A live session ready for tests: a night opening, two sandbox accounts, a run sheet of three posts."""

from editorial.models import MuseumEvent
from editorial.services.live import live_post_add, live_session_create
from tests.factories import MuseumEventFactory, SocialAccountFactory

RUN_SHEET = [
    "Les portes s'ouvrent : la nocturne commence ! #NuitAuMusee",
    "Le quatuor joue dans la cour carrée. #NuitAuMusee",
    "Dernière heure : la galerie des sculptures vous attend. #NuitAuMusee",
]


def prepared_session(author, *, accounts=None, texts=RUN_SHEET, **fields):
    event = MuseumEventFactory(title="Nocturne d'hiver", kind=MuseumEvent.Kind.OTHER)
    accounts = accounts or [SocialAccountFactory(), SocialAccountFactory()]
    session = live_session_create(
        by=author, title="Nocturne live", event=event, accounts=accounts, hashtag="#NuitAuMusee", **fields
    )
    for text in texts:
        live_post_add(session=session, by=author, text=text)
    return session
