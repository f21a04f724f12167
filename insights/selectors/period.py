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
year's statement: 46 -> 38 ms of PostgreSQL CPU), when the period has `MANY` posts at least: in a sparse one (a
narrow filter, an empty month) the walk would meet its posts too rarely (an account with none in the year: 1 -> 22
ms), and the period's rows are sorted as before. The table falls back on them too when fewer posts than it shows are
measured (the others follow, most recent first), and ranks by any other figure from them.

On PostgreSQL the groups are sums of day rows (`insights.selectors.rollups`, `Grouped`) where those can answer, and the
`MANY` gate counts their posts: the period's posts are then read only where a ranking needs them (a sparse period,
another sort), the CTE left unevaluated otherwise (a year's statement: ~95 -> ~15 ms).
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
# From this many posts in the period (filters applied), its measured posts are ranked from the indexes: walking one
# in its order meets one of them in (all measured posts ÷ this many) at worst. Fewer are ranked from the period's rows.
MANY = 1000
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
class Grouped:
    """The period's groups read from elsewhere than its posts (`insights.selectors.rollups`): `ctes` (more CTEs,
    with their `params`) that `campaigns` and `ideas` select from, grouped as the period's posts are
    (`_period_campaigns`, `_period_ideas`), and `posts`, a query of the period's number of posts."""

    ctes: str
    params: list
    campaigns: str
    ideas: str
    posts: str


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


def _campaigns(groups: str) -> str:
    """The `groups` (per campaign_ref and account_ref, with PARTS) with their networks and campaigns' names."""
    accounts, network = _q(SocialAccount._meta.db_table), _q(SocialAccount._meta.get_field("network").column)
    campaigns, name, pk = _q(Campaign._meta.db_table), _q(Campaign._meta.get_field("name").column), _q("id")
    return (
        f"SELECT 1, g.campaign_ref, a.{network}, c.{name}, NULL, {GROUPED} FROM ({groups}) AS g "
        f"JOIN {accounts} AS a ON a.{pk} = g.account_ref LEFT JOIN {campaigns} AS c ON c.{pk} = g.campaign_ref"
    )


def _period_campaigns() -> str:
    """The period's posts grouped by the campaign of those that have one (looked up here, among those posts only,
    rather than for every post of the period in the pass) and by account."""
    posts, campaign = _q(Post._meta.db_table), _q(Post._meta.get_field("campaign").column)
    return (
        f"SELECT cp.{campaign} AS campaign_ref, p.account_ref, {AGGREGATES} FROM period AS p "
        f"LEFT JOIN (SELECT {_q('id')}, {campaign} FROM {posts} WHERE {campaign} IS NOT NULL) AS cp "
        f"ON cp.{_q('id')} = p.post_ref GROUP BY cp.{campaign}, p.account_ref"
    )


def _ideas(groups: str) -> str:
    """The `groups` (per proposer_ref and kind, with PARTS) with their proposers' names."""
    users = _q(User._meta.db_table)
    name, username = _q(User._meta.get_field("display_name").column), _q(User._meta.get_field("username").column)
    return (
        f"SELECT 2, g.proposer_ref, g.kind, u.{name}, u.{username}, {GROUPED} FROM ({groups}) AS g "
        f"JOIN {users} AS u ON u.{_q('id')} = g.proposer_ref"
    )


def _period_ideas() -> str:
    ideas = _q(Idea._meta.db_table)
    kind, proposer = _q(Idea._meta.get_field("kind").column), _q(Idea._meta.get_field("proposer").column)
    post = _q(Idea._meta.get_field("post").column)
    return (
        f"SELECT i.{proposer} AS proposer_ref, i.{kind} AS kind, {AGGREGATES} "
        f"FROM period AS p JOIN {ideas} AS i ON i.{post} = p.post_ref "
        f"WHERE i.{kind} IS NOT NULL GROUP BY i.{proposer}, i.{kind}"
    )


def _ranking(part: int, order: str, limit: int, where: str = "") -> str:
    return _listed(part, f"SELECT row_id FROM period {where} ORDER BY {order}, moment DESC, row_id LIMIT {int(limit)}")


def _listed(part: int, ranked: str, gate: str = "TRUE") -> str:
    return f"SELECT {part}, row_id, NULL, NULL, NULL, {NO_AGGREGATES} FROM ({ranked}) AS r{part} WHERE {gate}"


def _measured(metrics, key: str, best: bool, limit: int) -> tuple[str, tuple]:
    """The `limit` measured posts of `metrics` with the highest (`best`) or lowest `key`, then the most recent: read
    in the order of the index on (key, moment, publication), backwards for the highest, the ties sorted after (a few
    rows), rather than a sort of the period's rows."""
    rows = metrics.filter(**{f"{key}__isnull": False}, publication__state=Publication.State.PUBLISHED)
    order = (F(key).desc() if best else F(key).asc(), F("published_at").desc(), "publication_id")
    return rows.order_by(*order).values(row_id=F("publication_id"))[:limit].query.sql_with_params()


def period_rows(rows, **more):
    """The columns of `rows` (measured publications) the pass reads, as the CTE `period` and day rows have them."""
    return rows.order_by().values(
        "engagements",
        "views",
        "rate_followers",
        "rate_views",
        row_id=F("pk"),
        post_ref=F("post_id"),
        account_ref=F("account_id"),
        moment=F("published_at"),
        **more,
    )


def period_pass(
    rows,
    metrics,
    *,
    grouped: Grouped | None = None,
    ideas: bool = True,
    sort_key=None,
    descending: bool = True,
    limit: int = 0,
    count: int = 0,
) -> PeriodPass:
    """One pass over `rows` (the period's publications, measured: `posts.period_publications`): the groups per
    campaign and network, per idea kind and proposer (`ideas`), the `limit` first by `sort_key` (absent ones last
    either way) and the `count` best and worst by engagement rate (÷ followers), measured ones only, these from the
    same posts' `metrics` (`posts.period_metrics`) and their indexes. The groups are those of `grouped` if given (the
    day rows: then the period's posts are read only where a ranking needs them)."""
    period = period_rows(rows, **({"sort_key": sort_key} if limit else {}))
    sql, params = period.query.sql_with_params()
    ctes, params = f"WITH period AS MATERIALIZED ({sql})", list(params)
    many = f"((SELECT COUNT(*) FROM (SELECT 1 FROM period LIMIT {MANY}) AS n) = {MANY})"
    campaigns, idea_groups = _period_campaigns(), _period_ideas()
    if grouped:
        ctes, params = f"{ctes}, {grouped.ctes}", params + grouped.params
        campaigns, idea_groups, many = grouped.campaigns, grouped.ideas, f"(({grouped.posts}) >= {MANY})"
    parts = [_campaigns(campaigns)] + ([_ideas(idea_groups)] if ideas else [])
    order = f"sort_key {'DESC' if descending else 'ASC'} NULLS LAST"
    if limit and descending and sort_key == F("engagements"):
        # the measured posts from the index; all of the period's (6) if few, or fewer than `limit` are measured
        measured, measured_params = _measured(metrics, "engagements", True, limit)
        fewer = f"(SELECT COUNT(*) FROM ({measured}) AS m) < {int(limit)}"
        parts += [_listed(3, measured, many), _ranking(6, order, limit, f"WHERE NOT {many} OR {fewer}")]
        params += [*measured_params, *measured_params]
    elif limit:
        parts.append(_ranking(6, order, limit))
    for part, best in ((4, True), (5, False)) if count else ():
        rated, rated_params = _measured(metrics, "rate_followers", best, count)
        few = f"WHERE rate_followers IS NOT NULL AND NOT {many}"
        parts += [_listed(part, rated, many), _ranking(part, f"rate_followers {'DESC' if best else 'ASC'}", count, few)]
        params += rated_params
    statement = f"{ctes} " + " UNION ALL ".join(parts)
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
