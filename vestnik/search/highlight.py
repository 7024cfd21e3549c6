"""Highlighted fragments in the reader's own words (the index holds lemmas, so FTS5 snippet() and
ts_headline would show «песков» where the text says «Пескову»): every word is escaped, only our
<mark> is markup."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .morphology import WORD_RE, lemma

FRAGMENT_WORDS = 32


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Text split into (piece, is_word) in order."""
    pieces, last = [], 0
    for match in WORD_RE.finditer(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def _render(pieces, lemmas: set[str]) -> str:
    out = []
    for piece, is_word in pieces:
        if is_word and lemma(piece) in lemmas:
            out.append(f"<mark>{escape(piece)}</mark>")
        else:
            out.append(escape(piece))
    return "".join(out)


def highlight(text: str, lemmas: set[str]) -> SafeString:
    # Safe: _render escapes every piece of the text; <mark> is the only markup.
    return mark_safe(_render(_pieces(text), lemmas))


def fragment(text: str, lemmas: set[str]) -> SafeString:
    """The stretch of about FRAGMENT_WORDS words with the most matches, with «…» where cut."""
    text = re.sub(r"\s+", " ", text or "").strip()
    pieces = _pieces(text)
    word_positions = [i for i, (_, is_word) in enumerate(pieces) if is_word]
    if not word_positions:
        return mark_safe("")
    hits = [1 if lemma(pieces[i][0]) in lemmas else 0 for i in word_positions]
    window = min(FRAGMENT_WORDS, len(word_positions))
    best_start, best, current = 0, -1, sum(hits[:window])
    for start in range(0, len(word_positions) - window + 1):
        if start:
            current += hits[start + window - 1] - hits[start - 1]
        if current > best:
            best, best_start = current, start
    # Start a little before the first match so it reads in context.
    if best > 0:
        first = next(i for i in range(best_start, best_start + window) if hits[i])
        best_start = max(0, min(first - 4, len(word_positions) - window))
    first_piece = word_positions[best_start] if best_start else 0
    end = best_start + window
    last_piece = word_positions[end - 1] if end < len(word_positions) else len(pieces) - 1
    html = _render(pieces[first_piece : last_piece + 1], lemmas)
    if first_piece > 0:
        html = "…" + html
    if last_piece < len(pieces) - 1:
        html += "…"
    return mark_safe(html)
