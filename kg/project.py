"""A project: its inputs (``seeds/``, ``ontology/``) and its build (``build/``), and whether they agree.

Every command that reads the graph — ``kg query``, ``kg render``, ``kg analyze``,
``kg export``, ``kg serve``, ``kg push`` — goes through one :class:`Project`: it
rebuilds once when the build is missing or older than its inputs, then reads what
the build wrote. So every command shows the same graph, the same scores and the same
conflicts as ``build/map.html``.

>>> import tempfile
>>> project = Project.at(tempfile.mkdtemp())
>>> project.build_dir.name, project.is_fresh(), project.has_inputs()
('build', False, False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .built import BuiltGraph
from .errors import UsageError
from .graph.validate import Report
from .namespaces import bind_prefixes
from .pipeline import BuildResult, Progress, Workers, checked, run_build
from .stamp import DATASET, STORE_DIR, inputs_fingerprint, is_fresh

Notify = Callable[[str], None]


@dataclass(frozen=True)
class Project:
    """The project folder ``root`` and the folder its build goes to (default ``root/build``)."""

    root: Path
    build_dir: Path

    @classmethod
    def at(cls, root: Path | str = ".", build_dir: Path | str | None = None) -> Project:
        root = Path(root)
        return cls(root, Path(build_dir) if build_dir is not None else root / "build")

    @property
    def store_path(self) -> Path:
        """The built Oxigraph store (``build/store``)."""
        return self.build_dir / STORE_DIR

    @property
    def dataset_path(self) -> Path:
        """The built dataset as N-Quads (``build/dataset.nq``)."""
        return self.build_dir / DATASET

    def has_inputs(self) -> bool:
        """Whether there is anything to build from (``seeds/`` or ``ontology/``)."""
        return (self.root / "seeds").is_dir() or (self.root / "ontology").is_dir()

    def fingerprint(self) -> str:
        """The digest of the inputs (see :func:`kg.stamp.inputs_fingerprint`)."""
        return inputs_fingerprint(self.root)

    def is_fresh(self) -> bool:
        """True when the build exists and was made from the current inputs."""
        return is_fresh(self.root, self.build_dir)

    def build(self, *, progress: Progress | None = None, workers: Workers | None = None) -> BuildResult:
        """Build now, whatever the state of the build (articles extracted as ``workers`` says)."""
        return run_build(self.root, self.build_dir, progress=progress, workers=workers)

    def validate(self, *, progress: Progress | None = None, workers: Workers | None = None) -> Report:
        """Check the inputs and the graph (:func:`kg.graph.validate.validate`), reading and keeping
        extractions and conforming article parts in the build's cache, as a build does."""
        return checked(self.root, self.build_dir, progress=progress, workers=workers)[3]

    def ensure_built(self, *, notify: Notify | None = None) -> None:
        """Build when the build is missing or stale; ``notify(message)`` is told why first.

        Without inputs to build from, an existing build is used as it is.
        """
        if self.is_fresh():
            return
        exists = self.store_path.is_dir() and self.dataset_path.is_file()
        if exists and not self.has_inputs():
            return
        if not self.has_inputs():
            raise UsageError(f"nothing to build in {self.root}: no seeds/ or ontology/ there, and no build "
                             f"in {self.build_dir}")
        if notify is not None:
            notify(f"the graph in {self.build_dir} is {'stale' if exists else 'missing'}; building it first")
        self.build()

    def load(self, *, notify: Notify | None = None) -> BuiltGraph:
        """The built graph (built first when missing or stale), with its network and analysis."""
        self.ensure_built(notify=notify)
        if not self.dataset_path.is_file():
            raise UsageError(f"no built dataset at {self.dataset_path}; build the project first")
        text = self.dataset_path.read_text(encoding="utf-8")
        return BuiltGraph.of([line for line in text.splitlines() if line.strip()])


def load_dataset(path: Path | str) -> Any:
    """A dataset a build wrote (``dataset.nq``), as an rdflib Dataset with kg's prefixes bound."""
    from rdflib import Dataset

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no built dataset at {path}; build the project first")
    ds = Dataset()
    ds.parse(path, format="nquads")
    bind_prefixes(ds)
    return ds


def load_built(build_dir: Path | str = "build") -> Any:
    """The dataset ``kg build`` wrote into ``build_dir`` (its ``dataset.nq``), as an rdflib Dataset.

    It holds what the build added (the analysis in ``kg:graph/analysis``), which
    :func:`kg.build_graph` does not compute.
    """
    return load_dataset(Path(build_dir) / "dataset.nq")
