"""Every figure of the Insights page and the manager's report, each in a number of queries that does not grow with
the number of publications or snapshots (aggregated in SQL). Sub-modules by subject; import from here."""

from insights.selectors.accounts import Cadence, Growth, cadence, cadences, follower_growth, period_accounts
from insights.selectors.audience import Audience, audience
from insights.selectors.filters import InsightFilters, Period, institution_zone
from insights.selectors.posts import SORTS, Rankings, best_moments, posts_table
from insights.selectors.report import Headline, Report, headlines, manager_report, what_worked
from insights.selectors.responses import InboxFigures, inbox_figures
from insights.selectors.results import (
    PeriodFigures,
    Results,
    Totals,
    period_figures,
    results,
    totals,
)

__all__ = [
    "SORTS",
    "Audience",
    "Cadence",
    "Growth",
    "Headline",
    "InboxFigures",
    "InsightFilters",
    "Period",
    "PeriodFigures",
    "Rankings",
    "Report",
    "Results",
    "Totals",
    "audience",
    "best_moments",
    "cadence",
    "cadences",
    "follower_growth",
    "headlines",
    "inbox_figures",
    "institution_zone",
    "manager_report",
    "period_accounts",
    "period_figures",
    "posts_table",
    "results",
    "totals",
    "what_worked",
]
