"""E-mail links and the sender follow the configured site address (VESTNIK_BASE_URL), read in a
fresh interpreter (settings are read once per process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = (
    "import json; from vestnik.settings import base; "
    "print(json.dumps([base.WAGTAILADMIN_BASE_URL, base.DEFAULT_FROM_EMAIL, base.SERVER_EMAIL]))"
)


def mail_settings(**environ) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VESTNIK_")}
    env.update(environ)
    out = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_the_sender_follows_the_site_address():
    assert mail_settings(VESTNIK_BASE_URL="https://news.example.org:8443/") == [
        "https://news.example.org:8443",
        "vestnik@news.example.org",
        "vestnik@news.example.org",
    ]


def test_an_ip_address_gets_a_localhost_sender_and_an_explicit_sender_wins():
    assert mail_settings(VESTNIK_BASE_URL="http://10.0.0.5:8340")[1:] == [
        "vestnik@localhost",
        "vestnik@localhost",
    ]
    assert mail_settings(
        VESTNIK_BASE_URL="https://news.example.org", VESTNIK_EMAIL_FROM="desk@example.org"
    )[1] == ("desk@example.org")


def test_the_server_script_gives_its_own_address_unless_one_is_configured():
    script = (ROOT / "scripts" / "serve").read_text()
    assert 'export VESTNIK_BASE_URL="${VESTNIK_BASE_URL:-http://$host:$port}"' in script
    # …before it starts the processes that send mail (scheduler, app server).
    assert script.index("export VESTNIK_BASE_URL") < script.index("run_scheduler")
