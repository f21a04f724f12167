"""The manager's report: its page, its PDF read back, its CSV and XLSX, and the monthly e-mail."""

import csv
import io
import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from insights.charts import PALETTE
from insights.exports import COLUMNS
from insights.mailing import first_working_day, monthly_report_send
from insights.models import ReportDelivery
from tests.conftest import login_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.fixture(autouse=True)
def _museum(settings, paris):
    settings.MUSEUM_NAME = "Musée Marceau"


def chart_strokes(reader: PdfReader, colour: str) -> int:
    """How many times the pages set this colour for drawing (the PDF operators `r g b RG` and `r g b rg`)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    pattern = re.compile(rf"{red:.3f}\d* {green:.3f}\d* {blue:.3f}\d* (?:RG|rg)".replace("0.000", "0"))
    return sum(len(pattern.findall(page.get_contents().get_data().decode("latin-1"))) for page in reader.pages)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_page_shows_headlines_with_their_change_and_what_worked(client, manager, rows):
    page = login_client(client, manager).get(reverse("insights_report"), NOVEMBER).content.decode()
    assert "Musée Marceau" in page
    assert "Followers gained" in page and "+50" in page  # +100 on Mastodon, -50 on Bluesky
    assert "Mastodon engaged most" in page
    assert page.count('<figure class="chart"') == 3
    assert "Download PDF" in page


def test_a_curator_may_not_open_the_report(client, curator, rows):
    client = login_client(client, curator)
    assert client.get(reverse("insights_report"), NOVEMBER).status_code == 403
    assert client.get(reverse("insights_report_pdf"), NOVEMBER).status_code == 403


def test_the_pdf_holds_the_museum_the_period_the_headline_figures_and_the_charts(client, manager, rows):
    response = login_client(client, manager).get(reverse("insights_report_pdf"), NOVEMBER)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert "Musée Marceau" in text
    assert "November 2026" in text or "Nov. 1, 2026" in text or "1 November 2026" in text
    for figure in ("1,550", "115", "3.25 %", "20 min", "Mastodon engaged most"):
        assert figure in text, figure
    # The three charts are drawn: their first colour (Okabe-Ito blue, the first account's line, the planned bars, the
    # first network's response times) strokes or fills in the pages' drawing operators, and nothing else is blue.
    assert chart_strokes(reader, PALETTE[0]) >= 3
    # Their labels are text in the PDF too: the response times' axis and the cadence chart's weeks (the table says
    # "26 October 2026").
    assert "Median, hours" in text and "26/10 02/11 09/11" in text


def test_the_csv_has_the_stated_columns_and_every_headline(client, manager, rows):
    response = login_client(client, manager).get(reverse("insights_report_csv"), NOVEMBER)
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(table[0]) == COLUMNS == ("section", "item", "metric", "value", "previous_value")
    headlines = {row[2]: (row[3], row[4]) for row in table if row[0] == "headline"}
    assert headlines["followers"] == ("1550", "1500")
    assert headlines["engagements"] == ("115", "10")
    assert headlines["rate_views"] == ("0.02", "")  # absent last month: empty, not 0
    posts = [row for row in table if row[0] == "post" and row[2] == "views" and row[1].startswith("marceau.bsky")]
    assert posts and posts[0][3] == ""  # Bluesky gives no views
    moments = {(row[1], row[2]): row[3] for row in table if row[0] == "best_moment"}
    assert moments == {
        ("mastodon · 1 · 10", "median_engagements"): "30.0",
        ("mastodon · 1 · 10", "posts"): "3",
        ("bluesky · 3 · 18", "median_engagements"): "15.0",
        ("bluesky · 3 · 18", "posts"): "1",
    }


def test_the_xlsx_holds_the_same_rows(client, manager, rows):
    response = login_client(client, manager).get(reverse("insights_report_xlsx"), NOVEMBER)
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0] == COLUMNS
    assert ("headline", None, "published", 6, 1) in table


def test_the_first_working_day_skips_the_weekend():
    assert first_working_day(date(2026, 11, 20)) == date(2026, 11, 2)  # 1 November 2026 is a Sunday
    assert first_working_day(date(2026, 12, 7)) == date(2026, 12, 1)


def test_the_monthly_email_goes_to_each_manager_once_in_their_language_with_the_pdf(manager, rows):
    french = UserFactory(username="directrice", language="fr")
    french.groups.add(*manager.groups.all())
    manager.language = "en"
    manager.save()
    assert monthly_report_send(today=date(2026, 12, 2)) == 0  # not the first working day
    assert monthly_report_send(today=date(2026, 12, 1)) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    english, francais = by_recipient[manager.email], by_recipient[french.email]
    assert english.subject.startswith("Musée Marceau: social media report for 11/2026")
    assert "Rapport" in francais.subject or "rapport" in francais.subject
    (name, content, mimetype) = english.attachments[0]
    assert (name, mimetype) == ("report-2026-11.pdf", "application/pdf")
    assert "Musée Marceau" in pdf_text(content)
    assert monthly_report_send(today=date(2026, 12, 1)) == 0  # already sent: nobody gets it twice
    assert len(mail.outbox) == 2
    assert ReportDelivery.objects.filter(sent_at__isnull=False).count() == 2
