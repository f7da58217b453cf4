"""Validation: the SHACL shapes of ``ontology/shapes.ttl`` and the evidence checks.

``validate(ds, corpus)`` returns a :class:`Report`; it never raises for
violations, so callers decide (the build refuses a graph that does not conform,
``kg validate`` prints the report and exits 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from .. import namespaces as ns
from ..errors import Problem
from ..inputs.corpus import Corpus
from .build import knowledge_graph


@dataclass
class Report:
    """The outcome of validation: does the graph conform, and if not, why."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        lines = ["checked: " + ", ".join(f"{v} {k}" for k, v in self.checked.items())]
        if self.conforms:
            lines.append("conforms: yes — every shape holds and every quote is found in its article")
        else:
            lines.append(f"conforms: no — {len(self.problems)} violation(s):")
            lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)


def validate(ds: Dataset, corpus: Corpus) -> Report:
    """Run the SHACL shapes over the knowledge graph and check every quote against its article."""
    import pyshacl

    data = knowledge_graph(ds)
    for triple in ds.graph(ns.GRAPH_ONTOLOGY):
        data.add(triple)
    shapes = Graph().parse(corpus.shapes_path, format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                            advanced=True, allow_warnings=False)
    problems = [] if conforms else _shacl_problems(results)

    KG = ns.KG
    evidence = list(data.subjects(RDF.type, KG.Evidence))
    articles = {str(a): corpus.articles[str(data.value(a, ns.DCTERMS.identifier))]
                for a in data.subjects(RDF.type, KG.Article)}
    for e in evidence:
        quote = str(data.value(e, KG.quote) or "")
        article = articles.get(str(data.value(e, KG.fromArticle)))
        if article is None or not article.contains(quote):
            where = str(data.value(e, KG.curatedIn) or e)
            problems.append(Problem(f"quote not found in its article: {quote[:80]!r}", where))
    checked = {
        "actors": len(set(data.subjects(RDF.type, KG.Actor))),
        "statements": len(set(data.subjects(RDF.type, KG.Statement))),
        "evidence": len(evidence),
        "articles": len(articles),
    }
    return Report(not problems, problems, checked)


def _shacl_problems(results: Graph) -> list[Problem]:
    SH = ns.SH
    problems = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        message = results.value(r, SH.resultMessage)
        text = f"{_short(focus)}"
        if path is not None:
            text += f" {_short(path)}"
        text += f": {message}"
        problems.append(Problem(text))
    return sorted(problems, key=str)


def _short(term) -> str:
    text = str(term)
    for prefix, iri in ns.PREFIXES.items():
        if text.startswith(iri):
            return f"{prefix}:{text[len(iri):]}"
    return text
