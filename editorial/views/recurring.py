"""Recurring slots: list, create, change, delete; saving drafts the coming occurrences at once."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from editorial.forms.recurring import RecurringSlotForm
from editorial.models import RecurringSlot
from editorial.services.recurring import slot_materialise


@permission_required("editorial.view_post", raise_exception=True)
def slot_list(request):
    slots = RecurringSlot.objects.select_related("campaign").prefetch_related("accounts")
    return render(request, "editorial/slots/list.html", {"slots": slots})


@permission_required("editorial.add_recurringslot", raise_exception=True)
def slot_create(request):
    return _edit(request, RecurringSlot(created_by=request.user))


@permission_required("editorial.change_recurringslot", raise_exception=True)
def slot_edit(request, pk: int):
    return _edit(request, get_object_or_404(RecurringSlot, pk=pk))


def _edit(request, slot: RecurringSlot):
    form = RecurringSlotForm(request.POST or None, instance=slot)
    if request.method == "POST" and form.is_valid():
        slot = form.save()
        created = slot_materialise(slot=slot)
        messages.success(
            request,
            ngettext(
                "“%(title)s” saved; %(count)d new draft is on the calendar.",
                "“%(title)s” saved; %(count)d new drafts are on the calendar.",
                created,
            )
            % {"title": slot, "count": created},
        )
        return redirect("slots")
    return render(request, "editorial/slots/form.html", {"form": form, "slot": slot})


@require_POST
@permission_required("editorial.delete_recurringslot", raise_exception=True)
def slot_delete(request, pk: int):
    """Stop the ritual; drafts already made stay on the calendar (delete them there if needed)."""
    slot = get_object_or_404(RecurringSlot, pk=pk)
    slot.delete()
    messages.success(request, _("“%(title)s” will make no more drafts.") % {"title": slot})
    return redirect("slots")
