"""Newsroom admin wiring: «Настройки → Курсы валют» chooses the widget's currencies."""

from wagtail.contrib.settings.registry import register_setting

from .models import RatesSettings

register_setting(RatesSettings, icon="table")
