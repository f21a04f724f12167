import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class TeamQuerySet(models.QuerySet):
    def with_role(self, role: str) -> "TeamQuerySet":
        return self.filter(groups__name=role)

    def active(self) -> "TeamQuerySet":
        return self.filter(is_active=True)


class TeamManager(UserManager.from_queryset(TeamQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes an administrator of the team, with the role's group like any other."""
        user = super().create_superuser(username, email, password, **extra_fields)
        user.set_role(Role.ADMIN)
        return user


class DateOrder(models.TextChoices):
    """How English dates read; French ones are always day first."""

    DAY_MONTH = "day_month", _("Day first: 3 December 2026, 15:30")
    MONTH_DAY = "month_day", _("Month first: December 3, 2026, 3:30 PM")


class User(AbstractUser):
    """A member of the museum's team. The e-mail address is the identity used for invitations."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    date_order = models.CharField(
        _("dates in English"), max_length=10, choices=DateOrder.choices, default=DateOrder.DAY_MONTH
    )
    keyboard_shortcuts = models.BooleanField(
        _("single-key shortcuts in the inbox"),
        default=True,
        help_text=_("j / k, e, r… act only while the list or the conversation has focus. Untick to turn them off."),
    )

    objects = TeamManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "username"]
        permissions = [("manage_team", _("Can invite colleagues and change their roles"))]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def role(self) -> str | None:
        """The user's role: the highest of their role groups (a user normally has exactly one)."""
        names = {group.name for group in self.groups.all()}
        return next((role for role in reversed(Role.values) if role in names), None)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else _("No role")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)

    def set_role(self, role: str) -> None:
        """Give exactly the role's powers: its group (no permission of the person's own), and Django's superuser and
        staff flags only for an admin. A flag left behind would outlive the group: a demoted superuser kept every
        permission.
        """
        from django.contrib.auth.models import Group

        self.groups.set([Group.objects.get(name=role)])  # no other group's permissions either
        self.user_permissions.clear()  # a permission given to the person alone would outlive the role too
        self.is_superuser = self.is_staff = role == Role.ADMIN
        self.save(update_fields=["is_superuser", "is_staff"])
