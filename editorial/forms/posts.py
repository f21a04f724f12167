"""Forms of the post editor: the post with one text per target, its media, comments, moves."""

from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editorial.forms.target_options import TargetOptionsMixin, target_options_initial
from editorial.models import Campaign
from editorial.timeutils import CALENDAR_YEARS, LocalInstant, in_calendar, local_instant
from editorial.uploads import ALT_TEXT_REQUIRED, check_upload
from museumcm.fields import ALT_TEXT_MAX, COMMENT_MAX, POST_TEXT_MAX, REASON_MAX
from museumcm.widgets import IsoDateInput, IsoTimeInput
from publishing.accessibility import lacks_alt_text
from publishing.models import SocialAccount


class AccountChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SocialAccount) -> str:
        return str(obj)


class WhenMixin(forms.Form):
    """A date and a time in the user's zone, refusing the DST gap and the past, resolving the autumn repeat."""

    OCCURRENCES = [("0", gettext_lazy("the first (summer time)")), ("1", gettext_lazy("the second (winter time)"))]

    day = forms.DateField(label=gettext_lazy("Date"), widget=IsoDateInput())
    at = forms.TimeField(label=gettext_lazy("Time"), widget=IsoTimeInput())
    occurrence = forms.TypedChoiceField(
        label=gettext_lazy("If this time occurs twice (clocks going back), use"),
        choices=OCCURRENCES,
        coerce=int,
        initial="0",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["at"].help_text = _("In your time zone, %(zone)s.") % {"zone": zone}

    def clean_when(self) -> None:
        day, at = self.cleaned_data.get("day"), self.cleaned_data.get("at")
        if not isinstance(day, date) or not isinstance(at, time):
            return
        if not in_calendar(day):
            years = {"first": CALENDAR_YEARS[0], "last": CALENDAR_YEARS[-1]}
            self.add_error("day", _("Choose a date between %(first)s and %(last)s.") % years)
            return
        try:
            instant = local_instant(
                day, at, timezone.get_current_timezone(), fold=self.cleaned_data.get("occurrence") or 0
            )
        except ValidationError as error:
            self.add_error("at", error)
            return
        if instant.utc <= timezone.now():
            self.add_error("at", _("This time is in the past; choose a time to come."))
            return
        self.cleaned_data["instant"] = instant
        self.cleaned_data["scheduled_at"] = instant.utc

    @property
    def instant(self) -> LocalInstant | None:
        return self.cleaned_data.get("instant")


def when_initial(value) -> dict:
    local = timezone.localtime(value)
    return {"day": local.date(), "at": local.time().replace(second=0, microsecond=0), "occurrence": str(local.fold)}


class PostForm(TargetOptionsMixin, WhenMixin):
    title = forms.CharField(label=gettext_lazy("Title (internal)"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("Master text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=POST_TEXT_MAX,
        required=False,
        help_text=gettext_lazy(
            "Each network starts from this text; adapt it per network below. For a thread (Bluesky, Mastodon, Threads, "
            "X), put a line with only --- between its parts."
        ),
    )
    accounts = AccountChoice(
        label=gettext_lazy("Publish on"),
        queryset=SocialAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one account to publish on.")},
    )
    link = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
    campaign = forms.ModelChoiceField(label=gettext_lazy("Campaign"), queryset=Campaign.objects.all(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["title", "text", "accounts", "day", "at", "occurrence", "link", "campaign"]

    def __init__(self, *args, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = post.publications.values_list("account_id", flat=True) if post else []
        self.fields["accounts"].queryset = SocialAccount.objects.filter(
            status=SocialAccount.Status.CONNECTED
        ) | SocialAccount.objects.filter(pk__in=list(current))
        self.target_accounts = list(self.fields["accounts"].queryset.order_by("network", "handle"))
        for account in self.target_accounts:
            self.fields[f"text_{account.pk}"] = forms.CharField(
                label=_("Text on %(account)s") % {"account": account},
                widget=forms.Textarea(attrs={"rows": 4, "data-network": account.behaves_as}),
                max_length=POST_TEXT_MAX,
                required=False,
                help_text=_("Leave empty to use the master text."),
            )
        self.add_target_options()

    def clean(self):
        data = super().clean()
        self.clean_when()
        self.clean_target_options()
        return data

    def per_target(self):
        """(account, its text field, checked?, its network's option fields) for the template."""
        chosen = {str(v) for v in (self["accounts"].value() or [])}
        return [(a, self[f"text_{a.pk}"], str(a.pk) in chosen, self.option_fields(a)) for a in self.target_accounts]

    def texts(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"text_{a.pk}", "").strip() for a in self.cleaned_data["accounts"]}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "link": data["link"],
            "campaign": data["campaign"],
            "scheduled_at": data["scheduled_at"],
            "accounts": list(data["accounts"]),
            "texts": self.texts(),
            "options": self.target_options(),
        }


def post_form_initial(post) -> dict:
    initial = {
        "title": post.title,
        "text": post.text,
        "link": post.link,
        "campaign": post.campaign_id,
        "version": post.version,
        "accounts": [p.account_id for p in post.targets],
    }
    for pub in post.targets:
        initial[f"text_{pub.account_id}"] = "" if pub.text == post.text else pub.text
    initial |= target_options_initial(post.targets)
    if post.scheduled_at:
        initial.update(when_initial(post.scheduled_at))
    return initial


class MoveForm(WhenMixin):
    def clean(self):
        data = super().clean()
        self.clean_when()
        return data


class MediaForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Image or video"),
        help_text=gettext_lazy("JPEG, PNG, GIF or WebP up to 8 MB; MP4, MOV or WebM up to 100 MB."),
    )
    alt_text = forms.CharField(
        label=gettext_lazy("Alt text"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=ALT_TEXT_MAX,
        required=False,
        help_text=gettext_lazy("Describe the image for people who cannot see it. Required for images."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)  # what the bytes are, whatever the name or declared type says
        return upload

    @property
    def lacks_alt_text(self) -> bool:
        """An image sent without its description is kept (a browser cannot give the chosen file back): the post
        then shows it as missing, and cannot go to review until it is described."""
        checked = getattr(self, "checked", None)
        return bool(checked) and lacks_alt_text(checked.kind, self.cleaned_data.get("alt_text", ""))


class DescribeForm(forms.Form):
    """A media's alt text written after upload: never emptied for an image."""

    alt_text = forms.CharField(max_length=ALT_TEXT_MAX, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_alt_text(self) -> str:
        alt_text = self.cleaned_data["alt_text"].strip()
        if lacks_alt_text(self.kind, alt_text):
            raise ValidationError(ALT_TEXT_REQUIRED, code="alt_text")
        return alt_text


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX,
        help_text=gettext_lazy("Mention a colleague with @username."),
    )

    def __init__(self, *args, **kwargs):
        # its own ids: the post page also holds the post form, whose master text is `id_text`
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What should change?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_MAX
    )
