"""Production: PostgreSQL and Redis from the environment; refuses to start without secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = env.require("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production (see .env.example)")

# Hashed names let browsers and nginx keep static files for a year.
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}

SESSION_COOKIE_SECURE = env.get_bool("VESTNIK_HTTPS", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS only once the site is known to be served over HTTPS: browsers remember it for a year.
SECURE_HSTS_SECONDS = env.get_int("VESTNIK_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Moderator e-mails go out over SMTP unless another backend is configured.
EMAIL_BACKEND = env.get_str("VESTNIK_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
