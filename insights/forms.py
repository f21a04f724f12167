"""The Insights filters: a period (a month, or any range of days), an account, a network, a campaign."""

import threading
from datetime import date, timedelta

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.safestring import SafeData
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from editorial.models import Campaign
from insights.selectors import SORTS, InsightFilters, Period, institution_zone
from publishing.models import Network, SocialAccount

MAX_DAYS = 366 * 2  # a range longer than two years is cut: nobody reads it, and it costs the database


def last_month(today: date | None = None) -> Period:
    today = today or timezone.localdate(timezone=institution_zone())
    return Period.month_of(today.replace(day=1) - timedelta(days=1))


# Django's label template draws its `label`, `attrs`, `use_tag` and `tag`, not the `field` its context also carries
# (no app overrides it: the renderer reads Django's forms templates and the apps' own)
LABEL = "django/forms/label.html"


class RememberingRenderer(DjangoTemplates):
    """Django's own renderer (the same templates, the same markup), which remembers the HTML of the widgets and
    labels it drew by everything they are drawn from: the template, the language and the context (name, value,
    attributes, each choice's value, label and selection), read again on every request. The filters' three lists of
    choices were some 40 options and 80 template includes to render per page (about 3 ms of the Insights page's and
    the report's CPU), their five labels 0.6 ms; the same come back request after request."""

    KEPT = 256  # widgets and labels remembered; the oldest is forgotten first

    def __init__(self):
        self._drawn: dict[tuple, str] = {}
        self._lock = threading.Lock()

    def render(self, template_name, context, request=None):
        if request is None and "widget" in context:
            shown = context
        elif request is None and template_name == LABEL:
            shown = {name: value for name, value in context.items() if name != "field"}  # the label draws no field
        else:  # fields and forms carry objects, not their text
            return super().render(template_name, context, request)
        key = (template_name, get_language(), _frozen(shown))
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = super().render(template_name, context, request)
            with self._lock:
                if len(self._drawn) >= self.KEPT:
                    self._drawn.pop(next(iter(self._drawn)))
                self._drawn[key] = drawn
        return drawn


def _frozen(value):
    """`value` (a widget's context) as a key: its structure, order kept, and each leaf as the template shows it (its
    text, and whether it is marked safe), typed so that True and 1, or "1" and 1, stay apart."""
    if isinstance(value, dict):
        return ("dict", tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(_frozen(item) for item in value))
    if value is None or isinstance(value, bool | int | float):
        return (type(value).__name__, value)
    return ("safe" if isinstance(value, SafeData) else "text", str(value))


RENDERER = RememberingRenderer()


class InsightsForm(forms.Form):
    default_renderer = RENDERER  # the page's and the report's filters, drawn request after request
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
