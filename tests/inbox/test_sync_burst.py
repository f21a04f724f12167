"""A sync that stores a burst of messages (a first sync, a backlog) leaves the table analysed and vacuumed.

Without it, where autovacuum is off or not yet round, the planner takes the freshly filled table for empty (pages
of the list took seconds at 200,000 messages) and no page is marked all-visible.
"""

import pytest
from django.db import connection

from inbox.models import Message
from inbox.sync import BURST_ROWS, BURST_SHARE, account_sync


def table_state() -> tuple[float, int, int]:
    """(reltuples, relpages, relallvisible): what the planner knows of the message table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples, relpages, relallvisible FROM pg_class WHERE oid = %s::regclass",
            [Message._meta.db_table],
        )
        return cursor.fetchone()


def burst(fake) -> int:
    """Just more mentions than a burst needs; counted from the table's last analysis (pg_class is updated in place:
    an earlier test's ANALYZE stays, even rolled back)."""
    count = BURST_ROWS + int(BURST_SHARE * max(table_state()[0], 0)) + 1
    mentions(fake, count)
    return count


def mentions(fake, count: int) -> None:
    for n in range(count):
        fake.add_mention(f"@museum question {n}")


@pytest.mark.django_db(transaction=True)
def test_a_first_sync_of_a_burst_vacuums_and_analyses_the_message_table(fake_mastodon, mastodon_account):
    stored = burst(fake_mastodon)

    account_sync(account=mastodon_account)

    tuples, pages, visible = table_state()
    assert tuples == stored
    assert pages > 0 and visible == pages  # vacuumed: every page all-visible, index-only scans skip the heap

    mentions(fake_mastodon, 20)
    account_sync(account=mastodon_account)  # a usual sync: left to autovacuum

    assert table_state()[0] == stored


@pytest.mark.django_db
def test_inside_a_transaction_the_burst_is_analysed(fake_mastodon, mastodon_account):
    stored = burst(fake_mastodon)

    account_sync(account=mastodon_account)  # the test's transaction: VACUUM cannot run, ANALYZE can

    tuples, _pages, visible = table_state()
    assert (tuples, visible) == (stored, 0)
