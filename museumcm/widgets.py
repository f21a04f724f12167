"""Date and time inputs that speak ISO whatever the language.

A browser's `<input type="date">` only accepts `2026-12-03`: a localized value (`03/12/2026` in French) shows as
empty, and saving the form untouched erases the date. Every date and time field uses these widgets; parsing needs no
change, as Django's date fields always accept ISO input besides the language's own formats.
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class IsoTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_TIME)


class IsoDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATETIME_LOCAL)
