"""The article page's sections: parts of the page other apps own, registered like Wagtail hooks.

`news` renders an article and knows none of the apps that add to it. Each app registers its
sections in its AppConfig.ready(); the article template renders a slot with
`{% article_sections "after_body" %}` (core_sections), which joins the slot's sections by order.

The slots, in page order, and who may see what a section renders:

- AFTER_BODY: under the text; rendered for every request (a live hole in the shared article
  fragment), so it may follow the reader or rotate (promos).
- AFTER_TAGS: under the topic tags; shared by every reader until the article changes (entities).
- BOTTOM: the last part of the shared article (read-also cards); a section that shows other
  pages adds their cache tags to the request, and they go with the fragment.
- AFTER_SHARED: after the shared part, rendered per reader (the comments and their form).
- SCRIPTS: the page's `extra_js` block (a section's script).
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

AFTER_BODY = "after_body"
AFTER_TAGS = "after_tags"
BOTTOM = "bottom"
AFTER_SHARED = "after_shared"
SCRIPTS = "scripts"
SLOTS = (AFTER_BODY, AFTER_TAGS, BOTTOM, AFTER_SHARED, SCRIPTS)


@dataclass(frozen=True)
class Section:
    """One part of the article page.

    Either `template`, rendered like an inclusion tag with what `context(template_context)`
    returns (plus the CSRF token), or `render(template_context)`, returning HTML (a plain str
    is escaped).
    """

    name: str
    slot: str
    template: str | None = None
    context: Callable[[Context], Mapping[str, Any]] | None = None
    render: Callable[[Context], str] | None = None
    order: int = 100

    def __post_init__(self):
        if self.slot not in SLOTS:
            raise ValueError(f"Unknown article slot {self.slot!r}; the slots are {SLOTS}")
        uses_template = self.template is not None and self.context is not None
        if uses_template == (self.render is not None):
            raise ValueError(f"Section {self.name!r} needs either a template and context or render")

    def html(self, context: Context) -> str:
        if self.render is not None:
            return conditional_escape(self.render(context))
        template = context.template.engine.get_template(self.template)
        # As Django's inclusion tags do: a fresh context, plus the CSRF token for forms.
        section_context = context.new(self.context(context))
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            section_context["csrf_token"] = csrf_token
        return template.render(section_context)


_sections: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add `section` to its slot; a name registers once (a second app using it is a mistake)."""
    if section.name in _sections and _sections[section.name] != section:
        raise ValueError(f"An article section named {section.name!r} is already registered")
    _sections[section.name] = section
    return section


def unregister(name: str) -> None:
    _sections.pop(name, None)


@contextmanager
def registered(section: Section) -> Iterator[Section]:
    """The section is on the page inside the block only (tests)."""
    register(section)
    try:
        yield section
    finally:
        unregister(section.name)


def in_slot(slot: str) -> list[Section]:
    """The slot's sections by order, then by when they were registered."""
    return sorted((s for s in _sections.values() if s.slot == slot), key=lambda s: s.order)


def slot_render(slot: str, context: Context) -> SafeString:
    if slot not in SLOTS:
        raise ValueError(f"Unknown article slot {slot!r}; the slots are {SLOTS}")
    return mark_safe("".join(section.html(context) for section in in_slot(slot)))
