"""What Celery beat runs, and how often (settings.CELERY_BEAT_SCHEDULE). Beat only wakes the services up: the rows
say what is due (publications, replies, snapshots), so a lost or doubled wake-up changes nothing."""

from celery.schedules import crontab

from museumcm.env import env_float


def beat_schedule() -> dict:
    return {
        "heartbeat": {"task": "publishing.tasks.record_heartbeat", "schedule": 30.0},
        # Publishing: the rows are the schedule; beat only wakes the dispatcher up.
        "dispatch-due-publications": {
            "task": "publishing.tasks.dispatch_due_publications",
            "schedule": env_float("PUBLISHING_DISPATCH_INTERVAL", 1.0),
            "options": {"expires": 10},
        },
        # Inbox replies: the same rows-first pipeline (retries due, messages lost, workers dead).
        "dispatch-queued-replies": {
            "task": "inbox.tasks.dispatch_queued_replies",
            "schedule": env_float("PUBLISHING_DISPATCH_INTERVAL", 1.0),
            "options": {"expires": 10},
        },
        # Ask the museum: the question of the day at its hour; visitors' addresses forgotten after ASK_EMAIL_DAYS.
        "release-question-of-the-day": {"task": "ask.tasks.release_question_of_the_day", "schedule": 60.0},
        "expire-ask-emails": {"task": "ask.tasks.expire_emails", "schedule": 6 * 3600.0},
        "sweep-withdrawn-answer-pages": {"task": "ask.tasks.sweep_withdrawn_pages", "schedule": 600.0},
        "refresh-expiring-tokens": {"task": "publishing.tasks.refresh_expiring_tokens", "schedule": 3600.0},
        # Editorial: recurring slots keep their drafts ready; subscribed iCal calendars are re-imported.
        "materialise-recurring-slots": {"task": "editorial.tasks.materialise_recurring_slots", "schedule": 3600.0},
        "import-event-sources": {"task": "editorial.tasks.import_event_sources", "schedule": 6 * 3600.0},
        # Inbox: one sync task per account every 90 s; a sync still running or backing off is not doubled.
        "sync-inbox-accounts": {
            "task": "inbox.tasks.sync_all_accounts",
            "schedule": env_float("INBOX_SYNC_INTERVAL", 90.0),
            "options": {"expires": 60},
        },
        # Insights: plan the checkpoints of new publications and each account's day, then claim what is due.
        "plan-snapshots": {"task": "insights.tasks.plan_snapshots", "schedule": 300.0, "options": {"expires": 240}},
        "dispatch-due-snapshots": {
            "task": "insights.tasks.dispatch_due_snapshots",
            "schedule": env_float("INSIGHTS_DISPATCH_INTERVAL", 60.0),
            "options": {"expires": 50},
        },
        # The manager's monthly report: asked every morning at 08:00 (CELERY_TIMEZONE, the institution's); the task
        # sends only on the month's first working day, to the managers who do not have it yet.
        "monthly-report": {
            "task": "insights.mailing.send_monthly_report",
            "schedule": crontab(minute=0, hour=8),
            "options": {"expires": 3600},
        },
        # No network notifies an edit or a deletion: each account's recent messages are looked up every 15 minutes.
        "recheck-inbox-messages": {
            "task": "inbox.tasks.recheck_all_accounts",
            "schedule": env_float("INBOX_RECHECK_INTERVAL", 900.0),
            "options": {"expires": 300},
        },
    }
