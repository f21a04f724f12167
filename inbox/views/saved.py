from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbox.forms import SavedReplyForm
from inbox.models import SavedReply
from museumcm.http import HtmxHttpRequest


@permission_required("inbox.answer_message", raise_exception=True)
def saved_replies(request: HtmxHttpRequest):
    form = SavedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.created_by = request.user
        saved.save()
        flash.success(request, _("Saved reply “%(title)s” added.") % {"title": saved.title})
        return redirect(reverse("inbox_saved_replies"))
    return render(request, "inbox/saved_replies.html", {"form": form, "saved_replies": SavedReply.objects.all()})


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def delete_saved_reply(request: HtmxHttpRequest, pk: int):
    saved = get_object_or_404(SavedReply, pk=pk)
    saved.delete()
    flash.success(request, _("Saved reply “%(title)s” deleted.") % {"title": saved.title})
    return redirect(reverse("inbox_saved_replies"))
