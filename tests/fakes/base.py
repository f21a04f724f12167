"""A small base for fake social networks: a real HTTP server on loopback, a route table, a record of every
request received, and faults a test can inject. Each network's fake (tests/fakes/<network>.py) subclasses it and
implements the endpoints we call with the network's real request and response shapes.
"""

import contextlib
import json
import re
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# The `host:port` of every fake that is serving: the tests' OUTBOUND_ALLOWED_HOSTS (tests/conftest.py), so the outbound
# policy lets the app call them while any other loopback listener stays refused.
STARTED: set[str] = set()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())

    def multipart(self) -> dict[str, "Part"]:
        """The fields of a multipart/form-data body, by name."""
        head = f"Content-Type: {self.headers.get('content-type', '')}\r\n\r\n".encode()
        message = BytesParser(policy=default_policy).parsebytes(head + self.body)
        parts = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            parts[name] = Part(part.get_filename(), part.get_content_type(), part.get_payload(decode=True) or b"")
        return parts

    def fields(self) -> dict[str, Any]:
        """JSON, form or multipart fields as one dict (single values unwrapped; multipart text decoded)."""
        kind = self.headers.get("content-type", "")
        if kind.startswith("application/json"):
            return self.json() or {}
        if kind.startswith("multipart/"):
            return {k: p.data.decode() if p.filename is None else p for k, p in self.multipart().items()}
        return {k: v if k.endswith("[]") else v[0] for k, v in self.form().items()}

    def bearer(self) -> str:
        header = self.headers.get("authorization", "")
        return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""


@dataclass
class Part:
    filename: str | None
    content_type: str
    data: bytes


@dataclass
class Response:
    status: int = 200
    body: Any = None  # dict/list → JSON; bytes/str sent as is
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between 1 KB pieces of the body: a server that answers, slowly


@dataclass
class Fault:
    """What the next matching request suffers.

    `status`/`body`/`headers`: answer this instead of the real thing.
    `delay`: sleep before answering (latency; longer than the client's timeout makes a timeout).
    `after_handling`: run the real handler first (the post exists), then delay, drop or answer `status` instead:
    an ambiguous failure.
    `drop`: close the connection without answering.
    `skip`: let that many matching requests through before this one suffers it (a thread's second part).
    """

    method: str | None = None
    path: str | None = None  # a regular expression searched in the path
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    after_handling: bool = False
    drop: bool = False
    times: int = 1
    skip: int = 0  # matching requests let through first (`skip=1`: the second matching request suffers it)

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (self.path is None or re.search(self.path, path))


class _Server(ThreadingHTTPServer):
    """Keeps its open connections, so that stopping closes them as a network going down does: a client's kept-alive
    connection must not go on talking to a stopped fake."""

    daemon_threads = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def server_close(self):
        super().server_close()
        with self.connections_lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):  # already closed by the client
                    connection.shutdown(socket.SHUT_RDWR)


def route(method: str, pattern: str):
    """Declare a handler: `@route("POST", r"/api/v1/statuses")`; named groups become keyword arguments. Routes without
    groups are tried first."""

    def decorate(function):
        function.route = (method, re.compile(f"^{pattern}$"))
        return function

    return decorate


class FakeNetwork:
    """Subclass and add `@route` methods taking `(self, request, **groups)` and returning a Response.

    `allowed = False` makes a listener the app must refuse to call (an internal service someone points it at)."""

    allowed = True

    def __init__(self):
        self.requests: list[Request] = []
        self.faults: deque[Fault] = deque()
        self.latency = 0.0
        self.lock = threading.RLock()
        self._routes = [
            (*method.route, method)
            for name in dir(self)
            if callable(method := getattr(self, name, None)) and hasattr(method, "route")
        ]
        # A literal path (`/v1.0/me`) wins over a pattern that would also match it (`/v1.0/(?P<object_id>[^/]+)`).
        self._routes.sort(key=lambda entry: entry[1].groups > 0)
        self.server = _Server(("127.0.0.1", 0), self._handler_class())
        # shutdown() waits for serve_forever's next poll: at the default half second, stopping a fake cost every test
        # that used one 0.4 s of idle waiting (44 s of the inbox tests' 86 s). Requests are served as they arrive
        # either way; the interval only bounds how soon a shutdown is noticed.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"

    def start(self) -> "FakeNetwork":
        self.thread.start()
        # Stopping leaves the address allowed: a stopped fake is a network gone down, not an internal address. A
        # refused listener that happens to get the port of a stopped fake takes it back.
        if self.allowed:
            STARTED.add(self.address)
        else:
            STARTED.discard(self.address)
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def inject(self, **kwargs) -> Fault:
        fault = Fault(**kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def received(self, method: str | None = None, path: str | None = None) -> list[Request]:
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method) and (path is None or re.search(path, r.path))
            ]

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path) and fault.skip > 0:
                    fault.skip -= 1
                elif fault.matches(method, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def dispatch(self, request: Request) -> Response:
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if method == request.method and match:
                return handler(request, **match.groupdict())
        return Response(404, {"error": f"no route for {request.method} {request.path}"})

    def _handler_class(self):
        network = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms delayed-ACK stall

            def log_message(self, *args):  # keep test output quiet
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                with network.lock:
                    network.requests.append(request)
                if network.latency:
                    time.sleep(network.latency)
                fault = network._take_fault(request.method, request.path)
                if fault and not fault.after_handling:
                    time.sleep(fault.delay)
                    if fault.drop:
                        self.close_connection = True
                        return
                    if fault.status is not None:
                        return self._send(Response(fault.status, fault.body, fault.headers))
                response = network.dispatch(request)
                if fault and fault.after_handling:
                    time.sleep(fault.delay)
                    if fault.drop:
                        self.close_connection = True
                        return
                    if fault.status is not None:  # the work is done, the answer says it failed (a 502 after commit)
                        response = Response(fault.status, fault.body, fault.headers)
                self._send(response)

            def _send(self, response: Response):
                body = response.body
                headers = dict(response.headers)
                if isinstance(body, (dict, list)):
                    body = json.dumps(body).encode()
                    headers.setdefault("Content-Type", "application/json")
                elif isinstance(body, str):
                    body = body.encode()
                body = body or b""
                try:
                    self.send_response(response.status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self._write(body, response.trickle)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): that is the test
                    pass

            def _write(self, body: bytes, trickle: float):
                if not trickle:
                    return self.wfile.write(body)
                for start in range(0, len(body), 1024):
                    self.wfile.write(body[start : start + 1024])
                    self.wfile.flush()
                    time.sleep(trickle)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler
