"""`make run`'s processes (Procfile, under honcho) are each wrapped in bin/respawn: a process that dies is started
again; one that keeps dying stops everything loudly instead of leaving beat dispatching to a dead worker."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, wait_for

RESPAWN = str(ROOT / "bin" / "respawn")
HONCHO = str(Path(sys.executable).parent / "honcho")
FLAKY = """
import os, pathlib, sys, time
runs = pathlib.Path(sys.argv[1])
count = int(runs.read_text()) if runs.exists() else 0
runs.write_text(str(count + 1))
pathlib.Path(sys.argv[2]).write_text(str(os.getpid()))
if count == 0:
    sys.exit(3)  # dies once, as the worker did on a broker read
time.sleep(120)
"""


def _env(**values: str) -> dict[str, str]:
    return {**os.environ, "RESPAWN_DELAY": "0", **values}


def test_a_process_that_dies_is_started_again_and_stopped_with_its_wrapper(tmp_path):
    script, runs, pid = tmp_path / "flaky.py", tmp_path / "runs", tmp_path / "pid"
    script.write_text(FLAKY)
    wrapper = subprocess.Popen(
        [RESPAWN, "worker", sys.executable, str(script), str(runs), str(pid)],
        env=_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: runs.exists() and runs.read_text() == "2", message="the process to be started again")
    wait_for(lambda: pid.exists() and pid.read_text(), message="the second process to say its pid")

    wrapper.send_signal(signal.SIGTERM)  # what honcho does on Ctrl-C

    assert wrapper.wait(timeout=20) == 128 + signal.SIGTERM
    assert "worker exited with status 3: starting it again (1/5)" in wrapper.stderr.read()
    second = int(pid.read_text())
    try:
        os.kill(second, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive  # the command went with its wrapper


def test_a_process_that_keeps_dying_is_given_up_loudly(tmp_path):
    script, runs = tmp_path / "doomed.py", tmp_path / "runs"
    script.write_text("import pathlib, sys\nruns = pathlib.Path(sys.argv[1])\nruns.touch()\n")
    script.write_text(script.read_text() + "runs.write_text(runs.read_text() + 'x')\nsys.exit(2)\n")
    command = [RESPAWN, "beat", sys.executable, str(script), str(runs)]

    finished = subprocess.run(command, env=_env(RESPAWN_LIMIT="3"), capture_output=True, text=True, timeout=60)

    assert finished.returncode == 2
    assert runs.read_text() == "xxxx"  # the first run and three restarts
    assert "beat died 4 times within 60 s (last exit status 2): giving up, stopping everything." in finished.stderr


def test_honcho_stops_everything_when_a_process_is_given_up(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        f"doomed: {RESPAWN} doomed {sys.executable} -c 'raise SystemExit(1)'\n"
        f"steady: {sys.executable} -c 'import time; time.sleep(120)'\n"
    )

    finished = subprocess.run(
        [HONCHO, "start", "-f", str(procfile), "-d", str(tmp_path)],
        env=_env(RESPAWN_LIMIT="2"),
        capture_output=True,
        text=True,
        timeout=60,  # a guard: steady would otherwise sleep for two minutes
    )

    assert finished.returncode != 0
    output = finished.stdout + finished.stderr
    assert "doomed died 3 times" in output and "giving up, stopping everything" in output
    # honcho returned long before `steady` would have ended on its own: it was stopped with the rest.
