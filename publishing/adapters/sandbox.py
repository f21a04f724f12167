"""The sandbox: a built-in local network for the demo and `make run`. No HTTP; posts and replies are rows.

It behaves like a small, friendly network: it keeps what we publish (once per idempotency key), shows it on the
feed page at /sandbox/, and over the minutes after a post, visitors answer it in French and English, some with
questions a curator could answer. Replies are made up deterministically from the post's id, so syncing again never
invents them twice.

A sandbox account may imitate a real network (`SocialAccount.imitates`): the demo's Pinterest-like account. Then that
network's own adapter gives the limits, the count and the checks (never its HTTP), a Pinterest-like post needs a board,
a Tumblr-like one keeps its hashtags as tags, an X-like thread is published part by part, and the inbox follows that
network's abilities (`behaves_as`), and its metrics only the figures that network gives (`post_figures`).
"""

import random
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from publishing.adapters import ADAPTERS, register, sandbox_metrics
from publishing.adapters.base import (
    Adapter,
    FetchedMessage,
    FetchPage,
    Limits,
    MediaInfo,
    MessageState,
    Problem,
    PublishResult,
    Rejected,
    ReplyTarget,
)
from publishing.adapters.metrics import AccountMetrics, PostMetrics
from publishing.adapters.part_by_part import PartByPart
from publishing.adapters.pinterest import PinterestAdapter
from publishing.adapters.text import grapheme_length
from publishing.adapters.tumblr import TumblrAdapter
from publishing.models import Network, SandboxPost, SandboxReply
from publishing.parts import split_parts

PAGE_SIZE = 50
# Visitors stop answering a post after a few days; older posts are not looked at again on each sync.
CONVERSATION_SPAN = timedelta(days=3)

VISITORS = [
    ("lea.martin", "Léa Martin", "fr"),
    ("jules_b", "Jules Bernard", "fr"),
    ("camille.art", "Camille Roux", "fr"),
    ("nadia.k", "Nadia Kaci", "fr"),
    ("hugo.voyage", "Hugo Petit", "fr"),
    ("tom_h", "Tom Harris", "en"),
    ("sarah.paints", "Sarah O'Neill", "en"),
    ("kenji.t", "Kenji Tanaka", "en"),
    ("maria_g", "María García", "en"),
]

MESSAGES = {
    "fr": [
        "Magnifique ! Merci pour ce partage 😍",
        "Est-ce que l'œuvre est visible en ce moment dans les salles ?",
        "Le musée est-il ouvert le lundi ?",
        "J'y étais samedi, quelle émotion devant ce tableau.",
        "Quelle est la technique utilisée ? On dirait de la détrempe.",
        "Y a-t-il des visites guidées pour les enfants pendant les vacances ?",
        "Superbe photo 👏",
        "Est-ce que l'exposition est accessible en fauteuil roulant ?",
        "Je ne connaissais pas cette œuvre, merci !",
        "Combien de temps dure l'exposition ?",
        "Qui est l'artiste ? Je n'arrive pas à lire le cartel.",
        "On peut prendre des photos dans cette salle ?",
    ],
    "en": [
        "Stunning! Thanks for sharing 🙏",
        "Is this piece on display right now?",
        "Do you have audio guides in English?",
        "I visited last week, this room was my favourite.",
        "How old is it? It looks incredibly well preserved.",
        "Is the museum open late on Fridays?",
        "Love this ❤️",
        "Can I buy tickets at the door or only online?",
        "Who restored it? The colours are so vivid.",
        "What a beautiful detail, I had never noticed it.",
        "Are there any family activities this weekend?",
    ],
}

THANKS = {
    "fr": ["Merci beaucoup pour votre réponse !", "Super, merci 🙏", "Parfait, à bientôt au musée !"],
    "en": ["Thank you for the answer!", "Great, thanks a lot 🙏", "Perfect, see you at the museum!"],
}


def _plan(post: SandboxPost) -> list[dict[str, Any]]:
    """The conversation this post will have: the same every time for the same post."""
    rng = random.Random(post.pk * 7919 + 17)
    planned, delay = [], timedelta(seconds=rng.uniform(20, 60))
    for seq in range(rng.randint(2, 4)):
        handle, name, language = rng.choice(VISITORS)
        planned.append(
            {
                "seq": seq,
                "due": post.created_at + delay,
                "author_handle": handle,
                "author_name": name,
                "language": language,
                "text": rng.choice(MESSAGES[language]),
                "answers": seq - 1 if seq >= 2 and rng.random() < 0.35 else None,  # a visitor answering a visitor
            }
        )
        delay += timedelta(seconds=rng.uniform(60, 900))
    return planned


def imitation_options(network: str) -> dict[str, Any]:
    """What the imitated network would say of the account at connect: a Pinterest-like account's boards."""
    if network != Network.PINTEREST:
        return {}
    names = [("sandbox-collections", gettext("Collections")), ("sandbox-exhibitions", gettext("Exhibitions"))]
    return {"boards": [{"id": board, "name": name} for board, name in names]}


def replies_by(post: SandboxPost, moment) -> int:
    """The visitors' replies the post has at `moment`: those of its planned conversation already due."""
    return sum(1 for planned in _plan(post) if planned["due"] <= moment)


@register
class SandboxAdapter(PartByPart, Adapter):
    """Publishes into the database and invents an audience; never fails, never needs credentials."""

    network = "sandbox"
    can_chain = True
    recheck_batch = 500  # rows, not calls
    metrics_batch = 100
    audience_note = gettext_lazy("The sandbox makes up its audience: age, gender, country and city, like Instagram's.")

    def __init__(self, account):
        super().__init__(account)
        # The imitated network's adapter: only its rules are used, it never calls the network.
        self.rules = ADAPTERS[account.imitates](account) if account.imitates else None

    def limits(self) -> Limits:
        if self.rules:
            return self.rules.limits()
        return Limits(max_chars=2000, max_images=4, max_image_bytes=10 * 1024 * 1024)

    def count(self, text: str) -> int:
        return self.rules.count(text) if self.rules else grapheme_length(text)

    def validate(self, text: str, media: list[MediaInfo], link: str = "") -> list[Problem]:
        return self.rules.validate(text, media, link) if self.rules else super().validate(text, media, link)

    def details(self, publication) -> dict[str, Any]:
        """What the imitated network files the post under, refused as it refuses it: Pinterest's board (its name,
        for the feed), Tumblr's tags."""
        if isinstance(self.rules, PinterestAdapter):
            board = self.rules.board_id(publication)
            names = {b["id"]: b["name"] for b in (self.account.options or {}).get("boards") or []}
            return {"board": names.get(board, board)}
        if isinstance(self.rules, TumblrAdapter):
            return {"tags": self.rules.tags(publication.text)}
        return {}

    def publish(self, publication) -> PublishResult:
        """One post; a thread of posts, each answering the one before, where the imitated network has threads
        (elsewhere validation refuses a text of several parts)."""
        from publishing.live import chain_parent

        media = publication.media()
        self.ensure_publishable(publication.text, media, publication.post.link or "")
        if len(texts := split_parts(publication.text)) > 1:
            return self.publish_thread(publication, texts, media)
        found = self.find_part(publication, 0, publication.text, None, media)
        return found or self.send_part(publication, 0, publication.text, chain_parent(publication), media)

    def find_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult | None:
        post = SandboxPost.objects.filter(idempotency_key=self._part_key(publication, number)).first()
        return self._result(post) if post else None

    def send_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult:
        """The first part carries the post's images, link and details."""
        first = number == 0
        post, _created = SandboxPost.objects.get_or_create(
            idempotency_key=self._part_key(publication, number),
            defaults={
                "in_reply_to": parent or "",
                "account": self.account,
                "text": text,
                "alt_texts": [m.alt_text for m in media if m.kind == "image"] if first else [],
                "link": (publication.post.link or "") if first else "",
                "details": self.details(publication) if first else {},
            },
        )
        return self._result(post)

    def find_existing(self, publication) -> PublishResult | None:
        post = SandboxPost.objects.filter(idempotency_key=publication.idempotency_key).first()
        return self._result(post) if post else None

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        self._let_visitors_answer()
        after = int(cursor.get("after") or 0)
        rows = list(
            SandboxReply.objects.filter(post__account=self.account, by_museum=False, pk__gt=after, deleted_at=None)
            .select_related("post")
            .order_by("pk")[: PAGE_SIZE + 1]
        )
        page = rows[:PAGE_SIZE]
        next_cursor = {"after": page[-1].pk} if page else {"after": after}
        return FetchPage([self._message(row) for row in page], next_cursor, more=len(rows) > PAGE_SIZE)

    def look_up(self, targets: list[ReplyTarget]) -> list[MessageState]:
        """The replies as they read now; one deleted (or gone) is reported deleted."""
        live = SandboxReply.objects.filter(post__account=self.account, deleted_at=None)
        numbers = [t.external_id.removeprefix("reply-") for t in targets]
        texts = {
            f"reply-{pk}": text
            for pk, text in live.filter(pk__in=[n for n in numbers if n.isdigit()]).values_list("pk", "text")
        }
        return [
            MessageState(t.external_id, text=texts[t.external_id])
            if t.external_id in texts
            else MessageState(t.external_id, deleted=True)
            for t in targets
        ]

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        post, parent = self._find_parent(target.external_id)
        answer, _created = SandboxReply.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "post": post,
                "in_reply_to": parent,
                "author_handle": self.account.handle,
                "author_name": self.account.display_name,
                "text": text,
                "by_museum": True,
            },
        )
        return PublishResult(answer.external_id, self._url(answer.external_id))

    def find_reply(self, target: ReplyTarget, text: str, *, since) -> PublishResult | None:
        ours = SandboxReply.objects.filter(post__account=self.account, by_museum=True, in_reply_to=target.external_id)
        answer = ours.filter(text=text, **({"created_at__gte": since} if since else {})).first()
        return None if answer is None else PublishResult(answer.external_id, self._url(answer.external_id))

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        """Made-up counts that grow and settle over days (`sandbox_metrics`), only those the imitated network gives
        (the others absent, as there); a deleted sandbox post is absent."""
        now = timezone.now()
        numbers = [p.external_id.removeprefix("post-") for p in publications]
        posts = SandboxPost.objects.filter(account=self.account, pk__in=[n for n in numbers if n.isdigit()])
        found = {
            post.external_id: sandbox_metrics.post_metrics(post, now, replies=replies_by(post, now)) for post in posts
        }
        if self.rules:
            found = {external_id: metrics.keeping(self.rules.post_figures) for external_id, metrics in found.items()}
        return found

    def fetch_account_metrics(self) -> AccountMetrics:
        now = timezone.now()
        published = SandboxPost.objects.filter(account=self.account, created_at__lte=now).count()
        return sandbox_metrics.account_metrics(self.account.pk, now, published)

    # Helpers ------------------------------------------------------------------------------------------------------

    def _let_visitors_answer(self) -> None:
        now = timezone.now()
        posts = SandboxPost.objects.filter(account=self.account, created_at__gte=now - CONVERSATION_SPAN)
        existing = {
            (post_id, seq): pk
            for post_id, seq, pk in SandboxReply.objects.filter(post__in=posts, seq__isnull=False).values_list(
                "post_id", "seq", "pk"
            )
        }
        for post in posts:
            for planned in _plan(post):
                if planned["due"] <= now and (post.pk, planned["seq"]) not in existing:
                    existing[post.pk, planned["seq"]] = self._add_visitor_reply(post, planned, existing)
        self._thank_the_museum(posts, now)

    def _thank_the_museum(self, posts, now) -> None:
        """Most visitors whose question the museum answered say thanks a little later (once: keyed by answer)."""
        answers = list(
            SandboxReply.objects.filter(
                post__in=posts, by_museum=True, in_reply_to__startswith="reply-"
            ).select_related("post")
        )
        question_ids = [answer.in_reply_to.removeprefix("reply-") for answer in answers]
        questions = {f"reply-{q.pk}": q for q in SandboxReply.objects.filter(pk__in=question_ids, by_museum=False)}
        for answer in answers:
            rng = random.Random(answer.pk * 31 + 7)
            due = answer.created_at + timedelta(seconds=rng.uniform(20, 240))
            question = questions.get(answer.in_reply_to)
            if rng.random() > 0.7 or due > now or question is None:
                continue
            SandboxReply.objects.get_or_create(
                idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-thanks-{answer.pk}"),
                defaults={
                    "post": answer.post,
                    "in_reply_to": answer.external_id,
                    "author_handle": question.author_handle,
                    "author_name": question.author_name,
                    "language": question.language,
                    "text": rng.choice(THANKS[question.language or "fr"]),
                    "created_at": due,
                },
            )

    def _add_visitor_reply(self, post: SandboxPost, planned: dict[str, Any], existing: dict) -> int | None:
        answers = planned.pop("answers")
        parent_pk = existing.get((post.pk, answers)) if answers is not None else None
        planned["in_reply_to"] = f"reply-{parent_pk}" if parent_pk else post.external_id
        planned["created_at"] = planned.pop("due")
        try:
            with transaction.atomic():  # two syncs at once: the unique (post, seq) keeps one
                return SandboxReply.objects.create(post=post, **planned).pk
        except IntegrityError:
            return SandboxReply.objects.filter(post=post, seq=planned["seq"]).values_list("pk", flat=True).first()

    def _find_parent(self, external_id: str) -> tuple[SandboxPost, str]:
        kind, _sep, number = external_id.partition("-")
        if kind == "post" and number.isdigit():
            post = SandboxPost.objects.filter(pk=number, account=self.account).first()
            if post:
                return post, external_id
        if kind == "reply" and number.isdigit():
            parent = SandboxReply.objects.filter(pk=number, post__account=self.account).select_related("post").first()
            if parent:
                return parent.post, external_id
        message = gettext("The sandbox has no message %(id)s on this account.") % {"id": external_id}
        raise Rejected(message, http_status=404)

    def _message(self, row: SandboxReply) -> FetchedMessage:
        return FetchedMessage(
            external_id=row.external_id,
            kind="comment" if row.in_reply_to.startswith("post-") else "reply",
            text=row.text,
            created_at=row.created_at,
            author_id=row.author_handle,
            author_handle=row.author_handle,
            author_name=row.author_name,
            url=self._url(row.external_id),
            parent_external_id=row.in_reply_to,
            root_external_id=row.post.external_id,
            extra={"language": row.language},
        )

    @staticmethod
    def _part_key(publication, number: int) -> uuid.UUID:
        """The publication's own key for its first part (`find_existing`), one derived from it for the others."""
        key = publication.idempotency_key
        return key if number == 0 else uuid.uuid5(uuid.UUID(str(key)), f"part-{number}")

    def _result(self, post: SandboxPost) -> PublishResult:
        return PublishResult(post.external_id, self._url(post.external_id), {"created_at": post.created_at.isoformat()})

    def _url(self, anchor: str) -> str:
        return f"{settings.SITE_URL}{reverse('sandbox_feed')}?account={self.account.pk}#{anchor}"
