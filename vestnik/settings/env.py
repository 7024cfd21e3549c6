"""The one place that reads environment variables. Every name here is in .env.example."""

import os

from django.core.exceptions import ImproperlyConfigured


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def get_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true/false")


def _number(name: str, default, cast, what: str):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return cast(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: expected {what}") from exc


def get_int(name: str, default: int) -> int:
    return _number(name, default, int, "an integer")


def get_float(name: str, default: float) -> float:
    return _number(name, default, float, "a number")


def get_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def require(name: str) -> str:
    """A value production cannot run without: stop at start-up rather than run insecurely."""
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production (see .env.example)")
    return value
