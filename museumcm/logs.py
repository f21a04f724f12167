"""Logging helpers shared by web, worker and beat.

The dispatcher runs every second: beat's "Sending due task" and the worker's "received" and "succeeded" lines for it
drowned everything else at INFO. They go to DEBUG; a failure of the dispatcher is still logged as an error.
"""

import logging

TICK_TASKS = ("publishing.tasks.dispatch_due_publications",)
# Celery's loggers that write one line per task sent, received or finished.
CELERY_TASK_LOGGERS = ("celery.beat", "celery.worker.strategy", "celery.app.trace")


class QuietTick(logging.Filter):
    """Lower the routine lines about the every-second tasks to DEBUG (dropped unless LOG_LEVEL is DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING or not any(task in _text(record) for task in TICK_TASKS):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).getEffectiveLevel() <= logging.DEBUG


def _text(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        return str(record.msg)


def quiet_the_tick(**_signal_kwargs) -> None:
    """Attach QuietTick to Celery's task loggers (idempotent); connected to Celery's logging set-up signals."""
    for name in CELERY_TASK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, QuietTick) for f in logger.filters):
            logger.addFilter(QuietTick())
