"""The relation registry (kg.vocabulary) says what the ontology and the shapes say, and nothing else."""

import pytest
from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.dates import PartialDate
from kg.errors import UsageError
from kg.namespaces import KG, KG_IRI
from kg.vocabulary import (
    ACTOR_CLASSES,
    AGENT_CLASSES,
    FAMILIES,
    RELATIONS,
    SYMMETRIC,
    VIEWS,
    check_signature,
    expand,
)
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ROOT / "ontology" / "kg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")


def subclasses(ontology, cls) -> set[str]:
    """The local names of the classes at or below ``cls`` in the ontology."""
    found = {cls}
    for sub in ontology.transitive_subjects(RDFS.subClassOf, cls):
        found.add(sub)
    return {str(c)[len(KG_IRI):] for c in found}


def test_the_registry_names_exactly_the_ontologys_relations(ontology):
    """Every sub-property of kg:relation that is not an inverse is in the registry, and nothing else."""
    declared = {str(p)[len(KG_IRI):] for p in ontology.subjects(RDFS.subPropertyOf, KG.relation)}
    inverses = {r.inverse for r in RELATIONS.values() if r.inverse}
    assert set(RELATIONS) == declared - inverses
    assert inverses <= declared


@pytest.mark.parametrize("name", list(RELATIONS))
def test_each_relation_has_the_ontologys_axioms(ontology, name):
    relation, prop = RELATIONS[name], KG[name]
    assert relation.iri == str(prop)
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert relation.symmetric == ((prop, RDF.type, OWL.SymmetricProperty) in ontology)
    assert relation.transitive == ((prop, RDF.type, OWL.TransitiveProperty) in ontology)
    inverse = ontology.value(prop, OWL.inverseOf) or ontology.value(None, OWL.inverseOf, prop)
    assert relation.inverse == (str(inverse)[len(KG_IRI):] if inverse is not None else None)
    # the registry's classes lie inside the ontology's rdfs:domain and rdfs:range
    allowed_domain = subclasses(ontology, ontology.value(prop, RDFS.domain))
    allowed_range = subclasses(ontology, ontology.value(prop, RDFS.range))
    assert (relation.domain or set(ACTOR_CLASSES)) <= allowed_domain
    assert (relation.range or set(ACTOR_CLASSES)) <= allowed_range or relation.range is None


def test_the_actor_classes_are_the_ontologys(ontology):
    below_actor = {str(c)[len(KG_IRI):] for c in ontology.subjects(RDFS.subClassOf, KG.Actor)}
    assert set(ACTOR_CLASSES) == below_actor - {"ProxyGroup"}
    assert AGENT_CLASSES < set(ACTOR_CLASSES)


def test_the_shapes_allow_exactly_the_registrys_relations(shapes):
    lists = [Collection(shapes, node) for node in shapes.objects(None, SH["in"])]
    predicates = [{str(x)[len(KG_IRI):] for x in items} for items in lists
                  if any(str(x) == RELATIONS["backs"].iri for x in items)]
    assert predicates == [set(RELATIONS)]


def test_the_shapes_check_the_registrys_domains_and_ranges(shapes, ontology):
    """A shape that restricts a relation's subject or object class agrees with the registry."""
    for shape in shapes.subjects(SH.targetSubjectsOf, None):
        cls = shapes.value(shape, SH["class"])
        for target in shapes.objects(shape, SH.targetSubjectsOf):
            name = str(target)[len(KG_IRI):]
            if cls is not None:
                assert RELATIONS[name].domain <= subclasses(ontology, cls), name
        for prop in shapes.objects(shape, SH.property):
            path, range_cls = shapes.value(prop, SH.path), shapes.value(prop, SH["class"])
            if range_cls is not None:
                assert RELATIONS[str(path)[len(KG_IRI):]].range <= subclasses(ontology, range_cls)


def test_families_and_signs():
    assert FAMILIES["adversarial"] == {"opposes", "attacked"} == FAMILIES["hostility"]
    assert FAMILIES["cooperative"] == {r for r, rel in RELATIONS.items() if rel.sign > 0}
    assert FAMILIES["territory"] == {"operatesIn", "controls", "locatedIn"}
    assert SYMMETRIC == {"alliedWith", "cooperatesWith", "opposes"}
    assert set(VIEWS) == {"all", "actors", "states"}


def test_names_are_checked():
    assert expand(["backs", "hostility"]) == {"backs", "opposes", "attacked"}
    with pytest.raises(UsageError, match="'befriends'"):
        expand(["befriends"])
    assert check_signature("leaderOf", "State", "State") == "leaderOf needs a subject of class Leader, not State"
    assert check_signature("backs", "State", "ArmedGroup") is None


@pytest.mark.parametrize("text, first, last, precision", [
    ("2020", "2020-01-01", "2020-12-31", "year"),
    ("2020-02", "2020-02-01", "2020-02-29", "month"),
    ("2021-02", "2021-02-01", "2021-02-28", "month"),
    ("2020-03-04", "2020-03-04", "2020-03-04", "day"),
])
def test_a_partial_date_covers_its_whole_year_or_month(text, first, last, precision):
    date = PartialDate.parse(text)
    assert (date.first_day().isoformat(), date.last_day().isoformat(), date.precision) == (first, last, precision)
    assert str(date) == text and PartialDate.parse(str(date)) == date


@pytest.mark.parametrize("text, why", [
    ("2020-13", "is not a date: there is no month 13"), ("20", "is not a date"), ("yesterday", "is not a date"),
    ("2020-1-1-1", "is not a date"), ("", "is not a date"),
    ("2020-02-30", "does not exist: February 2020 has 29 days"),
    ("2021-02-29", "does not exist: February 2021 has 28 days"),
])
def test_what_is_not_a_date_is_refused_with_the_reason(text, why):
    with pytest.raises(ValueError, match=why):
        PartialDate.parse(text)
