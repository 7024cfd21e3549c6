"""Tables of the shared core."""

from django.db import models


class RateCounter(models.Model):
    """One rate-limit window (core/ratelimit.py) in the embedded default: every app process counts
    in this row, so a limit holds whichever granian worker serves the reader."""

    key = models.CharField("ключ", max_length=200, primary_key=True)
    count = models.PositiveIntegerField("попыток")
    window_end = models.FloatField("конец окна (Unix)", db_index=True)

    class Meta:
        verbose_name = "счётчик лимита"
        verbose_name_plural = "счётчики лимитов"

    def __str__(self):
        return f"{self.key}: {self.count}"
