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
