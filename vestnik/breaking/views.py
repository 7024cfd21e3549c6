"""/breaking/: the banner's «молния» as JSON, for static/js/breaking.js on every reader page.

Cached like a page (tags.BREAKING purged at once on a change, fresh only until the banner's end),
so a crowd costs the app nothing; the script turns `until` into a timer with the server's clock
(`now` + the answer's Age), never the reader's.
"""

import time

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from vestnik.core import tags
from vestnik.core.events import cache_tags_add, cache_until

from . import selectors


@require_GET
def banner(request):
    current = selectors.banner_current()
    cache_tags_add(request, tags.BREAKING)
    if current is not None:
        cache_until(request, current.until.timestamp())
    return JsonResponse(
        {"item": current.as_json() if current else None, "now": time.time()},
        json_dumps_params={"ensure_ascii": False},
    )
