"""The RDF graph: IRIs, the dataset with provenance and inference, validation, serialisation.

- :mod:`kg.graph.iris`       every IRI kg mints, in one place
- :mod:`kg.graph.build`      facts -> an rdflib Dataset of named graphs, with provenance
- :mod:`kg.graph.inference`  what the ontology's axioms entail, materialised
- :mod:`kg.graph.validate`   SHACL shapes and the evidence checks
- :mod:`kg.graph.serialize`  deterministic Turtle, TriG and N-Quads
"""
