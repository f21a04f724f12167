"""Per-network previews look like the network's post: marked links and hashtags, the fold where it folds."""

from django.urls import reverse

from editorial.templatetags.previews import preview_text
from publishing.models import Network
from tests.conftest import login_client
from tests.factories import MediaFactory, PostFactory, PublicationFactory, SocialAccountFactory


def test_links_hashtags_and_mentions_are_marked_and_the_rest_escaped():
    html = preview_text("Venez <b>voir</b> #Vermeer avec @lea@ex.social : https://musee.example/a?b=1&c=2", "mastodon")

    assert "&lt;b&gt;voir&lt;/b&gt;" in html
    assert '<span class="preview-token">#Vermeer</span>' in html
    assert '<span class="preview-token">@lea@ex.social</span>' in html
    assert '<span class="preview-token">https://musee.example/a?b=1&amp;c=2</span>' in html


def test_instagram_folds_a_long_caption_behind_see_more_at_a_word_and_mastodon_does_not():
    text = "Le portrait de la Dentellière revient en salle après six mois de restauration minutieuse. " * 3

    folded = preview_text(text, Network.INSTAGRAM)
    head = folded.split('<details class="preview-fold">')[0]
    assert len(head) <= 125 and head.endswith("Dentellière")  # cut between two words, before 125 characters
    assert "<summary>… see more</summary>" in folded
    assert "details" not in preview_text(text, Network.MASTODON)


def test_the_post_page_shows_each_networks_preview_with_its_icon_name_and_image(client, community_manager):
    post = PostFactory(author=community_manager, text="Nocturne ce soir #MuséeMarceau")
    account = SocialAccountFactory(network=Network.BLUESKY, handle="musee.bsky.social", display_name="Musée")
    PublicationFactory(post=post, account=account)
    image = MediaFactory(post=post)

    page = login_client(client, community_manager).get(reverse("post_detail", args=[post.pk])).content.decode()

    assert 'class="preview preview-bluesky"' in page
    assert '<strong>Musée</strong> <span class="muted">@musee.bsky.social</span>' in page
    assert 'alt="Bluesky"' in page and "img/networks/bluesky" in page
    assert '<span class="preview-token">#MuséeMarceau</span>' in page
    assert f'src="{image.url}" alt="{image.alt_text}"' in page.replace("&#x27;", "'")
