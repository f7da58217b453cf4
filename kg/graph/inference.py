"""Inference: what the ontology's axioms entail, materialised so that plain SPARQL sees it."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .. import namespaces as ns

KG = ns.KG


def add_inferred(g_inf: Graph, ontology: Graph, g_actors: Graph, g_facts: Graph) -> None:
    """Materialise what the ontology's axioms entail, so plain SPARQL sees it.

    The rules are read from the ontology (owl:inverseOf, owl:SymmetricProperty,
    owl:TransitiveProperty, rdfs:subClassOf) rather than written here, and the
    kg:ProxyGroup definition (an ArmedGroup backed by some State) is applied.
    tests/test_ontology.py checks the result against the owlrl reasoner.
    """
    inverse: dict[Node, Node] = {}
    for p, q in ontology.subject_objects(OWL.inverseOf):
        inverse[p], inverse[q] = q, p
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))

    asserted = set(g_facts)
    closure = set(asserted)
    for p in transitive:
        pairs = {(s, o) for s, q, o in closure if q == p}
        changed = True
        while changed:
            new = {(a, d) for a, b in pairs for c, d in pairs if b == c and a != d} - pairs
            pairs |= new
            changed = bool(new)
        closure |= {(s, p, o) for s, o in pairs}
    for s, p, o in list(closure):
        if p in symmetric:
            closure.add((o, p, s))
    for s, p, o in list(closure):
        if p in inverse:
            closure.add((o, inverse[p], s))
    for triple in closure - asserted:
        g_inf.add(triple)

    superclasses: dict[Node, set[URIRef]] = defaultdict(set)
    for c, d in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(d, URIRef):
            superclasses[c].add(d)
    for actor, cls in g_actors.subject_objects(RDF.type):
        for sup in superclasses.get(cls, ()):
            g_inf.add((actor, RDF.type, sup))

    states = set(g_actors.subjects(RDF.type, KG.State))
    for group in g_actors.subjects(RDF.type, KG.ArmedGroup):
        if any((patron, KG.backs, group) in closure for patron in states):
            g_inf.add((group, RDF.type, KG.ProxyGroup))


