"""Blocks other pages include: a post's publication status, the dashboard's publishing blocks."""

from django import template

from publishing import selectors

register = template.Library()


@register.inclusion_tag("publishing/_status_block.html", takes_context=True)
def publication_status(context, post):
    """Each network's status of `post`, with the actions the user may take; polls while something is moving."""
    publications = list(selectors.publications_of_post(post.pk))
    return {
        "post": post,
        "publications": publications,
        "polling": any(p.is_active for p in publications),
        "perms": context.get("perms"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("publishing/_dashboard.html", takes_context=True)
def publishing_dashboard(context):
    """Failed publications, accounts to reconnect and a silent worker, each with the action that fixes it."""
    return {
        "attention": selectors.attention(),
        "perms": context.get("perms"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
