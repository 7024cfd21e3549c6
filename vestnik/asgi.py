"""ASGI entry point for granian (`--interface asginl`: Django has no lifespan protocol)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.dev")

django_application = get_asgi_application()

from vestnik.feed.asgi import stream_app  # noqa: E402 (needs Django set up)


async def application(scope, receive, send):
    # The live feed's event streams skip Django's per-request machinery (vestnik/feed/asgi.py).
    if scope["type"] == "http" and scope["path"] == "/news/stream/":
        return await stream_app(scope, receive, send)
    return await django_application(scope, receive, send)
