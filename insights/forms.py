"""The Insights filters: a period (a month, or any range of days), an account, a network, a campaign."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from editorial.models import Campaign
from insights.selectors import SORTS, InsightFilters, Period, institution_zone
from publishing.models import Network, SocialAccount

MAX_DAYS = 366 * 2  # a range longer than two years is cut: nobody reads it, and it costs the database


def last_month(today: date | None = None) -> Period:
    today = today or timezone.localdate(timezone=institution_zone())
    return Period.month_of(today.replace(day=1) - timedelta(days=1))


class InsightsForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=SocialAccount.objects.named(), required=False, empty_label=_("All accounts")
    )
    network = forms.ChoiceField(label=_("Network"), required=False, choices=[("", _("All networks")), *Network.choices])
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False, empty_label=_("All campaigns")
    )
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS], widget=forms.HiddenInput)
    order = forms.ChoiceField(required=False, choices=[("desc", "desc"), ("asc", "asc")], widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filters(self, *, curator: int | None = None) -> InsightFilters:
        """The filters asked for; a field that does not validate is left out (a stale link still shows a page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form (no query) has none: the defaults
        default = last_month()
        first, last = data.get("start") or default.first, data.get("end") or default.last
        if last < first:
            first, last = last, first
        first = max(first, last - timedelta(days=MAX_DAYS))
        return InsightFilters(
            period=Period(first, last),
            account=data["account"].pk if data.get("account") else None,
            network=data.get("network") or "",
            campaign=data["campaign"].pk if data.get("campaign") else None,
            curator=curator,
        )

    def ordering(self) -> tuple[str, bool]:
        """The posts table's column and direction (descending: True)."""
        data = getattr(self, "cleaned_data", {})
        return data.get("sort") or "engagements", (data.get("order") or "desc") == "desc"
