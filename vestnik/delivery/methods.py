"""HTTP methods and sizes as Django sees them, with a Russian page wherever Django's is empty.

- TRACE (and any method no view takes) → 405; OPTIONS → 204 with `Allow`, never the page body.
- A 405 from `require_POST` / `require_GET` gets a Russian body; HEAD answers never carry one.
- A body declared larger than `limits.body_limit` → 413 before anything reads it (WSGI servers and
  tests; under granian `limits.request_limits` has refused it already).
- A NUL byte in the path is a 404 (PostgreSQL would refuse the query).
- The newsroom's bulk actions (`/admin/bulk/…?id=`) take ids or `all` only: Wagtail would pass
  `None` to the database.
"""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse

from vestnik.core.params import BadParameter, id_parse

from .limits import body_limit
from .status_pages import status_html, status_response

ALLOW = "GET, HEAD, POST, OPTIONS"
KNOWN = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}  # the admin uses them all
BULK_PREFIX = "/admin/bulk/"


def _bulk_ids_valid(request) -> bool:
    for value in request.GET.getlist("id"):
        if value != "all":
            try:
                id_parse(value)
            except BadParameter:
                return False
    return True


class HttpMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOW
            return response
        if request.method not in KNOWN:
            response = status_response(405)
            response["Allow"] = ALLOW
            return response
        if "\x00" in request.path:  # PostgreSQL refuses NUL in text: a 404, not a database error
            raise Http404("NUL in the path")
        length = request.META.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) > body_limit(request.path):
            return status_response(413)
        if request.path.startswith(BULK_PREFIX) and not _bulk_ids_valid(request):
            raise BadRequest("bulk action ids")
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            response.content = status_html(405)
            response["Content-Type"] = "text/html; charset=utf-8"
        if request.method == "HEAD" and not response.streaming:
            response.content = b""  # Django's ASGI handler sends HEAD bodies as they are
        return response
