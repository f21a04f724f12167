"""Museum events: the list, add or change one by hand, import from an iCal URL or file."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editorial.forms.events import EventFileForm, EventSourceForm, MuseumEventForm
from editorial.models import EventSource, MuseumEvent
from editorial.services import events as services
from editorial.timeutils import CALENDAR_YEARS


def _page(request, status: int = 200, **forms):
    today = timezone.localdate()
    context = {
        "events": MuseumEvent.objects.filter(ends_on__gte=today).select_related("source")[:200],
        "sources": EventSource.objects.all(),
        "event_form": forms.get("event_form") or MuseumEventForm(),
        "source_form": forms.get("source_form") or EventSourceForm(),
        "file_form": forms.get("file_form") or EventFileForm(),
        "can_change": request.user.has_perm("editorial.add_museumevent"),
    }
    return render(request, "editorial/events/list.html", context, status=status)


def _report(request, result: services.ImportResult) -> None:
    text = _("Calendar imported: %(created)d new, %(updated)d updated, %(skipped)d unchanged.") % {
        "created": result.created,
        "updated": result.updated,
        "skipped": result.skipped,
    }
    if result.left_out:
        years = {"first": CALENDAR_YEARS[0], "last": CALENDAR_YEARS[-1], "count": result.left_out}
        text += " " + _("%(count)d left out: their dates are not between %(first)s and %(last)s.") % years
    messages.success(request, text)


@permission_required("editorial.view_post", raise_exception=True)
def event_list(request):
    return _page(request)


@permission_required("editorial.add_museumevent", raise_exception=True)
def event_create(request):
    """The add form lives on the events page; opened on its own (a bookmark, a link) it shows just the form."""
    form = MuseumEventForm(request.POST or None)
    if request.method != "POST":
        return render(request, "editorial/events/form.html", {"form": form, "event": None})
    if not form.is_valid():
        return _page(request, status=400, event_form=form)
    event = form.save()
    messages.success(request, _("“%(title)s” is on the calendar.") % {"title": event})
    return redirect("events")


@permission_required("editorial.change_museumevent", raise_exception=True)
def event_edit(request, pk: int):
    event = get_object_or_404(MuseumEvent, pk=pk)
    form = MuseumEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(title)s” saved.") % {"title": event})
        return redirect(reverse("events") + f"#event-{event.pk}")
    return render(request, "editorial/events/form.html", {"form": form, "event": event})


@require_POST
@permission_required("editorial.delete_museumevent", raise_exception=True)
def event_delete(request, pk: int):
    event = get_object_or_404(MuseumEvent, pk=pk)
    event.delete()
    messages.success(request, _("“%(title)s” removed.") % {"title": event})
    return redirect("events")


@require_POST
@permission_required("editorial.add_museumevent", raise_exception=True)
def event_import_url(request):
    form = EventSourceForm(request.POST)
    if form.is_valid():
        try:
            _source, result = services.event_source_add(**form.cleaned_data)
        except services.ImportFailed as error:
            form.add_error("url", str(error))
        else:
            _report(request, result)
            return redirect("events")
    return _page(request, status=400, source_form=form)


@require_POST
@permission_required("editorial.add_museumevent", raise_exception=True)
def event_import_file(request):
    form = EventFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.events_import(data=form.cleaned_data["file"].read(), kind=form.cleaned_data["kind"])
        except services.ImportFailed as error:
            form.add_error("file", str(error))
        else:
            _report(request, result)
            return redirect("events")
    return _page(request, status=400, file_form=form)


@require_POST
@permission_required("editorial.add_museumevent", raise_exception=True)
def event_source_refresh(request, pk: int):
    source = get_object_or_404(EventSource, pk=pk)
    try:
        _report(request, services.event_source_import(source=source))
    except services.ImportFailed as error:
        messages.error(request, str(error))
    return redirect("events")


@require_POST
@permission_required("editorial.delete_museumevent", raise_exception=True)
def event_source_delete(request, pk: int):
    """Stop following a URL; the events it brought stay (remove them one by one if needed)."""
    source = get_object_or_404(EventSource, pk=pk)
    source.delete()
    messages.success(request, _("No longer importing “%(name)s”.") % {"name": source})
    return redirect("events")
