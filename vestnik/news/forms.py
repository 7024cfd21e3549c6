"""The article editor's form: one «Опубликовать в» control that never misfires.

Wagtail's picker replaces whatever it cannot parse in its own format with *now* when the field
loses focus, so a typed «2026-11-29 18:33» published the article at once. Here the picker leaves
typed text alone, the server parses the widget's Russian format and ISO, anything else is a
Russian form error, and the reader-visible time can't be set later than the article goes live.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput

# What the field accepts, in Moscow time (the admin's only time zone): the widget's own format,
# then ISO with a space or a "T".
GO_LIVE_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]
UNPARSEABLE = gettext_lazy(
    "Could not understand the date and time. Write, for example, 29.11.2026 18:33 "
    "or 2026-11-29 18:33 (Moscow time)."
)
SHOWN_AFTER_GO_LIVE = gettext_lazy(
    "The time shown on the site cannot be later than the article goes live: it would top the feed "
    "with a future time. To publish the article later, set that time in the “Go live at” field."
)
# Who may flag an article as «молния» (granted to Редакторы and Администраторы in NewsConfig).
BREAKING_PERMISSION = "news.mark_breaking"
BREAKING_REFUSED = gettext_lazy(
    "Only editors can mark an article as breaking news. The flag was not changed."
)
# The form shows minutes; «now» typed a few seconds early is not the future.
CLOCK_SLACK = timedelta(minutes=1)


class TypedDateTimeInput(AdminDateTimeInput):
    """Wagtail's picker that keeps typed text as typed: the server parses it or says why not."""

    def get_config(self):
        # The picker's blur check turns text it can't parse in its format into the current time.
        return {**super().get_config(), "validateOnBlur": False}


class GoLiveInput(TypedDateTimeInput):
    """…and says, as the editor types, when the article will go live (js/admin/go-live-hint.js)."""

    # In the app's templates: form widgets render with the form renderer, which reads app dirs.
    template_name = "news/admin/go_live_input.html"

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin/go-live-hint.js"])


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("go_live_at", "published_at"):
            field = self.fields.get(name)
            if field is not None:
                field.input_formats = GO_LIVE_INPUT_FORMATS
                field.error_messages["invalid"] = UNPARSEABLE

    def clean(self):
        cleaned = super().clean()
        self._breaking_check()
        shown = cleaned.get("published_at")
        if shown is None:
            return cleaned
        now = timezone.now()
        go_live = cleaned.get("go_live_at")
        goes_live = go_live if go_live and go_live > now else now
        if shown > goes_live + CLOCK_SLACK:
            self.add_error("published_at", SHOWN_AFTER_GO_LIVE)
        return cleaned

    def _breaking_check(self):
        """The «Молния» panel is left out of the form for users without BREAKING_PERMISSION, so
        the flag they cannot see stays as it was; a hand-made POST that tries to change it is
        refused in words rather than silently dropped."""
        if "breaking" in self.fields or "breaking" not in self.data:
            return
        asked = self.data.get("breaking") not in ("", "false", "False", "0", "off")
        if asked != bool(getattr(self.instance, "breaking", False)):
            self.add_error(None, BREAKING_REFUSED)
