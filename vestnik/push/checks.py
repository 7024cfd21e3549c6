"""`manage.py check`: VAPID keys that cannot sign, or do not match, are found before readers subscribe."""

from django.core.checks import Error, register

from . import vapid


@register()
def vapid_keys_check(app_configs, **kwargs):
    if not vapid.enabled():
        return []
    try:
        vapid.signer()
    except vapid.VapidKeyError as exc:
        return [Error(str(exc), hint="manage.py vapid_keys prints a new pair", id="push.E001")]
    return []
