"""Test settings: cheap parts where the thing under test does not care."""

from .base import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}
VESTNIK_SERVE_MEDIA = True
# Query-count tests compare two requests; on a loaded machine they may lie over a minute apart.
VESTNIK_PROMO_CANDIDATES_SECONDS = 3600
