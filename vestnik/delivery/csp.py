"""Content-Security-Policy: one policy for readers, a looser one for the newsroom (/admin/).

Reader pages are cached whole and shared (page cache, the ASGI hit path, nginx's microcache), so
the policy can carry no per-request nonce: scripts and styles come from our own origin only, and
the pages have no inline script, event handler or style attribute (JSON-LD is a data block, which
CSP does not run). The one inline `<style>` is the error page's (templates/error_page.html): it
must render while the database or the static files fail, so its hash is allowed. docs/security.md
says why each directive is what it is.
"""

import base64
import hashlib
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# The error page's inline <style>, byte for byte (a test checks the template still holds it).
ERROR_PAGE_STYLE = (
    "body{font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;"
    "color:#111}a{color:#0b57d0}"
)

ADMIN_PREFIX = "/admin/"
# Where Wagtail's admin looks for a newer release (the dashboard's upgrade notice).
WAGTAIL_RELEASES = "https://releases.wagtail.org"


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _origin(url: str) -> str | None:
    """`https://cdn.example.com` for an absolute STATIC_URL/MEDIA_URL, None for a local path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _join(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


@cache
def policies() -> tuple[str, str, str]:
    """(header name, reader policy, admin policy), built once from the settings."""
    static = [o for o in [_origin(settings.STATIC_URL)] if o]
    media = [o for o in [_origin(settings.MEDIA_URL)] if o]
    frames = list(settings.VESTNIK_CSP_FRAME_SRC)
    # X-Frame-Options DENY (Django's default) and frame-ancestors say the same thing.
    ancestors = "'none'" if settings.X_FRAME_OPTIONS == "DENY" else "'self'"
    reader = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *static],
        "style-src": ["'self'", *static, _hash(ERROR_PAGE_STYLE)],
        "img-src": ["'self'", *static, *media],
        "media-src": ["'self'", *media],
        "font-src": ["'self'", *static],
        "connect-src": ["'self'"],  # the comment and push tokens, push's POSTs, the live feed
        # The web push service worker, /sw.js (push/views.py). Without it workers fall back to
        # script-src, which may name a static CDN: a worker must come from our origin.
        "worker-src": ["'self'"],
        "frame-src": frames or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": [ancestors],
    }
    admin = {
        **reader,
        # Wagtail 8's edit screen under the reader policy (checked in chromium) runs 8 inline
        # scripts, sets inline styles and injects a <style> from vendor.js; no eval. The admin
        # is never cached nor shown to readers.
        "script-src": ["'self'", *static, "'unsafe-inline'"],
        "style-src": ["'self'", *static, "'unsafe-inline'"],
        "connect-src": ["'self'", WAGTAIL_RELEASES],
        "img-src": ["'self'", *static, *media, "data:", "blob:"],
        "media-src": ["'self'", *media, "blob:"],
        "font-src": ["'self'", *static, "data:"],
        "frame-src": ["'self'", *frames],  # the preview panel, embeds in the editor
        "frame-ancestors": ["'self'"],  # previews open inside the editor
    }
    name = (
        "Content-Security-Policy-Report-Only"
        if settings.VESTNIK_CSP_REPORT_ONLY
        else "Content-Security-Policy"
    )
    return name, _join(reader), _join(admin)


def header_for(path: str) -> tuple[str, str]:
    name, reader, admin = policies()
    return name, admin if path.startswith(ADMIN_PREFIX) else reader


@receiver(setting_changed)
def _forget(**kwargs):
    policies.cache_clear()
