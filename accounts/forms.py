import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

User = get_user_model()


def _time_zone_choices():
    return [("", _("The institution's time zone"))] + [
        (name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name
    ]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices, required=False)
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only to change your e-mail address."),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "first_name",
            "last_name",
            "email",
            "language",
            "time_zone",
            "date_order",
            "keyboard_shortcuts",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_email = self.instance.email
        self.fields["date_order"].required = False  # a form that does not show it keeps the current choice

    def clean_date_order(self) -> str:
        return self.cleaned_data.get("date_order") or self.instance.date_order

    def clean(self):
        """The e-mail address receives password resets: whoever borrows an open session must not take it over."""
        cleaned = super().clean()
        changed = cleaned.get("email") and cleaned["email"].lower() != self.saved_email.lower()
        if changed and not self.instance.check_password(cleaned.get("current_password") or ""):
            self.add_error("current_password", _("Enter your current password to change your e-mail address."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    display_name = forms.CharField(label=_("Name"), max_length=120)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CURATOR)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone on the team already uses this address."))
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
