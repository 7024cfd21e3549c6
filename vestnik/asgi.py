"""ASGI entry point for granian (`--interface asginl`: Django has no lifespan protocol).

Three paths skip Django's per-request machinery: /media/ and /static/ files with their safe
headers (vestnik/delivery/media.py), the live feed's event streams (vestnik/feed/asgi.py) and
fresh page-cache hits (vestnik/delivery/asgi.py). In front of all of them, request size limits
(vestnik/delivery/limits.py) refuse oversized bodies before they are read.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.dev")

django_application = get_asgi_application()

from vestnik.delivery.asgi import cached_pages  # noqa: E402  (needs the configured settings)
from vestnik.delivery.limits import request_limits  # noqa: E402
from vestnik.delivery.media import files_app  # noqa: E402
from vestnik.delivery.warmup import warm_up  # noqa: E402
from vestnik.feed.asgi import stream_app  # noqa: E402
from vestnik.feed.paths import STREAM  # noqa: E402

pages = files_app(cached_pages(django_application))


async def dispatch(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == STREAM:
        return await stream_app(scope, receive, send)
    return await pages(scope, receive, send)


application = request_limits(dispatch)

# Each granian worker imports this module once: pay its one-time costs now, not on the first
# readers' requests after a start (delivery/warmup.py). Not in manage.py commands or runserver.
warm_up()
