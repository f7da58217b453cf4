"""Shared fixtures: the project's own seed graph, and tiny hand-made projects.

``make_project`` writes a small, complete project (articles, sidecars, catalogue)
into a temporary folder, so a test states exactly the input it is about.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MINI_ACTORS = """\
Turkey:
  class: State
  aliases: [Ankara, Turkish army]
  adjectives: [Turkish]
  wikidata: Q43
Russia:
  class: State
  aliases: [Moscow, the Kremlin]
  adjectives: [Russian]
  wikidata: Q159
Syria:
  class: State
  aliases: [Damascus, the regime]
  wikidata: Q858
Failaq al-Sham:
  class: ArmedGroup
Recep Tayyip Erdoğan:
  class: Leader
  aliases: [Erdogan, Mr. Erdogan]
  wikidata: Q39723
NATO:
  class: Organization
  wikidata: Q7184
Sochi agreement:
  class: Agreement
Idlib:
  class: Region
Saraqib:
  class: Region
  aliases: [Saraqeb]
northwest Syria:
  class: Region
"""

MINI_SOURCES = """\
Al Jazeera:
  kind: Outlet
Charles Lister:
  kind: Person
  role: director of the Middle East Institute
  affiliation: Middle East Institute
Middle East Institute:
  kind: Organization
"""

MINI_ARTICLE = (
    " date 2020-10-27 Open this photo in gallery Fighters in Idlib. AFP/Getty Images\n\n"
    "A Russian air strike hit Failaq al-Sham, one of the largest Turkey-backed armed groups. "
    "Erdogan leads Turkey, a NATO member. Turkey and Russia signed the Sochi agreement. "
    "Saraqeb is in Idlib, which is in northwest Syria.\n"
)

MINI_FACTS = """\
article:
  publisher: Al Jazeera
  publisher_basis: the test says so
facts:
  - fact: Turkey backs Failaq al-Sham
    quote: one of the largest Turkey-backed armed groups
  - fact: Russia attacked Failaq al-Sham
    quote: A Russian air strike hit Failaq al-Sham
    date: 2020-10-26
    said_by: Charles Lister
  - fact: Erdogan leaderOf Turkey
    quote: Erdogan leads Turkey
  - fact: Turkey memberOf NATO
    quote: Erdogan leads Turkey, a NATO member.
  - fact: Turkey partyTo Sochi agreement
    quote: Turkey and Russia signed the Sochi agreement.
  - fact: Russia partyTo Sochi agreement
    quote: Turkey and Russia signed the Sochi agreement.
  - fact: Russia cooperatesWith Turkey
    quote: Turkey and Russia signed the Sochi agreement.
  - fact: Saraqib locatedIn Idlib
    quote: Saraqeb is in Idlib
  - fact: Idlib locatedIn northwest Syria
    quote: which is in northwest Syria
"""


def write_project(root: Path, *, actors: str = MINI_ACTORS, sources: str = MINI_SOURCES,
                  articles: dict[str, str | bytes] | None = None,
                  sidecars: dict[str, str] | None = None) -> Path:
    """Write a complete small project into ``root`` and return it."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "ontology").mkdir(parents=True, exist_ok=True)
    for name in ("kg.ttl", "shapes.ttl"):
        shutil.copy(ROOT / "ontology" / name, root / "ontology" / name)
    (root / "ontology" / "actors.yaml").write_text(textwrap.dedent(actors), encoding="utf-8")
    (root / "ontology" / "sources.yaml").write_text(textwrap.dedent(sources), encoding="utf-8")
    articles = {"a": MINI_ARTICLE} if articles is None else articles
    sidecars = {"a": MINI_FACTS} if sidecars is None else sidecars
    for stem, text in articles.items():
        path = root / "seeds" / f"{stem}.txt"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    for stem, text in sidecars.items():
        (root / "seeds" / f"{stem}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path):
    """``make_project(**overrides)`` -> the path of a fresh small project."""
    counter = iter(range(1000))

    def make(**kwargs) -> Path:
        return write_project(tmp_path / f"project{next(counter)}", **kwargs)

    return make


@pytest.fixture
def mini(make_project):
    return make_project()


@pytest.fixture(scope="session")
def seed_dataset(seed_project):
    """The knowledge graph of the project's own seed articles, as the session's one build wrote it."""
    from kg.project import load_built

    return load_built(seed_project / "build")


@pytest.fixture(scope="session")
def seed_graph(seed_dataset):
    """The seed knowledge graph as one rdflib Graph, with the ontology, ready for SPARQL."""
    from kg.graph.build import knowledge_graph
    from kg.namespaces import GRAPH_ONTOLOGY

    graph = knowledge_graph(seed_dataset)
    for triple in seed_dataset.graph(GRAPH_ONTOLOGY):
        graph.add(triple)
    return graph


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


def require(piece: str, available: bool, why: str) -> None:
    """Skip when an outside piece is missing, except in CI, where it is an error."""
    if available:
        return
    if os.environ.get("KG_REQUIRE_ALL") or os.environ.get("CI"):
        pytest.fail(f"{piece} is required here but missing: {why}")
    pytest.skip(f"{piece} missing: {why}")


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory):
    """A copy of the project's seeds and ontology, built once per session (build/ and build/store)."""
    import kg

    root = tmp_path_factory.mktemp("seed-project")
    for name in ("seeds", "ontology"):
        shutil.copytree(ROOT / name, root / name)
    kg.run_build(root)
    return root


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The Oxigraph server binary (the `oxigraph` test extra installs it beside python)."""
    import sys

    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextlib.contextmanager
def oxigraph_server(location: Path, *, load: Path | None = None):
    """Run a real Oxigraph SPARQL server on a free 127.0.0.1 port; yield its base URL.

    The default graph is the union of the named graphs, as kg serves it. ``load`` is
    an RDF file loaded into the store before the server starts. The server is
    stopped when the block ends.
    """
    import subprocess
    import time
    import urllib.request

    binary = oxigraph_binary()
    require("the oxigraph server", binary is not None, "pip install oxigraph (a test extra)")
    if load is not None:
        subprocess.run([binary, "load", "--location", str(location), "--file", str(load)],
                       check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the oxigraph server did not start: {server.stderr.read()!r}") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def extractor():
    """The extractor over the project's catalogue and the world gazetteer (the spaCy model loads once)."""
    from kg.extract import Extractor
    from kg.inputs.catalogue import load_catalogue

    return Extractor(load_catalogue(ROOT / "ontology" / "actors.yaml", ROOT / "ontology" / "sources.yaml",
                                    root=ROOT))
