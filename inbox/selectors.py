"""Reads the inbox's views share: the filtered list, counts per network, a conversation, response times."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, DateField, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Cast, TruncWeek
from django.utils import timezone

from inbox.models import Message, Presence, Reply
from museumcm.weeks import WeekOf, weeks_of


@dataclass
class Filters:
    network: str = ""
    account: int | None = None
    status: str = Message.Status.OPEN
    assignee: str = ""  # a user id, "me" or "none"
    campaign: int | None = None
    post: int | None = None
    kind: str = ""
    q: str = ""
    held: bool = False  # only the messages a channel holds for moderation


def inbox_messages(*, filters: Filters, user, text_index: bool = True):
    """The inbox list for these filters, with everything a row shows joined in (query count independent of size).

    `text_index=False`: the words are matched without the text index (see `MessageQuerySet.search`)."""
    messages = Message.objects.all()
    messages = messages.filter(status=filters.status) if filters.status else messages.visible()
    if filters.network:
        messages = messages.filter(account__network=filters.network)
    if filters.account:
        messages = messages.filter(account_id=filters.account)
    if filters.assignee == "me":
        messages = messages.filter(assignee=user)
    elif filters.assignee == "none":
        messages = messages.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        messages = messages.filter(assignee_id=int(filters.assignee))
    if filters.campaign:
        messages = messages.filter(publication__post__campaign_id=filters.campaign)
    if filters.post:
        messages = messages.filter(publication__post_id=filters.post)
    if filters.kind:
        messages = messages.filter(kind=filters.kind)
    if filters.held:
        messages = messages.filter(extra__held=True)
    return messages.search(filters.q, text_index=text_index).for_list()


SEARCH_WINDOW = 10_000  # the most recent messages, where a search looks first


def inbox_page(*, filters: Filters, user, offset: int, limit: int, window: int = SEARCH_WINDOW) -> list[Message]:
    """One page of the inbox list, newest first.

    A search looks first among the `window` most recent messages, where a common word fills the page at once; a
    rarer one is then read through the text index, its few matches sorted by date. Left to choose, PostgreSQL guesses
    from how often it thinks the words occur, and a wrong guess walked a million messages by date to find the twenty
    from "Visiteur 123" (800 ms). The window matches its words without the text index: once the table is vacuumed,
    the planner intersected the window with every match of common words there (45,000 rows, 42 ms) rather than read
    the window's rows by date (at most `window` rows).
    """
    messages = inbox_messages(filters=filters, user=user)
    if not filters.q or connection.vendor != "postgresql":
        return list(messages[offset : offset + limit])
    newest = Message.objects.order_by("-created_at", "-id").values_list("created_at", flat=True)
    start = next(iter(newest[window - 1 : window]), None)
    if start is not None:
        in_window = inbox_messages(filters=filters, user=user, text_index=False).filter(created_at__gte=start)
        recent = list(in_window[offset : offset + limit])
        if len(recent) == limit:
            return recent
    # An expression the date index cannot serve: the matches come from the text index, then are sorted.
    by_date = ExpressionWrapper(F("created_at") + Value(timedelta(0)), output_field=DateTimeField())
    return list(messages.order_by(by_date.desc(), "-id")[offset : offset + limit])


COUNTS_KEY = "inbox:network-counts"
COUNTS_TTL = 15  # seconds: a summary beside a list that polls anyway; counting a million rows per view is not worth it


def network_counts(*, fresh: bool = False) -> list[dict]:
    """Open and unread counts per network, in one query, cached for a few seconds."""
    counts = None if fresh else cache.get(COUNTS_KEY)
    if counts is None:
        counts = list(
            Message.objects.filter(status=Message.Status.OPEN, deleted=False)
            .values("account__network")
            .annotate(open=Count("pk"), unread=Count("pk", filter=Q(read=False)))
            .order_by("account__network")
        )
        cache.set(COUNTS_KEY, counts, COUNTS_TTL)
    return counts


def forget_counts() -> None:
    """Triage changed the counts: the next view recounts (the cache only spares repeated identical counts)."""
    cache.delete(COUNTS_KEY)


def open_count() -> int:
    return Message.objects.open().count()


def questions_for(user):
    """Questions routed to this expert that still wait for an answer, newest routing first."""
    drafts = Reply.objects.filter(message=OuterRef("pk"), state=Reply.State.DRAFT)
    return (
        Message.objects.filter(routed_to=user)
        .exclude(status=Message.Status.SPAM)
        .annotate(has_draft=Exists(drafts))
        .select_related("account", "routed_by", "publication")
        .order_by("status", "-routed_at")
    )


def attach_presences(rows: list[Message], *, exclude_user) -> list[Message]:
    """Who else has each listed conversation open, in one query for the whole page."""
    by_message = defaultdict(list)
    live = Presence.objects.live().filter(message__in=rows).exclude(user=exclude_user).select_related("user")
    for presence in live:
        by_message[presence.message_id].append(presence)
    for row in rows:
        row.presences_live = by_message[row.pk]
    return rows


def live_presences(*, message: Message, exclude_user) -> list[Presence]:
    return list(message.presences.live().exclude(user=exclude_user).select_related("user"))


# Conversation ------------------------------------------------------------------------------------------------------

MAX_DEPTH = 50


def conversation_root(message: Message) -> Message:
    """Walk up the parents to the first message of the conversation (bounded: networks nest only so deep)."""
    root = message
    for _step in range(MAX_DEPTH):
        if root.parent_id is None:
            break
        root = Message.objects.select_related("account").get(pk=root.parent_id)
    return root


def conversation_thread(message: Message) -> list[tuple[Message, int]]:
    """The conversation as a flat list of (message, depth) in reading order, each with its replies attached."""
    root = conversation_root(message)
    levels, frontier = [[root]], [root.pk]
    for _depth in range(MAX_DEPTH):
        children = list(
            Message.objects.filter(parent_id__in=frontier).select_related("account", "assignee").order_by("created_at")
        )
        if not children:
            break
        levels.append(children)
        frontier = [child.pk for child in children]
    everything = [m for level in levels for m in level]
    replies = defaultdict(list)
    for reply in Reply.objects.filter(message__in=everything).select_related("author", "sent_by"):
        replies[reply.message_id].append(reply)
    kids = defaultdict(list)
    for m in everything:
        m.our_replies = replies[m.pk]
        if m.pk != root.pk:
            kids[m.parent_id].append(m)
    ordered: list[tuple[Message, int]] = []
    _walk(root, 0, kids, ordered)
    return ordered


def _walk(message: Message, depth: int, kids: dict, out: list) -> None:
    out.append((message, min(depth, 6)))  # indentation stops at six levels
    for child in kids[message.pk]:
        _walk(child, depth + 1, kids, out)


def author_history(message: Message, *, exclude: list[int], limit: int = 10) -> list[Message]:
    """The same person's earlier messages to this account: context for the answer."""
    if not message.author_id:
        return []
    return list(
        Message.objects.filter(account_id=message.account_id, author_id=message.author_id)
        .exclude(pk__in=exclude)
        .select_related("account")
        .order_by("-created_at")[:limit]
    )


# Response time -----------------------------------------------------------------------------------------------------


KEYS = ("network", "week")  # what response times group by


@dataclass
class ResponseTime:
    network: str
    week: object  # date of the week's Monday
    answered: int
    median_s: float
    p90_s: float


@dataclass
class Responses:
    """The messages received over a period and our first responses to them, from one pass over them (Insights)."""

    per_network: list[dict]  # {"network", "received", "answered"}, by network
    overall: ResponseTime | None  # over every answered message (network and week None); None if none was
    per_week: list[ResponseTime]  # per network and week, newest week first; empty unless asked for


def response_times(
    *, weeks: int = 8, since=None, until=None, network: str = "", account: int | None = None, per_week: bool = True
) -> list[ResponseTime]:
    """First-response time (received → our first reply sent): median and 90th percentile per network and week.

    Over the last `weeks` weeks, or over the messages received in [since, until) when given (Insights' periods).
    `per_week=False` gives one row for all of them (network and week None), none if nothing was answered."""
    since = since or timezone.now() - timezone.timedelta(weeks=weeks)
    answered = received_messages(since=since, until=until, network=network, account=account).filter(
        first_response_at__isnull=False
    )
    return _times(_response_rows(answered, (("network", "week"),) if per_week else ((),)))


def responses(*, since, until, network: str = "", account: int | None = None, per_week: bool = True) -> Responses:
    """Messages received in [since, until) and answered, per network; the response times (as `response_times`) over
    them all and, `per_week`, per network and week: one statement, grouping sets of one sort, rather than a pass
    for each, its weeks found among the period's by `WeekOf` rather than a conversion to local time per message (a
    year of Insights: three statements, 13 -> 8.5 ms of PostgreSQL CPU). Per week, a network's counts are its weeks'
    added up, not a grouping set of their own, whose percentiles nobody read (a year: 5.2 -> 4.8 ms)."""
    scope = received_messages(since=since, until=until, network=network, account=account)
    sets = (("network", "week"), ()) if per_week else (("network",), ())
    last = timezone.localtime(until - timedelta(microseconds=1)).date()
    week = WeekOf("created_at", weeks_of(timezone.localdate(since), last), timezone.get_current_timezone())
    rows = _response_rows(scope, sets, week)
    # A message's network is never NULL: a NULL one is the key the overall grouping set leaves out.
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for network_key, _week, received, answered, *_figures in rows:
        if network_key is not None:
            counts[network_key][0] += received
            counts[network_key][1] += answered
    return Responses(
        per_network=[
            {"network": network_key, "received": received, "answered": answered}
            for network_key, (received, answered) in sorted(counts.items())
        ],
        overall=next(iter(_times(row for row in rows if row[0] is None)), None),
        per_week=_times(row for row in rows if row[1] is not None),
    )


def received_messages(*, since, until=None, network: str = "", account: int | None = None):
    """Messages received in [since, until), optionally of one network or account: what response times are over."""
    messages = Message.objects.filter(created_at__gte=since)
    if until is not None:
        messages = messages.filter(created_at__lt=until)
    if network:
        messages = messages.filter(account__network=network)
    if account:
        messages = messages.filter(account_id=account)
    return messages


def _times(rows) -> list[ResponseTime]:
    """The response times of the rows with a message answered, newest week first, then by network."""
    times = [ResponseTime(n, week, answered, median, p90) for n, week, _r, answered, median, p90 in rows if answered]
    return sorted(times, key=lambda row: (-row.week.toordinal() if row.week else 0, row.network or ""))


def _response_rows(messages, sets: tuple[tuple[str, ...], ...], week=None) -> list[tuple]:
    """(network, week, received, answered, median and p90 of the response times in seconds) per group of each
    grouping set of `sets` (of "network" and "week", a local week's Monday), a key the set leaves out None. `week`:
    the SQL expression of a message's week, when it can be cheaper than a conversion to local time (`WeekOf`)."""
    if connection.vendor != "postgresql":
        return _response_rows_python(messages, sets)
    local = TruncWeek("created_at", tzinfo=timezone.get_current_timezone())
    return _response_rows_sql(messages, sets, week or Cast(local, DateField()))  # a date from the raw cursor too


def _response_rows_sql(messages, sets, week) -> list[tuple]:
    """Over the messages' rows as the queryset selects them (the network joined only when grouped by), rather than
    `id IN` them, which scanned the messages twice. The percentiles skip the NULL times of messages not answered."""
    network = {"network": F("account__network")} if any(sets) else {}
    weekly = {"week": week} if any("week" in keys for keys in sets) else {}
    rows = messages.order_by().values("created_at", "first_response_at", **network, **weekly)
    sql, params = rows.query.sql_with_params()
    grouping = ", ".join("(" + ", ".join(str(KEYS.index(key) + 1) for key in keys) + ")" for keys in sets)
    seconds = "extract(epoch FROM m.first_response_at - m.created_at)"
    query = f"""
        SELECT {"m.network" if network else "NULL::text"}, {"m.week" if weekly else "NULL::date"}, count(*),
               count(m.first_response_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY {seconds}),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY {seconds})
        FROM ({sql}) AS m
        GROUP BY GROUPING SETS ({grouping})
    """
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _response_rows_python(messages, sets) -> list[tuple]:
    groups = defaultdict(lambda: [0, []])  # (network, week) → [received, response times]
    for network, created_at, first in messages.values_list("account__network", "created_at", "first_response_at"):
        local = timezone.localtime(created_at).date()
        keys = {"network": network, "week": local - timezone.timedelta(days=local.weekday())}
        for grouped in sets:
            group = groups[tuple(keys[key] if key in grouped else None for key in KEYS)]
            group[0] += 1
            if first is not None:
                group[1].append((first - created_at).total_seconds())
    return [
        (network, week, received, len(times), *_median_p90(times))
        for (network, week), (received, times) in groups.items()
    ]


def _median_p90(times: list[float]) -> tuple[float | None, float | None]:
    return (statistics.median(times), _percentile(times, 0.9)) if times else (None, None)


def _percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont computes it."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
