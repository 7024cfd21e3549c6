"""deploy/nginx.conf.template filled as deploy/prod-local.sh fills it, for tests that run nginx."""

import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf.template"
# prod-local.sh's defaults for what the tests do not care about.
DEFAULTS = {"LITE_VAR": "x_vestnik_lite", "PUBLIC_MAX_BODY_KB": 64, "ADMIN_MAX_BODY_MB": 300}


def nginx_config(**values) -> str:
    """The template with every @NAME@ filled; a placeholder nobody filled fails here, not in nginx."""
    text = TEMPLATE.read_text()
    for name, value in {**DEFAULTS, **values}.items():
        text = text.replace(f"@{name}@", str(value))
    left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
    assert not left, f"deploy/nginx.conf.template: no value for {', '.join(left)}"
    return text
