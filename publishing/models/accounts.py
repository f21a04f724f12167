"""The museum's accounts on the networks, and the apps museumcm registers on Mastodon-API instances."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.crypto import EncryptedJSONField


class Network(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    THREADS = "threads", "Threads"
    PINTEREST = "pinterest", "Pinterest"
    TUMBLR = "tumblr", "Tumblr"
    # The museum's own public question-and-answer site: its adapter is the `ask` app's, registered from its ready().
    ASK = "ask", "Ask the museum"

    @classmethod
    def imitable(cls) -> list["Network"]:
        """The networks a sandbox account can imitate: every real one the app publishes to."""
        return [network for network in cls if network not in (cls.SANDBOX, cls.ASK)]


NETWORK_LABELS = dict(Network.choices)


class SocialAccountQuerySet(models.QuerySet):
    def connected(self):
        return self.filter(status=SocialAccount.Status.CONNECTED)

    def named(self):
        """Only what names an account (`str`, its network's and imitated network's labels): for lists and figures
        that show accounts, without decrypting each one's credentials or parsing its options."""
        return self.only("network", "imitates", "handle", "display_name")


class SocialAccount(models.Model):
    """One account of the museum on one network (the Louvre has 13)."""

    class Status(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
        DISABLED = "disabled", _("Disabled")

    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    handle = models.CharField(_("handle"), max_length=200)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    avatar_url = models.URLField(_("avatar"), blank=True)
    # Base URL of the API: the Mastodon instance, the Bluesky PDS, or the Graph/REST host (tests point it at fakes).
    server_url = models.URLField(_("server"), blank=True)
    # The network's id of the account: Mastodon account id, Bluesky DID, Page id, IG user id, organisation URN…
    external_id = models.CharField(_("network id"), max_length=200, blank=True)
    credentials = EncryptedJSONField(_("credentials"), default=dict, blank=True)
    # What the network says of the account that posts need, refreshed at each connect: Pinterest's boards,
    # `{"boards": [{"id": "…", "name": "…"}]}`, the first being the default.
    options = models.JSONField(_("options"), default=dict, blank=True)
    # A sandbox account only: the real network whose limits, rules and look it takes (`behaves_as`); empty for a
    # plain sandbox account. Publishing stays offline: the sandbox adapter applies that network's checks.
    imitates = models.CharField(_("behaves like"), max_length=20, choices=Network.choices, blank=True)
    token_expires_at = models.DateTimeField(_("token expires at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONNECTED)
    status_reason = models.TextField(_("status reason"), blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SocialAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        ordering = ["network", "handle"]
        constraints = [
            models.UniqueConstraint(fields=["network", "handle"], name="unique_account_per_network"),
            models.CheckConstraint(
                condition=models.Q(imitates="") | models.Q(network="sandbox"), name="only_sandbox_imitates"
            ),
        ]
        permissions = [("connect_socialaccount", _("Can connect and reconnect social accounts"))]

    def __str__(self) -> str:
        # The label from a dict: get_network_display() rebuilds the field's choices at each call, and a page of
        # figures names its accounts some ninety times (1.4 ms of a year's Insights page)
        return f"{NETWORK_LABELS.get(self.network, self.network)} · {self.display_name or self.handle}"

    @property
    def behaves_as(self) -> str:
        """The network whose rules and look apply: the one a sandbox account imitates, else its own. Which adapter
        talks to the network still follows `network`."""
        return self.imitates or self.network


class MastodonApp(models.Model):
    """museumcm's app registered on one Mastodon-API instance, reused by every connection to it: registering at each
    try left one more app (and its live tokens) on the instance."""

    instance = models.URLField(_("instance"))
    redirect_uri = models.URLField(max_length=500)
    scopes = models.CharField(max_length=300)  # as registered, space-separated: a token may ask for no more
    credentials = EncryptedJSONField(default=dict)  # {"client_id": …, "client_secret": …}
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mastodon app")
        verbose_name_plural = _("Mastodon apps")
        constraints = [
            models.UniqueConstraint(fields=["instance", "redirect_uri"], name="one_mastodon_app_per_instance")
        ]

    def __str__(self) -> str:
        return self.instance
