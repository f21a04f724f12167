import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ask.rendering import plain_excerpt
from museumcm.text import visible_controls

register = template.Library()


@register.filter
def excerpt(text: str, length: int = 200) -> str:
    return plain_excerpt(text, length)


@register.simple_tag
def answer_items(answers, empty_text: str, embed: bool = False) -> SafeString:
    """The `<li>` of each listed answer, built in Python: through the template engine the twenty items of an
    archive or search page cost 1-2 ms of CPU, more than the rest of the page. Their addresses differ only by the
    slug: one `reverse()` serves them all (25 µs each)."""
    head, tail = reverse("ask_answer", args=["slug"]).rsplit("slug", 1)
    target = ' target="_top"' if embed else ""
    items = []
    for item in answers:
        theme = f"{escape(item.theme.name)} · " if item.theme else ""
        day, url = item.published_day, escape(f"{head}{item.slug}{tail}")
        items.append(
            f'<li><a href="{url}"{target}>{escape(visible_controls(item.text))}</a> '
            f'<span class="ask-meta">{theme}<time datetime="{day}">{day}</time></span></li>'
        )
    return mark_safe("\n".join(items) or f"<li>{escape(empty_text)}</li>")  # every value escaped above


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
