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

# HTTPS (docs/security.md, «Заголовки безопасности, CSP и HTTPS»). VESTNIK_HTTPS says readers reach
# the site over HTTPS (set false only for a plain-HTTP intranet or the local stack): cookies are
# then sent over HTTPS only, and plain HTTP is redirected unless DJANGO_SECURE_SSL_REDIRECT says no
# (nginx may redirect itself).
VESTNIK_HTTPS = env.get_bool("VESTNIK_HTTPS", True)
SESSION_COOKIE_SECURE = VESTNIK_HTTPS
CSRF_COOKIE_SECURE = VESTNIK_HTTPS
SECURE_SSL_REDIRECT = env.get_bool("DJANGO_SECURE_SSL_REDIRECT", VESTNIK_HTTPS)
# Behind our nginx (deploy/nginx.conf.template sets X-Forwarded-Proto itself, overwriting the
# client's): that header says whether the reader came over HTTPS. Without a proxy that overwrites
# it, a client could claim HTTPS: set DJANGO_SECURE_PROXY_SSL_HEADER=false when granian faces
# readers directly.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.get_bool("DJANGO_SECURE_PROXY_SSL_HEADER", True)
    else None
)
# HSTS only once the site is known to be served over HTTPS: browsers remember it (a year is
# 31536000). VESTNIK_HSTS_SECONDS is the older name of the same switch.
SECURE_HSTS_SECONDS = env.get_int(
    "DJANGO_SECURE_HSTS_SECONDS", env.get_int("VESTNIK_HSTS_SECONDS", 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.get_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Moderator e-mails go out over SMTP unless another backend is configured.
EMAIL_BACKEND = env.get_str("VESTNIK_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
