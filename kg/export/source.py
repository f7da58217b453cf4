"""What the exporters read: a built graph, with the views they share made once."""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

import networkx as nx

from .. import namespaces as ns
from ..built import ONTOLOGY, BuiltGraph
from ..graph.quads import to_rdflib
from ..memo import Table
from .graphs import flat_network
from .rdf import default_ontology

T = TypeVar("T")


class Source:
    """A :class:`~kg.built.BuiltGraph` as the exporters read it: its RDF (whole, and in
    :attr:`sections`), its ontology, its network with the analysis scores on the actors, and the flat
    network of the graph formats. ``fragments``, if given, remembers the text of each article's section
    in each format (:func:`kg.export.rdf.fragments_table`), so that a rebuild writes only the new ones."""

    def __init__(self, data: BuiltGraph | Any, *, fragments: Table | None = None):
        self.built = data if isinstance(data, BuiltGraph) else BuiltGraph.of(data)
        self.fragments = fragments if fragments is not None else Table(None, code=())

    def fragments_of(self, fmt: str, make: Callable[[list[str]], T]) -> list[T]:
        """Each article's section (:attr:`sections`) in format ``fmt``: made by ``make`` from its lines, or
        remembered while they are the same."""
        _, articles = self.sections
        lines_of = dict(zip(self.section_keys, articles, strict=True))
        return self.fragments.get(fmt, self.section_keys, lambda key: make(lines_of[key]))

    @property
    def is_dataset(self) -> bool:
        return self.built.is_dataset

    @cached_property
    def ntriples(self) -> str:
        """The knowledge graph (every named graph but the ontology) as sorted N-Triples: N-Triples,
        Turtle, RDF/XML and JSON-LD are written from them."""
        return "".join(line + "\n" for line in self.built.triple_lines)

    @cached_property
    def sections(self) -> tuple[list[str], list[list[str]]]:
        """The knowledge graph's N-Triples lines (:attr:`ntriples`) as the text exports write them: first
        the core (actors, relations, statements, analysis), then each article's section, in the order of
        their IRIs: the article's node and the evidence quoted from it (what grows with the articles, and
        is the same from one build to the next unless the article changed)."""
        return _sections(self.built.triple_lines)

    @cached_property
    def section_keys(self) -> list[str]:
        """The digest of each article's section (its lines): what its text in any format is made of."""
        return [hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest() for lines in self.sections[1]]

    @property
    def quad_lines(self) -> list[tuple[str, str]]:
        """The dataset's sorted N-Quads lines with their graphs (N-Quads and TriG are written from them)."""
        return self.built.quads

    @cached_property
    def ontology(self) -> Any:
        """The ontology as an rdflib Graph: the dataset's ontology graph, else the project's ``ontology/kg.ttl``."""
        if self.is_dataset:
            lines = [line for graph, line in self.built.quads if graph == ONTOLOGY]
            if lines:
                return to_rdflib(lines, dataset=False)
        return default_ontology()

    @cached_property
    def network(self) -> nx.MultiDiGraph:
        """Every actor and relation, each actor with its analysis scores (``pagerank``, ``bloc``...)."""
        g = self.built.network.copy()
        for node, scores in self.built.analysis.scores().items():
            if node in g:
                g.nodes[node].update(scores)
        return g

    @cached_property
    def flat(self) -> nx.MultiDiGraph:
        return flat_network(self.network)


def _sections(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """(the core's lines, each article's lines) of sorted N-Triples ``lines``: an article's are those whose
    subject is the article or a piece of evidence ``kg:fromArticle`` it (orphaned evidence stays in the core).

    >>> kg = "https://w3id.org/conflict-kg/"
    >>> core, articles = _sections([f"<{kg}Turkey> <{kg}backs> <{kg}SNA> .",
    ...                             f"<{kg}article/a> <{kg}publisher> <{kg}source/AFP> .",
    ...                             f"<{kg}evidence/e1> <{kg}fromArticle> <{kg}article/a> ."])
    >>> len(core), [len(a) for a in articles]
    (1, [2])
    """
    article, evidence, from_article = f"<{ns.KG_IRI}article/", f"<{ns.KG_IRI}evidence/", f" <{ns.KG_IRI}fromArticle> "
    # (the lines are sorted: each kind of subject is one run, and each subject's lines are together)
    articles, pieces = _run(lines, article), _run(lines, evidence)
    by_article: dict[str, list[str]] = {}
    for subject, group in itertools.groupby(lines[articles], key=lambda line: line[:line.index(" ")]):
        by_article.setdefault(subject, []).extend(group)
    orphans: list[str] = []
    for _, group in itertools.groupby(lines[pieces], key=lambda line: line[:line.index(" ")]):
        piece = list(group)
        owner = next((line.partition(from_article)[2][:-2] for line in piece if from_article in line), "")
        (by_article.setdefault(owner, []) if owner.startswith(article) else orphans).extend(piece)
    core = [*lines[:articles.start], *lines[articles.stop:pieces.start], *lines[pieces.stop:]]
    return sorted(core + orphans) if orphans else core, [by_article[a] for a in sorted(by_article)]


def _run(lines: list[str], prefix: str) -> slice:
    """Where the sorted ``lines`` that begin with ``prefix`` are."""
    return slice(bisect.bisect_left(lines, prefix), bisect.bisect_left(lines, prefix[:-1] + chr(ord(prefix[-1]) + 1)))
