"""What every Vestnik app agrees on, each rule in one place.

`core` imports no Vestnik app; `news` imports only `core`; nothing imports `demo`
(the contracts in pyproject.toml, checked by `make check`).
"""

from django.apps import AppConfig

from .params import register_converters


class CoreConfig(AppConfig):
    name = "vestnik.core"
    label = "core"
    verbose_name = "Ядро"

    def ready(self):
        register_converters()  # before any URLconf (Wagtail's admin hooks included) is loaded
