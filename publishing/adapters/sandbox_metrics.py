"""The sandbox's audience in numbers: plausible, evolving, and the same every time for the same ids and moment.

A post's views grow fast and settle over a few days; likes, reposts and saves follow a little behind; replies are the
visitors' replies the sandbox has planned by then (`sandbox._plan`). How far a post goes depends on its luck, the
account's size and the hour it went out (lunchtime and evening do better). Followers grow every day with a weekly
rhythm (more midweek, fewer at weekends). The sandbox gives no quotes and no video views: they stay absent (None), as
they would on a network that does not count them.
"""

import math
import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from publishing.adapters.metrics import AccountMetrics, PostMetrics

ORIGIN = date(2024, 1, 1)  # followers are counted from here
WEEKLY_RHYTHM = (1.0, 1.25, 1.35, 1.2, 1.0, 0.55, 0.65)  # Monday … Sunday: share of a day's usual gain
AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = ("F", "M", "U")
COUNTRIES = ("FR", "BE", "CH", "CA", "US", "GB", "DE", "IT", "ES")
CITIES = ("Paris", "Lyon", "Lille", "Marseille", "Bruxelles", "Montréal", "Genève", "Bordeaux", "London")


def _rng(*key) -> random.Random:
    return random.Random("-".join(map(str, key)))  # str seeds are hashed with SHA-512: stable across runs


def hour_appeal(moment: datetime) -> float:
    """How much further a post goes for the local hour it went out: lunchtime and early evening do best."""
    hour = timezone.localtime(moment).hour + timezone.localtime(moment).minute / 60
    return 0.7 + 0.5 * math.exp(-((hour - 12.5) ** 2) / 4) + 0.7 * math.exp(-((hour - 19) ** 2) / 3)


def followers_at(account_id: int, moment: datetime) -> int:
    """The account's followers at `moment`: a base, plus each day's gain since ORIGIN (weekly rhythm, some noise)."""
    rng = _rng("account", account_id)
    base, daily = rng.randint(1500, 9000), rng.uniform(2.5, 12.0)
    day = timezone.localtime(moment).date()
    days = max(0, (day - ORIGIN).days)
    gained = sum(_gain(account_id, daily, ORIGIN + timedelta(days=n)) for n in range(days))
    today = _gain(account_id, daily, day) * _day_fraction(moment)
    return round(base + gained + today)


def _gain(account_id: int, daily: float, day: date) -> float:
    n = (day - ORIGIN).days
    return daily * WEEKLY_RHYTHM[day.weekday()] * (1 + 0.35 * math.sin(n * 1.7 + account_id))


def _day_fraction(moment: datetime) -> float:
    local = timezone.localtime(moment)
    return (local.hour * 3600 + local.minute * 60 + local.second) / 86400


def account_metrics(account_id: int, moment: datetime, published: int) -> AccountMetrics:
    """The account's counts at `moment`; `published` is how many posts it has on the sandbox by then."""
    rng = _rng("account-counts", account_id)
    followers = followers_at(account_id, moment)
    following = rng.randint(80, 400) + max(0, (timezone.localtime(moment).date() - ORIGIN).days) // 30
    return AccountMetrics(
        followers=followers,
        following=following,
        posts=rng.randint(200, 900) + published,
        audience=audience(account_id, followers),
    )


def audience(account_id: int, followers: int) -> dict[str, dict[str, int]]:
    """Who follows the account: the same shares every day, scaled to its followers."""
    rng = _rng("audience", account_id)
    peak = rng.choice((2, 3, 3, 4))  # the age bucket the account speaks to most
    ages = [math.exp(-((i - peak) ** 2) / 3) * rng.uniform(0.8, 1.2) for i in range(len(AGES))]
    women = rng.uniform(0.55, 0.68)
    genders = [women, 1 - women - 0.03, 0.03]
    countries = [rng.uniform(0.5, 1) / (i + 1) ** 1.8 for i in range(len(COUNTRIES))]
    cities = [rng.uniform(0.5, 1) / (i + 1) ** 1.5 for i in range(len(CITIES))]
    return {
        "age": _spread(AGES, ages, followers),
        "gender": _spread(GENDERS, genders, followers),
        "country": _spread(COUNTRIES, countries, followers),
        "city": _spread(CITIES, cities, round(followers * 0.7)),  # not everyone says where they live
    }


def _spread(buckets, weights, total: int) -> dict[str, int]:
    whole = sum(weights)
    return {bucket: round(total * weight / whole) for bucket, weight in zip(buckets, weights, strict=True)}


def post_metrics(post, moment: datetime, *, replies: int) -> PostMetrics:
    """The counts of the sandbox post `post` (its pk, account and time) at `moment`; `replies` is the visitors'
    replies planned by then."""
    rng = _rng("post", post.pk)
    hours = max(0.0, (moment - post.created_at).total_seconds() / 3600)
    settle = rng.uniform(4, 10)  # hours for about two thirds of the views
    seen = 1 - math.exp(-hours / settle)
    liked = 1 - math.exp(-hours / (settle * 1.6))
    reach = followers_at(post.account_id, post.created_at) * rng.uniform(0.15, 0.5) * rng.lognormvariate(0, 0.5)
    reach *= hour_appeal(post.created_at)
    return PostMetrics(
        external_id=post.external_id,
        views=round(reach * seen),
        likes=round(reach * rng.uniform(0.02, 0.07) * liked),
        reposts=round(reach * rng.uniform(0.003, 0.012) * liked),
        replies=replies,
        saves=round(reach * rng.uniform(0.002, 0.01) * liked),
        link_clicks=round(reach * rng.uniform(0.01, 0.03) * seen) if post.link else None,
    )
