"""What a post target asks beyond its text, per network: the Pinterest board a Pin goes on (required) and its title,
and whether Tumblr publishes the post now or adds it to the blog's own queue. Stored in the publication's `extra`
(`board_id`, `title`, `queue`), where the adapters read them."""

from django import forms
from django.utils.translation import gettext as _

from publishing.models import Network


class TargetOptionsMixin:
    """For a form with `target_accounts` (the accounts offered as targets) and an `accounts` field."""

    def add_target_options(self) -> None:
        for account in self.target_accounts:
            if account.behaves_as == Network.PINTEREST:
                boards = [(b["id"], b["name"]) for b in (account.options or {}).get("boards") or []]
                self.fields[f"board_{account.pk}"] = forms.ChoiceField(
                    label=_("Board on %(account)s") % {"account": account},
                    choices=[("", "—"), *boards],
                    required=False,
                )
                self.fields[f"title_{account.pk}"] = forms.CharField(
                    label=_("Pin title"), max_length=100, required=False
                )
            elif account.behaves_as == Network.TUMBLR:
                self.fields[f"queue_{account.pk}"] = forms.BooleanField(
                    label=_("Add it to the blog's queue instead: Tumblr publishes it at the queue's next slot"),
                    required=False,
                )

    def clean_target_options(self) -> None:
        for account in self.cleaned_data.get("accounts") or []:
            if account.behaves_as == Network.PINTEREST and not self.cleaned_data.get(f"board_{account.pk}"):
                self.add_error(f"board_{account.pk}", _("Choose a board: every Pin goes on one."))

    def option_fields(self, account) -> list:
        names = ("board", "title", "queue")
        return [self[f"{name}_{account.pk}"] for name in names if f"{name}_{account.pk}" in self.fields]

    def target_options(self) -> dict[int, dict]:
        options = {}
        for account in self.cleaned_data.get("accounts") or []:
            data = self.cleaned_data
            if account.behaves_as == Network.PINTEREST:
                options[account.pk] = {"board_id": data[f"board_{account.pk}"], "title": data[f"title_{account.pk}"]}
            elif account.behaves_as == Network.TUMBLR:
                options[account.pk] = {"queue": bool(data[f"queue_{account.pk}"])}
        return options


def target_options_initial(publications) -> dict[str, object]:
    """The option fields' initial values from the post's publications."""
    initial: dict[str, object] = {}
    for pub in publications:
        extra = pub.extra or {}
        if pub.account.behaves_as == Network.PINTEREST:
            initial[f"board_{pub.account_id}"] = extra.get("board_id", "")
            initial[f"title_{pub.account_id}"] = extra.get("title", "")
        elif pub.account.behaves_as == Network.TUMBLR:
            initial[f"queue_{pub.account_id}"] = bool(extra.get("queue"))
    return initial
