"""The relation lexicon's examples, each proved on the real parser: what it must read, and the traps.

Every entry of ``kg/extract/data/lexicon.yaml`` carries example sentences; each
becomes one test here. ``facts`` must all be extracted from the sentence alone;
``not`` must not be (negation, denial, threats, hypotheticals, attribution,
a generic word in another theatre).
"""

from __future__ import annotations

import pytest

from kg.extract.lexicon import load_lexicon
from kg.inputs.articles import Article
from kg.inputs.catalogue import fold
from kg.inputs.facts import split_fact

EXAMPLES = load_lexicon().examples


def _facts(extractor, text: str) -> set[tuple[str, str, str]]:
    from pathlib import Path

    article = Article("example", Path("example.txt"), text, "0")
    out = set()
    for f in extractor.extract(article).facts:
        s, o = fold(f.subject.label), fold(f.object.label)
        if f.relation in {"alliedWith", "cooperatesWith", "opposes"}:
            s, o = sorted((s, o))
        out.add((s, f.relation, o))
    return out


def _read(fact: str, extractor) -> tuple[str, str, str]:
    parts = split_fact(fact)
    assert parts is not None, f"cannot read example fact {fact!r}"
    s, r, o = parts
    catalogue = extractor.world.catalogue
    s = fold(catalogue.resolve(s).label if catalogue.resolve(s) else s)
    o = fold(catalogue.resolve(o).label if catalogue.resolve(o) else o)
    if r in {"alliedWith", "cooperatesWith", "opposes"}:
        s, o = sorted((s, o))
    return (s, r, o)


@pytest.mark.parametrize("text,facts,absent", EXAMPLES, ids=[e[0][:60] for e in EXAMPLES])
def test_lexicon_example(extractor, text, facts, absent):
    found = _facts(extractor, text)
    for fact in facts:
        assert _read(fact, extractor) in found, f"{fact!r} not read from {text!r}; read {sorted(found)}"
    for fact in absent:
        assert _read(fact, extractor) not in found, f"{fact!r} wrongly read from {text!r}"
