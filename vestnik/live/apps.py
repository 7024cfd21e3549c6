from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "vestnik.live"
    label = "live"
    verbose_name = _("Live broadcasts")

    def ready(self):
        from vestnik.core import permissions

        from . import subscribers  # noqa: F401  (the feed line follows the page's publish)

        # Authors write and correct their own drafts (the service holds them to that); editors
        # publish, pin, delete and flag «Молния» (`publish_livepost`, checked in services).
        permissions.grant(permissions.AUTHORS, "live.add_livepost", "live.change_livepost")
        for group in (permissions.EDITORS, permissions.ADMINS):
            permissions.grant(
                group,
                "live.add_livepost",
                "live.change_livepost",
                "live.delete_livepost",
                "live.publish_livepost",
            )
