"""The analysis modules' Examples sections run as doctests, so the documentation stays true."""

import doctest
import importlib

import pytest

MODULES = ["kg.analysis", "kg.analysis.conflicts", "kg.analysis.centrality",
           "kg.analysis.balance"]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
