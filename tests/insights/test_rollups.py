"""The period's groups summed from the day rows equal the pass over the posts after every kind of write, whichever
path makes it: publishing's services, both recording paths, followers arriving, editorial's saves and updates,
ideas changed or deleted, deletions that cascade, and the institution's zone changing (PostgreSQL's triggers)."""

import threading
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial.models import Campaign, Idea, Post
from insights.collection import Due
from insights.models import (
    Checkpoint,
    DayResults,
    MonthResults,
    PublicationSnapshot,
    ScheduledSnapshot,
    StaleMoment,
)
from insights.models.latest import record, refresh
from insights.recording import record_publications
from insights.selectors import InsightFilters, Period
from insights.selectors.period import period_pass
from insights.selectors.posts import period_metrics, period_publications
from insights.selectors.rollups import period_groups
from publishing.adapters.metrics import PostMetrics
from publishing.models import Network, Publication, SocialAccount
from publishing.services import publication_mark_published, publication_publish
from tests.factories import IdeaFactory, PostFactory, PublicationFactory, UserFactory
from tests.insights import history

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the day rows are PostgreSQL's"),
]

YEAR, NOVEMBER = Period(date(2026, 1, 1), date(2026, 12, 31)), Period(date(2026, 11, 1), date(2026, 11, 30))


def groups(filters: InsightFilters, grouped) -> list[list[tuple]]:
    """The pass's groups per campaign and per idea, each sorted, as comparable rows (sums of rates rounded: a sum of
    floats depends on the order it is added in, by the last bits only)."""
    found = period_pass(period_publications(filters), period_metrics(filters), grouped=grouped)
    return [sorted((_comparable(group) for group in family), key=repr) for family in (found.campaigns, found.ideas)]


def _comparable(group: dict) -> tuple:
    return tuple(round(value, 9) if isinstance(value, float) else value for value in group.values())


def assert_day_rows_match(rows) -> None:
    """Over the year, a month, a day, whole months and days, and per account, network and campaign: the groups of
    the day and month rows are the pass's."""
    every = [
        InsightFilters(YEAR),
        InsightFilters(NOVEMBER),
        InsightFilters(Period(date(2026, 11, 2), date(2026, 11, 2))),
    ]
    every += [
        InsightFilters(YEAR, account=rows["a"].pk),
        InsightFilters(NOVEMBER, network=Network.BLUESKY),
        InsightFilters(YEAR, campaign=rows["campaign"].pk),
        InsightFilters(Period(date(2026, 10, 1), date(2026, 11, 16))),  # a whole month, then days
        InsightFilters(Period(date(2026, 10, 3), date(2026, 12, 31)), account=rows["a"].pk),  # days, then months
    ]
    for filters in every:
        summed = groups(filters, period_groups(filters))
        assert summed == groups(filters, None), filters
    assert not StaleMoment.objects.exists()


@pytest.fixture
def rows(curator, paris):
    built = history.build(curator)
    assert_day_rows_match(built)
    assert DayResults.objects.exists() and MonthResults.objects.exists()
    return built


def test_publishing_a_post_and_marking_one_published_update_the_day_rows(rows):
    sending = PublicationFactory(account__network=Network.SANDBOX, state=Publication.State.SENDING)
    Idea.objects.filter(proposer=rows["bob"]).update(post=sending.post)
    assert publication_publish(publication_id=sending.pk) == Publication.State.PUBLISHED
    assert_day_rows_match(rows)
    found = PublicationFactory(
        post=PostFactory(campaign=rows["campaign"]), account=rows["a"], state=Publication.State.UNCONFIRMED
    )
    assert publication_mark_published(publication=found)
    assert_day_rows_match(rows)
    Publication.objects.filter(pk=rows["p4"].pk).update(published_at=history.local(11, 2, 23, 30))  # another day
    assert_day_rows_match(rows)


def test_both_recording_paths_and_followers_update_the_day_rows(rows):
    claim = uuid.uuid4()
    p5 = Publication.objects.get(pk=rows["p5"].pk)
    Publication.objects.filter(pk=p5.pk).update(external_id="p5-on-mastodon")
    ScheduledSnapshot.objects.create(
        kind="publication",
        account=rows["a"],
        publication=p5,
        checkpoint=Checkpoint.H1,
        due_at=timezone.now(),
        state=ScheduledSnapshot.State.CLAIMED,
        claim=claim,
    )
    fetched = {"p5-on-mastodon": PostMetrics("p5-on-mastodon", likes=70, reposts=3, views=900)}
    assert record_publications(str(claim), fetched, Due.load(str(claim))) == 1  # PostgreSQL's one statement
    assert_day_rows_match(rows)
    record(
        {rows["p6"].pk: PostMetrics("p6", views=300, likes=12).counts()}, timezone.now()
    )  # the embedded SQLite's path
    assert_day_rows_match(rows)
    PublicationSnapshot.objects.create(
        publication=rows["p4"], checkpoint=Checkpoint.D7, taken_at=timezone.now(), likes=90, views=None
    )
    refresh([rows["p4"].pk])
    assert_day_rows_match(rows)
    history.followers(rows["a"], 11, 1, 2000)  # the rates of A's posts since 1 November change
    assert_day_rows_match(rows)


def test_editing_campaigns_ideas_and_deleting_posts_and_accounts_update_the_day_rows(rows, curator):
    p3 = Post.objects.get(pk=rows["p3"].post_id)
    p3.campaign = rows["campaign"]
    p3.save()
    assert_day_rows_match(rows)
    Post.objects.filter(pk=rows["p1"].post_id).update(campaign=None)
    assert_day_rows_match(rows)
    idea = Idea.objects.get(post_id=rows["p2"].post_id)
    idea.kind = Idea.Kind.EXHIBITION
    idea.save()
    assert_day_rows_match(rows)
    Idea.objects.filter(pk=idea.pk).update(proposer=curator)
    assert_day_rows_match(rows)
    Idea.objects.filter(post_id=rows["p3"].post_id).update(post=rows["p4"].post_id)
    assert_day_rows_match(rows)
    IdeaFactory(proposer=UserFactory(), kind=Idea.Kind.EVENT, post=rows["p6"].post)
    assert_day_rows_match(rows)
    Idea.objects.filter(pk=idea.pk).delete()
    assert_day_rows_match(rows)
    Campaign.objects.filter(pk=rows["campaign"].pk).delete()  # its posts' campaign is set to none
    assert_day_rows_match(rows)
    Post.objects.get(pk=rows["p4"].post_id).delete()  # its publication, figures and snapshots go with it
    assert_day_rows_match(rows)
    Publication.objects.filter(account=rows["b"]).delete()
    SocialAccount.objects.filter(pk=rows["b"].pk).delete()
    assert_day_rows_match(rows)


def test_a_new_time_zone_cuts_every_day_again(rows, settings):
    history.publish(rows["a"], history.local(11, 1, 0, 30), counts={"likes": 7})  # 31 October, 19:30 in New York
    assert_day_rows_match(rows)
    settings.TIME_ZONE = "America/New_York"
    assert_day_rows_match(rows)
    settings.TIME_ZONE = "Asia/Tokyo"
    assert_day_rows_match(rows)


def test_a_write_whose_marks_were_lost_would_show_stale_day_rows(rows):
    """The comparison can fail: the marks are what keeps the day rows right."""
    Post.objects.filter(pk=rows["p1"].post_id).update(campaign=None)
    StaleMoment.objects.all().delete()
    filters = InsightFilters(NOVEMBER)
    assert groups(filters, period_groups(filters)) != groups(filters, None)


def test_a_reader_rebuilds_only_the_marked_days(rows):
    rebuilt_before = set(DayResults.objects.values_list("pk", flat=True))
    Publication.objects.filter(pk=rows["p4"].pk).update(published_at=rows["p4"].published_at + timedelta(minutes=1))
    period_groups(InsightFilters(NOVEMBER))
    rewritten = DayResults.objects.exclude(pk__in=rebuilt_before).values_list("day", flat=True)
    assert set(rewritten) == {date(2026, 11, 16)}


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_after_a_reader_took_the_marks_is_rebuilt_by_the_next_reader(rows):
    """An editor's transaction is open (its mark not committed) while a reader rebuilds: the reader sees neither the
    edit nor its mark; once the edit commits, its mark is still there for the next reader."""
    filters, written, commit = InsightFilters(NOVEMBER), threading.Event(), threading.Event()
    before = groups(filters, None)

    def editor():
        try:
            with transaction.atomic():
                Post.objects.filter(pk=rows["p1"].post_id).update(campaign=None)
                written.set()
                commit.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=editor)
    thread.start()
    assert written.wait(10)
    assert groups(filters, period_groups(filters)) == before
    commit.set()
    thread.join()
    after = groups(filters, period_groups(filters))
    assert after == groups(filters, None) != before


def statements(captured) -> list[str]:
    """The statements run, without the savepoints of the test's transaction (a request's is committed)."""
    return [query["sql"] for query in captured if "SAVEPOINT" not in query["sql"]]


def test_a_reader_with_nothing_marked_takes_one_statement_and_rebuilds_nothing(rows):
    filters = InsightFilters(NOVEMBER)
    period_groups(filters)  # the days of the history built
    kept = set(DayResults.objects.values_list("pk", flat=True)), set(MonthResults.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as unmarked:
        period_groups(filters)
    assert len(statements(unmarked)) == 1  # the marks' statement finds none: no rebuild
    assert (
        set(DayResults.objects.values_list("pk", flat=True)),
        set(MonthResults.objects.values_list("pk", flat=True)),
    ) == kept
    Publication.objects.filter(pk=rows["p4"].pk).update(published_at=rows["p4"].published_at + timedelta(minutes=1))
    with CaptureQueriesContext(connection) as marked:
        period_groups(filters)
    assert len(statements(marked)) == 3
    assert_day_rows_match(rows)
