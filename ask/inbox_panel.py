"""Approving an answer where the team works: in the inbox conversation of an "Ask the museum" question.

Registered from `AskConfig.ready()` through the inbox's reply panels (the inbox never imports `ask`). The buttons post
to the review page's view, which checks the permission and comes back to the conversation."""

from django.urls import reverse

from ask.forms import approve_form
from ask.services import question_of, queue_dates
from inbox.reply_panels import ReplyPanel
from publishing.models import Network


def approval_context(request, message) -> dict | None:
    """Publish now or as a question of the day while the question awaits its answer; else where its answer is."""
    question = question_of(message)
    if question is None:
        return None
    form = approve_form(message=message, question=question) if question.awaiting_answer else None
    planned = dict(queue_dates()).get(question) if question.queue_position is not None else None
    back = reverse("inbox_conversation", args=[message.pk])
    return {"question": question, "form": form, "planned": planned, "next": back}


panel = ReplyPanel(network=Network.ASK, template="ask/team/_approve.html", context=approval_context)
