"""The Insights filters: a period (a month, or any range of days), an account, a network, a campaign."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from editorial.models import Campaign
from insights.selectors import SORTS, InsightFilters, Period, institution_zone
from publishing.models import Network, SocialAccount

MAX_DAYS = 366 * 2  # a range longer than two years is cut: nobody reads it, and it costs the database


def last_month(today: date | None = None) -> Period:
    today = today or timezone.localdate(timezone=institution_zone())
    return Period.month_of(today.replace(day=1) - timedelta(days=1))


def _attrs(attrs: dict) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class DateInput(forms.DateInput):
    """Django's date input, written as its template writes it but without the template engine: every Insights and
    report page draws the filters, and their widgets drawn through templates (option by option) took 2 ms of it."""

    input_type = "date"

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return mark_safe(f'<input type="date" name="{escape(name)}"{shown}{_attrs(widget["attrs"])}>')


class Select(forms.Select):
    """Django's select, written as its template writes it (choices without groups) but without the template engine
    (see DateInput)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(_option(option) for _group, options, _index in widget["optgroups"] for option in options)
        return mark_safe(f'<select name="{escape(name)}"{_attrs(widget["attrs"])}>{options}\n</select>')


def _option(option: dict) -> str:
    """An option as django/forms/widgets/select_option.html writes it, with the newline that file ends with."""
    return (
        f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>\n'
    )


class InsightsForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=SocialAccount.objects.all(),
        required=False,
        empty_label=_("All accounts"),
        widget=Select,
    )
    network = forms.ChoiceField(
        label=_("Network"), required=False, choices=[("", _("All networks")), *Network.choices], widget=Select
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=_("All campaigns"),
        widget=Select,
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
