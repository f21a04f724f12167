"""Collection: beat claims due snapshots in batches per account, a worker on the insights queue fetches them through
the account's adapter and records them.

Claims are compare-and-set like publications': a batch is claimed under a fresh token with a lease; recording
writes only the rows still claimed under that token, in one transaction, and the snapshot tables' unique constraints
keep a figure from ever being written twice. A worker that dies leaves its rows claimed until the lease runs out;
the next dispatch gives them back to due. Collection yields to publishing: an account with publications going out
now is skipped this round, each network call takes one unit of the account's metrics allowance (`insights.quota`),
and the tasks run on their own queue, so publishing's workers never run them.
"""

import itertools
import logging
import uuid
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from insights.models import ScheduledSnapshot
from insights.quota import quota_resets_at, quota_take
from insights.recording import record_account, record_publications
from publishing.adapters import adapter_class, get_adapter
from publishing.adapters.base import AdapterError, AuthExpired, RateLimited, TransientError
from publishing.connections import socialaccount_needs_reconnect
from publishing.models import Publication, SocialAccount
from publishing.pipeline import enqueue_after_commit, retry_delay

logger = logging.getLogger("museumcm.insights")

DISPATCH_BATCH = 5000  # due rows one dispatch claims, in one transaction
# Network calls one claimed batch makes, each of the network's own size (Mastodon: 8 calls of 20 statuses): the
# batch's account, its load and its recording (one statement on PostgreSQL) are paid once for all of them. Few enough
# that eight timed-out calls (ADAPTER_TIMEOUT, 35 s each) end within the lease (INSIGHTS_LEASE_SECONDS, 300 s); a
# batch slower still is taken over when its lease runs out, and the claim's compare-and-set keeps the late worker
# from writing.
CALLS_PER_CLAIM = 8

Kind, State = ScheduledSnapshot.Kind, ScheduledSnapshot.State


class Due(NamedTuple):
    """A claimed row as collecting reads it: plain values and its publication (what adapters are asked about, only
    its `external_id` loaded), not two model instances per row built by the ORM (3.2 ms of CPU per batch of 160
    rows instead of 4.8)."""

    pk: int
    kind: str
    account_id: int
    publication_id: int | None
    checkpoint: str
    day: date | None
    attempts: int
    publication: Publication | None

    @classmethod
    def load(cls, claim: str, fields: tuple[str, ...] = ()) -> list["Due"]:
        """The rows still claimed under `claim`, their publications with `fields` loaded besides `external_id`."""
        claimed = ScheduledSnapshot.objects.filter(claim=claim, state=State.CLAIMED).order_by("pk")
        loaded = ["id", "external_id", *fields]  # the publication's other fields are deferred, as `only()` leaves them
        rows = []
        for values in claimed.values_list(*ROW_FIELDS, *(f"publication__{name}" for name in loaded[1:])):
            publication_id, known = values[3], values[len(ROW_FIELDS) :]
            publication = Publication.from_db(claimed.db, loaded, (publication_id, *known)) if publication_id else None
            rows.append(cls(*values[: len(ROW_FIELDS)], publication))
        return rows


ROW_FIELDS = ("pk", "kind", "account_id", "publication_id", "checkpoint", "day", "attempts")


def publishing_busy(now: datetime) -> Q:
    """Accounts with publications going out now or within the margin: their metrics wait. The accounts are found once
    per dispatch (a subquery PostgreSQL hashes); asked per schedule row, this took most of a dispatch."""
    soon = now + timedelta(seconds=settings.INSIGHTS_PUBLISHING_MARGIN_SECONDS)
    going_out = Publication.objects.filter(
        Q(state=Publication.State.SENDING) | Q(state=Publication.State.DUE, held=False, scheduled_at__lte=soon)
    )
    return Q(account_id__in=going_out.values("account_id"))


def snapshots_dispatch(*, now: datetime | None = None) -> list[str]:
    """Give dead workers' rows back, claim what is due in batches per account (all in one statement), enqueue one
    task per batch after commit. Returns the batches' claim tokens."""
    from insights.tasks import collect_snapshots

    now = now or timezone.now()
    ScheduledSnapshot.objects.release(now=now)
    with transaction.atomic():
        due = ScheduledSnapshot.objects.claimable(now).exclude(publishing_busy(now))
        locked = due.select_for_update(skip_locked=True, of=("self",)).order_by("account_id", "kind", "due_at")
        rows = list(locked.values_list("pk", "account_id", "kind", "account__network")[:DISPATCH_BATCH])
        batches = {}
        for (_account, kind, network), group in itertools.groupby(rows, key=lambda r: r[1:]):
            size = adapter_class(network).metrics_batch * CALLS_PER_CLAIM if kind == Kind.PUBLICATION else 1
            ids = [r[0] for r in group]
            batches |= {uuid.uuid4(): ids[i : i + size] for i in range(0, len(ids), size)}
        lease = now + timedelta(seconds=settings.INSIGHTS_LEASE_SECONDS)
        ScheduledSnapshot.objects.claim_batches(batches, lease_until=lease, now=now)
        tokens = [str(token) for token in batches]
        enqueue_after_commit(collect_snapshots, tokens)
    return tokens


def snapshots_collect(*, claim: str) -> str:
    """Fetch and record the batch claimed under `claim`; a batch already recorded or taken over does nothing."""
    # The batch's account, found through its rows' claim (any one: no ordering, so no sort of the batch's rows).
    claimed = SocialAccount.objects.filter(scheduled_snapshots__claim=claim, scheduled_snapshots__state=State.CLAIMED)
    account = next(iter(claimed.order_by()[:1]), None)
    rows = Due.load(claim, adapter_class(account.network).metrics_fields) if account else []
    if not rows:
        return "gone"
    calls = _calls(rows, account)
    granted = quota_take(account_id=account.pk, calls=len(calls))
    if granted < len(calls):  # the allowance is spent: what it does not cover waits for the next hour
        _back_to_due(claim, quota_resets_at(), "", tried=False, pks=[r.pk for call in calls[granted:] for r in call])
    if not granted:
        return "quota"
    try:
        return _fetch_and_record(claim, calls[:granted], account)
    except AuthExpired as error:
        socialaccount_needs_reconnect(account=account, reason=error.reason)
        _back_to_due(claim, None, error.reason)
        return "auth_expired"
    except RateLimited as error:
        _back_off_account(account.pk, claim, error, retry_delay(1, error.retry_after))
        return "rate_limited"
    except TransientError as error:
        tries = max(r.attempts + 1 for r in rows)  # this try included
        _back_off(claim, error, tries)
        return "transient"
    except AdapterError as error:
        _fail(claim, error.reason)
        return "rejected"
    except NotImplementedError:
        _fail(claim, gettext("This network gives museumcm no metrics yet."))
        return "unsupported"


def _calls(rows: list[Due], account) -> list[list[Due]]:
    """The batch cut into the network calls that fetch it: an account's snapshot is one call."""
    size = adapter_class(account.network).metrics_batch if rows[0].kind == Kind.PUBLICATION else len(rows)
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _fetch_and_record(claim: str, calls: list[list[Due]], account) -> str:
    """Each call in turn. When one fails, what the calls before it fetched is recorded, the rows of the calls after it
    go back to due without an attempt (they were not tried) but not at once: they wait a first retry's delay (which
    a rate limit's back-off then extends), and the caller handles the failed call's rows."""
    adapter = get_adapter(account)
    if calls[0][0].kind == Kind.ACCOUNT:
        record_account(claim, adapter.fetch_account_metrics(), calls[0])
        return "done"
    fetched, done = {}, []
    try:
        for call in calls:
            fetched |= adapter.fetch_post_metrics([r.publication for r in call])
            done.append(call)
    except Exception:
        untried = [r.pk for call in calls[len(done) + 1 :] for r in call]
        _back_to_due(claim, timezone.now() + timedelta(seconds=retry_delay(1)), "", tried=False, pks=untried)
        raise
    finally:
        if done:
            record_publications(claim, fetched, [r for call in done for r in call])
    return "done"


def _back_to_due(claim: str, at: datetime | None, reason: str, *, tried: bool = True, pks=None) -> None:
    """The batch's rows still claimed (only `pks` among them, when given) back to due, to wait until `at`."""
    fields = {"state": State.DUE, "claim": None, "lease_until": None, "next_attempt_at": at, "error": reason}
    if tried:
        fields["attempts"] = F("attempts") + 1
    rows = ScheduledSnapshot.objects.filter(claim=claim, state=State.CLAIMED)
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    rows.update(updated_at=timezone.now(), **fields)


def _back_off_account(account_id: int, claim: str, error: RateLimited, seconds: float) -> None:
    """The network asked us to wait: this batch and every other due snapshot of the account wait as long."""
    at = timezone.now() + timedelta(seconds=seconds)
    logger.info("metrics of account %s rate limited: waiting %.0f s", account_id, seconds)
    ScheduledSnapshot.objects.filter(account_id=account_id, state=State.DUE).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=at)
    ).update(next_attempt_at=at)
    _back_to_due(claim, at, error.reason)


def _back_off(claim: str, error: AdapterError, tries: int) -> None:
    if tries >= settings.INSIGHTS_MAX_ATTEMPTS:
        _fail(claim, error.reason)
        return
    _back_to_due(claim, timezone.now() + timedelta(seconds=retry_delay(tries)), error.reason)


def _fail(claim: str, reason: str) -> None:
    ScheduledSnapshot.objects.filter(claim=claim, state=State.CLAIMED).update(
        state=State.FAILED, lease_until=None, error=reason, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
