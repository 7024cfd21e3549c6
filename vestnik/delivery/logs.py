"""Logging filters for the settings' LOGGING."""

import logging
import re

_HOST = re.compile(r"'([^']*)'")


class DisallowedHostOnce(logging.Filter):
    """Django logs every request with a Host outside ALLOWED_HOSTS at ERROR with a traceback:
    scanners fill the log. This keeps one WARNING line per host, without the traceback (the
    400 page is unchanged). The memory is bounded: past `MAX_HOSTS` it starts over."""

    MAX_HOSTS = 10_000

    def __init__(self, name=""):
        super().__init__(name)
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        match = _HOST.search(record.getMessage())
        host = match.group(1) if match else ""
        if host in self.seen:
            return False
        if len(self.seen) >= self.MAX_HOSTS:
            self.seen.clear()
        self.seen.add(host)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = record.stack_info = None
        return True
