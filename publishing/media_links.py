"""Signed, expiring addresses of a post's media, for the networks that fetch a file themselves (Meta's APIs).

The team's own pages read media behind sign-in; a network's servers have no session, so they get a link that proves
it was issued by us for this file and stops working after MEDIA_LINK_MAX_AGE.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "publishing.media_links"
MEDIA_LINK_MAX_AGE = timedelta(hours=24)  # a publication's retries (hours at most) reuse the same link


def signed_media_url(media) -> str:
    """An absolute URL of `media`'s file that needs no session, valid for MEDIA_LINK_MAX_AGE."""
    token = signing.dumps(media.pk, salt=SALT)
    return f"{settings.SITE_URL}{reverse('media_signed', args=[token])}"


def signed_media_pk(token: str) -> int:
    """The media's primary key; raises signing.BadSignature (SignatureExpired included) for a forged or old link."""
    value = signing.loads(token, salt=SALT, max_age=MEDIA_LINK_MAX_AGE)
    if not isinstance(value, int):
        raise signing.BadSignature("not a media link")
    return value
