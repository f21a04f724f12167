import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from editorial.models import Campaign, Idea
from editorial.uploads import ALT_TEXT_REQUIRED, IMAGE, check_upload
from museumcm.fields import ALT_TEXT_MAX, COMMENT_MAX, REASON_MAX
from museumcm.widgets import IsoDateInput, IsoDateTimeInput
from publishing.accessibility import lacks_alt_text
from publishing.models import Network, SocialAccount

IMAGE_SLOTS = 3


class IdeaForm(forms.ModelForm):
    suggested_networks = forms.MultipleChoiceField(
        label=_("Suggested networks"),
        choices=Network.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Idea
        fields = ["title", "pitch", "kind", "reference", "suggested_from", "suggested_until", "suggested_networks"]
        widgets = {
            "suggested_from": IsoDateInput(),
            "suggested_until": IsoDateInput(),
            "pitch": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "reference": _("A link, or the collection number of the work (e.g. INV. 1234)."),
            "suggested_until": _("Leave empty for a single day."),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("suggested_from"), data.get("suggested_until")
        if end and not start:
            self.add_error("suggested_from", _("Give the first day of the window too."))
        elif start and end and end < start:
            self.add_error("suggested_until", _("The window ends before it starts."))
        return data


class IdeaImageForm(forms.Form):
    """One image and its description; an image without alt text is refused."""

    file = forms.FileField(
        label=_("Image"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    alt_text = forms.CharField(
        label=_("Alt text"),
        required=False,
        max_length=ALT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the image shows, for people who cannot see it."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = check_upload(upload, videos=False)
        return upload

    def clean(self):
        data = super().clean()
        has_file, alt_text = bool(data.get("file")), data.get("alt_text", "")
        if has_file and lacks_alt_text(IMAGE, alt_text):
            self.add_error("alt_text", ALT_TEXT_REQUIRED)
        if alt_text.strip() and not has_file and "file" not in self.errors:
            self.add_error("file", _("Choose the image this alt text describes."))
        return data


IdeaImageFormSet = forms.formset_factory(
    IdeaImageForm, extra=IMAGE_SLOTS, max_num=IMAGE_SLOTS, absolute_max=IMAGE_SLOTS
)


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Idea.Kind.choices])
    network = forms.ChoiceField(label=_("Network"), required=False, choices=[("", _("All networks")), *Network.choices])
    proposer = forms.ModelChoiceField(label=_("Proposed by"), required=False, queryset=None, empty_label=_("Anyone"))

    def __init__(self, *args, proposers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = proposers


class IdeaCommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=COMMENT_MAX)


class IdeaDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text=_("The proposer sees it."),
    )


def _suggested_time(idea: Idea):
    """10:00 on the idea's suggested day, in the reviewer's zone, if that is still to come."""
    if not idea.suggested_from:
        return None
    at = timezone.make_aware(datetime.datetime.combine(idea.suggested_from, datetime.time(10, 0)))
    return at if at > timezone.now() else None


class IdeaAcceptForm(forms.Form):
    """Accept an idea; with `create_post`, also write its draft on the chosen accounts at the chosen time."""

    create_post = forms.BooleanField(label=_("Create the draft post now"), required=False, initial=True)
    accounts = forms.ModelMultipleChoiceField(
        label=_("Target accounts"),
        queryset=SocialAccount.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scheduled_at = forms.DateTimeField(
        label=_("Scheduled at"),
        required=False,
        widget=IsoDateTimeInput(),
        help_text=_("In your time zone."),
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), required=False)

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = SocialAccount.objects.connected()
        self.fields["accounts"].queryset = accounts
        if idea.status == Idea.Status.ACCEPTED:
            del self.fields["create_post"]  # an accepted idea comes back here only to make its post
        if not self.is_bound:
            self.initial["accounts"] = [a.pk for a in accounts if a.network in idea.suggested_networks]
            self.initial["scheduled_at"] = _suggested_time(idea)

    def clean_scheduled_at(self):
        value = self.cleaned_data.get("scheduled_at")
        if value and value <= timezone.now():
            raise ValidationError(_("This time is in the past; choose a time to come."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("create_post", True):
            if not data.get("accounts"):
                self.add_error("accounts", _("Choose at least one account for the draft."))
            if not data.get("scheduled_at") and "scheduled_at" not in self.errors:
                self.add_error("scheduled_at", _("Choose when the post goes out; it can move later."))
        return data
