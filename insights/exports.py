"""The report's figures as files: every figure behind it as CSV and XLSX rows, and the report itself as an A4 PDF."""

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from insights.selectors import Report

# The CSV's and the XLSX's columns, in this order: one figure per row.
COLUMNS = ("section", "item", "metric", "value", "previous_value")


def figure_rows(report: Report, posts: list) -> list[tuple]:
    """Every figure of the report, long form: (section, item, metric, value, previous value or "")."""
    rows = [("headline", "", h.key, h.value, h.previous) for h in report.headlines]
    for g in report.growth:
        rows += [("followers", str(g.account), m, getattr(g, m), "") for m in ("start", "end", "change", "percent")]
    for p in posts:
        item = f"{p.post.title} · {p.account} · {p.published_at:%Y-%m-%d %H:%M}"
        counts = {
            name: getattr(p.latest, name, None)
            for name in ("views", "likes", "reposts", "replies", "quotes", "saves", "link_clicks", "video_views")
        }
        counts |= {
            "engagements": p.engagements,
            "followers_then": p.followers_then,
            "rate_followers": p.rate_followers,
            "rate_views": p.rate_views,
        }
        rows += [("post", item, metric, value, "") for metric, value in counts.items()]
    for section, results in (("campaign", report.campaigns), ("idea_kind", report.kinds), ("network", report.networks)):
        for row in results:
            label = row["label"] or _("No campaign")
            rows += [(section, label, m, row[m], "") for m in ("posts", "engagements", "rate_followers", "rate_views")]
    for cadence in report.cadence:
        weeks = zip(cadence.mondays, cadence.planned, cadence.published, cadence.gaps, strict=True)
        for monday, *counts in weeks:
            item = f"{cadence.account} · {monday:%Y-%m-%d}"
            figures = zip(("target", "planned", "published", "gap"), (cadence.target, *counts), strict=True)
            rows += [("cadence", item, metric, value, "") for metric, value in figures]
    for row in report.inbox.per_week:
        item = f"{row.network} · {row.week:%Y-%m-%d}"
        rows += [("response_time", item, m, getattr(row, m), "") for m in ("answered", "median_s", "p90_s")]
    for cell in report.moments:
        item = f"{cell['network']} · {cell['weekday']} · {cell['hour']:02d}"
        rows.append(("best_moment", item, "median_engagements", cell["median"], ""))
        rows.append(("best_moment", item, "posts", cell["n"], ""))
    return [tuple(_cell(value) for value in row) for row in rows]


def _cell(value):
    """Numbers stay numbers; absent is empty (never 0); anything else (a lazy translation, a date) becomes text."""
    if value is None:
        return ""
    return value if isinstance(value, int | float) else str(value)


def as_csv(rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def as_xlsx(rows: list[tuple]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Figures"))
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_pdf(context: dict) -> bytes:
    """The report as an A4 PDF, from the report page's own body (the same charts)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("insights/report_pdf.html", context)
    # The charts are data: URIs; nothing else is read: no file of the server, no address on the network.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
