import json

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from ask.rendering import plain_excerpt
from museumcm.text import visible_controls

register = template.Library()


@register.filter
def excerpt(text: str, length: int = 200) -> str:
    return plain_excerpt(text, length)


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
