"""Persons, organisations and places in Russian text, with natasha (its models ship in the package).

Names come out in the nominative («Пескова» → «Песков»); a surname alone is merged with the full
name found in the same article («Песков» → «Дмитрий Песков»).
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from vestnik.search.morphology import lemma

KINDS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


@dataclass(frozen=True)
class Found:
    kind: str
    name: str
    mentions: int


@cache
def _pipeline():
    # Imported on first use: `import natasha` costs 0.9 s, and only processes that analyse
    # articles need it (the tests switch analysis off).
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    return Segmenter(), MorphVocab(), NewsMorphTagger(embedding), NewsNERTagger(embedding)


def _spans(text: str):
    from natasha import Doc  # on first use, as in _pipeline()

    segmenter, morph_vocab, morph_tagger, ner_tagger = _pipeline()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_morph(morph_tagger)
    doc.tag_ner(ner_tagger)
    for span in doc.spans:
        span.normalize(morph_vocab)
        yield span.type, span.text, span.normal or span.text


def _clean(text: str, normal: str) -> str:
    normal = re.sub(r"\s+", " ", normal).strip(" «»\"'.,")
    # Abbreviations keep their capitals: «МИДа» → «МИД», not «мид».
    if re.match(r"^[A-ZА-ЯЁ]{2,}", text) and normal.islower():
        return normal.upper()
    if normal[:1].islower() and text[:1].isupper():
        return normal[:1].upper() + normal[1:]
    return normal


def _key(name: str) -> str:
    return lemma(name.split()[-1])


def extract(texts: list[str], exclude: set[str] = frozenset()) -> list[Found]:
    """Entities of a list of text blocks (title, lead, paragraphs), most mentioned first.

    `exclude` holds names never to suggest, such as the site's rubric titles.
    """
    excluded = {name.casefold() for name in exclude}
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        if not text.strip():
            continue
        for kind, raw, normal in _spans(text):
            name = _clean(raw, normal)
            if len(name) < 2 or name.casefold() in excluded or kind not in KINDS:
                continue
            counts[(kind, name)] += 1
    # Single-word person names join the longest full name with the same surname.
    full_names = {}
    for kind, name in sorted(counts, key=lambda item: -len(item[1])):
        if kind == "PER" and " " in name:
            for word in name.split():
                full_names.setdefault(lemma(word), name)
    merged: Counter[tuple[str, str]] = Counter()
    for (kind, name), mentions in counts.items():
        if kind == "PER" and " " not in name:
            name = full_names.get(_key(name), name)
        merged[(kind, name)] += mentions
    return [
        Found(kind=kind, name=name, mentions=mentions)
        for (kind, name), mentions in merged.most_common()
    ]
