"""Scheduled work of the markets app (registered in apps.py, run by `manage.py run_scheduler`)."""

import logging
from datetime import timedelta

from django.utils import timezone

from vestnik.http_client import HttpClient, HttpError

from . import services
from .models import Rate

logger = logging.getLogger(__name__)


def rates_import_next_day() -> str:
    """Import tomorrow's rates once the Bank has set them (it does so in the afternoon, Moscow time).

    Until then the Bank answers with today's document, which is already stored: a no-op. Timeouts
    and retries are the HTTP client's; an unreachable Bank is a warning, retried next turn.
    """
    tomorrow = timezone.localdate() + timedelta(days=1)
    if Rate.objects.filter(date=tomorrow).exists():
        return ""
    try:
        result = services.rates_fetch_and_import(HttpClient(), tomorrow)
    except HttpError as exc:  # the Bank or the network is away: one line, retried next turn
        logger.warning("курсы ЦБ на %s не получены: %s", f"{tomorrow:%d.%m.%Y}", exc)
        return ""
    if not result.created:
        return ""
    return f"курсы ЦБ на {result.date:%d.%m.%Y}: {result.created} валют"
