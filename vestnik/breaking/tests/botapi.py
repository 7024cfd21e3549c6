"""A local stand-in for the Telegram Bot API: the same URLs, bodies and answers, on 127.0.0.1.

POST /bot<token>/sendMessage | editMessageText | deleteMessage, with a JSON or form body. It
records every call and answers from a script (status, JSON body, delay), `ok` when the script is
empty: message ids count up from 101 as Telegram's would.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from vestnik.core.tests import ports


def free_port() -> int:
    return ports.free_port(from_top=True)


class BotApiServer:
    def __init__(self):
        self.calls: list[dict] = []  # {"token", "method", "payload"}
        self.script: list[tuple[int, dict, float]] = []
        self._ids = iter(range(101, 10_000))
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    payload = json.loads(raw or "{}")
                else:
                    payload = dict(parse_qsl(raw))
                token, _, method = self.path.removeprefix("/bot").partition("/")
                status, body, delay = server.answer(token, method, payload)
                if delay:
                    time.sleep(delay)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting (a timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, token, method, payload):
        with self._lock:
            self.calls.append({"token": token, "method": method, "payload": payload})
            if self.script:
                return self.script.pop(0)
            if method == "sendMessage":
                result = {"message_id": next(self._ids), "chat": {"id": payload.get("chat_id")}}
                return 200, {"ok": True, "result": result}, 0
            return 200, {"ok": True, "result": True}, 0

    def methods(self) -> list[str]:
        return [call["method"] for call in self.calls]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def too_many(retry_after: int = 1):
    return (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
        0,
    )


def server_error():
    return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}, 0


def unauthorized():
    return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, 0


def slow(seconds: float):
    return 200, {"ok": True, "result": {"message_id": 999}}, seconds
