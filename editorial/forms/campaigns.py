import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from editorial.models import Campaign
from museumcm.widgets import IsoDateInput

HASHTAG = re.compile(r"^#\w+$")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "hashtags", "starts_on", "ends_on", "colour", "goal"]
        widgets = {
            "starts_on": IsoDateInput(),
            "ends_on": IsoDateInput(),
            "colour": forms.TextInput(attrs={"type": "color"}),
            "goal": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"hashtags": _("Separated by spaces, e.g. #MuseumWeek #MuseumWeek2027.")}

    def clean_hashtags(self):
        tags = self.cleaned_data["hashtags"].replace(",", " ").split()
        wrong = [tag for tag in tags if not HASHTAG.match(tag)]
        if wrong:
            raise ValidationError(
                _("These are not hashtags: %(tags)s. Write each as # followed by letters or digits, without spaces.")
                % {"tags": ", ".join(wrong)}
            )
        return " ".join(tags)

    def clean_colour(self):
        colour = self.cleaned_data["colour"]
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise ValidationError(_("Choose a colour such as #7a4b9a."))
        return colour.lower()

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The campaign ends before it starts."))
        return data
