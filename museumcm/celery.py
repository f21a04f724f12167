"""The Celery app: tasks are discovered in each app's tasks.py; settings come from CELERY_* in settings.py."""

import os
from pathlib import Path

from celery import Celery, signals

import museumcm.broker  # noqa: F401  ("filesystem://" is the transport whose reads never race a write)
from museumcm.logs import quiet_the_tick

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "museumcm.settings")

app = Celery("museumcm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Worker and beat both set up Celery's logging; each then lowers the every-second dispatcher's lines to DEBUG.
signals.after_setup_logger.connect(quiet_the_tick, weak=False)
signals.after_setup_task_logger.connect(quiet_the_tick, weak=False)


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    """The filesystem transport needs its folders to exist before beat or a worker touches them."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    """Around each task, as Django does around each request: drop this thread's connection if it broke or is older
    than CONN_MAX_AGE, keep it otherwise (settings.CELERY_DB_REUSE_MAX stops Celery closing it after every task).
    Eager tasks run inside the caller's transaction and are left alone."""
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()
