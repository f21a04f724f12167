from django import forms
from django.utils.translation import gettext_lazy as _

from editorial.models import MuseumEvent
from museumcm.widgets import IsoDateInput

MAX_UPLOAD = 5 * 1024 * 1024


class MuseumEventForm(forms.ModelForm):
    class Meta:
        model = MuseumEvent
        fields = ["title", "kind", "starts_on", "ends_on", "description"]
        widgets = {
            "starts_on": IsoDateInput(),
            "ends_on": IsoDateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = _("The last day, included. Empty for a single day.")

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and not end:
            data["ends_on"] = start
        elif start and end and end < start:
            self.add_error("ends_on", _("The event ends before it starts."))
        return data


class EventSourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. Exhibitions of the museum website"))
    url = forms.URLField(
        label=_("iCal URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address of an .ics calendar; it is imported now and again every day."),
    )
    kind = forms.ChoiceField(label=_("Kind of its events"), choices=MuseumEvent.Kind.choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "source_%s")  # the events page holds three forms with a `kind`
        super().__init__(*args, **kwargs)


class EventFileForm(forms.Form):
    file = forms.FileField(
        label=_("iCal file (.ics)"), widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"})
    )
    kind = forms.ChoiceField(label=_("Kind of its events"), choices=MuseumEvent.Kind.choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "file_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("This file is larger than 5 MB."))
        return upload
