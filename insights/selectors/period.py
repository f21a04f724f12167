"""The figures that group or rank every post of a period, from one pass over them: the results per (campaign, network)
and per (idea kind, proposer), and the posts ranked (the table, the top and the bottom).

Each was a pass of its own, joining the period's publications to their latest figures, posts and accounts: a year of
25,000 posts paid that join five times on the Insights page. Here the period's posts are gathered once in a
MATERIALIZED CTE (the ORM's query: the filters, the curator's scope), and each part is a small SELECT over it, all in
one statement (UNION ALL, one column layout for every part, which PostgreSQL and SQLite ≥ 3.35 both run). Python
rolls the groups up as before (`insights.selectors.results`).

The pass carries integers only: the groups are keyed by ids (campaign and account, proposer and kind) and given their
names and networks after grouping, a few dozen rows. Grouping a year's posts by text, and joining their accounts to
get it, were a sixth of the statement (58 -> 48 ms of PostgreSQL CPU).

The rankings of measured posts (the best and worst by rate, the table by engagements, the default) are read from the
indexes of `LatestMetrics` in their order, a few rows each, rather than sorting the period's rows three times (a
year's statement: 50 -> 43 ms of PostgreSQL CPU); the table falls back on the period's rows when fewer posts than it
shows are measured (the others follow, most recent first), and ranks by any other figure from them.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from accounts.models import User
from editorial.models import Campaign, Idea, Post
from publishing.models import Publication, SocialAccount

# What each group carries: counts and sums only, which add up across groups (means are divided at the end).
PARTS = (
    "posts",
    "measured",
    "engagements",
    "views",
    "rate_followers_sum",
    "rate_followers_n",
    "rate_views_sum",
    "rate_views_n",
)
FLOATS = {"rate_followers_sum", "rate_views_sum"}
AGGREGATES = (  # each named as its part
    "COUNT(p.row_id) AS posts, COUNT(p.engagements) AS measured, SUM(p.engagements) AS engagements, "
    "SUM(p.views) AS views, SUM(p.rate_followers) AS rate_followers_sum, COUNT(p.rate_followers) AS rate_followers_n, "
    "SUM(p.rate_views) AS rate_views_sum, COUNT(p.rate_views) AS rate_views_n"
)
GROUPED = ", ".join(f"g.{part}" for part in PARTS)
NO_AGGREGATES = ", ".join(["NULL"] * len(PARTS))
CAMPAIGN = ("post__campaign_id", "account__network", "post__campaign__name")
CURATOR = ("post__ideas__proposer_id", "post__ideas__kind", "post__ideas__proposer__display_name")
USERNAME = "post__ideas__proposer__username"


@dataclass
class Ranked:
    """The row ids of the three rankings, in their order."""

    table: list[int] = field(default_factory=list)
    top: list[int] = field(default_factory=list)
    bottom: list[int] = field(default_factory=list)


@dataclass
class PeriodPass:
    campaigns: list[dict] = field(default_factory=list)  # per (campaign, account): CAMPAIGN keys and PARTS
    ideas: list[dict] = field(default_factory=list)  # per (proposer, idea kind): CURATOR keys, USERNAME and PARTS
    ranked: Ranked = field(default_factory=Ranked)


def _number(part: str, value):
    """A count or a sum as Django's aggregates give it (PostgreSQL sums integers as numeric)."""
    if value is None:
        return None
    return float(value) if part in FLOATS else int(value)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _campaigns() -> str:
    """Grouped by the campaign of the posts that have one (looked up here, among those posts only, rather than for
    every post of the period in the pass) and by account, then named."""
    posts, campaigns = _q(Post._meta.db_table), _q(Campaign._meta.db_table)
    accounts, network = _q(SocialAccount._meta.db_table), _q(SocialAccount._meta.get_field("network").column)
    campaign, name, pk = (
        _q(Post._meta.get_field("campaign").column),
        _q(Campaign._meta.get_field("name").column),
        _q("id"),
    )
    return (
        f"SELECT 1, g.campaign_ref, a.{network}, c.{name}, NULL, {GROUPED} FROM ("
        f"SELECT cp.{campaign} AS campaign_ref, p.account_ref, {AGGREGATES} FROM period AS p "
        f"LEFT JOIN (SELECT {pk}, {campaign} FROM {posts} WHERE {campaign} IS NOT NULL) AS cp ON cp.{pk} = p.post_ref "
        f"GROUP BY cp.{campaign}, p.account_ref) AS g JOIN {accounts} AS a ON a.{pk} = g.account_ref "
        f"LEFT JOIN {campaigns} AS c ON c.{pk} = g.campaign_ref"
    )


def _ideas() -> str:
    ideas, users = _q(Idea._meta.db_table), _q(User._meta.db_table)
    kind, proposer = _q(Idea._meta.get_field("kind").column), _q(Idea._meta.get_field("proposer").column)
    post = _q(Idea._meta.get_field("post").column)
    name, username = _q(User._meta.get_field("display_name").column), _q(User._meta.get_field("username").column)
    return (
        f"SELECT 2, g.proposer_ref, g.kind, u.{name}, u.{username}, {GROUPED} FROM ("
        f"SELECT i.{proposer} AS proposer_ref, i.{kind} AS kind, {AGGREGATES} "
        f"FROM period AS p JOIN {ideas} AS i ON i.{post} = p.post_ref "
        f"WHERE i.{kind} IS NOT NULL GROUP BY i.{proposer}, i.{kind}) AS g "
        f"JOIN {users} AS u ON u.{_q('id')} = g.proposer_ref"
    )


def _ranking(part: int, order: str, limit: int, where: str = "") -> str:
    return _listed(part, f"SELECT row_id FROM period {where} ORDER BY {order}, moment DESC, row_id LIMIT {int(limit)}")


def _listed(part: int, ranked: str) -> str:
    return f"SELECT {part}, row_id, NULL, NULL, NULL, {NO_AGGREGATES} FROM ({ranked}) AS r{part}"


def _measured(metrics, key: str, best: bool, limit: int) -> tuple[str, tuple]:
    """The `limit` measured posts of `metrics` with the highest (`best`) or lowest `key`, then the most recent: read
    in the order of the index on (key, moment, publication), backwards for the highest, the ties sorted after (a few
    rows), rather than a sort of the period's rows."""
    rows = metrics.filter(**{f"{key}__isnull": False}, publication__state=Publication.State.PUBLISHED)
    order = (F(key).desc() if best else F(key).asc(), F("published_at").desc(), "publication_id")
    return rows.order_by(*order).values(row_id=F("publication_id"))[:limit].query.sql_with_params()


def period_pass(
    rows, metrics, *, ideas: bool = True, sort_key=None, descending: bool = True, limit: int = 0, count: int = 0
) -> PeriodPass:
    """One pass over `rows` (the period's publications, measured: `posts.period_publications`): the groups per
    campaign and network, per idea kind and proposer (`ideas`), the `limit` first by `sort_key` (absent ones last
    either way) and the `count` best and worst by engagement rate (÷ followers), measured ones only, these from the
    same posts' `metrics` (`posts.period_metrics`) and their indexes."""
    period = rows.order_by().values(
        "engagements",
        "views",
        "rate_followers",
        "rate_views",
        row_id=F("pk"),
        post_ref=F("post_id"),
        account_ref=F("account_id"),
        moment=F("published_at"),
        **({"sort_key": sort_key} if limit else {}),
    )
    sql, params = period.query.sql_with_params()
    parts, params = [_campaigns()] + ([_ideas()] if ideas else []), list(params)
    order = f"sort_key {'DESC' if descending else 'ASC'} NULLS LAST"
    if limit and descending and sort_key == F("engagements"):
        # the measured posts from the index; all of the period's (6) only if fewer than `limit` are measured
        measured, measured_params = _measured(metrics, "engagements", True, limit)
        fewer = f"WHERE (SELECT COUNT(*) FROM ({measured}) AS m) < {int(limit)}"
        parts += [_listed(3, measured), _ranking(6, order, limit, fewer)]
        params += [*measured_params, *measured_params]
    elif limit:
        parts.append(_ranking(3, order, limit))
    for part, best in ((4, True), (5, False)) if count else ():
        rated, rated_params = _measured(metrics, "rate_followers", best, count)
        parts.append(_listed(part, rated))
        params += rated_params
    statement = f"WITH period AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
    found, ranked = PeriodPass(), {3: [], 4: [], 5: [], 6: []}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for part, key, text, name, username, *figures in cursor.fetchall():
            sums = {p: _number(p, v) for p, v in zip(PARTS, figures, strict=True)}
            if part == 1:
                found.campaigns.append(dict(zip(CAMPAIGN, (key, text, name), strict=True)) | sums)
            elif part == 2:
                found.ideas.append(dict(zip(CURATOR, (key, text, name), strict=True)) | {USERNAME: username} | sums)
            else:
                ranked[part].append(key)
    found.ranked = Ranked(ranked[6] or ranked[3], ranked[4], ranked[5])
    return found
