"""The public site: no login, no JavaScript needed, cached for readers (ask.caching), French or English."""

from urllib.parse import quote

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.lockout import client_address
from ask import selectors
from ask.answer_cache import answer_page
from ask.caching import cached_page, request_generation
from ask.forms import QuestionForm, started_token
from ask.limits import address_allowed
from ask.models import Question, Theme
from ask.pages import render_public, site_context
from ask.publication import email_withdraw, withdraw_url
from ask.search import search_address
from ask.services import question_ask

STARTED_MARKER = "ask-started-time-marker"
QUERY_MARKER, QUERY_LINK_MARKER = "ask-query-text-marker", "ask-query-link-marker"
ROBOT_MESSAGES = {
    "honeypot": gettext_lazy(
        "This question looks as if a program sent it (a field meant to stay empty was filled in)."
    ),
    "fast": gettext_lazy("That was very quick! Please read your question once more, then send it again."),
    "stale": gettext_lazy("This page was open too long. Please send your question again."),
}


def _page(request, template: str, status: int = 200, **extra) -> HttpResponse:
    return HttpResponse(render_public(request, template, **extra), status=status)


def _ask_form_page(request, form: QuestionForm, *, status: int = 200, notice: str = ""):
    if form.is_bound:
        form.data = form.data.copy()
        form.data["started"] = started_token()  # a fresh clock for the next try
    generation = request_generation(request)
    themes = selectors.figures(generation)["themes"]
    latest = selectors.answers_latest()
    return _page(
        request, "ask/home.html", status, form=form, notice=notice, latest=latest, themes=themes, generation=generation
    )


@login_not_required
@require_GET
@cached_page(fresh={STARTED_MARKER: lambda request: started_token()})
def home(request):
    """Cached like the other pages: the form's start time is put in fresh in each copy served."""
    return _ask_form_page(request, QuestionForm(initial={"started": STARTED_MARKER}))


@csrf_exempt  # an anonymous form guards no session; the signed start time, honeypot and limits guard it
@login_not_required
@require_http_methods(["GET", "POST"])
def ask(request):
    if request.method == "GET":  # the language switch of a refused form's page comes back here
        return redirect(reverse("ask_home") + "#ask")
    form = QuestionForm(request.POST)
    if not form.is_valid():
        notice = _("Your question was not sent: please see the messages next to the fields.")
        return _ask_form_page(request, form, status=400, notice=notice)
    if form.robot:
        return _ask_form_page(request, form, status=400, notice=ROBOT_MESSAGES[form.robot])
    if not address_allowed(client_address(request)):
        notice = _(
            "You have asked many questions in the last hour: thank you! Please wait a little before asking again; "
            "your question is still in the box below."
        )
        return _ask_form_page(request, form, status=429, notice=notice)
    data = form.cleaned_data
    question = question_ask(
        text=data["text"],
        name=data["name"],
        email=data["email"] if data["consent"] else "",
        language=(get_language() or "fr")[:2],
        held=form.held,
    )
    request.session["ask_last"] = question.pk
    return redirect("ask_thanks")


@login_not_required
@require_GET
def thanks(request):
    question = Question.objects.filter(pk=request.session.get("ask_last") or 0).first()
    forget_url = withdraw_url(question) if question and question.email else ""
    return render(request, "ask/thanks.html", site_context(question=question, forget_url=forget_url))


def _query(request) -> str:
    return request.GET.get("q", "")[:200]


@login_not_required
@require_GET
@cached_page(
    address=search_address,
    fresh={QUERY_MARKER: lambda r: escape(_query(r)), QUERY_LINK_MARKER: lambda r: escape(quote(_query(r)))},
)
def archive(request, theme: str = ""):
    """A search's words as typed are put in each copy served: the same words in another order or case share it."""
    chosen = get_object_or_404(Theme, slug=theme) if theme else None
    query = _query(request)
    known = selectors.figures(request_generation(request))
    page = selectors.answers_page(theme=chosen, query=query, number=request.GET.get("page", 1), known=known)
    shown = {"query": QUERY_MARKER, "query_link": QUERY_LINK_MARKER} if query else {"query": "", "query_link": ""}
    return _page(request, "ask/archive.html", page=page, theme=chosen, themes=known["themes"], **shown)


@login_not_required
@require_GET
def answer(request, slug: str):
    return answer_page(request, slug)


@login_not_required
@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@cached_page
def embed(request):
    """The latest answers as a small page the museum's own site can frame (see the snippet on the team's page)."""
    return _page(request, "ask/embed.html", latest=selectors.answers_latest(5))


@login_not_required
@require_http_methods(["GET", "POST"])
def forget(request, token: str):
    """The visitor's link: a page with one button (a GET never erases: mail scanners follow links)."""
    done = request.method == "POST" and email_withdraw(token=token)
    return render(request, "ask/forget.html", site_context(done=done, posted=request.method == "POST"))


@login_not_required
@require_GET
def language(request, code: str):
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("ask_home")
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 86400, samesite="Lax")
    return response


@login_not_required
@require_GET
def theme_css(request):
    """The museum's colour from settings (no inline styles: the content security policy forbids them)."""
    css = f":root {{ --ask-accent: {settings.ASK_COLOUR}; }}\n"
    response = HttpResponse(css, content_type="text/css")
    response["Cache-Control"] = "public, max-age=3600"
    return response
