"""The inbox beside the posts: messages received and answered, first-response times, from the inbox's own numbers."""

from dataclasses import dataclass

from django.db.models import Count, Q

from inbox.selectors import ResponseTime, received_messages, response_times
from insights.selectors.filters import InsightFilters
from publishing.models import Network


@dataclass
class InboxFigures:
    received: int
    answered: int
    overall: ResponseTime | None  # median and p90 over the whole period
    per_network: list[dict]  # {"network", "received", "answered"}
    per_week: list[ResponseTime]  # per network and week, newest first


def inbox_figures(filters: InsightFilters, *, weekly: bool = True) -> InboxFigures:
    """Counts per network, and the inbox's response times over the period and (`weekly`) per network and week: a
    query each, whatever the number of messages."""
    since, until = filters.period.bounds
    scope = dict(since=since, until=until, network=filters.network, account=filters.account)
    per_network = list(
        received_messages(**scope)
        .values("account__network")
        .annotate(received=Count("pk"), answered=Count("pk", filter=Q(first_response_at__isnull=False)))
        .order_by("account__network")
    )
    per_network = [
        {"network": row["account__network"], "label": Network(row.pop("account__network")).label, **row}
        for row in per_network
    ]
    overall = response_times(**scope, per_week=False)
    return InboxFigures(
        received=sum(row["received"] for row in per_network),
        answered=sum(row["answered"] for row in per_network),
        overall=overall[0] if overall else None,
        per_network=per_network,
        per_week=response_times(**scope) if weekly else [],
    )
