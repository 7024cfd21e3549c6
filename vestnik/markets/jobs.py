"""Scheduled work of the markets app (VESTNIK_SCHEDULED_JOBS, `manage.py run_scheduler`)."""

from datetime import timedelta

from django.utils import timezone

from vestnik.http_client import HttpClient

from . import services
from .models import Rate


def rates_import_next_day() -> str:
    """Import tomorrow's rates once the Bank has set them (it does so in the afternoon, Moscow time).

    Until then the Bank answers with today's document, which is already stored: a no-op. Timeouts
    and retries are the HTTP client's; a failure is logged by the scheduler and retried next turn.
    """
    tomorrow = timezone.localdate() + timedelta(days=1)
    if Rate.objects.filter(date=tomorrow).exists():
        return ""
    result = services.rates_fetch_and_import(HttpClient(), tomorrow)
    if not result.created:
        return ""
    return f"курсы ЦБ на {result.date:%d.%m.%Y}: {result.created} валют"
