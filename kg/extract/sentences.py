"""Sentence segmentation that keeps the exact text of every sentence.

A :class:`Sentence` is a span of the article text (``text[start:end]``), so a
quote taken from it is always a verbatim substring of the article. Paragraphs
(lines) never share a sentence; inside a line a sentence ends at ``.``, ``!`` or
``?`` (and any closing quotes or brackets) followed by a space and a capital, a
digit or an opening quote, except after an abbreviation ("Mr.", "U.S.", "Feb.")
or a single initial ("James F. Jeffrey").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: words that end with a full stop without ending a sentence (compared without the dot, lower case)
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep st mt ft no nos vs etc al
jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp jr sr rev
u.s u.n u.k u.s.a e.g i.e a.m p.m
""".split())

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9ÀÇÉİÖÜŞ])")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its position in the article text and its exact words."""

    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split a text into sentences whose ``text`` is exactly ``text[start:end]``.

    >>> [s.text for s in split_sentences("Mr. Putin met Mr. Erdogan. They agreed.\\nA heading")]
    ['Mr. Putin met Mr. Erdogan.', 'They agreed.', 'A heading']
    >>> [s.text for s in split_sentences("James F. Jeffrey, the U.S. envoy, spoke.")]
    ['James F. Jeffrey, the U.S. envoy, spoke.']
    """
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        begin = line.start()
        for end in _ends(line.group(), line.start()):
            _add(sentences, text, begin, end)
            begin = end
        _add(sentences, text, begin, line.end())
    return sentences


def _ends(line: str, offset: int):
    for match in _END.finditer(line):
        before = line[: match.start()]
        word = re.search(r"(\S+)$", before)
        token = word.group(1).lower().lstrip("(\"'“‘[") if word else ""
        if match.group().startswith(".") and (token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token)
                                              or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)):
            continue
        yield offset + match.end()


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))
