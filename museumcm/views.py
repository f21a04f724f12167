from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from museumcm.celery import app as celery_app
from publishing.models import Heartbeat


def home(request):
    return render(request, "home.html")


@login_not_required
@never_cache
def healthz(request):
    """Liveness of what the app needs: the database and the broker. 200 when both answer, else 503."""
    checks = {"database": _check(_ping_database), "broker": _check(_ping_broker)}
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error", **checks}
    if checks["database"] == "ok":
        body["worker_heartbeat_age_s"] = Heartbeat.age()
    return JsonResponse(body, status=200 if healthy else 503)


def _check(ping) -> str:
    try:
        ping()
    except Exception as error:  # any failure is the answer, not a crash of the health check
        return f"error: {error.__class__.__name__}"
    return "ok"


def _ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _ping_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
