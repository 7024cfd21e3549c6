"""ASGI entry point for granian (`--interface asginl`: Django has no lifespan protocol).

Fresh page-cache hits are answered in front of Django (vestnik/delivery/asgi.py).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vestnik.settings.dev")

django_application = get_asgi_application()

from vestnik.delivery.asgi import cached_pages  # noqa: E402  (needs the configured settings)

application = cached_pages(django_application)
