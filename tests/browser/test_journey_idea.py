"""Journey 1, in real Chromium: a curator proposes an idea with an image and its alt text."""

import pytest
from playwright.sync_api import expect

from editorial.models import Idea
from tests.conftest import browser_login
from tests.factories import png_bytes

pytestmark = pytest.mark.browser


def test_a_curator_proposes_an_idea_with_an_image_and_its_alt_text(page, curator, tmp_path):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    image = tmp_path / "joconde.png"
    image.write_bytes(png_bytes(120, 80))
    browser_login(page, curator)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ideas").click()
    page.get_by_role("link", name="Propose an idea").click()
    page.get_by_label("Title").fill("La Joconde restaurée")
    page.get_by_label("Pitch").fill("Le vernis a été allégé : montrons l'avant/après.")
    page.get_by_label("Kind").select_option(label="Artwork")
    page.get_by_label("Reference").fill("INV. 779")
    page.get_by_label("Suggested date").fill("2030-05-18")
    page.get_by_label("Instagram").check()
    page.locator("#id_images-0-file").set_input_files(image)
    page.get_by_role("button", name="Propose").click()

    # Without alt text the form comes back with a clear error; the typed fields are still there.
    expect(page.get_by_text("alt text is required for every image")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("La Joconde restaurée")
    expect(page.get_by_label("Instagram")).to_be_checked()

    page.locator("#id_images-0-file").set_input_files(image)
    page.locator("#id_images-0-alt_text").fill("Portrait d'une femme au sourire discret, devant un paysage.")
    page.get_by_role("button", name="Propose").click()

    expect(page.get_by_role("heading", level=1, name="La Joconde restaurée")).to_be_visible()
    expect(page.get_by_text("Your idea is proposed.")).to_be_visible()
    expect(page.get_by_role("img", name="Portrait d'une femme au sourire discret, devant un paysage.")).to_be_visible()
    idea = Idea.objects.get()
    assert (idea.proposer, idea.status, idea.images.count()) == (curator, Idea.Status.PROPOSED, 1)

    page.get_by_role("link", name="Back to the ideas").click()
    proposed = page.get_by_role("region", name="Proposed")
    expect(proposed.get_by_role("link", name="La Joconde restaurée")).to_be_visible()
    page.get_by_label("Search").fill("sourire-absent")
    expect(proposed.get_by_role("link", name="La Joconde restaurée")).to_have_count(0)
    assert errors == []
