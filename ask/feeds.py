"""The Atom feed of published answers and the sitemap of the public site."""

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ask.models import Question
from ask.rendering import plain_excerpt

FEED_SIZE = 30


class AnswersFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        from django.conf import settings

        return _("%(museum)s answers your questions") % {"museum": settings.ASK_SITE_NAME}

    def link(self):
        return reverse("ask_home")

    def subtitle(self):
        return _("The latest answers of the museum's scientists.")

    def items(self):
        return Question.objects.published().only("id", "slug", "text", "answer", "published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.text

    def item_description(self, item):
        return plain_excerpt(item.answer, 600)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


class AnswersSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Question.objects.published().only("id", "slug", "published_at").order_by("pk")

    def lastmod(self, item):
        return item.published_at
