import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from editorial.models import RecurringSlot, Weekday
from museumcm.widgets import IsoTimeInput
from publishing.models import SocialAccount


class RecurringSlotForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Every"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    accounts = forms.ModelMultipleChoiceField(
        label=_("On the accounts"), queryset=SocialAccount.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RecurringSlot
        fields = [
            "title",
            "text",
            "weekdays",
            "local_time",
            "time_zone",
            "accounts",
            "campaign",
            "weeks_ahead",
            "active",
        ]
        widgets = {"local_time": IsoTimeInput(), "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "local_time": _("Wall-clock time: it stays the same when the clocks change."),
            "weeks_ahead": _("How many weeks of drafts to keep ready on the calendar (1 to 12)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = SocialAccount.objects.connected()

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        if name not in zoneinfo.available_timezones():
            raise ValidationError(_("“%(zone)s” is not a time zone; write e.g. Europe/Paris.") % {"zone": name})
        return name

    def clean_weeks_ahead(self):
        weeks = self.cleaned_data["weeks_ahead"]
        if not 1 <= weeks <= 12:
            raise ValidationError(_("Choose between 1 and 12 weeks."))
        return weeks
