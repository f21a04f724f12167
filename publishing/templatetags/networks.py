"""Each network's own icon (Font Awesome Free brand icons, CC BY 4.0, vendored in static/img/networks/)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from publishing.models import Network

register = template.Library()


@register.simple_tag
def network_icon(network: str, *, label: str = "") -> SafeString:
    """The icon of `network` in its colour; decorative unless `label` is given (then it is the image's text)."""
    name = network if network in Network.values else Network.SANDBOX
    return format_html(
        '<img class="network-icon" src="{}" alt="{}" width="16" height="16">', static(f"img/networks/{name}.svg"), label
    )
