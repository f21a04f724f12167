"""Three months of the demo museum's history, so every chart of Insights is full on first start.

Published posts on the sandbox accounts (some from a curator's idea, some in a campaign), each with the snapshots the
collection would have taken at its checkpoints, a snapshot of every account each day, a weekly audience breakdown,
and a cadence target per account. The figures are the sandbox's own (`sandbox_metrics`) at each moment, so what the
collection fetches from now on continues the same curves. Idempotent: a post is found by its title and time.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from editorial.models import Campaign, Idea, Post
from editorial.services.posts import post_create
from insights.models import (
    AccountSnapshot,
    AudienceBreakdown,
    CadenceTarget,
    Checkpoint,
    PublicationSnapshot,
    ScheduledSnapshot,
)
from insights.models.latest import refresh_measured
from publishing.adapters import sandbox_metrics
from publishing.adapters.sandbox import replies_by
from publishing.demo import publish_in_sandbox
from publishing.models import Network, Publication, SandboxPost, SocialAccount

DAYS = 91
HOURS = (9, 10, 12, 12, 13, 17, 18, 19, 19, 20)
# handle → (posts a week the strategy asks for, chance of being a target of a day's post)
CADENCE = {"musee.marceau": (5, 1.0), "marceau.jeunesse": (3, 0.45), "marceau.collections": (2, 0.3)}
SUBJECTS = [
    ("La Liseuse restaurée", Idea.Kind.ARTWORK, "Après huit mois d'atelier, La Liseuse retrouve ses couleurs."),
    ("Dans les réserves", Idea.Kind.BEHIND_THE_SCENES, "Visite des réserves avec notre régisseuse."),
    ("Nocturne du jeudi", Idea.Kind.EVENT, "Ce jeudi, le musée reste ouvert jusqu'à 22 h."),
    ("Les paysages du Nord", Idea.Kind.EXHIBITION, "Une salle entière de paysages flamands à découvrir."),
    ("Il y a 150 ans", Idea.Kind.ANNIVERSARY, "Il y a 150 ans, le musée ouvrait ses portes."),
    ("Un détail à la loupe", Idea.Kind.ARTWORK, "Regardez bien la main du personnage : que tient-elle ?"),
    ("L'atelier des enfants", Idea.Kind.EVENT, "Atelier gravure pour les 6-12 ans, mercredi après-midi."),
    ("Le geste du restaurateur", Idea.Kind.BEHIND_THE_SCENES, "Un coton, un solvant, et beaucoup de patience."),
    ("Chef-d'œuvre du mois", Idea.Kind.ARTWORK, "Notre coup de cœur du mois, salle 12."),
    ("Accrochage en cours", Idea.Kind.EXHIBITION, "Les œuvres arrivent pour la prochaine exposition."),
]
CAMPAIGNS = {
    "nuit": ("Nuit des musées", "#NuitDesMusées", 62, 7, "#2a7b6f"),
    "patrimoine": ("Journées du patrimoine", "#JEP #JournéesDuPatrimoine", 34, 5, "#8a5a00"),
}


def seed() -> None:
    accounts = {a.handle: a for a in SocialAccount.objects.filter(network=Network.SANDBOX, handle__in=CADENCE)}
    if not accounts:
        return
    for handle, (per_week, _chance) in CADENCE.items():
        if handle in accounts:
            CadenceTarget.objects.get_or_create(account=accounts[handle], defaults={"posts_per_week": per_week})
    campaigns = _seed_campaigns()
    with transaction.atomic():
        for days_ago in range(DAYS, 0, -1):
            _seed_day(days_ago, accounts, campaigns)
    for account in accounts.values():
        _seed_account_history(account)
    refresh_measured(publication__account__in=accounts.values())


def _today() -> datetime.date:
    return timezone.localdate()


def _seed_campaigns() -> dict[str, Campaign]:
    campaigns = {}
    for key, (name, hashtags, days_ago, length, colour) in CAMPAIGNS.items():
        starts_on = _today() - datetime.timedelta(days=days_ago)
        campaigns[key] = Campaign.objects.get_or_create(
            name=name,
            defaults={
                "hashtags": hashtags,
                "starts_on": starts_on,
                "ends_on": starts_on + datetime.timedelta(days=length - 1),
                "colour": colour,
            },
        )[0]
    return campaigns


def _seed_day(days_ago: int, accounts: dict[str, SocialAccount], campaigns: dict[str, Campaign]) -> None:
    """Zero or one post that day (fewer at weekends, a quiet fortnight in the middle: a gap to see)."""
    rng = random.Random(f"insights-demo-{days_ago}")
    day = _today() - datetime.timedelta(days=days_ago)
    quiet = 44 <= days_ago <= 52
    if rng.random() > (0.25 if quiet else 0.45 if day.weekday() >= 5 else 0.85):
        return
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice(HOURS), rng.choice((0, 30)))))
    title, kind, text = rng.choice(SUBJECTS)
    title = f"{title} ({day:%d/%m})"
    if Post.objects.filter(title=title, scheduled_at=at).exists():
        return
    targets = [a for handle, a in accounts.items() if rng.random() < CADENCE[handle][1]]
    campaign = next((c for c in campaigns.values() if c.starts_on <= day <= c.ends_on), None)
    link = "https://musee-marceau.example/agenda" if rng.random() < 0.3 else ""
    post = _create_post(title, kind, text, at, targets, campaign, link, from_idea=rng.random() < 0.45)
    publications = list(post.publications.select_related("account", "post").order_by("pk"))
    publish_in_sandbox(publications, at=at)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.APPROVED)
    for publication in Publication.objects.filter(post=post).select_related("account"):
        _seed_snapshots(publication, at)


def _create_post(title, kind, text, at, targets, campaign, link, *, from_idea: bool) -> Post:
    camille = User.objects.get(username="camille")
    post = post_create(
        author=camille, title=title, text=text, scheduled_at=at, accounts=targets, campaign=campaign, link=link
    )
    if from_idea:
        claire = User.objects.get(username="claire")
        Idea.objects.create(
            title=title, pitch=text, kind=kind, proposer=claire, status=Idea.Status.USED, post=post, reviewed_at=at
        )
    return post


def _seed_snapshots(publication: Publication, published_at: datetime.datetime) -> None:
    """The snapshots taken so far (done in the schedule), and the checkpoints still ahead (due)."""
    post = SandboxPost.objects.get(idempotency_key=publication.idempotency_key)
    now = timezone.now()
    snapshots, schedule = [], []
    for checkpoint in Checkpoint:
        due = published_at + checkpoint.offset
        taken = due <= now
        schedule.append(
            ScheduledSnapshot(
                kind=ScheduledSnapshot.Kind.PUBLICATION,
                account=publication.account,
                publication=publication,
                checkpoint=checkpoint,
                due_at=due,
                state=ScheduledSnapshot.State.DONE if taken else ScheduledSnapshot.State.DUE,
                attempts=1 if taken else 0,
            )
        )
        if taken:
            metrics = sandbox_metrics.post_metrics(post, due, replies=replies_by(post, due))
            snapshots.append(
                PublicationSnapshot(publication=publication, checkpoint=checkpoint, taken_at=due, **metrics.counts())
            )
    ScheduledSnapshot.objects.bulk_create(schedule, ignore_conflicts=True)
    PublicationSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)


def _seed_account_history(account: SocialAccount) -> None:
    """A snapshot a day at 23:55, an audience breakdown each Monday, over the demo's three months."""
    snapshots, audience = [], []
    for days_ago in range(DAYS, 0, -1):
        day = _today() - datetime.timedelta(days=days_ago)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 55)))
        published = SandboxPost.objects.filter(account=account, created_at__lte=at).count()
        metrics = sandbox_metrics.account_metrics(account.pk, at, published)
        snapshots.append(AccountSnapshot(account=account, day=day, taken_at=at, **metrics.counts()))
        if day.weekday() == 0:
            audience += [
                AudienceBreakdown(account=account, day=day, dimension=dimension, bucket=bucket, value=value)
                for dimension, buckets in metrics.audience.items()
                for bucket, value in buckets.items()
            ]
    AccountSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
    AudienceBreakdown.objects.bulk_create(audience, ignore_conflicts=True)
