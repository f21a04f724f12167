"""The demo museum's editorial month: campaigns, museum events, ideas in every state, posts, a closing-day ritual.

Idempotent: every row is found by a natural key (a name, a title, an iCal UID) before it is created.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from editorial.models import Campaign, Idea, IdeaComment, MuseumEvent, RecurringSlot
from editorial.services.ideas import idea_make_post
from editorial.services.recurring import slot_materialise
from publishing.demo import publish_in_sandbox
from publishing.models import Network, SocialAccount


def seed() -> None:
    campaigns = _seed_campaigns()
    _seed_events()
    _seed_ideas(campaigns)
    _seed_slots(campaigns)
    _seed_posts(campaigns)


def _today() -> datetime.date:
    return timezone.localdate()


def _next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _seed_campaigns() -> dict[str, Campaign]:
    today = _today()
    week_start = _next_weekday(today, 0) + datetime.timedelta(days=7)
    rows = {
        "museumweek": (
            "MuseumWeek",
            {
                "hashtags": "#MuseumWeek #MuseumWeek2026",
                "starts_on": week_start,
                "ends_on": week_start + datetime.timedelta(days=6),
                "colour": "#1f5fbf",
                "goal": "Sept jours, sept thèmes : faire entrer le public dans les réserves et les ateliers du musée.",
            },
        ),
        "lumieres": (
            "Exposition « Lumières du Nord »",
            {
                "hashtags": "#LumièresDuNord #MuséeMarceau",
                "starts_on": today - datetime.timedelta(days=10),
                "ends_on": today + datetime.timedelta(days=80),
                "colour": "#b0622a",
                "goal": "Remplir les créneaux du week-end et faire connaître les prêts exceptionnels.",
            },
        ),
    }
    return {key: Campaign.objects.get_or_create(name=name, defaults=fields)[0] for key, (name, fields) in rows.items()}


def _seed_events() -> None:
    today = _today()
    year = today.year
    museum_day = datetime.date(year if today <= datetime.date(year, 5, 18) else year + 1, 5, 18)
    week_start = _next_weekday(today, 0) + datetime.timedelta(days=7)
    events = [
        ("demo-lumieres", "Lumières du Nord", MuseumEvent.Kind.EXHIBITION, today - datetime.timedelta(days=10), 90),
        (
            "demo-vernissage",
            "Vernissage presse « Lumières du Nord »",
            MuseumEvent.Kind.OPENING,
            today - datetime.timedelta(days=11),
            1,
        ),
        ("demo-museumweek", "MuseumWeek", MuseumEvent.Kind.SECTOR_DAY, week_start, 7),
        ("demo-museum-day", "Journée internationale des musées", MuseumEvent.Kind.SECTOR_DAY, museum_day, 1),
        ("demo-christmas", "Noël (musée fermé)", MuseumEvent.Kind.HOLIDAY, datetime.date(year, 12, 25), 1),
        ("demo-new-year", "Jour de l'an (musée fermé)", MuseumEvent.Kind.HOLIDAY, datetime.date(year + 1, 1, 1), 1),
        (
            "demo-inventory",
            "Fermeture pour inventaire",
            MuseumEvent.Kind.CLOSING_DAY,
            today + datetime.timedelta(days=20),
            2,
        ),
    ]
    for uid, title, kind, starts_on, days in events:
        MuseumEvent.objects.get_or_create(
            uid=f"{uid}@musee-marceau.example",
            defaults={
                "title": title,
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": starts_on + datetime.timedelta(days=days - 1),
            },
        )


IDEAS = [
    # (title, kind, status, pitch, reference, networks, days from today)
    (
        "Le retour de « La Liseuse » après restauration",
        Idea.Kind.ARTWORK,
        Idea.Status.PROPOSED,
        "Six mois d'atelier : le vernis jauni a été allégé. Un avant/après en carrousel, avec la restauratrice.",
        "INV. 1874-112",
        ["instagram", "bluesky"],
        12,
    ),
    (
        "Les coulisses de l'accrochage",
        Idea.Kind.BEHIND_THE_SCENES,
        Idea.Status.PROPOSED,
        "Filmer la nuit d'accrochage de la salle 4 : les gants blancs, les niveaux, le silence.",
        "",
        ["instagram", "threads"],
        5,
    ),
    (
        "150 ans de la naissance de Jeanne Marceau",
        Idea.Kind.ANNIVERSARY,
        Idea.Status.ACCEPTED,
        "La fondatrice du musée est née il y a 150 ans : une lettre inédite des archives, une photo de 1902.",
        "https://musee-marceau.example/archives/jeanne",
        ["facebook", "linkedin", "mastodon"],
        18,
    ),
    (
        "Un selfie avec le dragon de la réserve",
        Idea.Kind.OTHER,
        Idea.Status.DECLINED,
        "Inviter le public à se photographier avec la sculpture de dragon du hall.",
        "",
        ["instagram"],
        9,
    ),
    (
        "Atelier famille du mercredi",
        Idea.Kind.EVENT,
        Idea.Status.USED,
        "Chaque mercredi à 14 h, un atelier de gravure pour les 6-10 ans. Places limitées, réservation en ligne.",
        "https://musee-marceau.example/ateliers",
        ["facebook", "instagram"],
        3,
    ),
]


def _seed_ideas(campaigns: dict[str, Campaign]) -> None:
    claire, camille = User.objects.get(username="claire"), User.objects.get(username="camille")
    for title, kind, status, pitch, reference, networks, days in IDEAS:
        day = _today() + datetime.timedelta(days=days)
        idea, created = Idea.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "pitch": pitch,
                "reference": reference,
                "suggested_networks": networks,
                "suggested_from": day,
                "suggested_until": day,
                "proposer": claire,
            },
        )
        if created:
            _review(idea, status, camille, campaigns)
    liseuse = Idea.objects.get(title=IDEAS[0][0])
    if not liseuse.comments.exists():
        IdeaComment.objects.create(idea=liseuse, author=camille, text="Super ! On a des photos HD de l'atelier ?")
        IdeaComment.objects.create(idea=liseuse, author=claire, text="Oui, la restauratrice m'en envoie dix lundi.")


def _review(idea: Idea, status: str, camille: User, campaigns: dict[str, Campaign]) -> None:
    if status == Idea.Status.PROPOSED:
        return
    # A used idea is accepted first: making its post is what marks it used.
    reviewed = Idea.Status.ACCEPTED if status == Idea.Status.USED else status
    Idea.objects.filter(pk=idea.pk).update(status=reviewed, reviewed_by=camille, reviewed_at=timezone.now())
    if status == Idea.Status.DECLINED:
        Idea.objects.filter(pk=idea.pk).update(
            decline_reason="Le dragon est un prêt : le prêteur refuse les photos du public."
        )
    elif status == Idea.Status.USED:
        accounts = SocialAccount.objects.filter(network=Network.SANDBOX, imitates="")[:2]
        when = timezone.make_aware(datetime.datetime.combine(idea.suggested_from, datetime.time(14, 0)))
        idea_make_post(idea=idea, by=camille, accounts=accounts, scheduled_at=when, campaign=campaigns["lumieres"])


def _seed_slots(campaigns: dict[str, Campaign]) -> None:
    camille = User.objects.get(username="camille")
    slot, created = RecurringSlot.objects.get_or_create(
        title="#JourDeFermeture",
        defaults={
            "text": "Le musée est fermé aujourd'hui, mais les œuvres veillent. Rendez-vous demain dès 10 h ! "
            "#JourDeFermeture #MuséeMarceau",
            "weekdays": [1],  # closed on Tuesdays
            "local_time": datetime.time(10, 0),
            "weeks_ahead": 4,
            "created_by": camille,
        },
    )
    if created:
        slot.accounts.set(SocialAccount.objects.filter(handle__in=["musee.marceau", "marceau.collections"]))
    slot_materialise(slot=slot)


# (title, days from today, hour, post status, publication state, master text, campaign key)
POSTS = [
    (
        "Les coulisses de la restauration",
        -9,
        11,
        "approved",
        "published",
        "Dans l'atelier, la Vénus retrouve ses couleurs. #CoulissesDuMusée",
        "lumieres",
    ),
    (
        "Nocturne exceptionnelle",
        -6,
        18,
        "approved",
        "published",
        "Ce soir, le musée reste ouvert jusqu'à 22 h. #Nocturne",
        "",
    ),
    (
        "Conférence : la lumière chez Vermeer",
        -3,
        10,
        "approved",
        "failed",
        "Samedi à 15 h, notre conservatrice raconte la lumière du Nord. #LumièresDuNord",
        "lumieres",
    ),
    (
        "Atelier des petits peintres",
        2,
        9,
        "approved",
        "due",
        "Les enfants peignent comme les maîtres flamands ! Inscription à l'accueil.",
        "",
    ),
    (
        "Une œuvre, une histoire : la Dentellière",
        4,
        12,
        "in_review",
        "pending",
        "Pourquoi la Dentellière tient-elle si peu de place… et tant d'attention ? #UneŒuvreUneHistoire",
        "lumieres",
    ),
    (
        "Jour de fermeture exceptionnel",
        6,
        9,
        "draft",
        "pending",
        "Le musée sera fermé lundi pour l'accrochage. #jourdefermeture",
        "",
    ),
    (
        "MuseumWeek : les réserves",
        10,
        10,
        "draft",
        "pending",
        "Entrez dans nos réserves : 40 000 œuvres dorment ici. #MuseumWeek",
        "museumweek",
    ),
    (
        "MuseumWeek : les métiers",
        12,
        14,
        "in_review",
        "pending",
        "Régisseuse, restaurateur, médiatrice : rencontrez celles et ceux qui font le musée. #MuseumWeek",
        "museumweek",
    ),
    (
        "Dernières semaines de l'exposition",
        24,
        11,
        "draft",
        "pending",
        "Plus que quelques semaines pour voir « Lumières du Nord ». Réservez votre créneau !",
        "lumieres",
    ),
    (
        "Le musée vous souhaite de belles fêtes",
        35,
        10,
        "draft",
        "pending",
        "Toute l'équipe du Musée Marceau vous souhaite de belles fêtes.",
        "",
    ),
]


def _seed_posts(campaigns: dict[str, Campaign]) -> None:
    """Posts in every state, last week to next month, on the demo's sandbox accounts."""
    from editorial.models import Post, PostComment, WeekApproval
    from editorial.services.posts import post_create
    from editorial.services.weeks import IsoWeek

    camille, marc = User.objects.get(username="camille"), User.objects.get(username="marc")
    accounts = list(SocialAccount.objects.filter(network=Network.SANDBOX, imitates="").order_by("handle"))
    for title, days, hour, status, state, text, campaign in POSTS:
        if Post.objects.filter(title=title).exists():
            continue
        day = _today() + datetime.timedelta(days=days)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        targets = accounts if days % 2 else accounts[:2]
        post = post_create(
            author=camille, title=title, text=text, scheduled_at=at, accounts=targets, campaign=campaigns.get(campaign)
        )
        Post.objects.filter(pk=post.pk).update(status=status)
        _set_states(post, state, at)
        if status == "approved":
            week = IsoWeek.of(day)
            WeekApproval.objects.update_or_create(
                year=week.year,
                week=week.week,
                defaults={
                    "state": WeekApproval.State.APPROVED,
                    "approved_by": marc,
                    "approved_at": min(at, timezone.now()),
                },
            )
    first = Post.objects.filter(title=POSTS[4][0]).first()
    if first and not first.comments.exists():
        PostComment.objects.create(post=first, author=marc, text="@camille peux-tu ajouter le lien de la billetterie ?")


def _set_states(post, state: str, at: datetime.datetime) -> None:
    publications = post.publications.select_related("account", "post").order_by("pk")
    if state == "published":
        publish_in_sandbox(publications, at=at)
    elif state == "failed":
        first, *others = publications
        publish_in_sandbox(others, at=at)
        post.publications.filter(pk=first.pk).update(
            state="failed", published_at=None, error="Le réseau a refusé l'image : format non pris en charge."
        )
    elif state == "due":
        post.publications.update(state=state)
