from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from editorial.models import Campaign
from inbox.models import Message, SavedReply
from publishing.models import Network, SocialAccount


def _team():
    return User.objects.active().filter(groups__name__in=[Role.COMMUNITY_MANAGER, Role.MANAGER, Role.ADMIN]).distinct()


def _experts():
    return User.objects.active().filter(groups__name=Role.CURATOR)


class FilterForm(forms.Form):
    """The inbox's filters, read from the query string; invalid values are ignored rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    network = forms.ChoiceField(label=_("Network"), required=False, choices=[("", _("All networks")), *Network.choices])
    account = forms.ModelChoiceField(
        label=_("Account"), required=False, queryset=SocialAccount.objects.all(), empty_label=_("All accounts")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[*Message.Status.choices, ("", _("Open and done"))]
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.all(), empty_label=_("All campaigns")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Message.Kind.choices])
    held = forms.BooleanField(label=_("Held for moderation only"), required=False)
    post = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = [(str(user.pk), str(user)) for user in _team()]
        self.fields["assignee"].choices = [("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody")), *people]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)


class DraftForm(forms.Form):
    text = forms.CharField(label=_("Draft answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000)


class RouteForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Curator"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Note for the curator"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "route_%s")  # beside the inbox's filters in the workspace: ids of its own
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = _experts()


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "assign_%s")  # the inbox's filters have an `assignee` too
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _team()


class BulkForm(AssignForm):
    ACTIONS = [("done", _("Mark done")), ("open", _("Reopen")), ("spam", _("Mark as spam")), ("assign", _("Assign"))]

    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.ModelMultipleChoiceField(
        queryset=Message.objects.all(), error_messages={"required": _("Select at least one message.")}
    )


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["title", "text"]
        help_texts = {
            "text": _(
                "{author} is replaced by the author's name, {handle} by their handle, {account} by our account's name."
            )
        }
