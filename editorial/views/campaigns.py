"""Campaigns: the list, a form to create or change one, and a page with its posts."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from editorial.forms.campaigns import CampaignForm
from editorial.models import Campaign


@permission_required("editorial.view_campaign", raise_exception=True)
def campaign_list(request):
    campaigns = Campaign.objects.annotate(post_count=Count("posts"))
    return render(request, "editorial/campaigns/list.html", {"campaigns": campaigns})


@permission_required("editorial.view_campaign", raise_exception=True)
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    posts = (
        campaign.posts.select_related("author").prefetch_related("publications__account").order_by("scheduled_at", "pk")
    )
    return render(request, "editorial/campaigns/detail.html", {"campaign": campaign, "posts": posts})


@permission_required("editorial.add_campaign", raise_exception=True)
def campaign_create(request):
    return _edit(request, Campaign())


@permission_required("editorial.change_campaign", raise_exception=True)
def campaign_edit(request, pk: int):
    return _edit(request, get_object_or_404(Campaign, pk=pk))


def _edit(request, campaign: Campaign):
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = form.save()
        messages.success(request, _("Campaign “%(name)s” saved.") % {"name": campaign})
        return redirect("campaign_detail", campaign.pk)
    return render(request, "editorial/campaigns/form.html", {"form": form, "campaign": campaign})
