"""The inbox beside the posts: messages received and answered, first-response times, from the inbox's own numbers."""

from dataclasses import dataclass

from inbox.selectors import ResponseTime, responses
from insights.selectors.filters import InsightFilters
from publishing.models import Network


@dataclass
class InboxFigures:
    received: int
    answered: int
    overall: ResponseTime | None  # median and p90 over the whole period
    per_network: list[dict]  # {"network", "label", "received", "answered"}
    per_week: list[ResponseTime]  # per network and week, newest first


def inbox_figures(filters: InsightFilters, *, weekly: bool = True) -> InboxFigures:
    """Counts per network, and the inbox's response times over the period and (`weekly`) per network and week: one
    query, whatever the number of messages."""
    since, until = filters.period.bounds
    found = responses(since=since, until=until, network=filters.network, account=filters.account, per_week=weekly)
    per_network = [
        {"network": row["network"], "label": Network(row["network"]).label, **row} for row in found.per_network
    ]
    return InboxFigures(
        received=sum(row["received"] for row in per_network),
        answered=sum(row["answered"] for row in per_network),
        overall=found.overall,
        per_network=per_network,
        per_week=found.per_week,
    )
