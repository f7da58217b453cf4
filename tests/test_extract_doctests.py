"""The examples in the extractor's docstrings run, and pass (model, world gazetteer, lexicon, relations)."""

import doctest
import importlib

import pytest

MODULES = ["kg.extract.model", "kg.extract.world", "kg.extract.lexicon", "kg.extract.newactors",
           "kg.extract.arguments", "kg.extract.modality", "kg.extract.offices", "kg.extract",
           "kg.extract.relations", "kg.extract.mentions"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
