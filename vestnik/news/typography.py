"""Russian typography for reader text: «ёлочки», dashes, no-break spaces.

polytypo does quotes, dashes and no-break spaces after short words; this module adds
the no-break space between a day and its month («5 октября») and shields URLs, which
polytypo would otherwise treat as prose (``a--b`` → ``a — b``). Results are memoised:
one paragraph costs ~6 ms the first time and nothing after, and the same headlines
appear on every page through the feed.
"""

import re
from functools import lru_cache

import polytypo.html
import polytypo.text

MONTHS = (
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    "янв|фев|мар|апр|июн|июл|авг|сен|окт|ноя|дек"
)
_DAY_MONTH = re.compile(rf"(?<![\d\w])(\d{{1,2}}) ({MONTHS})(?![\w])")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|[\w.+-]+@[\w-]+\.[\w.-]+")
# One private-use character per shielded URL: polytypo never rewrites those.
_SHIELD_BASE = 0xE000
_SHIELD = re.compile("[\ue000-\uf8ff]")
# The editor (Draftail) stores a typed " as &quot; (and ' as &#x27;): polytypo sees entities, not
# quotes. Decoded in text only; a tag's attribute values keep theirs. Both are valid as is in text.
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_QUOTE_ENTITY = re.compile(r"&(?:quot|#34|#x22|#39|#x27|apos);", re.IGNORECASE)
_QUOTE_CHAR = {"quot": '"', "#34": '"', "#x22": '"', "#39": "'", "#x27": "'", "apos": "'"}


def _decode_quotes(html: str) -> str:
    parts = _TAG_OR_TEXT.split(html)
    for i in range(0, len(parts), 2):  # even parts are text between tags
        parts[i] = _QUOTE_ENTITY.sub(lambda m: _QUOTE_CHAR[m.group(0)[1:-1].lower()], parts[i])
    return "".join(parts)


def _shield(value: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def keep(match: re.Match) -> str:
        found.append(match.group(0))
        return chr(_SHIELD_BASE + len(found) - 1)

    return _URL.sub(keep, value), found


def _unshield(value: str, found: list[str]) -> str:
    if not found:
        return value
    return _SHIELD.sub(lambda m: found[ord(m.group(0)) - _SHIELD_BASE], value)


@lru_cache(maxsize=20_000)
def typograph_text(value: str) -> str:
    """Plain text (headlines, captions, leads)."""
    if not value or _SHIELD.search(value):
        return value
    shielded, found = _shield(value)
    result = polytypo.text.transform(shielded, locale="ru")
    return _unshield(_DAY_MONTH.sub("\\1\xa0\\2", result), found)


@lru_cache(maxsize=5_000)
def typograph_html(value: str) -> str:
    """HTML fragments: only text nodes change; tags, attributes and URLs stay as they are."""
    if not value or _SHIELD.search(value):
        return value
    shielded, found = _shield(_decode_quotes(value))
    result = polytypo.html.transform(shielded, locale="ru")
    # The day-month rule only ever matches text: tags hold no Russian month names.
    return _unshield(_DAY_MONTH.sub("\\1\xa0\\2", result), found)
