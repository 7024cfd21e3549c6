"""Sending one encrypted payload to many subscribers: threads, kept-alive connections, retries.

No database here: the caller claims the subscribers and records the outcomes (services.py).
pywebpush encrypts per RFC 8291 (aes128gcm, a fresh ECDH key and salt per message); the VAPID
token is signed once per push service (audience) per run, not per message.
"""

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from pywebpush import WebPusher
from requests.adapters import HTTPAdapter

from .vapid import b64url_encode

logger = logging.getLogger(__name__)

SENT, GONE, FAILED = "sent", "gone", "failed"
# RFC 8292 allows a token up to 24 h; a run never lasts 12.
TOKEN_SECONDS = 12 * 3600
RETRY_AFTER_MAX = 60.0


@dataclass(frozen=True)
class Target:
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class Outcome:
    subscription_id: int
    result: str  # SENT | GONE | FAILED
    status: int | None  # the push service's HTTP status, None for a network error


def topic(key: str) -> str:
    """RFC 8030 Topic (≤ 32 base64url chars): a push service replaces an undelivered message with
    the same topic, so a send repeated after a crash does not reach the browser twice."""
    return b64url_encode(hashlib.sha256(key.encode()).digest()[:24])


class Sender:
    def __init__(
        self,
        vapid,
        subject: str,
        payload: bytes,
        key: str,
        ttl: int,
        threads: int,
        retries: int,
        backoff: float,
        timeout: float,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.vapid = vapid
        self.subject = subject
        self.payload = payload
        self.headers = {"Urgency": "high", "Topic": topic(key)}
        self.ttl = ttl
        self.threads = max(1, threads)
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self._tokens: dict[str, str] = {}
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="push")

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for session in self._sessions:
            session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_all(self, targets: Iterable[Target]) -> list[Outcome]:
        targets = list(targets)
        # Sign in this thread: one token per push service for the whole run.
        for target in targets:
            self._authorization(target.endpoint)
        return list(self._pool.map(self._send_one, targets))

    def _authorization(self, endpoint: str) -> str:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        token = self._tokens.get(audience)
        if token is None:
            claims = {"aud": audience, "sub": self.subject, "exp": int(time.time()) + TOKEN_SECONDS}
            token = self.vapid.sign(claims)["Authorization"]
            self._tokens[audience] = token
        return token

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Each thread keeps its own connections: a few push services, many messages each.
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=4)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _send_one(self, target: Target) -> Outcome:
        try:
            return self._attempts(target)
        except Exception:  # one broken subscription (bad key…) never stops the others
            logger.exception("Push to subscription %s failed", target.subscription_id)
            return Outcome(target.subscription_id, FAILED, None)

    def _attempts(self, target: Target) -> Outcome:
        pusher = WebPusher(
            {"endpoint": target.endpoint, "keys": {"p256dh": target.p256dh, "auth": target.auth}},
            requests_session=self._session(),
        )
        headers = {**self.headers, "Authorization": self._authorization(target.endpoint)}
        status = None
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2**attempt
            try:
                response = pusher.send(
                    self.payload, dict(headers), ttl=self.ttl, timeout=self.timeout
                )
            except requests.RequestException as exc:
                status = None
                logger.info("Push to %s: %s", target.subscription_id, exc.__class__.__name__)
            else:
                status = response.status_code
                if status < 300:
                    return Outcome(target.subscription_id, SENT, status)
                if status in (404, 410):  # the browser unsubscribed or the subscription expired
                    return Outcome(target.subscription_id, GONE, status)
                if status != 429 and status < 500:
                    break  # refused (400, 403, 413): the same request will be refused again
                wait = _retry_after(response.headers.get("Retry-After"), wait)
            if attempt < self.retries:
                self.sleep(wait)
        logger.warning(
            "Push to subscription %s failed after %s attempt(s): %s",
            target.subscription_id,
            attempt + 1,
            status or "network error",
        )
        return Outcome(target.subscription_id, FAILED, status)


def _retry_after(value: str | None, default: float) -> float:
    """Seconds from a Retry-After header (seconds or an HTTP date), capped; else `default`."""
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return default
    return min(max(seconds, 0.0), RETRY_AFTER_MAX)
