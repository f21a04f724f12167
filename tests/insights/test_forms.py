"""The filters' widgets and labels: drawn by Django's templates once, then remembered by what they are drawn
from."""

import pytest
from django.forms.renderers import get_default_renderer
from django.test.signals import template_rendered
from django.utils import translation

from insights.forms import InsightsForm, RememberingRenderer
from tests.factories import CampaignFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _html(form) -> str:
    return "".join(f"{field.label_tag()} {field}" for field in form if not field.is_hidden)


class FiltersForm(InsightsForm):
    default_renderer = None  # a fresh RememberingRenderer each test, set below


@pytest.fixture
def renderer(monkeypatch):
    fresh = RememberingRenderer()
    monkeypatch.setattr(FiltersForm, "default_renderer", fresh)
    return fresh


@pytest.fixture
def drawn():
    """The widget and label templates rendered by Django's template engine, in order."""
    names = []

    def seen(sender, template, **kwargs):
        if template.name and template.name.startswith("django/forms/"):
            names.append(template.name)

    template_rendered.connect(seen)
    yield names
    template_rendered.disconnect(seen)


def test_the_widgets_are_drawn_once_then_remembered_as_django_draws_them(renderer, drawn):
    account, campaign = SocialAccountFactory(), CampaignFactory(name="MuseumWeek")
    query = {"start": "2026-11-01", "end": "2026-11-30", "account": account.pk, "campaign": campaign.pk}
    for language in ("fr", "en"):
        with translation.override(language):
            django = InsightsForm(query, renderer=get_default_renderer())
            first, again = _html(FiltersForm(query)), _html(FiltersForm(query))
            assert first == again == _html(django)
            assert f'<option value="{account.pk}" selected>' in first
    assert drawn.count("django/forms/widgets/select.html") == 2 * 3 * 2  # Django's form and our first, per language
    assert drawn.count("django/forms/label.html") == 2 * 5 * 2


def test_what_the_widgets_are_drawn_from_changes_their_markup(renderer):
    account = SocialAccountFactory(display_name="Louvre")
    query = {"start": "2026-11-01", "end": "2026-11-30"}
    with translation.override("en"):
        before = _html(FiltersForm(query))
        account.display_name = "Musée du Louvre"
        account.save(update_fields=["display_name"])
        renamed = _html(FiltersForm(query))
        chosen = _html(FiltersForm({**query, "account": account.pk}))
    assert "Louvre" in before and "Musée du Louvre" not in before
    assert "Musée du Louvre" in renamed
    selected = f'<option value="{account.pk}" selected>'
    assert selected in chosen and selected not in renamed
    assert renamed == _html(InsightsForm(query, renderer=get_default_renderer()))


def test_the_renderer_forgets_the_oldest_widget_past_its_size(renderer, monkeypatch):
    monkeypatch.setattr(RememberingRenderer, "KEPT", 2)
    with translation.override("en"):
        for day in range(1, 5):
            _html(FiltersForm({"start": f"2026-11-0{day}"}))
    assert len(renderer._drawn) == 2
