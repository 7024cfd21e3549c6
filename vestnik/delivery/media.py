"""Uploaded media and collected static files, served before Django (vestnik/asgi.py) and inert.

granian's own static serving cannot add headers, and an uploaded file served as text/html or
image/svg+xml runs its author's script with the reader's (an editor's) session. So /media/ and
/static/ go through this small ASGI handler instead: GET/HEAD, ETag/Last-Modified with 304,
single byte ranges (video seeking), streamed in chunks off the event loop.

Media: only the inert types in MEDIA_TYPES are named as such (images, audio, video); everything
else is `application/octet-stream` with `Content-Disposition: attachment`, and every answer says
`nosniff` and carries a sandboxing Content-Security-Policy. nginx (deploy/nginx.conf.template)
and the dev/test view (`serve_media`, VESTNIK_SERVE_MEDIA) send the same headers.
"""

import asyncio
import hashlib
import mimetypes
import os
import stat
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.views.static import serve

# Extension → type for files readers may open inline: nothing here can run a script.
MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
}
# Types kept but always downloaded, never displayed by the browser.
ATTACHMENT_TYPES = {"pdf": "application/pdf"}
# No scripts, no plugins, no forms, an opaque origin; images and video may still show directly.
MEDIA_CSP = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
)
MEDIA_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": MEDIA_CSP,
    "Referrer-Policy": "no-referrer",
}
STATIC_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
MEDIA_CACHE = "public, max-age=604800"  # a week, as nginx's `expires 7d`
STATIC_CACHE = "public, max-age=86400"  # a day, as granian's own static serving did
CHUNK = 256 * 1024


def media_headers(name: str) -> dict[str, str]:
    """Content type and security headers for a media file of this name (every server uses these)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    headers = dict(MEDIA_SECURITY_HEADERS)
    if extension in MEDIA_TYPES:
        headers["Content-Type"] = MEDIA_TYPES[extension]
    else:
        headers["Content-Type"] = ATTACHMENT_TYPES.get(extension, "application/octet-stream")
        headers["Content-Disposition"] = "attachment"
    return headers


def static_headers(name: str) -> dict[str, str]:
    content_type, encoding = mimetypes.guess_type(name)
    if encoding or not content_type:
        content_type = "application/octet-stream"
    elif content_type.startswith("text/") or content_type in ("application/javascript",):
        content_type += "; charset=utf-8"
    return {"Content-Type": content_type, **STATIC_SECURITY_HEADERS}


def serve_media(request, path, document_root=None):
    """django.views.static.serve with the media headers (VESTNIK_SERVE_MEDIA: dev and tests)."""
    # MEDIA_ROOT read per request, not when the URLconf was imported.
    response = serve(request, path, document_root=document_root or settings.MEDIA_ROOT)
    for name, value in media_headers(path).items():
        response.headers[name] = value
    return response


def _url_prefix(url: str) -> str | None:
    """The path prefix of a same-origin STATIC_URL/MEDIA_URL; None when it is another origin."""
    parts = urlsplit(url)
    if parts.netloc:
        return None  # e.g. a separate media origin: its own server answers
    return "/" + parts.path.strip("/") + "/"


def _resolve(root: Path, relative: str) -> Path | None:
    """The regular file at `relative` under `root`, or None (missing, a directory, outside root)."""
    if "\x00" in relative or any(part in ("..", ".") for part in relative.split("/")):
        return None
    candidate = (root / relative.lstrip("/")).resolve()
    if candidate == root or root not in candidate.parents:
        return None
    return candidate


def _etag(status: os.stat_result) -> str:
    digest = hashlib.blake2s(f"{status.st_mtime_ns}-{status.st_size}".encode(), digest_size=8)
    return f'"{digest.hexdigest()}"'


def _not_modified(headers: dict[str, str], etag: str, mtime: float) -> bool:
    if "if-none-match" in headers:
        tags = [tag.strip().removeprefix("W/") for tag in headers["if-none-match"].split(",")]
        return etag in tags or "*" in tags
    if "if-modified-since" in headers:
        try:
            since = parsedate_to_datetime(headers["if-modified-since"]).timestamp()
        except (TypeError, ValueError):
            return False
        return int(mtime) <= since
    return False


def _byte_range(value: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one satisfiable `bytes=` range; None: ignore the header (send all);
    False: unsatisfiable (416). Several ranges are answered with the whole file."""
    unit, _, spec = value.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if not first:  # the last N bytes
            length = int(last)
            if length <= 0:
                return False
            return max(size - length, 0), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start < 0:
        return None
    if start >= size:
        return False
    if start > end:
        return None
    return start, min(end, size - 1)


async def _send_plain(send, status: int, extra: dict[str, str], body: bytes = b"") -> None:
    headers = [(b"content-length", str(len(body)).encode())]
    headers += [(name.lower().encode(), value.encode()) for name, value in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _read(path: Path, start: int, length: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(start)
        return handle.read(length)


async def _serve_file(scope, send, path: Path, headers: dict[str, str], cache_control: str):
    request = {}
    for name, value in scope["headers"]:
        request[name.decode("latin-1").lower()] = value.decode("latin-1")
    try:
        status = await asyncio.to_thread(path.stat)
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        return await _send_plain(send, 404, {**headers, "Content-Type": "text/plain"}, b"Not Found")
    etag = _etag(status)
    validators = {
        "ETag": etag,
        "Last-Modified": formatdate(status.st_mtime, usegmt=True),
        "Cache-Control": cache_control,
        "Accept-Ranges": "bytes",
    }
    if _not_modified(request, etag, status.st_mtime):
        return await _send_plain(send, 304, {**validators, **headers})
    size, start, end, code = status.st_size, 0, status.st_size - 1, 200
    wanted = _byte_range(request["range"], size) if "range" in request else None
    if wanted is not None and request.get("if-range", etag) not in (
        etag,
        validators["Last-Modified"],
    ):
        wanted = None  # the file changed since the client's copy: send it whole
    if wanted is False:
        extra = {"Content-Range": f"bytes */{size}", **validators, **headers}
        return await _send_plain(send, 416, extra)
    if wanted:
        start, end, code = *wanted, 206
        validators["Content-Range"] = f"bytes {start}-{end}/{size}"
    length = end - start + 1 if size else 0
    response = [(b"content-length", str(length).encode())]
    response += [(k.lower().encode(), v.encode()) for k, v in {**validators, **headers}.items()]
    await send({"type": "http.response.start", "status": code, "headers": response})
    if scope["method"] == "HEAD" or not length:
        return await send({"type": "http.response.body", "body": b""})
    position = start
    while position <= end:
        chunk = await asyncio.to_thread(_read, path, position, min(CHUNK, end - position + 1))
        if not chunk:  # truncated meanwhile: end the answer short rather than hang
            break
        position += len(chunk)
        await send({"type": "http.response.body", "body": chunk, "more_body": position <= end})
    if position <= end:
        await send({"type": "http.response.body", "body": b""})


def files_app(app):
    """Wrap the ASGI `app`: same-origin MEDIA_URL and STATIC_URL paths are answered here."""
    routes = []
    for url, root, kind in (
        (settings.MEDIA_URL, settings.MEDIA_ROOT, "media"),
        (settings.STATIC_URL, settings.STATIC_ROOT, "static"),
    ):
        prefix = _url_prefix(url)
        if prefix and root:
            routes.append((prefix, Path(root).resolve(), kind))

    async def files(scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            for prefix, root, kind in routes:
                if path.startswith(prefix):
                    # ASGI paths arrive percent-decoded.
                    return await _answer(scope, send, root, kind, path[len(prefix) :])
        return await app(scope, receive, send)

    return files


async def _answer(scope, send, root: Path, kind: str, relative: str):
    if kind == "media":
        headers, cache_control = media_headers(relative), MEDIA_CACHE
    else:
        headers, cache_control = static_headers(relative), STATIC_CACHE
    if scope["method"] not in ("GET", "HEAD"):
        extra = {**headers, "Allow": "GET, HEAD", "Content-Type": "text/plain"}
        return await _send_plain(send, 405, extra, b"Method Not Allowed")
    path = _resolve(root, relative)
    if path is None:
        extra = {**headers, "Content-Type": "text/plain"}
        return await _send_plain(send, 404, extra, b"Not Found")
    return await _serve_file(scope, send, path, headers, cache_control)
