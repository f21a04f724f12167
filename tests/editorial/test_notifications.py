"""Notifications: in the app (the bell, the page, mark read) and by e-mail."""

import contextlib

from django.core import mail
from django.db import transaction
from django.urls import reverse

from editorial.models import Notification
from editorial.services.notifications import notification_send
from tests.factories import UserFactory


def test_notification_send_records_one_per_recipient_and_sends_an_e_mail(curator, manager, settings, sent_mail):
    settings.SITE_URL = "https://cm.example"
    inactive = UserFactory(is_active=False)

    with sent_mail():
        notification_send(
            recipients=[curator, manager, curator, inactive],
            kind=Notification.Kind.WEEK_SUBMITTED,
            message="Semaine 12 soumise par Camille.",
            url="/calendar/weeks/2030/12/",
        )

    assert sorted(n.recipient.username for n in Notification.objects.all()) == ["claire", "marc"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([curator.email, manager.email])
    assert mail.outbox[0].subject == "[museumcm] Week submitted"
    assert "https://cm.example/calendar/weeks/2030/12/" in mail.outbox[0].body


def test_no_e_mail_leaves_for_a_change_that_is_rolled_back(curator, sent_mail):
    with sent_mail() as outbox, contextlib.suppress(RuntimeError), transaction.atomic():
        notification_send(recipients=[curator], kind=Notification.Kind.WEEK_APPROVED, message="Semaine 12.")
        raise RuntimeError  # the change fails after asking for the e-mail

    assert outbox == []


def test_the_bell_shows_the_unread_count_and_the_page_marks_read(client, curator):
    for n in range(3):
        notification_send(
            recipients=[curator], kind=Notification.Kind.IDEA_ACCEPTED, message=f"Idée {n}", url="/ideas/"
        )
    client.force_login(curator)

    home = client.get(reverse("ideas")).content.decode()
    listing = client.get(reverse("notifications"))
    first = curator.notifications.order_by("pk").first()
    opened = client.post(reverse("notification_open", args=[first.pk]))

    assert 'id="notification-bell"' in home and "3 unread" in home
    assert [n.message for n in listing.context["page"]] == ["Idée 2", "Idée 1", "Idée 0"]
    assert opened.status_code == 302 and opened.url == "/ideas/"
    assert curator.notifications.unread().count() == 2
    assert "2 unread" in client.get(reverse("ideas")).content.decode()

    client.post(reverse("notifications_read_all"))
    assert curator.notifications.unread().count() == 0
    assert "unread" not in client.get(reverse("ideas")).content.decode()


def test_one_cannot_open_someone_else_s_notification(client, curator, manager):
    [notification] = notification_send(recipients=[manager], kind="week_approved", message="ok", url="/")
    client.force_login(curator)

    assert client.post(reverse("notification_open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_outside_link_is_never_followed(client, curator):
    [notification] = notification_send(
        recipients=[curator], kind="week_approved", message="ok", url="https://evil.example/"
    )
    client.force_login(curator)

    response = client.post(reverse("notification_open", args=[notification.pk]))

    assert response.url == reverse("notifications")


def test_message_text_is_escaped(client, curator):
    notification_send(recipients=[curator], kind="idea_declined", message="<script>x()</script>", url="/")
    client.force_login(curator)

    html = client.get(reverse("notifications")).content.decode()

    assert "<script>x()</script>" not in html and "&lt;script&gt;" in html


def test_the_notifications_page_needs_sign_in(client, db):
    assert client.get(reverse("notifications")).status_code == 302
