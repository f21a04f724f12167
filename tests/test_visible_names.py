"""Names from outside show their direction overrides and invisible characters instead of obeying them."""

from django.urls import reverse

from museumcm.text import visible_controls
from tests.factories import MessageFactory

RLO = "\u202e"
ZWSP = "\u200b"
FAMILY = "👨\u200d👩\u200d👧"


def test_direction_overrides_and_zero_width_characters_are_written_out():
    assert visible_controls(f"Musée{RLO}erbuoL") == "Musée[U+202E]erbuoL"
    assert visible_controls(f"mu{ZWSP}seemarceau") == "mu[U+200B]seemarceau"
    assert visible_controls("\u2067أحمد\u2069") == "[U+2067]أحمد[U+2069]"


def test_an_emoji_written_with_joiners_is_left_alone():
    assert visible_controls(f"Léa {FAMILY}") == f"Léa {FAMILY}"
    assert visible_controls("a\u200db") == "a[U+200D]b"


def test_the_inbox_list_and_conversation_show_a_spoofed_author_name_visibly(client, community_manager):
    message = MessageFactory(author_name=f"Musée Marceau{RLO} (officiel)", author_handle=f"musee{ZWSP}marceau")
    client.force_login(community_manager)

    pages = [
        client.get(reverse("inbox")).content.decode(),
        client.get(reverse("inbox_conversation", args=[message.pk])).content.decode(),
    ]

    for page in pages:
        assert RLO not in page and ZWSP not in page
        assert "Musée Marceau[U+202E] (officiel)" in page and "musee[U+200B]marceau" in page
