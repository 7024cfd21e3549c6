"""Local development and the demo: the embedded default (SQLite, local memory)."""

from .base import *

DEBUG = env.get_bool("DJANGO_DEBUG", True)
VESTNIK_SERVE_MEDIA = env.get_bool("VESTNIK_SERVE_MEDIA", True)
