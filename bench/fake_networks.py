"""The publishing benchmark's networks: every fake server of tests/fakes, with latency, a share of 503s on writes, and
50 accounts spread over them, served from a child process of their own (bench/publishing.py)."""

import multiprocessing
import random
import re
import threading
import time

ACCOUNTS = {"mastodon": 8, "bluesky": 7, "x": 7, "facebook": 7, "instagram": 7, "linkedin": 7, "threads": 7}
MARKER = re.compile(rb"bench-(\d{7})-")  # the publication's number in its text: when it reached a network


class Arrivals:
    """When each post's text first reached a network in a write that was not refused."""

    def __init__(self):
        self.first: dict[int, float] = {}
        self.lock = threading.Lock()

    def note(self, body: bytes, at: float) -> None:
        found = MARKER.search(body)
        if found:
            number = int(found.group(1))
            with self.lock:
                self.first.setdefault(number, at)


def flaky(fake, arrivals: Arrivals, error_rate: float, rng: random.Random):
    """Wrap a fake's fault picker: a share of writes get a 503; every accepted write is noted with its time."""
    from tests.fakes.base import Fault

    original = fake._take_fault
    original_dispatch = fake.dispatch

    def take_fault(method, path):
        fault = original(method, path)
        if fault is None and method == "POST" and rng.random() < error_rate:
            return Fault(status=503, body={"error": "Service Unavailable"})
        return fault

    def dispatch(request):
        if request.method == "POST":
            arrivals.note(request.body, time.time())
        return original_dispatch(request)

    fake._take_fault = take_fault
    fake.dispatch = dispatch
    # Every request is kept by the base class; a benchmark does not need them.
    fake.requests = _Forgetful()
    return fake


class _Forgetful(list):
    def append(self, item):
        pass


def start_fakes(latency: float, arrivals: Arrivals, error_rate: float):
    from tests.fakes.bluesky import FakeBluesky
    from tests.fakes.facebook import FakeFacebook
    from tests.fakes.instagram import FakeInstagram
    from tests.fakes.linkedin import FakeLinkedIn
    from tests.fakes.mastodon import FakeMastodon
    from tests.fakes.threads import FakeThreads
    from tests.fakes.x import FakeX

    rng = random.Random(7)
    servers, accounts = [], []

    def serve(fake):
        fake.latency = latency
        servers.append(flaky(fake, arrivals, error_rate, rng).start())
        return fake

    for n in range(ACCOUNTS["mastodon"]):
        accounts.append({**serve(FakeMastodon()).account_fields(handle=f"museum{n}@fake.social")})
    for n in range(ACCOUNTS["bluesky"]):
        fake = serve(FakeBluesky(handle=f"museum{n}.bsky.social"))
        accounts.append(fake.account_fields())
    for n in range(ACCOUNTS["x"]):
        fake = serve(FakeX())
        fake.daily_limit = 10**9
        accounts.append({**fake.account_fields(), "handle": f"museum{n}"})
    for cls, network in [(FakeFacebook, "facebook"), (FakeInstagram, "instagram"), (FakeThreads, "threads")]:
        fake = serve(cls())
        accounts.append(fake.account_fields())
        accounts += [fake.add_account() for _ in range(ACCOUNTS[network] - 1)]
    fake = serve(FakeLinkedIn())
    accounts.append(fake.account_fields())
    accounts += [fake.add_account() for _ in range(ACCOUNTS["linkedin"] - 1)]
    return servers, accounts


def network_posts(servers) -> list[str]:
    """The text of every post the networks hold."""
    return [post["text"] for server in servers for post in server.received_posts()]


class FakeNetworks:
    """Every fake server, served from one child process (as the networks are other machines): its HTTP and JSON work
    does not share the benchmark's interpreter, and the benchmark asks it over a pipe for what it saw."""

    def __init__(self, latency: float, error_rate: float):
        from django.db import connections

        connections.close_all()  # the child must not inherit a database connection
        self.pipe, child = multiprocessing.Pipe()
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=_serve_fakes, args=(child, latency, error_rate), daemon=True)
        self.process.start()
        self.accounts = self.pipe.recv()

    def ask(self, command: str):
        self.pipe.send(command)
        return self.pipe.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            self.ask("stop")
        self.process.join(timeout=10)


def _serve_fakes(pipe, latency: float, error_rate: float) -> None:
    arrivals = Arrivals()
    servers, accounts = start_fakes(latency, arrivals, error_rate)
    pipe.send(accounts)
    while True:
        command = pipe.recv()
        if command == "arrivals":
            with arrivals.lock:
                pipe.send(dict(arrivals.first))
        elif command == "posts":
            pipe.send(network_posts(servers))
        elif command == "stop":
            for server in servers:
                server.stop()
            pipe.send(None)
            return
