"""The team's side of "Ask the museum": approve an answer (now or as a question of the day), the queue, withdraw."""

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from ask.calendar_layer import entry_title
from ask.forms import approve_form
from ask.models import Question
from ask.publication import question_withdraw
from ask.rendering import render_answer
from ask.services import answer_approve, question_link, queue_dates, queue_move, queue_move_to_day
from ask.social import answer_to_post
from inbox.models import Message
from museumcm.http import HtmxHttpRequest, safe_next
from museumcm.widgets import IsoDateInput
from publishing.models import Network

PERMISSION = "inbox.answer_message"


@permission_required(PERMISSION, raise_exception=True)
def review(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    message = Message.objects.select_related("account", "routed_to").filter(
        account__network=Network.ASK, external_id=question.external_id
    )
    message = message.first()
    if message is None:  # not synced yet: the inbox is where answers are drafted
        raise Http404
    form = approve_form(message=message, question=question, data=request.POST or None)
    if request.method == "POST" and form.is_valid() and question.awaiting_answer:
        daily = request.POST.get("when") == "daily"
        data = form.cleaned_data
        answer_approve(message=message, text=data["text"], by=request.user, daily=daily, theme=data["theme"])
        flash.success(request, _("Added to the question-of-the-day queue.") if daily else _("The answer is going out."))
        return redirect(safe_next(request, reverse("ask_team")))
    preview = render_answer(form["text"].value() or "")
    context = {
        "message": message,
        "question": question,
        "form": form,
        "preview": preview,
        "next": safe_next(request, ""),
        "duplicate_form": DuplicateForm(),
    }
    return render(request, "ask/team/review.html", context)


@permission_required(PERMISSION, raise_exception=True)
def queue(request):
    context = {
        "planned": queue_dates(),
        "published": Question.objects.published().only("id", "slug", "text", "published_at")[:20],
        "embed_url": settings.SITE_URL + reverse("ask_embed"),
        "embed_title": _("Latest answers"),
    }
    return render(request, "ask/team/queue.html", context)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def move(request, pk: int):
    queue_move(question=get_object_or_404(Question, pk=pk), offset=-1 if request.POST.get("to") == "up" else 1)
    return redirect("ask_team")


class DayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=IsoDateInput())


@permission_required(PERMISSION, raise_exception=True)
def move_to_day(request: HtmxHttpRequest, pk: int):
    """A queued answer to another day: the calendar layer's drop (htmx), and a plain form for the keyboard."""
    question = get_object_or_404(Question, pk=pk)
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        at = queue_move_to_day(question=question, day=form.cleaned_data["day"])
        if at is not None:
            return _moved_to(request, question, at)
        form.add_error(None, _("This answer is no longer waiting in the queue."))
    if request.htmx and request.method == "POST":
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return render(request, "editorial/calendar/_move_status.html", {"errors": errors})
    planned = dict(queue_dates()).get(question)
    if planned and not form.is_bound:
        form.initial["day"] = timezone.localtime(planned).date()
    context = {"form": form, "question": question, "planned": planned, "next": safe_next(request, "")}
    return render(request, "ask/team/move.html", context)


def _moved_to(request: HtmxHttpRequest, question: Question, at) -> HttpResponse:
    day = timezone.localtime(at).date()
    text = _("“%(title)s” is the question of the day on %(day)s; the others shift.") % {
        "title": entry_title(question),
        "day": date_format(day, "DATE_FORMAT"),
    }
    if request.htmx:
        response = render(request, "editorial/calendar/_move_status.html", {"moved": text})
        return trigger_client_event(response, "calendar-changed")
    flash.success(request, text)
    return redirect(safe_next(request, f"{reverse('calendar')}?month={day:%Y-%m}"))


class DuplicateForm(forms.Form):
    original = forms.CharField(
        label=gettext_lazy("Already answered (or merged into) question number or address"), max_length=300
    )

    def clean_original(self) -> Question:
        number = self.cleaned_data["original"].rstrip("/").rsplit("/", 1)[-1].split("-", 1)[0]
        original = Question.objects.filter(pk=number).first() if number.isdigit() else None
        if original is None:
            raise forms.ValidationError(_("There is no question with this number or address."))
        return original


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def duplicate(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    form = DuplicateForm(request.POST)
    if form.is_valid() and question_link(question=question, original=form.cleaned_data["original"]):
        flash.success(request, _("Linked: the visitor will be told when the answer is out."))
        return redirect("ask_team")
    flash.error(request, _("This question cannot be linked to that one."))
    return redirect("ask_review", pk=pk)


@require_POST
@permission_required("editorial.add_post", raise_exception=True)
def make_post(request, pk: int):
    question = get_object_or_404(Question.objects.published(), pk=pk)
    post = answer_to_post(question=question, by=request.user)
    flash.success(request, _("A draft post is ready at the next free slot: check each network's text."))
    return redirect("post_edit", pk=post.pk)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def withdraw(request, pk: int):
    if question_withdraw(question=get_object_or_404(Question, pk=pk)):
        flash.success(request, _("The answer is no longer public."))
    return redirect("ask_team")
