"""Each network's own icon (Font Awesome Free brand icons, CC BY 4.0, vendored in static/img/networks/)."""

from html import escape

from django import template
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from publishing.models import Network

register = template.Library()

NETWORKS = frozenset(Network.values)


@register.simple_tag
def network_icon(network: str, *, label: str = "") -> SafeString:
    """The icon of `network` in its colour; decorative unless `label` is given (then it is the image's text)."""
    return icon_html(network_icon_url(network), label=label)


def network_icon_url(network: str) -> str:
    return static(f"img/networks/{network if network in NETWORKS else Network.SANDBOX}.svg")


def network_icon_urls() -> dict[str, str]:
    """Every network's icon address, for a page that shows hundreds of icons (one static() lookup each)."""
    return {network: network_icon_url(network) for network in NETWORKS}


def icon_html(url: str, *, label: str = "") -> SafeString:
    # an f-string with escape(): a busy calendar month draws hundreds of icons, format_html costs five times more
    return mark_safe(f'<img class="network-icon" src="{escape(url)}" alt="{escape(label)}" width="16" height="16">')
