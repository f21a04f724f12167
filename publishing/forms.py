from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumcm.widgets import IsoDateTimeInput
from publishing.models import Network
from publishing.vocabulary import PauseResolution


class SandboxConnectForm(forms.Form):
    handle = forms.SlugField(
        label=_("Handle"), max_length=100, help_text=_("Letters, digits, hyphens and underscores.")
    )
    display_name = forms.CharField(label=_("Display name"), max_length=200, required=False)
    imitates = forms.ChoiceField(
        label=_("Behaves like"),
        choices=[("", _("No network: a plain sandbox account")), *[(n.value, n.label) for n in Network.imitable()]],
        required=False,
        help_text=_("Its limits, rules and previews are then that network's; nothing leaves this server."),
    )


class MastodonConnectForm(forms.Form):
    instance = forms.URLField(
        label=_("Instance address"),
        assume_scheme="https",
        help_text=_("The server the account lives on, e.g. https://mastodon.social"),
    )


class BlueskyConnectForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=253, help_text=_("e.g. museum.bsky.social"))
    app_password = forms.CharField(
        label=_("App password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Create one in Bluesky's settings, under Privacy and security → App passwords."),
    )
    server = forms.URLField(
        label=_("Server"),
        assume_scheme="https",
        initial="https://bsky.social",
        help_text=_("Leave as is for bsky.social."),
    )

    def clean_handle(self) -> str:
        return self.cleaned_data["handle"].strip().lstrip("@")


class AccountChoiceForm(forms.Form):
    """Which of the accounts one authorisation found to connect (`candidates`: what `identify` found)."""

    choice = forms.CharField(widget=forms.HiddenInput)
    accounts = forms.MultipleChoiceField(
        label=_("Accounts found"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one account.")},
    )

    def __init__(self, *args, candidates: list[dict], known: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates, self.known = candidates, known or {}
        self.fields["accounts"].choices = [(c["handle"], c["display_name"] or c["handle"]) for c in candidates]

    def rows(self):
        """Each checkbox with the account it stands for and the SocialAccount already made for it, if any."""
        for checkbox, candidate in zip(self["accounts"], self.candidates, strict=True):
            yield checkbox, candidate, self.known.get(candidate["handle"])

    def chosen(self) -> list[dict]:
        handles = set(self.cleaned_data["accounts"])
        return [candidate for candidate in self.candidates if candidate["handle"] in handles]


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Shown on every page to the whole team until publishing resumes."),
    )


class ResumeForm(forms.Form):
    overdue = forms.ChoiceField(
        label=_("What fell due during the pause"),
        widget=forms.RadioSelect,
        choices=PauseResolution.choices,
        initial=PauseResolution.PUBLISH,
    )
    reschedule_to = forms.DateTimeField(
        label=_("New time"),
        required=False,
        widget=IsoDateTimeInput(),
        help_text=_("Only when rescheduling."),
    )

    def clean(self):
        data = super().clean()
        if data.get("overdue") == PauseResolution.RESCHEDULE:
            when = data.get("reschedule_to")
            if when is None:
                self.add_error("reschedule_to", _("Choose the new time."))
            elif when <= timezone.now():
                self.add_error("reschedule_to", _("Choose a time in the future."))
        return data


class RescheduleForm(forms.Form):
    at = forms.DateTimeField(label=_("New time"), widget=IsoDateTimeInput())

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return at


class MarkPublishedForm(forms.Form):
    url = forms.URLField(label=_("Link to the post"), required=False, assume_scheme="https", max_length=500)
