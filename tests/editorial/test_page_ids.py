"""Pages holding several forms give each field its own id, and each label names its own field."""

import re
from collections import Counter

from django.urls import reverse

from tests.conftest import login_client
from tests.factories import PostFactory


def _duplicate_ids(html: str) -> list[str]:
    return [name for name, count in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if count > 1]


def test_the_comment_box_on_the_post_page_has_its_own_id_and_label(client, community_manager):
    post = PostFactory(author=community_manager)
    html = login_client(client, community_manager).get(reverse("post_detail", args=[post.pk])).content.decode()

    assert _duplicate_ids(html) == []
    assert '<label for="comment_text">Comment:</label>' in html
    assert 'aria-describedby="comment_text_helptext"' in html


def test_the_events_page_names_each_forms_kind_apart(client, manager):
    html = login_client(client, manager).get(reverse("events")).content.decode()

    assert _duplicate_ids(html) == []
    assert html.count(">Kind of its events:</label>") == 2
