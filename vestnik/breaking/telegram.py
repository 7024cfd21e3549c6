"""The Telegram Bot API, the three methods the channel needs: sendMessage, editMessageText,
deleteMessage. One call is one HTTP request; retrying is the caller's (services.post_sync), which
needs to know why a call failed: `retry_after` from a 429, `permanent` for a bad token or chat.

Not vestnik/http_client.py: that client retries by itself and reads only GET bodies, while a
429's wait is in its JSON body and a 401 must not be retried at all.
"""

import requests
from django.conf import settings
from django.utils.translation import gettext as _


class TelegramError(Exception):
    """A failed call, with a message for editors (Russian)."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent  # retrying cannot help (bad token, unknown chat)
        self.retry_after = retry_after  # seconds Telegram asked us to wait (429)


def enabled() -> bool:
    """An empty token switches the channel off."""
    return bool(settings.VESTNIK_TELEGRAM_BOT_TOKEN and settings.VESTNIK_TELEGRAM_CHAT_ID)


class BotApi:
    def __init__(self, token: str | None = None, api_url: str | None = None, timeout=None):
        self.token = token if token is not None else settings.VESTNIK_TELEGRAM_BOT_TOKEN
        self.api_url = (api_url or settings.VESTNIK_TELEGRAM_API_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.VESTNIK_TELEGRAM_TIMEOUT
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "Vestnik (+https://github.com/vestnik)"

    def call(self, method: str, payload: dict) -> dict | bool:
        """The call's `result`, or TelegramError."""
        url = f"{self.api_url}/bot{self.token}/{method}"
        try:
            response = self.session.post(url, json=payload, timeout=self.timeout)
        except requests.Timeout:
            raise TelegramError(
                _("Telegram did not answer in %(seconds)s s") % {"seconds": f"{self.timeout:g}"}
            ) from None
        except requests.RequestException as exc:
            raise TelegramError(
                _("Could not reach Telegram (%(error)s)") % {"error": exc.__class__.__name__}
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 200 and body.get("ok"):
            return body.get("result", True)
        description = str(body.get("description") or "")[:300]
        status = response.status_code
        if status == 429:
            retry_after = (body.get("parameters") or {}).get("retry_after")
            raise TelegramError(
                _("Telegram asked to wait %(seconds)s s (too many messages)")
                % {"seconds": retry_after},
                retry_after=float(retry_after) if isinstance(retry_after, int | float) else None,
            )
        if status in (401, 403, 404):
            # 401: bad token; 404: no such bot (a mistyped token or API address); 403: the bot
            # is not an administrator of the channel.
            raise TelegramError(
                _(
                    "Telegram refused the bot (HTTP %(status)s: %(description)s). Check "
                    "VESTNIK_TELEGRAM_BOT_TOKEN and that the bot is an administrator of "
                    "VESTNIK_TELEGRAM_CHAT_ID."
                )
                % {"status": status, "description": description or "—"},
                permanent=True,
            )
        if 400 <= status < 500:
            raise TelegramError(
                _("Telegram refused the message (HTTP %(status)s: %(description)s)")
                % {"status": status, "description": description or "—"},
                permanent=True,
            )
        raise TelegramError(_("Telegram failed (HTTP %(status)s)") % {"status": status})

    def send_message(self, chat_id: str, text: str) -> int:
        result = self.call(
            "sendMessage",
            {"chat_id": chat_id, "text": text, "parse_mode": "HTML"},
        )
        return int(result["message_id"])

    def edit_message_text(self, chat_id: str, message_id: int, text: str) -> None:
        try:
            self.call(
                "editMessageText",
                {"chat_id": chat_id, "message_id": message_id, "text": text, "parse_mode": "HTML"},
            )
        except TelegramError as exc:
            if "message is not modified" not in str(exc):  # already says it: done
                raise

    def delete_message(self, chat_id: str, message_id: int) -> None:
        try:
            self.call("deleteMessage", {"chat_id": chat_id, "message_id": message_id})
        except TelegramError as exc:
            if "message to delete not found" not in str(exc):  # deleted by hand: done
                raise
