"""The accounts page and the connect flows (OAuth 2, Mastodon, Bluesky, sandbox), with the choice of accounts when one
authorisation gives access to several."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from publishing import oauth, selectors
from publishing.adapters.sandbox import imitation_options
from publishing.connections import socialaccount_connect, socialaccount_disable
from publishing.forms import AccountChoiceForm, BlueskyConnectForm, MastodonConnectForm, SandboxConnectForm
from publishing.models import Network, SocialAccount

VIEW = "publishing.view_socialaccount"
CONNECT = "publishing.connect_socialaccount"


@permission_required(VIEW, raise_exception=True)
def social_accounts(request):
    """Every account with its status, token expiry and quota; the connect buttons per network."""
    networks = [
        {"value": value, "label": label, "available": value in _LOCAL or oauth.is_configured(value)}
        for value, label in Network.choices
    ]
    context = {"accounts": selectors.accounts_overview(), "networks": networks}
    return render(request, "publishing/accounts.html", context)


@permission_required(VIEW, raise_exception=True)
def account_quota(request, pk: int):
    """Loaded by htmx after the page: asking the network can take a moment."""
    account = get_object_or_404(SocialAccount, pk=pk)
    quota = selectors.account_quota(account) if account.status == SocialAccount.Status.CONNECTED else None
    return render(request, "publishing/accounts.html#quota", {"account": account, "quota": quota})


@permission_required(CONNECT, raise_exception=True)
@require_POST
def account_disable(request, pk: int):
    account = get_object_or_404(SocialAccount, pk=pk)
    socialaccount_disable(account=account)
    messages.success(request, _("%(account)s is disabled: nothing will be published on it.") % {"account": account})
    return redirect("social_accounts")


@permission_required(CONNECT, raise_exception=True)
def account_connect(request, network: str):
    """Start connecting (or reconnecting) an account of `network`."""
    if network not in Network.values:
        raise Http404
    if network in _LOCAL:
        return _LOCAL[network](request)
    if not oauth.is_configured(network):
        messages.error(request, _("%(network)s is not set up on this server yet.") % {"network": _label(network)})
        return redirect("social_accounts")
    prov = oauth.provider(network)
    handle = request.GET.get("handle", "")  # reconnecting this one: ticked first if the network finds several
    return redirect(oauth.authorization_url(request.session, prov, oauth.callback_url(network), handle=handle))


@permission_required(CONNECT, raise_exception=True)
def oauth_callback(request, network: str):
    """The network sends the browser back here with `code` and `state`; a wrong state is refused."""
    try:
        pending, code = oauth.take_pending(request.session, network, request.GET)
        prov = oauth.mastodon_from_pending(pending) if network == Network.MASTODON else oauth.provider(network)
        token = oauth.exchange_code(prov, code, pending)
        found = oauth.identify(prov, token)
    except oauth.ConnectError as error:
        messages.error(request, str(error))
        return redirect("social_accounts")
    if not found:
        messages.error(request, _("This authorisation gives access to no account museumcm can publish on."))
        return redirect("social_accounts")
    if len(found) > 1:
        oauth.choice_store(request.session, network=network, accounts=found, preselect=pending.get("handle", ""))
        return redirect("account_choose")
    return _connect_all(request, network, found)


@permission_required(CONNECT, raise_exception=True)
def account_choose(request):
    """Tick which of the accounts one authorisation found to connect; the choice can be made once."""
    choice = oauth.choice_get(request.session)
    if choice is None:
        return _choice_gone(request)
    known = selectors.accounts_by_handle(choice.network, [account["handle"] for account in choice.accounts])
    initial = {"choice": choice.id, "accounts": choice.preselected}
    form = AccountChoiceForm(request.POST or None, initial=initial, candidates=choice.accounts, known=known)
    if request.method == "POST" and form.is_valid():
        if oauth.choice_take(request.session, form.cleaned_data["choice"]) is None:
            return _choice_gone(request)
        return _connect_all(request, choice.network, form.chosen())
    context = {"form": form, "network_label": _label(choice.network)}
    return render(request, "publishing/choose.html", context, status=400 if form.errors else 200)


def _choice_gone(request):
    messages.error(
        request, _("This choice of accounts has expired or was already made: nothing was connected. Connect again.")
    )
    return redirect("social_accounts")


def _connect_all(request, network: str, found: list[dict]):
    """Create or reconnect each account (reconnecting releases its held publications)."""
    connected = [socialaccount_connect(network=network, by=request.user, **account) for account in found]
    names = ", ".join(str(account) for account in connected)
    messages.success(request, _("Connected: %(accounts)s.") % {"accounts": names})
    return redirect("social_accounts")


def _sandbox(request):
    """The menu of ready-made demo accounts, one per real network, and a form for any other sandbox account."""
    handle = request.GET.get("handle", "")  # reconnecting this one: it keeps the network it imitates
    known = SocialAccount.objects.filter(network=Network.SANDBOX, handle=handle)
    initial = known.values("handle", "display_name", "imitates").first() or {"handle": handle}
    form = SandboxConnectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = socialaccount_connect(
            network=Network.SANDBOX,
            handle=data["handle"],
            display_name=data["display_name"],
            external_id=data["handle"],
            credentials={},
            imitates=data["imitates"],
            options=imitation_options(data["imitates"]),
            by=request.user,
        )
        messages.success(request, _("Connected: %(accounts)s.") % {"accounts": account})
        return redirect("social_accounts")
    return _connect_page(request, Network.SANDBOX, form, menu=selectors.sandbox_menu())


def _mastodon(request):
    form = MastodonConnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instance = form.cleaned_data["instance"].rstrip("/")
        redirect_uri = oauth.callback_url(Network.MASTODON)
        try:
            prov = oauth.mastodon_provider(request.session, instance, redirect_uri)
        except oauth.ConnectError as error:
            form.add_error("instance", str(error))
        else:
            url = oauth.authorization_url(
                request.session,
                prov,
                redirect_uri,
                instance=prov.api_url,
                client_id=prov.client_id,
            )
            return redirect(url)
    return _connect_page(request, Network.MASTODON, form)


def _bluesky(request):
    form = BlueskyConnectForm(request.POST or None, initial={"handle": request.GET.get("handle", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = oauth.bluesky_session(data["server"], data["handle"], data["app_password"])
        except oauth.ConnectError as error:
            form.add_error(None, str(error))
        else:
            connected = socialaccount_connect(network=Network.BLUESKY, by=request.user, **account)
            messages.success(request, _("Connected: %(accounts)s.") % {"accounts": connected})
            return redirect("social_accounts")
    return _connect_page(request, Network.BLUESKY, form)


def _connect_page(request, network: str, form, **extra):
    context = {"form": form, "network": network, "network_label": _label(network), "action": request.path, **extra}
    return render(request, "publishing/connect.html", context, status=400 if form.errors else 200)


def _label(network: str) -> str:
    return Network(network).label


_LOCAL = {Network.SANDBOX: _sandbox, Network.MASTODON: _mastodon, Network.BLUESKY: _bluesky}
