"""The demo museum served once per test module: seeded, with a live server, and one signed-in browser context per role.

Pages are only read, so the data is seeded once and the database is flushed when the module ends (as a transactional
test would). Used by the main-pages checks and by `make screenshots`.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from accounts.roles import sync_roles

WIDE, PHONE = 1366, 390


@dataclass
class DemoSite:
    url: str
    media_root: Path
    ids: dict[str, object] = field(default_factory=dict)
    contexts: dict[str, object] = field(default_factory=dict)

    def page(self, role: str, width: int):
        page = self.contexts[role].new_page()
        page.set_viewport_size({"width": width, "height": 900})
        return page


def seed_extras() -> dict[str, object]:
    """What the demo lacks for a reviewer's eye: accounts on real networks and a post with an image on them."""
    from editorial.models import Idea, MuseumEvent, Post
    from editorial.services.weeks import IsoWeek
    from inbox.models import Message
    from publishing.models import Network
    from tests.factories import MediaFactory, MessageFactory, PublicationFactory, SocialAccountFactory

    networks = [Network.MASTODON, Network.BLUESKY, Network.INSTAGRAM]
    accounts = [
        SocialAccountFactory(network=network, handle=f"musee.marceau.{network}", display_name="Musée Marceau")
        for network in networks
    ]
    post = Post.objects.filter(comments__isnull=False).first()
    MediaFactory(post=post)
    for account in accounts:
        PublicationFactory(post=post, account=account)
    message = MessageFactory(
        account=accounts[0], author_name="Inès Moreau", text="Quel est le tarif réduit ?", created_at=timezone.now()
    )
    week = IsoWeek.of(timezone.localdate(post.scheduled_at))
    routed = Message.objects.filter(routed_to__isnull=False).first()
    return {
        "post": post.pk,
        "idea": Idea.objects.order_by("pk").first().pk,
        "campaign": post.campaign_id or 1,
        "event": MuseumEvent.objects.order_by("pk").first().pk,
        "message": message.pk,
        "routed": routed.pk,
        "week": f"{week.year}/{week.week}",
        "post_month": f"{timezone.localdate(post.scheduled_at):%Y-%m}",
        "post_week": f"{week.year}-W{week.week}",
        "today": timezone.localdate(),
        "next_week": timezone.localdate() + datetime.timedelta(days=7),
    }


def serve_demo(media_root: Path):
    """Seed the demo and start a live server on it; returns (site, cleanup)."""
    overrides = override_settings(
        MEDIA_ROOT=media_root,
        ALLOWED_HOSTS=["localhost", "127.0.0.1"],
        LANGUAGE_CODE="en",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    overrides.enable()
    sync_roles(apps)  # role groups do not survive a flush (by an earlier module or a transactional test)
    call_command("seed_demo", verbosity=0)
    site = DemoSite(url="", media_root=media_root, ids=seed_extras())
    server = LiveServer("localhost")
    site.url = server.url

    def cleanup():
        server.stop()
        call_command("flush", interactive=False, verbosity=0)
        overrides.disable()

    return site, cleanup


def sign_in(browser, site: DemoSite, username: str):
    from accounts.demo import PASSWORD

    context = browser.new_context(locale="en-GB", base_url=site.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.close()
    return context
