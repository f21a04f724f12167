"""The adapters' HTTP layer: one pooled session per thread, and the request that maps every failure of a network
onto the errors of `publishing.adapters.errors` (timeouts, dropped connections, error bodies, rate limits)."""

import logging
import os
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy
from typing import Any, ClassVar

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from publishing import outbound
from publishing.adapters.errors import (
    AdapterError,
    AuthExpired,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)

logger = logging.getLogger("museumcm.adapters")

USER_AGENT = "museumcm/0.1 (+https://github.com/museumcm/museumcm)"

_local = threading.local()
# Hosts a thread keeps a connection to. requests keeps 10: fewer than the hosts of a museum's accounts (each Mastodon
# instance and Bluesky PDS is one), so connections were dropped and made again (a quarter of the benchmark's calls).
HOSTS_KEPT = 64
# An answer bigger than this, or slower than this overall, is not a network's: it is cut off (outbound.py). Uploads
# (a video sent in one request) get longer to finish.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
ANSWER_SECONDS = 90.0
UPLOAD_SECONDS = 600.0


def thread_session() -> requests.Session:
    """The thread's requests.Session, built once per thread instead of once per adapter (per task): its headers, its
    HTTP adapters and its pooled connections are kept, so the next post to the same network skips the TCP and TLS
    handshakes. urllib3 checks that a pooled connection is still open before reusing it; in the rare race where the
    network closes it as we send, a write becomes OutcomeUnknown and the pipeline looks for the post before sending
    again. A session is never shared between threads, and it keeps no cookies, so nothing one account's answer sets
    can travel with another account's request."""
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        _read_environment_once(session)
        session.headers["User-Agent"] = USER_AGENT
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        for scheme in ("https://", "http://"):
            session.mount(scheme, outbound.CheckedAdapter(pool_connections=HOSTS_KEPT))
        _local.session = session
    return session


def _read_environment_once(session: requests.Session) -> None:
    """requests reads proxy, ~/.netrc and CA-bundle variables from the environment at every call, walking the whole
    environment (a fifth of a publication's CPU). Unless a proxy is set (its no_proxy rules apply per URL, so requests
    must keep reading them), take the CA bundle now, as requests would, and let it skip the environment."""
    if urllib.request.getproxies():
        return
    session.trust_env = False
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True


class HttpClient:
    """What `Adapter` knows of HTTP. A network refines `error_reason`, `classify`, `not_found`, `reset_header` and
    `renews`; it calls `request` (or `call`, to renew an expired token once)."""

    network: ClassVar[str]
    default_server: ClassVar[str] = ""
    reset_header: ClassVar[str] = ""  # the rate-limit header saying when calls are allowed again, if Retry-After lacks

    account: Any
    session: requests.Session

    @property
    def base_url(self) -> str:
        return (self.account.server_url or self.default_server).rstrip("/")

    @property
    def credentials(self) -> dict[str, Any]:
        return self.account.credentials or {}

    def auth_headers(self) -> dict[str, str]:
        token = self.credentials.get("access_token")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def request(
        self, method: str, path: str, *, write: bool = False, anonymous: bool = False, **kwargs
    ) -> requests.Response:
        """Send a request and turn every failure into one of the errors above.

        `write=True` marks a call that creates something: a timeout or dropped connection after it was sent
        becomes OutcomeUnknown instead of TransientError, so the pipeline checks before sending again.
        `anonymous=True` sends no token (token endpoints authenticate otherwise).
        """
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        headers = {**({} if anonymous else self.auth_headers()), **kwargs.pop("headers", {})}
        timeout = kwargs.pop("timeout", None) or settings.ADAPTER_TIMEOUT
        shown = url.split("?", 1)[0]  # logged without its query: a signed upload URL is a credential
        seconds = UPLOAD_SECONDS if "files" in kwargs or isinstance(kwargs.get("data"), bytes) else ANSWER_SECONDS
        started = time.monotonic()
        try:
            response = outbound.request(
                method,
                url,
                session=self.session,
                headers=headers,
                timeout=timeout,
                max_bytes=MAX_ANSWER_BYTES,
                seconds=seconds,
                **kwargs,
            )
        except outbound.OutboundRefused as error:
            logger.warning("%s %s %s refused: %s", self.network, method, shown, error)
            raise Rejected(str(_("This server's address is not one museumcm may call."))) from error
        except outbound.AnswerUnread as error:
            if write:
                raise OutcomeUnknown(str(_("The answer to the post could not be read."))) from error
            raise TransientError(str(_("The network's answer was too large or too slow to read."))) from error
        except requests.ConnectTimeout as error:
            raise TransientError(str(_("The network did not answer (connection timed out)."))) from error
        except requests.ConnectionError as error:
            if write and not isinstance(error.__cause__, ConnectionRefusedError) and _was_sent(error):
                raise OutcomeUnknown(str(_("The connection dropped after the request was sent."))) from error
            raise TransientError(str(_("The network could not be reached."))) from error
        except requests.Timeout as error:
            if write:
                raise OutcomeUnknown(str(_("The network took too long to answer after receiving the post."))) from error
            raise TransientError(str(_("The network took too long to answer."))) from error
        logger.info(
            "%s %s %s → %s in %.0f ms",
            self.network,
            method,
            shown,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code >= 400:
            raise self.error_for(response)
        return response

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request whose expired token is renewed once (`refresh_credentials`) and the request made again, where
        the network allows it (`renews`). Safe for writes: a request refused for its token was not executed."""
        try:
            return self.request(method, path, **kwargs)
        except AuthExpired as error:
            if not self.renews(error):
                raise
        self.refresh_credentials()
        return self.request(method, path, **kwargs)

    def renews(self, error: AuthExpired) -> bool:
        """Whether this refusal of the token is one a renewal cures."""
        return False

    def refresh_credentials(self) -> None:
        """Renew the access token if the network allows it; networks whose tokens never expire do nothing."""

    def error_for(self, response: requests.Response) -> AdapterError:
        """Map an HTTP error response to our vocabulary; networks refine `error_reason` and `classify`."""
        status = response.status_code
        reason = self.error_reason(response) or str(
            _("The network answered with HTTP %(status)s.") % {"status": status}
        )
        classified = self.classify(response, reason)
        if classified is not None:
            return classified
        if self.not_found(response):
            return NotFound(reason, http_status=status)
        if status == 429:
            return RateLimited(reason, retry_after=self.retry_after(response))
        if status == 401:
            return AuthExpired(reason, http_status=status)
        if status >= 500 or status == 408:
            return TransientError(reason, http_status=status)
        return Rejected(reason, http_status=status)

    def error_reason(self, response: requests.Response) -> str:
        """The network's own words for the error, from its documented error body."""
        return ""

    def classify(self, response: requests.Response, reason: str) -> AdapterError | None:
        """A network-specific mapping that beats the status code (e.g. Graph's code 190 in a 400)."""
        return None

    def not_found(self, response: requests.Response) -> bool:
        """The network's documented "no such object" answer. Only that answer marks a message deleted: a bare 404
        from a wrong server address must not, so each network says what its own looks like."""
        return False

    def retry_after(self, response: requests.Response) -> float | None:
        """Retry-After when sent, else the network's own reset header (`reset_header`): Unix seconds, or an ISO 8601
        instant."""
        value = response.headers.get("Retry-After")
        try:
            seconds = max(0.0, float(value)) if value else None
        except ValueError:
            seconds = None
        reset = response.headers.get(self.reset_header) if self.reset_header else None
        if seconds is None and reset:
            return _seconds_until(reset)
        return seconds

    @staticmethod
    def json_body(response: requests.Response) -> dict[str, Any]:
        """An error answer's JSON object, or {} when the body is not one (an HTML page, a list, nothing)."""
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    @staticmethod
    def json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as error:
            raise TransientError(str(_("The network sent an answer that is not valid JSON."))) from error


def _seconds_until(reset: str) -> float | None:
    """A reset header's wait: Unix seconds (X, Bluesky) or an ISO 8601 instant (Mastodon)."""
    if reset.isdigit():
        return max(0.0, int(reset) - time.time())
    try:
        moment = datetime.fromisoformat(reset)
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _was_sent(error: requests.ConnectionError) -> bool:
    """A reset or a closed connection while waiting for the answer, rather than a refusal to connect."""
    text = str(error).lower()
    return "remotedisconnected" in text or "connection aborted" in text or "reset" in text
