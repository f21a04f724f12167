"""The one policy for HTTP that leaves the server: to the networks, to a Mastodon instance or Bluesky server someone
typed, to an iCal URL, to a link's page.

- https only, unless `OUTBOUND_ALLOW_HTTP` (development).
- Every connection resolves the host name itself and refuses loopback, private, link-local, shared, multicast,
  reserved and unspecified addresses, then connects to the address it checked (a second DNS answer cannot swap in an
  internal one). Hosts listed in `OUTBOUND_ALLOWED_HOSTS` (`host` or `host:port`) are let through: local test servers.
  Through an egress proxy the proxy connects, so only the URL's own host is checked.
- Redirects are followed here, at most MAX_REDIRECTS, each hop under the same checks; the Authorization header does
  not follow to another host.
- The answer is read up to `max_bytes` and within `seconds` overall, never more.

A refusal raises `OutboundRefused` before anything is sent. Anything else raises a `requests.RequestException`;
`AnswerUnread` (and its `ResponseTooLarge`, `TooSlow`) means the server received the request and its answer was not
read. Callers show people their own message, never the remote body or the exception's text (it carries URLs).
"""

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NameResolutionError, NewConnectionError
from urllib3.exceptions import ReadTimeoutError as Urllib3ReadTimeout
from urllib3.util import connection as urllib3_connection

MAX_REDIRECTS = 5
MAX_BYTES = 2 * 1024 * 1024
SECONDS = 20.0
TIMEOUT = (5, 15)
CHUNK = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class OutboundRefused(Exception):  # not an OSError: urllib3 lets it through instead of retrying and wrapping it
    """The URL or the address behind it is not one the server may call; nothing was sent."""


class AnswerUnread(requests.RequestException):
    """The request reached the server but its answer was not read in full."""


class ResponseTooLarge(AnswerUnread):
    """The answer passed the size cap."""


class TooSlow(AnswerUnread):
    """The answer did not arrive within the total time allowed."""


# The address check ---------------------------------------------------------------------------------------------------


def host_allowed(host: str, port: int | None) -> bool:
    """Listed in OUTBOUND_ALLOWED_HOSTS (by name, or name and port)."""
    allowed = settings.OUTBOUND_ALLOWED_HOSTS
    bare = host.strip("[]").lower()
    return bool(allowed) and any(
        entry in allowed for entry in (bare, f"{bare}:{port}", f"[{bare}]", f"[{bare}]:{port}")
    )


def address_public(address: str) -> bool:
    """A global unicast address, looking through the IPv6 forms that carry an IPv4 one (mapped, 6to4, Teredo, NAT64):
    64:ff9b::7f00:1 is 127.0.0.1 wherever the network translates it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1]
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not address_public(str(embedded)):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback)


def check_url(url: str) -> None:
    """The URL's own checks: its scheme, a host, and a literal address that is public (or allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise OutboundRefused(f"not an http(s) URL: {parts.scheme}://{parts.hostname}")
    if parts.scheme == "http" and not settings.OUTBOUND_ALLOW_HTTP:
        raise OutboundRefused(f"plain http is not allowed: {parts.hostname}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if _is_address(parts.hostname) and not host_allowed(parts.hostname, port) and not address_public(parts.hostname):
        raise OutboundRefused(f"address not allowed: {parts.hostname}")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _Checked:
    """Resolve, check every address the name has, connect to a checked one (urllib3's own connect, by address)."""

    def _new_conn(self) -> socket.socket:
        if self.proxy is not None or host_allowed(self.host, self.port):
            return super()._new_conn()
        try:
            found = socket.getaddrinfo(
                self.host, self.port, urllib3_connection.allowed_gai_family(), socket.SOCK_STREAM
            )
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        addresses = list(dict.fromkeys(info[4][0] for info in found))
        if not addresses or not all(address_public(address) for address in addresses):
            raise OutboundRefused(f"address not allowed: {self.host}")
        error: OSError | None = None
        for address in addresses:
            try:
                return urllib3_connection.create_connection(
                    (address, self.port), self.timeout, self.source_address, self.socket_options
                )
            except TimeoutError as timeout:
                raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from timeout
            except OSError as failure:
                error = failure
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")


class _CheckedHTTPConnection(_Checked, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_Checked, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class CheckedAdapter(HTTPAdapter):
    """requests' HTTPAdapter whose every new connection goes through the address check."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}


def checked_session() -> requests.Session:
    session = requests.Session()
    for scheme in ("https://", "http://"):
        session.mount(scheme, CheckedAdapter())
    return session


# Requests --------------------------------------------------------------------------------------------------------


def request(
    method: str,
    url: str,
    *,
    session: requests.Session | None = None,
    max_bytes: int = MAX_BYTES,
    seconds: float = SECONDS,
    timeout: float | tuple[float, float] = TIMEOUT,
    **kwargs,
) -> requests.Response:
    """Send under the policy above and return the response with its body read (`.content`, `.json()` work)."""
    own = session is None
    session = session or checked_session()
    deadline = time.monotonic() + seconds
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            response = _send(session, method, url, deadline, timeout, kwargs)
            location = response.headers.get("Location")
            if response.status_code not in REDIRECTS or not location:
                read_capped(response, max_bytes, deadline)
                return response
            response.close()  # unread: a redirect's body is nobody's business
            method, url, kwargs = _redirected(response.status_code, method, url, urljoin(url, location), kwargs)
        raise OutboundRefused(f"more than {MAX_REDIRECTS} redirects")
    finally:
        if own:
            session.close()


def get(url: str, **kwargs) -> requests.Response:
    return request("GET", url, **kwargs)


def post(url: str, **kwargs) -> requests.Response:
    return request("POST", url, **kwargs)


def _send(session, method: str, url: str, deadline: float, timeout, kwargs: dict) -> requests.Response:
    check_url(url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise requests.ConnectTimeout(f"no time left to call {urlsplit(url).hostname}")
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    hop_timeout = (min(connect, remaining), min(read, remaining))
    return session.request(method, url, allow_redirects=False, stream=True, timeout=hop_timeout, **kwargs)


def _redirected(status: int, method: str, url: str, following: str, kwargs: dict) -> tuple[str, str, dict]:
    """What a browser sends next: 303 (and 301/302 after a POST) become a GET without a body; credentials stay with
    the host they were meant for."""
    kwargs = {k: v for k, v in kwargs.items() if k != "params"}  # the new URL carries its own query
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method = "GET"
        for body in ("data", "json", "files"):
            kwargs.pop(body, None)
    if urlsplit(following).netloc != urlsplit(url).netloc:
        kwargs["headers"] = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() != "authorization"}
        kwargs.pop("auth", None)
    return method, following, kwargs


def read_capped(response: requests.Response, max_bytes: int, deadline: float) -> bytes:
    """Read the body (decoded) up to `max_bytes` and before `deadline`; the response then reads as usual."""
    parts, size = [], 0
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        response.close()
        raise ResponseTooLarge(f"answer of {announced} bytes from {urlsplit(response.url).hostname}")
    try:
        while chunk := response.raw.read1(CHUNK, decode_content=True):
            size += len(chunk)
            if size > max_bytes:
                raise ResponseTooLarge(f"answer over {max_bytes} bytes from {urlsplit(response.url).hostname}")
            if time.monotonic() > deadline:
                raise TooSlow(f"answer too slow from {urlsplit(response.url).hostname}")
            parts.append(chunk)
    except AnswerUnread:
        response.close()
        raise
    except Urllib3ReadTimeout as error:
        response.close()
        raise TooSlow(f"answer too slow from {urlsplit(response.url).hostname}") from error
    except (HTTPError, OSError) as error:
        response.close()
        raise AnswerUnread(f"answer cut off from {urlsplit(response.url).hostname}") from error
    response._content = b"".join(parts)
    response._content_consumed = True
    return response._content
