"""The ontology: its vocabulary, its definitions, and inference that agrees with an OWL reasoner."""

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import kg
from kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, KG
from kg.vocabulary import ACTOR_CLASSES, RELATIONS
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ROOT / "ontology" / "kg.ttl", format="turtle")


def test_every_relation_is_an_object_property_with_label_definition_domain_and_range(ontology):
    for name in RELATIONS:
        prop = KG[name]
        assert (prop, RDF.type, OWL.ObjectProperty) in ontology, name
        for needed in (RDFS.label, SKOS.definition, RDFS.domain, RDFS.range):
            assert ontology.value(prop, needed) is not None, (name, needed)


def test_symmetric_and_transitive_relations_are_declared(ontology):
    assert set(ontology.subjects(RDF.type, OWL.SymmetricProperty)) == {KG.alliedWith, KG.cooperatesWith, KG.opposes}
    assert set(ontology.subjects(RDF.type, OWL.TransitiveProperty)) == {KG.locatedIn}


def test_users_can_look_from_the_other_side(ontology):
    assert ontology.value(KG.backs, OWL.inverseOf) == KG.backedBy
    assert ontology.value(KG.leaderOf, OWL.inverseOf) == KG.hasLeader


def test_every_actor_class_is_an_owl_class_under_actor(ontology):
    for name in ACTOR_CLASSES:
        assert (KG[name], RDFS.subClassOf, KG.Actor) in ontology


def test_the_build_infers_what_the_owl_rl_reasoner_infers(mini):
    """A differential test: our materialisation of the ontology's axioms equals owlrl's."""
    import owlrl

    ds = kg.build_graph(mini)
    ours = set(ds.graph(GRAPH_FACTS)) | set(ds.graph(GRAPH_INFERRED)) | set(ds.graph(KG["graph/actors"]))
    reasoned = Graph()
    for name in ("actors", "facts", "ontology"):
        for triple in ds.graph(KG[f"graph/{name}"]):
            reasoned.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(reasoned)
    relations = {KG[r] for r in RELATIONS} | {KG.backedBy, KG.hasLeader, KG.attackedBy, KG.hasParty,
                                               KG.hasMember, KG.controlledBy}
    actor_classes = {KG[c] for c in ACTOR_CLASSES} | {KG.Actor, KG.ProxyGroup}

    def view(triples):
        return {(s, p, o) for s, p, o in triples
                if (p in relations) or (p == RDF.type and o in actor_classes)}

    assert view(ours) == view(reasoned)
