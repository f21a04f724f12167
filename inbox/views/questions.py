"""Ask an expert: the curator's side. A curator sees only the questions routed to them, never the whole inbox."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inbox import selectors, services
from inbox.forms import DraftForm
from inbox.models import Message, Reply
from museumcm.http import HtmxHttpRequest


@permission_required("inbox.draft_answer", raise_exception=True)
def questions(request: HtmxHttpRequest):
    return render(request, "inbox/questions.html", {"questions": selectors.questions_for(request.user)})


@permission_required("inbox.draft_answer", raise_exception=True)
def question(request: HtmxHttpRequest, pk: int):
    message = get_object_or_404(Message.objects.select_related("account", "routed_by", "publication__post"), pk=pk)
    if message.routed_to_id != request.user.pk:
        raise Http404
    draft = message.replies.filter(state=Reply.State.DRAFT).first()
    form = DraftForm(request.POST or None, initial={"text": draft.text if draft else ""})
    if request.method == "POST" and form.is_valid():
        services.answer_draft(message=message, text=form.cleaned_data["text"], by=request.user)
        flash.success(request, _("Your draft is saved; the community team will review and send it."))
        return redirect(reverse("inbox_questions"))
    context = {
        "message": message,
        "thread": selectors.conversation_thread(message),
        "publication": message.publication,
        "form": form,
        "draft": draft,
        "sent": message.replies.filter(state=Reply.State.SENT).exists(),
    }
    return render(request, "inbox/question.html", context)
