"""Pause everything, and resume in bulk or post by post."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from publishing import selectors, services
from publishing.forms import PauseForm, ResumeForm

PAUSE = "publishing.pause_publishing"


@permission_required(PAUSE, raise_exception=True)
def publishing_pause_page(request, pause_form=None, resume_form=None, status=200):
    pause = selectors.active_pause()
    fallen_due = services.fallen_due_during(pause).select_related("account", "post") if pause else []
    context = {
        "pause": pause,
        "fallen_due": fallen_due,
        "pause_form": pause_form or PauseForm(),
        "resume_form": resume_form or ResumeForm(),
    }
    return render(request, "publishing/pause.html", context, status=status)


@permission_required(PAUSE, raise_exception=True)
@require_POST
def publishing_pause(request):
    form = PauseForm(request.POST)
    if not form.is_valid():
        return publishing_pause_page(request, pause_form=form, status=400)
    services.publishing_pause(reason=form.cleaned_data["reason"], by=request.user)
    messages.warning(request, _("Publishing is paused: nothing will be sent until you resume."))
    return redirect("publishing_pause_page")


@permission_required(PAUSE, raise_exception=True)
@require_POST
def publishing_resume(request):
    form = ResumeForm(request.POST)
    if not form.is_valid():
        return publishing_pause_page(request, resume_form=form, status=400)
    count = services.publishing_resume(
        by=request.user, overdue=form.cleaned_data["overdue"], reschedule_to=form.cleaned_data.get("reschedule_to")
    )
    messages.success(request, _("Publishing resumed (%(count)s publications had fallen due).") % {"count": count})
    return redirect("publishing_pause_page")
