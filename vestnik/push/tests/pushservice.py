"""A local push service speaking the real protocol (RFC 8030/8291/8292), for tests and the bench.

It checks each POST's VAPID Authorization (the JWT's ES256 signature with the key in `k=`, and
its aud/exp/sub claims), decrypts the aes128gcm body with the subscription's private key and auth
secret, keeps what it received, and answers what the test scripted for the path (201 by default).
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from vestnik.core.tests import ports


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Browser:
    """What a browser keeps for one subscription: its P-256 key pair and the auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64e(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64e(self.auth_secret)


@dataclass
class Received:
    path: str
    headers: dict
    payload: dict | None  # decrypted JSON, None if it could not be decrypted
    claims: dict | None  # the verified VAPID claims, None if the signature failed
    vapid_key: str


def vapid_verify(authorization: str) -> tuple[dict | None, str]:
    """(claims if the ES256 signature verifies with k=, k)."""
    scheme, _, rest = authorization.partition(" ")
    if scheme.lower() != "vapid":
        return None, ""
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    token, key = parts.get("t", ""), parts.get("k", "")
    header, claims, signature = token.split(".")
    raw = b64d(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(key))
    try:
        public.verify(
            encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
            f"{header}.{claims}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )
    except Exception:  # noqa: BLE001  (InvalidSignature: reported as None)
        return None, key
    if json.loads(b64d(header)).get("alg") != "ES256":
        return None, key
    return json.loads(b64d(claims)), key


class PushService:
    def __init__(self, decrypt: bool = True):
        self.browsers: dict[str, Browser] = {}  # path → the browser subscribed there
        self.script: dict[str, list[int]] = {}  # path → statuses to answer, in order
        self.received: list[Received] = []
        self.count = 0
        self.decrypt = decrypt
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(
            ("127.0.0.1", ports.free_port(from_top=True)), self._handler()
        )
        self.server.daemon_threads = True
        self.server.request_queue_size = 256
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def subscribe(self, path: str, *statuses: int) -> tuple[str, Browser]:
        """A new browser subscribed at `path`; the service answers `statuses` (then 201)."""
        browser = Browser()
        self.browsers[path] = browser
        if statuses:
            self.script[path] = list(statuses)
        return self.origin + path, browser

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, path: str, headers: dict, body: bytes) -> int:
        with self._lock:
            self.count += 1
            statuses = self.script.get(path)
            status = statuses.pop(0) if statuses else 201
        if not self.decrypt:
            return status
        claims, key = vapid_verify(headers.get("authorization", ""))
        payload = None
        browser = self.browsers.get(path)
        if browser is not None:
            try:
                plain = http_ece.decrypt(
                    body,
                    private_key=browser.private_key,
                    auth_secret=browser.auth_secret,
                    version="aes128gcm",
                )
                payload = json.loads(plain)
            except Exception:  # noqa: BLE001  (a wrong key or body: the test sees None)
                payload = None
        with self._lock:
            self.received.append(Received(path, headers, payload, claims, key))
        return status

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as push services do

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = service._handle(self.path, headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler


def claims_ok(claims: dict | None, origin: str, subject: str) -> bool:
    now = time.time()
    return bool(
        claims
        and claims.get("aud") == origin
        and claims.get("sub") == subject
        and now < claims.get("exp", 0) <= now + 24 * 3600
    )
