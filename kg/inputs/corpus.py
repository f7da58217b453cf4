"""The whole input of a build: articles, their sidecars, the catalogue and the curated facts.

``load_corpus(root)`` reads ``root/seeds/*.txt`` (with ``<stem>.yaml`` sidecars),
``root/ontology/actors.yaml`` and ``root/ontology/sources.yaml``. Every problem in
every file is collected and reported together, each with its file and line, so a
curator fixes them in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, KgError, Problem, ValidationError
from .articles import Article, read_article
from .catalogue import Catalogue, load_catalogue
from .facts import Fact, parse_curated_facts
from .yamlfile import LineDict, load_yaml


@dataclass
class Corpus:
    """What a build reads."""

    root: Path
    articles: dict[str, Article]
    catalogue: Catalogue
    facts: list[Fact]
    rejected: dict[str, list] = field(default_factory=dict)

    @property
    def ontology_path(self) -> Path:
        return self.root / "ontology" / "kg.ttl"

    @property
    def shapes_path(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"


def article_paths(seeds: Path) -> list[Path]:
    """The article files of a seeds folder, in a stable order."""
    return sorted(p for p in Path(seeds).glob("*.txt") if p.is_file())


def load_corpus(root: Path | str = ".") -> Corpus:
    """Read and check every input under ``root``; raise one error listing every problem."""
    root = Path(root)
    seeds = root / "seeds"
    if not (root / "ontology" / "actors.yaml").exists():
        raise InputError(f"no actor catalogue at {root / 'ontology' / 'actors.yaml'}; "
                         "this is not a kg project folder (one with seeds/ and ontology/)")
    catalogue = load_catalogue(root / "ontology" / "actors.yaml", root / "ontology" / "sources.yaml",
                               root=root)
    problems: list[Problem] = []
    articles: dict[str, Article] = {}
    facts: list[Fact] = []
    rejected: dict[str, list] = {}
    unreadable = False   # a file that cannot be read at all makes the error an InputError (exit 2)
    for path in article_paths(seeds):
        shown = f"seeds/{path.name}"
        sidecar_path = path.with_suffix(".yaml")
        sidecar_shown = f"seeds/{sidecar_path.name}"
        sidecar: dict = {}
        try:
            if sidecar_path.exists():
                sidecar = load_yaml(sidecar_path, display=sidecar_shown) or {}
                if not isinstance(sidecar, dict):
                    raise InputError("a sidecar must be a mapping",
                                     [Problem("expected 'article:' and 'facts:'", sidecar_shown, 1)])
                unknown = set(sidecar) - {"article", "facts", "rejected"}
                if unknown:
                    problems.append(Problem(f"unknown sections {sorted(unknown)}", sidecar_shown, 1))
            article = read_article(path, display=shown, meta=sidecar.get("article") or {})
        except KgError as exc:
            unreadable = unreadable or isinstance(exc, InputError)
            problems.extend([Problem(f"{exc.args[0]}: {p.message}", p.path, p.line) for p in exc.problems]
                            or [Problem(str(exc), shown)])
            continue
        if article.publisher and catalogue.resolve_source(article.publisher) is None:
            meta = sidecar.get("article")
            line = meta.line_of("publisher") if isinstance(meta, LineDict) else None
            problems.append(Problem(f"publisher {article.publisher!r} is not in ontology/sources.yaml",
                                    sidecar_shown, line))
        articles[article.id] = article
        facts.extend(parse_curated_facts(sidecar.get("facts"), article, catalogue,
                                         path=sidecar_shown, problems=problems))
        if sidecar.get("rejected"):
            rejected[article.id] = list(sidecar["rejected"])
    for orphan in sorted(Path(seeds).glob("*.yaml")):
        if not orphan.with_suffix(".txt").exists():
            problems.append(Problem("a sidecar without its article (.txt)", f"seeds/{orphan.name}", None))
    if problems:
        error = InputError if unreadable else ValidationError
        raise error(f"{len(problems)} problem(s) in the inputs", problems)
    return Corpus(root, articles, catalogue, facts, rejected)
