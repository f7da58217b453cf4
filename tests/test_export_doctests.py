"""The examples in the docstrings of the export, endpoint and push modules run, and pass."""

import doctest
import importlib

import pytest

import kg


@pytest.mark.parametrize("module", ["kg.export", "kg.server", "kg.push", "kg"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_the_package_exports_the_notebook_functions():
    from kg.export import export
    from kg.push import push
    from kg.server import make_app

    assert kg.export_graph is export and kg.push_graph is push and kg.make_app is make_app
    assert "graphml" in kg.EXPORTERS and callable(kg.load_built)
