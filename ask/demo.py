"""The demo museum's "Ask the museum" site: three themes, a dozen answered questions, a few waiting in the inbox
and one routed to the demo curator. Idempotent: questions are keyed by their text."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from ask.models import Question, Theme
from ask.rendering import render_answer
from ask.services import channel_account
from inbox.models import Message
from inbox.services import message_route
from inbox.sync import account_sync

THEMES = [("origins", "Origines", "Origins"), ("history", "Histoire", "History"), ("future", "Avenir", "Future")]

# (theme, language, name, question, answer)
ANSWERED = [
    (
        "origins",
        "fr",
        "Léa",
        "Depuis quand l'être humain maîtrise-t-il le feu ?",
        "Les plus anciennes traces sûres de foyers ont environ 400 000 ans, en Europe comme en Afrique.\n\n"
        "Avant cela, des hominines utilisaient sans doute le feu naturel, sans savoir l'allumer.",
    ),
    (
        "origins",
        "en",
        "Tom",
        "Did Neanderthals and Homo sapiens ever meet?",
        "Yes: most people living outside Africa today carry about 2% Neanderthal DNA, the trace of encounters some "
        "50,000 years ago.",
    ),
    (
        "origins",
        "fr",
        "",
        "Qui était Lucy ?",
        "Lucy est une australopithèque (Australopithecus afarensis) qui vivait en Éthiopie il y a 3,2 millions "
        "d'années. Son squelette, complet à 40 %, a été découvert en 1974.",
    ),
    (
        "origins",
        "fr",
        "Hugo",
        "Pourquoi avons-nous un menton ?",
        "C'est une vraie question de recherche ! Nous sommes la seule espèce humaine à en avoir un, et aucune "
        "explication ne fait l'unanimité.",
    ),
    (
        "history",
        "fr",
        "Nadia",
        "Depuis quand enterre-t-on les morts ?",
        "Les plus anciennes sépultures connues ont plus de 100 000 ans, au Proche-Orient.",
    ),
    (
        "history",
        "en",
        "Kenji",
        "When did people start farming?",
        "Around 11,500 years ago in the Near East, and independently in several other regions later.",
    ),
    (
        "history",
        "fr",
        "Camille",
        "Les peintures de Lascaux ont-elles été faites par des enfants ?",
        "Des empreintes de mains d'enfants existent dans certaines grottes ornées, mais les grandes peintures de "
        "Lascaux sont l'œuvre d'adultes expérimentés.",
    ),
    (
        "history",
        "en",
        "",
        "How old is the oldest musical instrument?",
        "Flutes carved from bird bones and mammoth ivory, found in Germany, are about 40,000 years old.",
    ),
    (
        "future",
        "fr",
        "Jules",
        "L'être humain continue-t-il d'évoluer ?",
        "Oui : l'évolution ne s'arrête jamais. La tolérance au lactose, apparue il y a quelques milliers "
        "d'années, en est un exemple récent.",
    ),
    (
        "future",
        "en",
        "Sarah",
        "Will humans get taller and taller?",
        "Average height rose over the last century mostly because of food and health, not genes; it is levelling "
        "off in many countries.",
    ),
    (
        "future",
        "fr",
        "",
        "Combien serons-nous en 2100 ?",
        "Les projections des Nations unies tournent autour de 10 milliards, avec une grande incertitude.",
    ),
    (
        "future",
        "fr",
        "María",
        "Nos dents de sagesse vont-elles disparaître ?",
        "Elles manquent déjà chez une partie de la population : leur absence devient plus fréquente.",
    ),
]
WAITING = [
    ("fr", "Inès", "Pourquoi les humains ont-ils si peu de poils ?"),
    ("en", "Sam", "Were there other human species alive at the same time as us?"),
    ("fr", "", "Est-ce que les hommes préhistoriques dessinaient des animaux imaginaires ?"),
]
ROUTED = ("fr", "Paul", "Comment sait-on l'âge d'un squelette ?")


def seed() -> None:
    themes = {}
    for position, (slug, fr, en) in enumerate(THEMES, start=1):
        themes[slug], _created = Theme.objects.get_or_create(
            slug=slug, defaults={"name_fr": fr, "name_en": en, "position": position}
        )
    now = timezone.now()
    for days, (theme, language, name, text, answer) in enumerate(ANSWERED):
        question, created = Question.objects.get_or_create(
            text=text, defaults={"language": language, "name": name, "created_at": now - timedelta(days=days + 3)}
        )
        if created:
            Question.objects.filter(pk=question.pk).update(
                theme=themes[theme],
                answer=answer,
                answer_html=render_answer(answer),
                state=Question.State.PUBLISHED,
                published_at=now - timedelta(days=days),
                slug=question.make_slug(),
            )
    for language, name, text in [*WAITING, ROUTED]:
        Question.objects.get_or_create(text=text, defaults={"language": language, "name": name})
    account = channel_account()
    account_sync(account=account)
    _file_answered(account)
    _route(account)


def _file_answered(account) -> None:
    published = [q.external_id for q in Question.objects.published()]
    Message.objects.filter(account=account, external_id__in=published).update(status=Message.Status.DONE, read=True)


def _route(account) -> None:
    curator = User.objects.filter(username="claire").first()
    manager = User.objects.filter(username="camille").first()
    question = Question.objects.filter(text=ROUTED[2]).first()
    message = Message.objects.filter(account=account, external_id=question.external_id).first() if question else None
    if curator and manager and message and message.routed_to_id is None:
        note = "Datation au radiocarbone ? Tu peux répondre en deux paragraphes."
        message_route(message=message, expert=curator, note=note, by=manager)
