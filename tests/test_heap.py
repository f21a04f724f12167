"""A web process's long-lived objects are frozen out of the garbage collector's full collections after its first
request, once (museumcm.apps.freeze_heap)."""

import os
import subprocess
import sys

from tests.conftest import ROOT

FIRST_REQUEST = (
    "import gc; from django.core.signals import request_finished; from django.test import Client; "
    "from museumcm.apps import FREEZE; before = gc.get_freeze_count(); Client().get('/healthz'); "
    "print(before, gc.get_freeze_count(), any(key[0] == FREEZE for key, *_ in request_finished.receivers))"
)


def test_a_process_freezes_what_it_holds_after_its_first_request_and_only_then():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", FIRST_REQUEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    before, after, listening = shell.stdout.split()
    assert int(before) == 0 and int(after) > 10_000  # the modules, models and URL patterns of a process, at least
    assert listening == "False"  # once: what later requests leave behind stays collectable
