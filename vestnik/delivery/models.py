"""The page cache's one table: when each cache tag was last purged (the embedded default's shared clock)."""

from django.db import models


class CacheTag(models.Model):
    """Last purge time of a cache tag. Every app process reads it, so a purge in one reaches all."""

    tag = models.CharField("тег кэша", max_length=200, primary_key=True)
    purged_at = models.FloatField("время сброса (Unix)")

    class Meta:
        verbose_name = "тег кэша"
        verbose_name_plural = "теги кэша"

    def __str__(self):
        return self.tag
