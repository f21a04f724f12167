"""The team's side of "Ask the museum": approve an answer (now or as a question of the day), the queue, withdraw."""

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ask.models import Question, Theme
from ask.publication import question_withdraw
from ask.rendering import answer_problems, render_answer
from ask.services import answer_approve, question_of, queue_dates, queue_move
from inbox.models import Message, Reply
from museumcm.fields import REPLY_MAX

PERMISSION = "inbox.answer_message"


class ApproveForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "A blank line between paragraphs; links as they are; an image on its own line as "
            "![what the image shows](https://…/image.jpg)."
        ),
    )
    theme = forms.ModelChoiceField(label=gettext_lazy("Theme"), queryset=Theme.objects.all(), required=False)

    def clean_text(self):
        text = self.cleaned_data["text"]
        problems = answer_problems(text)
        if problems:
            raise forms.ValidationError(problems)
        return text


@permission_required(PERMISSION, raise_exception=True)
def review(request, message_id: int):
    message = get_object_or_404(Message.objects.select_related("account", "routed_to"), pk=message_id)
    question = question_of(message)
    if question is None:
        raise Http404
    draft = message.replies.filter(state=Reply.State.DRAFT).order_by("-pk").first()
    initial = {"text": draft.text if draft else question.answer, "theme": question.theme_id}
    form = ApproveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and question.state in _OPEN:
        daily = request.POST.get("when") == "daily"
        data = form.cleaned_data
        answer_approve(message=message, text=data["text"], by=request.user, daily=daily, theme=data["theme"])
        flash.success(request, _("Added to the question-of-the-day queue.") if daily else _("The answer is going out."))
        return redirect("ask_team")
    preview = render_answer(form["text"].value() or "")
    context = {"message": message, "question": question, "form": form, "preview": preview, "open": _OPEN}
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


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def withdraw(request, pk: int):
    if question_withdraw(question=get_object_or_404(Question, pk=pk)):
        flash.success(request, _("The answer is no longer public."))
    return redirect("ask_team")


_OPEN = [Question.State.RECEIVED, Question.State.MODERATION]
