"""What a build reads: articles, their sidecars (curated facts and rejections), the catalogue.

- :mod:`kg.inputs.articles`   article files and their metadata
- :mod:`kg.inputs.catalogue`  the curated actors and sources (``ontology/actors.yaml``, ``sources.yaml``)
- :mod:`kg.inputs.facts`      curated facts: one relation between two catalogue actors, with its quote
- :mod:`kg.inputs.corpus`     all of them together, every problem reported at once
- :mod:`kg.inputs.yamlfile`   YAML with line numbers, for messages that point at the line
"""
