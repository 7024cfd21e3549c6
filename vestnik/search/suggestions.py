"""Where «ничего не найдено» looks for names to suggest, besides popular tags.

Apps that know names readers search for (entities: people, organisations, places) register a
source in their AppConfig.ready(), so search imports none of them:

    suggestions.source_register(selectors.entity_names)
"""

from collections.abc import Callable

Source = Callable[[], list[str]]

_sources: list[Source] = []


def source_register(source: Source) -> None:
    """Add `source() -> [name, …]` to the suggestions (once, however often it is registered)."""
    if source not in _sources:
        _sources.append(source)


def sources() -> list[Source]:
    return list(_sources)
