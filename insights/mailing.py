"""The monthly e-mail: last month's report, PDF attached, to each manager in their language, on the first working day
of the month in the institution's time zone (beat asks every morning; the rows say who already has it)."""

from collections import defaultdict
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from insights import exports
from insights.models import ReportDelivery
from insights.report_views import report_context
from insights.selectors import InsightFilters, Period, institution_zone

RECLAIM_AFTER = timedelta(minutes=15)  # a delivery claimed this long ago and not sent: its worker died


def first_working_day(day: date) -> date:
    """The first Monday-to-Friday of `day`'s month (public holidays are the institution's own, and not known here)."""
    first = day.replace(day=1)
    while first.weekday() >= 5:
        first += timedelta(days=1)
    return first


def recipients():
    return User.objects.filter(groups__name=Role.MANAGER, is_active=True).exclude(email="").order_by("pk")


def monthly_report_send(*, today: date | None = None) -> int:
    """Send last month's report to every manager who does not have it yet, if today is the month's first working
    day. Returns how many e-mails went out. One PDF per language, whatever the number of recipients."""
    today = today or timezone.localdate(timezone=institution_zone())
    if today != first_working_day(today):
        return 0
    period = Period.month_of(today.replace(day=1) - timedelta(days=1))
    by_language = defaultdict(list)
    for user in recipients():
        if _claim(period.first, user):
            by_language[user.language or settings.LANGUAGE_CODE].append(user)
    for language, users in by_language.items():
        with translation.override(language):
            subject, body, pdf = _compose(period)
        for user in users:
            message = EmailMessage(subject, body, to=[user.email])
            message.attach(f"report-{period.first:%Y-%m}.pdf", pdf, "application/pdf")
            message.send()
            ReportDelivery.objects.filter(month=period.first, recipient=user).update(sent_at=timezone.now())
    return sum(len(users) for users in by_language.values())


def _claim(month: date, user) -> bool:
    """Take the (month, person) delivery: a new row, or one whose sender died before sending."""
    delivery, created = ReportDelivery.objects.get_or_create(month=month, recipient=user)
    if created:
        return True
    stale = timezone.now() - RECLAIM_AFTER
    return (
        ReportDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True, claimed_at__lt=stale).update(
            claimed_at=timezone.now()
        )
        == 1
    )


def _compose(period: Period) -> tuple[str, str, bytes]:
    context = report_context(InsightFilters(period))
    subject = _("%(museum)s: social media report for %(month)s") % {
        "museum": context["museum_name"],
        "month": period.first.strftime("%m/%Y"),
    }
    body = render_to_string("insights/email/monthly_report.txt", context)
    return subject, body, exports.as_pdf(context)


@shared_task(name="insights.mailing.send_monthly_report")
def send_monthly_report() -> int:
    return monthly_report_send()
