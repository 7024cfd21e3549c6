"""The newsroom groups and the model permissions each app asks for them, in one registry.

Each app grants in its AppConfig.ready():

    permissions.grant(permissions.EDITORS, "markets.change_ratessettings")

and `manage.py setup_newsroom` (news) creates the groups and applies every grant
(`grants_apply`), idempotently, on a fresh install too. No app's permissions hang on a
migrate hook or on the order in which groups and tables appear.
"""

from django.contrib.auth.models import Group, Permission

AUTHORS = "Авторы"
EDITORS = "Редакторы"
ADMINS = "Администраторы"
GROUPS = (AUTHORS, EDITORS, ADMINS)

# group name -> {"app_label.codename", …}
_grants: dict[str, set[str]] = {}


def grant(group: str, *permissions: str) -> None:
    """Give `group` the model permissions named "app_label.codename" (at the next setup_newsroom)."""
    if group not in GROUPS:
        raise ValueError(f"unknown newsroom group {group!r}")
    _grants.setdefault(group, set()).update(permissions)


def grants() -> dict[str, frozenset[str]]:
    return {group: frozenset(names) for group, names in _grants.items()}


def grants_apply(groups: dict[str, Group]) -> None:
    """Add every registered permission to its group (by name in `groups`); nothing is removed."""
    for name, dotted_names in _grants.items():
        for dotted in sorted(dotted_names):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise ValueError(f"no permission {dotted} (run migrate first)")
            groups[name].permissions.add(permission)
