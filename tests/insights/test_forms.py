"""The Insights filters' widgets, written without the template engine, in exactly the markup Django's templates give."""

import pytest
from django import forms
from django.utils import translation

from insights.forms import InsightsForm

pytestmark = pytest.mark.django_db


def _as_django_writes_it(form: InsightsForm, name: str) -> str:
    """The field drawn by Django's own widget of the same kind and attributes, through its template."""
    field = form[name]
    widget = field.field.widget
    plain = forms.DateInput if isinstance(widget, forms.DateInput) else forms.Select
    copy = plain(attrs=widget.attrs)
    copy.input_type = getattr(widget, "input_type", None)
    copy.choices = getattr(widget, "choices", ())
    return field.as_widget(widget=copy)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_filter_is_written_as_djangos_template_writes_it(rows, language):
    rows["campaign"].name = 'Museum "Week" <b>& co</b>'
    rows["campaign"].save(update_fields=["name"])
    query = {"start": "2026-11-01", "end": "not a day", "account": rows["a"].pk, "campaign": rows["campaign"].pk}
    with translation.override(language):
        form = InsightsForm(query)
        form.filters()  # validated, as the views do: the bad end is an error
        for name in ("start", "end", "account", "network", "campaign"):
            assert str(form[name]) == _as_django_writes_it(form, name)
        assert "&quot;Week&quot; &lt;b&gt;&amp; co&lt;/b&gt;</option>" in str(form["campaign"])
        assert f'<option value="{rows["a"].pk}" selected>' in str(form["account"])
        assert 'aria-invalid="true"' in str(form["end"])
