"""Where a benchmark's CPU goes, machine-wide: the seconds of CPU that each group of processes used (the web
server's workers, the database's backends for one database, Redis, the benchmark's own clients), read from /proc
(Linux), so that a page's whole cost per request can be split between them."""

import os
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """A process's user and system CPU seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _matching(needle: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class Shares:
    """CPU seconds per group since the last `take()`: groups of pids found afresh each time (new backends count
    from zero; one that exits between two takes loses its last share, rare with persistent connections)."""

    def __init__(self, server_pid: int, database: str):
        self.groups = {
            "gunicorn": lambda: [server_pid, *_children(server_pid)],
            "postgres": lambda: _matching(f" {database} "),
            "redis": lambda: _matching("redis-server"),
        }
        self.seen: dict[int, float] = {}
        self.clients = time.process_time()
        self.take()

    def take(self) -> dict[str, float]:
        used = {}
        for name, pids in self.groups.items():
            used[name] = 0.0
            for pid in pids():
                now = _cpu(pid)
                used[name] += now - self.seen.get(pid, 0.0)
                self.seen[pid] = now
        clients = time.process_time()
        used["clients"], self.clients = clients - self.clients, clients
        return used
