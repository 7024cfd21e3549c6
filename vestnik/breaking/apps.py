from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreakingConfig(AppConfig):
    name = "vestnik.breaking"
    label = "breaking"
    verbose_name = _("Breaking news")

    def ready(self):
        # Not at module top: they import models, which are not loaded yet when apps.py is.
        from vestnik.core import permissions

        from . import subscribers  # noqa: F401  (breaking_changed, article_changed)

        # The Telegram report and its «Повторить»: editors watch the channel, authors do not.
        telegram = ["breaking.view_telegrampost", "breaking.change_telegrampost"]
        permissions.grant(permissions.EDITORS, *telegram)
        permissions.grant(permissions.ADMINS, *telegram)
