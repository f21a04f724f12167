from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from editorial.models import Campaign, Post
from editorial.selectors import CalendarFilters
from publishing.models import Network, SocialAccount


class CalendarFilterForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=SocialAccount.objects.all(), required=False, empty_label=_("All accounts")
    )
    network = forms.ChoiceField(label=_("Network"), choices=[("", _("All networks")), *Network.choices], required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False, empty_label=_("All campaigns")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Post.Status.choices], required=False
    )
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        empty_label=_("Everyone"),
    )

    def filters(self) -> CalendarFilters:
        if not self.is_valid():
            return CalendarFilters()
        data = self.cleaned_data
        return CalendarFilters(
            account=data["account"].pk if data["account"] else None,
            network=data["network"],
            campaign=data["campaign"].pk if data["campaign"] else None,
            status=data["status"],
            author=data["author"].pk if data["author"] else None,
        )
