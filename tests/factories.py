"""factory-boy factories for every model the tests build; one place, shared by all test modules."""

import io

import factory
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, sync_roles
from editorial.models import Campaign, Idea, Media, MuseumEvent, Post
from inbox.models import Message
from publishing.models import Network, Publication, SocialAccount

PASSWORD = "correct horse battery staple"
# The start of an MP4 file: an ISO-BMFF `ftyp` box, by which an upload is recognised as a video.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@museum.example")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.set_role(extracted)


def user_with_role(role: Role | None, **kwargs) -> User:
    # A test that used a real worker flushed the tables at its end, data migrations' groups included.
    if not Group.objects.filter(name__in=Role.values).exists():
        sync_roles(apps)
    return UserFactory(role=role, **kwargs)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    hashtags = "#MuseumWeek"


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    network = Network.SANDBOX
    handle = factory.Sequence(lambda n: f"museum{n}")
    display_name = factory.LazyAttribute(lambda a: f"Musée {a.handle}")
    external_id = factory.Sequence(lambda n: f"acct-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Post {n}")
    text = "La Joconde vous attend. #MuseumWeek"
    author = factory.SubFactory(UserFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    post = factory.SubFactory(PostFactory)
    account = factory.SubFactory(SocialAccountFactory)
    text = factory.LazyAttribute(lambda p: p.post.text)
    scheduled_at = factory.LazyAttribute(lambda p: p.post.scheduled_at)


def png_bytes(width: int = 64, height: int = 48, colour: str = "#7a4b9a") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class MediaFactory(factory.django.DjangoModelFactory):
    """An image of a post (a real PNG), with alt text."""

    class Meta:
        model = Media

    post = factory.SubFactory(PostFactory)
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="joconde.png"))
    kind = Media.Kind.IMAGE
    content_type = "image/png"
    size = factory.LazyAttribute(lambda m: m.file.size)
    width = 64
    height = 48
    alt_text = "La Joconde, portrait d'une femme souriante devant un paysage."


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idée {n}")
    pitch = "Le portrait restauré revient en salle : montrons l'avant/après."
    kind = Idea.Kind.ARTWORK
    proposer = factory.SubFactory(UserFactory)
    suggested_networks = factory.LazyFunction(lambda: [Network.INSTAGRAM])


class MuseumEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MuseumEvent

    title = factory.Sequence(lambda n: f"Exposition {n}")
    kind = MuseumEvent.Kind.EXHIBITION
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyAttribute(lambda e: e.starts_on + timezone.timedelta(days=30))


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    account = factory.SubFactory(SocialAccountFactory)
    external_id = factory.Sequence(lambda n: f"msg-{n}")
    kind = Message.Kind.COMMENT
    author_id = factory.Sequence(lambda n: f"visitor-{n}")
    author_handle = factory.Sequence(lambda n: f"visitor{n}")
    author_name = "Léa Martin"
    text = "Le musée est-il ouvert le lundi ?"
    created_at = factory.LazyFunction(timezone.now)
