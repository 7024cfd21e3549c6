"""Russian words to dictionary forms with pymorphy3, the same way for the index and for queries.

PostgreSQL's `russian` stemmer cuts surnames wrongly (Песков→«песк», Пескова→«песков»), so both
backends index lemmas made here and search them with a configuration that only lowercases.
"""

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

import pymorphy3

WORD_RE = re.compile(r"[^\W_]+")
QUOTED_RE = re.compile(r"«([^»]*)»|\"([^\"]*)\"|“([^”]*)”")
PROPER_TAGS = ("Surn", "Name", "Patr", "Geox", "Orgn")
# Dropped from loose query words only (phrases keep them): they match nearly everything.
STOPWORDS = frozenset(
    "а и в во на о об от до по за из к ко с со у не ни же ли бы что как это для при под над "
    "но да или то так его ее их он она они мы вы я".split()
)


@cache
def _analyzer():
    return pymorphy3.MorphAnalyzer(lang="ru")


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The one dictionary form stored in the index for a word as written in a text.

    A capitalised word that can be a name (Песков, Захаровой) takes the name's form, so
    «Песков» is indexed as «песков», not as the plural of «песок».
    """
    folded = _fold(word)
    if not folded.isalpha() or not re.search("[а-я]", folded):
        return folded
    parses = _analyzer().parse(folded)
    chosen = parses[0]
    if word[:1].isupper():
        for parse in parses:
            if any(tag in parse.tag for tag in PROPER_TAGS):
                chosen = parse
                break
    return _fold(chosen.normal_form)


@lru_cache(maxsize=50_000)
def lemma_variants(word: str) -> tuple[str, ...]:
    """Every dictionary form a query word may stand for («песков» → песок, песков)."""
    folded = _fold(word)
    if not folded.isalpha() or not re.search("[а-я]", folded):
        return (folded,)
    forms = dict.fromkeys([lemma(word), lemma(word.capitalize())])
    forms.update(dict.fromkeys(_fold(p.normal_form) for p in _analyzer().parse(folded)))
    return tuple(forms)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


def lemmatize(text: str) -> str:
    """Text → space-separated lemmas, one per word, in order (so phrases still match)."""
    return " ".join(lemma(word) for word in words(text))


@dataclass
class ParsedQuery:
    """A reader's query: loose words (all must match, in any form) and quoted phrases."""

    terms: list[tuple[str, ...]] = field(default_factory=list)
    phrases: list[list[tuple[str, ...]]] = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms or self.phrases)

    def lemmas(self) -> set[str]:
        found = {form for variants in self.terms for form in variants}
        found.update(form for phrase in self.phrases for variants in phrase for form in variants)
        return found


MAX_QUERY_WORDS = 12


def parse_query(text: str) -> ParsedQuery:
    text = (text or "")[:300]
    query = ParsedQuery()
    for match in QUOTED_RE.finditer(text):
        phrase = words(next(group for group in match.groups() if group is not None))
        if len(phrase) == 1:
            query.terms.append(lemma_variants(phrase[0]))
        elif phrase:
            query.phrases.append([lemma_variants(word) for word in phrase[:MAX_QUERY_WORDS]])
    loose = [w for w in words(QUOTED_RE.sub(" ", text)) if _fold(w) not in STOPWORDS]
    for word in loose[:MAX_QUERY_WORDS]:
        variants = lemma_variants(word)
        if variants not in query.terms:
            query.terms.append(variants)
    return query
