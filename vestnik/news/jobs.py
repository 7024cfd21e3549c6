"""Jobs the scheduler runs on a clock (registered in apps.py, run by `manage.py run_scheduler`)."""

import io

from django.core.management import call_command


def publish_scheduled() -> str:
    """Publish pages whose «Опубликовать в» time has come and unpublish expired ones (Wagtail's own command)."""
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip()
