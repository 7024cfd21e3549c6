"""The one HTTP client for talking to the outside world: a default timeout, a few retries, our name.

Every outbound request (the Central Bank's rates, later CDN purges…) goes through `HttpClient`,
so no call can hang a worker or the scheduler for ever. Tests pass a fake with the same `get()`.
"""

import logging
import time
from collections.abc import Callable

import requests
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class HttpError(Exception):
    """The request failed after every retry; the message is for people (Russian)."""


class HttpClient:
    def __init__(
        self,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.timeout = timeout if timeout is not None else settings.VESTNIK_HTTP_TIMEOUT
        self.retries = retries if retries is not None else settings.VESTNIK_HTTP_RETRIES
        self.backoff = backoff
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "Vestnik (+https://github.com/vestnik)"

    def get(self, url: str, params: dict | None = None) -> bytes:
        """The response body; retries timeouts, connection errors and 5xx, not 4xx."""
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * attempt)
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except requests.Timeout:
                last = _("no answer in %(seconds)s s") % {"seconds": f"{self.timeout:g}"}
            except requests.RequestException as exc:
                last = _("network error (%(error)s)") % {"error": exc.__class__.__name__}
            else:
                if response.status_code < 400:
                    return response.content
                last = _("HTTP answer %(status)s") % {"status": response.status_code}
                if response.status_code < 500:
                    break
            logger.warning("GET %s, attempt %s: %s", url, attempt + 1, last)
        raise HttpError(_("Could not get %(url)s: %(reason)s.") % {"url": url, "reason": last})
