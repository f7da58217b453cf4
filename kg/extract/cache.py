"""The per-article extraction cache: what one article's extraction depends on, and where it is kept.

Extracting an article is a pure function of

- the article: its id, text, date, title and publisher;
- the extractor: kg's extraction code, its lexicon and world gazetteer, the spaCy
  pipeline and spaCy's version (:func:`extractor_fingerprint`);
- the part of the catalogue the article can reach: every actor (curated or from the
  gazetteer, as merged) one of whose names or adjectives has all its words in the
  article, with what the gazetteer knows of it (offices, theatres, capital), the
  actors those point to, and the sources the article may name (:class:`Reach`).

The key of an article is the digest of those three, so a rebuild re-extracts only
what changed: an edited article or its date; every article after a change to the
extractor; and after a catalogue edit only the articles that name (or named) the
actor edited. Words are compared as sets, so "the government in Tripoli" reaches
a "Tripoli government"; the test errs on the side of re-extracting.

Entries are pickles under ``build/cache/extract/`` (content-addressed, written
atomically; an unreadable entry is extracted again). A build keeps the entries its
corpus uses and drops the rest.

>>> from kg.inputs.catalogue import Actor, Catalogue
>>> from kg.extract.world import load_world
>>> reach = Reach(load_world(Catalogue({"Turkey": Actor("Turkey", "Turkey", "State")}, {})))
>>> "Turkey" in reach.actors("Ankara said the Turkish army would stay.")
True
>>> "Turkey" in reach.actors("Nobody else is named here.")
False
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import pickle
import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import OutputError
from ..files import atomic_write
from ..inputs.articles import Article
from ..inputs.catalogue import Actor, Source, fold
from .model import model_name
from .world import DATA, World

_WORD = re.compile(r"\w+")
_CODE = Path(__file__).resolve().parent
#: kg modules outside kg.extract whose code shapes what an extraction holds
_SHARED_CODE = ("inputs/articles.py", "inputs/catalogue.py", "inputs/facts.py", "vocabulary.py", "dates.py")
#: modules of kg.extract that say how and where extractions are made, kept and merged, not what they hold
_NOT_EXTRACTION = ("cache.py", "parallel.py", "curation.py", "formats.py")
FORMAT = 1   # bump when the layout of a cache entry changes


def words(text: str) -> set[str]:
    """The folded words of a text (no diacritics, case folded), as the catalogue's names are matched.

    >>> sorted(words("Erdoğan's TÜRKİYE"))
    ['erdogan', 's', 'turkiye']
    """
    return set(_WORD.findall(fold(text)))


@lru_cache(maxsize=8)
def extractor_fingerprint(model: str | None = None) -> str:
    """The digest of everything but the article and the catalogue that an extraction depends on.

    kg's extraction code and data (lexicon, world gazetteer), the spaCy pipeline's
    ``meta.json`` and spaCy's version; ``model`` as for :func:`kg.extract.model.load_model`.
    """
    digest = hashlib.sha256(f"kg-extract-cache {FORMAT}\n".encode())
    kg_root = _CODE.parent
    code = [p for p in _CODE.glob("*.py") if p.name not in _NOT_EXTRACTION]
    files = sorted([*code, *_CODE.glob("data/*.yaml"), *DATA.glob("*.yaml")]) + \
        [kg_root / name for name in _SHARED_CODE]
    for path in files:
        digest.update(f"{path.relative_to(kg_root).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    name = model_name(model)
    spec = importlib.util.find_spec(name)
    location = Path(spec.origin).parent if spec is not None and spec.origin else Path(name)
    metas = sorted(location.glob("*/meta.json")) + sorted(location.glob("meta.json"))
    digest.update(f"model {name}\n".encode())
    for meta in metas:
        digest.update(meta.read_bytes())
    try:
        digest.update(f"spacy {importlib.metadata.version('spacy')}\n".encode())
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - spaCy is a dependency
        pass
    return digest.hexdigest()


def _entry(item: Actor | Source) -> str:
    """An actor or source as the cache sees it: every field but its line in the catalogue."""
    return repr(dataclasses.replace(item, line=None))


class Reach:
    """Which actors and sources of a merged world one article can reach, by the words it contains."""

    def __init__(self, world: World):
        self.world = world
        self._index: dict[str, list[tuple[frozenset[str], str]]] = {}
        for actor in world.catalogue.actors.values():
            for name in (*actor.names, *actor.adjectives):
                self._add(name, actor.id)
        for metonym, state in world.metonyms.items():
            self._add(metonym, state)
        self._sources: list[tuple[frozenset[str], Source]] = [
            (frozenset(words(name)), source) for source in world.catalogue.sources.values()
            for name in (source.label, *getattr(source, "aliases", ()))]

    def _add(self, name: str, actor_id: str) -> None:
        key = frozenset(words(name))
        if key:
            self._index.setdefault(max(key, key=lambda w: (len(w), w)), []).append((key, actor_id))

    def actors(self, text: str, found: set[str] | None = None) -> set[str]:
        """The ids of the actors whose names the text contains (all their words), and those they point to."""
        found = words(text) if found is None else found
        reached = {actor for word in found for key, actor in self._index.get(word, ()) if key <= found}
        world = self.world
        pointed: set[str] = set()
        for actor in reached:
            pointed.update(office.of for office in world.offices.get(actor, ()))
            pointed.update(world.theatres.get(actor, ()))
            if actor in world.capitals:
                pointed.add(world.capitals[actor])
        return reached | pointed

    def digest(self, text: str, found: set[str] | frozenset[str] | None = None) -> str:
        """The digest of what of the world an article with this text (whose :func:`words` are
        ``found``, when known) can reach."""
        found = words(text) if found is None else set(found)
        lines = [line for line in map(self._line, sorted(self.actors(text, found))) if line is not None]
        lines.extend(sorted(_entry(source) for key, source in self._sources if key and key <= found))
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()

    @cached_property
    def fingerprint(self) -> str:
        """The digest of everything :meth:`digest` may read (every actor, name and source of the world):
        while it is unchanged, an article's digest depends on its words alone."""
        world = self.world
        lines = [f"{word}>{sorted((sorted(key), actor) for key, actor in keys)!r}"
                 for word, keys in sorted(self._index.items())]
        lines += [line for line in map(self._line, sorted(world.catalogue.actors)) if line is not None]
        lines += sorted(f"{sorted(key)!r}>{_entry(source)}" for key, source in self._sources)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()

    def _line(self, actor_id: str) -> str | None:
        """An actor as :meth:`digest` sees it: its entry and what the gazetteer knows of it."""
        world = self.world
        actor = world.actor(actor_id)
        if actor is None:
            return None
        return "|".join((_entry(actor), world.origin.get(actor_id, ""),
                         repr(sorted(map(repr, world.offices.get(actor_id, ())))),
                         repr(sorted(world.theatres.get(actor_id, ()))),
                         repr(world.capitals.get(actor_id)), repr(actor_id in world.monarchies)))


def article_key(article: Article, reach: Reach, fingerprint: str,
                found: set[str] | frozenset[str] | None = None, reached: str | None = None) -> str:
    """The cache key of one article's extraction (``found``: the article's :func:`words`, and
    ``reached``: its :meth:`Reach.digest`, when known)."""
    digest = hashlib.sha256()
    reached = reach.digest(article.text, found) if reached is None else reached
    for part in (fingerprint, article.id, str(article.date or ""), article.title or "", article.publisher or "",
                 reached, article.text):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


class ExtractionCache:
    """Extractions on disk under ``folder``, one pickle per key."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """Whether an extraction is kept for ``key`` (it may still prove unreadable: :meth:`get` says)."""
        return self._path(key).is_file()

    def get(self, key: str):
        """The cached extraction for ``key``, or None (missing, or unreadable: extracted again)."""
        return _read(self._path(key))

    def put(self, key: str, extraction) -> None:
        """Keep an extraction (atomically; a cache that cannot be written is only a slower build)."""
        try:
            atomic_write(self._path(key), pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))
        except OutputError:
            return

    def keys(self, articles: Iterable[Article], reach: Reach, fingerprint: str) -> list[str]:
        """Each article's :func:`article_key`, from what ``texts.pickle`` keeps by the digest of its text:
        its folded words (while the extractor's ``fingerprint`` is the same) and its reach (while the
        world's :attr:`Reach.fingerprint` is): folding every text and looking up its actors again was
        most of what a rebuild spent on its cache keys."""
        path = self.folder / "texts.pickle"
        kept = _read(path)
        same = isinstance(kept, dict) and kept.get("fingerprint") == fingerprint and isinstance(kept.get("texts"), dict)
        table = kept["texts"] if same else {}
        world = reach.fingerprint
        same_world = same and kept.get("world") == world
        fresh: dict[str, tuple[tuple[str, ...], str]] = {}   # (sorted: the same table pickles to the same bytes)
        keys = []
        for article in articles:
            digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
            entry = table.get(digest)
            if not (isinstance(entry, tuple) and len(entry) == 2):
                entry = (tuple(sorted(words(article.text))), "")
            found, reached = entry
            if not same_world or not reached:
                reached = reach.digest(article.text, frozenset(found))
            fresh[digest] = (found, reached)
            keys.append(article_key(article, reach, fingerprint, reached=reached))
        if fresh != table or not same_world:
            try:
                atomic_write(path, pickle.dumps({"fingerprint": fingerprint, "world": world, "texts": fresh},
                                                protocol=pickle.HIGHEST_PROTOCOL))
            except OutputError:
                pass
        return keys

    def keep(self, keys: Iterable[str]) -> int:
        """Remove every entry but ``keys`` (and unfinished writes); return how many were removed."""
        wanted = {f"{key}.pickle" for key in keys}
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.glob("*/*"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _read(path: Path):
    """The object pickled at ``path``, or None when it is missing or unreadable."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
            ValueError, IndexError):
        return None
