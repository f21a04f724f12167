"""Forms of the live desk: a session, a run-sheet post, a quick post, the manager's setting."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from editorial.forms.posts import AccountChoice
from editorial.models import LiveSession, MuseumEvent
from museumcm.fields import POST_TEXT_MAX
from museumcm.widgets import IsoTimeInput
from publishing.models import SocialAccount


class LiveSessionForm(forms.ModelForm):
    accounts = AccountChoice(
        label=_("Accounts"),
        queryset=SocialAccount.objects.filter(status=SocialAccount.Status.CONNECTED),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LiveSession
        fields = ["title", "event", "accounts", "hashtag", "as_thread"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["event"].queryset = MuseumEvent.objects.filter(ends_on__gte=today).order_by("starts_on")


class LivePostForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=POST_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    planned = forms.TimeField(
        label=_("Planned time (optional)"),
        required=False,
        widget=IsoTimeInput(),
        help_text=_("A guide for the team on the event's day: the post goes out when you tap it."),
    )

    def planned_at(self, session: LiveSession) -> datetime | None:
        at = self.cleaned_data.get("planned")
        if at is None:
            return None
        return timezone.make_aware(datetime.combine(session.event.starts_on, at))


class QuickPostForm(forms.Form):
    text = forms.CharField(label=_("Quick post"), max_length=POST_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class LiveSettingsForm(forms.ModelForm):
    class Meta:
        model = LiveSession
        fields = ["quick_posts_need_ok"]
