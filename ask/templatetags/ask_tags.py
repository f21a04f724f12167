import html
import json
from urllib.parse import quote

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ask.rendering import plain_excerpt
from museumcm.text import visible_controls

register = template.Library()


@register.filter
def excerpt(text: str, length: int = 200) -> str:
    return plain_excerpt(text, length)


PATH_MARKER = "ask-chrome-path-marker"
_chrome: dict[tuple, str] = {}  # per process: a few entries (languages x host names x site settings)


@register.simple_tag(takes_context=True)
def ask_chrome(context, name: str) -> SafeString:
    """A part of every public page (the head's links, the header, the footer): the same HTML for every page in a
    language, rendered once per process instead of on every cache miss (2,400 Python calls, about a quarter of an
    answer page's miss). The language links' way back to the page is put in afterwards."""
    site = (context["ask_site_name"], context["ask_logo_url"])
    key = (name, get_language(), get_urlconf(), get_script_prefix(), *site)
    part = _chrome.get(key)
    if part is None:
        part = render_to_string(name, {"ask_site_name": site[0], "ask_logo_url": site[1], "path_marker": PATH_MARKER})
        if not settings.DEBUG:  # templates edited while developing show at once
            _chrome[key] = part
    return mark_safe(part.replace(PATH_MARKER, quote(context["request"].path)))  # urlencode's quoting


@register.simple_tag
def answer_list(answers, empty_text: str, embed: bool = False) -> SafeString:
    """The list of answers, built in Python: through the template engine the twenty items of an archive or search
    page cost 1-2 ms of CPU, more than the rest of the page. What the items share is looked up once per list: the
    address (they differ only by the slug: one `reverse()`), the time zone, each theme's name."""
    head, tail = reverse("ask_answer", args=["slug"]).rsplit("slug", 1)
    target = ' target="_top"' if embed else ""
    zone = timezone.get_current_timezone()
    themes: dict[int, str] = {}
    items = []
    for item in answers:
        theme = item.theme
        if theme is not None and theme.pk not in themes:
            themes[theme.pk] = f"{html.escape(theme.name)} · "
        day = item.published_at.astimezone(zone).date().isoformat()  # `local_day`, the zone looked up once
        items.append(
            f'<li><a href="{html.escape(f"{head}{item.slug}{tail}")}"{target}>'
            f"{html.escape(visible_controls(item.text))}</a> "
            f'<span class="ask-meta">{themes[theme.pk] if theme else ""}<time datetime="{day}">{day}</time></span></li>'
        )
    items = "\n".join(items) or f"<li>{html.escape(empty_text)}</li>"
    return mark_safe(f'<ul class="ask-list">\n{items}\n</ul>')  # every value escaped above


@register.simple_tag
def page_links(page, query: str) -> SafeString:
    """The archive's or a search's way to its other pages (nothing when there is one), built in Python: through the
    template engine it cost as much as the twenty answers' items."""
    if not page.has_other_pages():
        return mark_safe("")
    search = f"q={html.escape(quote(query))}&amp;" if query else ""
    newer = older = ""
    if page.has_previous():
        newer = f'<a rel="prev" href="?{search}page={page.number - 1}">{html.escape(_("Newer answers"))}</a>'
    if page.has_next():
        older = f'<a rel="next" href="?{search}page={page.number + 1}">{html.escape(_("Older answers"))}</a>'
    where = _("Page %(number)s of %(total)s") % {"number": page.number, "total": page.paginator.num_pages}
    return mark_safe(  # every value escaped, or a number
        f'<nav class="ask-pages" aria-label="{html.escape(_("Pages"))}">\n  {newer}\n  <span>{where}</span>\n'
        f"  {older}\n</nav>"
    )


@register.simple_tag
def theme_items(themes, current=None) -> SafeString:
    """The themes' section with each theme's count (`selectors.figures`), built in Python as the answers' items
    are: through the template engine its loop cost more than the answers' twenty items."""
    head, tail = reverse("ask_theme", args=["slug"]).rsplit("slug", 1)
    items = []
    for item in themes:
        chosen = ' aria-current="page"' if item == current else ""
        items.append(
            f'<li><a href="{html.escape(f"{head}{item.slug}{tail}")}"{chosen}>{html.escape(item.name)} '
            f'<span class="ask-count">({localize(item.answers)})</span></a></li>'
        )
    return mark_safe(  # every value escaped above
        f'<section aria-labelledby="themes-title">\n  <h2 id="themes-title">{html.escape(_("Themes"))}</h2>\n'
        f'  <ul class="ask-themes">\n    {"".join(items)}\n  </ul>\n</section>\n'
    )


@register.simple_tag
def qa_page_data(question) -> SafeString:
    """schema.org QAPage for search engines and link previews, as JSON-LD (escaped for a script element)."""
    url, text = question.public_url(), visible_controls(question.text)
    data = {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": {
            "@type": "Question",
            "name": text[:110],
            "text": text,
            "answerCount": 1,
            "dateCreated": question.created_at.isoformat(),
            "author": {"@type": "Person", "name": visible_controls(question.name) or "Visitor"},
            "acceptedAnswer": {
                "@type": "Answer",
                "text": plain_excerpt(question.answer, 5000),
                "url": url,
                "datePublished": question.published_at.isoformat(),
                "author": {"@type": "Organization", "name": settings.ASK_SITE_NAME},
            },
        },
    }
    encoded = (
        json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')
