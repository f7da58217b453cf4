"""The build's maps: the whole map, a focused map per central actor, and the index linking them.

:func:`map_files` returns the files (name -> HTML); the build writes them with the
rest. The index lists the other outputs by the names the build gives it, so nothing is
read back from disk.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..built import BuiltGraph
from ..files import Run, Work, serially, together
from ..memo import Memo
from .layout import layouts
from .mapdata import MapOptions, map_data, relation_count
from .page import html_page, jinja

#: how many focused maps the build draws (the most central states and armed groups).
FOCUSED_MAPS = 8

#: what the index says about the files other stages write.
KNOWN_FILES = {
    "analysis.md": "the analysis report",
    "analysis.json": "the analysis results as JSON",
    "graph.ttl": "the knowledge graph in Turtle",
    "dataset.trig": "the dataset of named graphs in TriG",
    "dataset.nq": "the dataset of named graphs in N-Quads",
    "extracted.tsv": "every fact the extractor found, and what became of it",
    "proposals.tsv": "new actors the extractor proposes for the catalogue",
}
_NOT_LISTED = {"index.html", "map.html", "store.stamp"}


def map_files(built: BuiltGraph, outputs: list[str], *, run: Run = serially,
              cache: Path | None = None) -> dict[str, str]:
    """``map.html``, ``maps/<Actor>.html`` for the :data:`FOCUSED_MAPS` most central actors, and
    ``index.html`` listing them and ``outputs`` (the names of the build's other files).

    Each map is drawn by one call that ``run`` makes (by default one after the other; the build
    draws them in parallel, :func:`kg.files.serially` says how). With ``cache`` (a folder), the
    layouts are remembered there and a map whose layout's inputs have not changed is not laid
    out again.
    """
    return together([map_work(built, outputs, cache=cache)], run)


def map_work(built: BuiltGraph, outputs: list[str], *, cache: Path | None = None) -> Work:
    """:func:`map_files` as a :class:`kg.files.Work`: one call per map."""
    memo = layouts(cache)
    whole = MapOptions(links=(("index", "index.html"),))
    actors = central_actors(built, FOCUSED_MAPS)
    focused_options = [MapOptions(focus=actor, depth=1, links=(("index", "../index.html"),
                                                                ("whole map", "../map.html")))
                       for actor in actors]
    names = ["map.html", *(f"maps/{actor}.html" for actor in actors), "index.html"]

    def finish(drawn: list[tuple[str, int, int]]) -> dict[str, str]:
        memo.prune(keep=4 * len(drawn))   # (this build's, and a few before them)
        files = {"map.html": drawn[0][0]}
        focused = []
        for actor, (page, actor_count, relations) in zip(actors, drawn[1:], strict=True):
            files[f"maps/{actor}.html"] = page
            node = built.network.nodes[actor]
            focused.append({"href": f"maps/{actor}.html", "label": node["label"], "cls": node["cls"],
                            "actors": actor_count, "relations": relations})
        files["index.html"] = index_page(built, focused, outputs)
        return files

    return Work(names, [functools.partial(_draw, built, options, memo) for options in [whole, *focused_options]],
                finish)


def _draw(built: BuiltGraph, options: MapOptions, memo: Memo) -> tuple[str, int, int]:
    """One map's page, with how many actors and relations it shows."""
    data = map_data(built, options, layouts=memo)
    return html_page(data), len(data["nodes"]), relation_count(data)


def central_actors(built: BuiltGraph, n: int) -> list[str]:
    """The ``n`` most central states and armed groups that have relations, most central first."""
    g = built.network
    scores = built.analysis.score("pagerank")
    candidates = [a for a, d in g.nodes(data=True) if d["cls"] in ("State", "ArmedGroup") and g.degree(a)]
    return sorted(candidates, key=lambda a: (-scores.get(a, 0.0), a))[:n]


def index_page(built: BuiltGraph, focused: list[dict], outputs: list[str]) -> str:
    """The build's front page: the maps, the analysis report and the data files among ``outputs``."""
    listed = sorted(f for f in outputs if f not in _NOT_LISTED and not f.startswith(("maps/", "store/", ".")))
    reports = [{"href": f, "what": KNOWN_FILES.get(f, "")} for f in listed if f.startswith("analysis")]
    data = [{"href": f, "what": KNOWN_FILES.get(f, "")} for f in listed if not f.startswith("analysis")]
    g = built.network
    return jinja().get_template("index.html").render(
        title="The knowledge graph: maps, analysis and data", focused=focused, reports=reports, files=data,
        actors=g.number_of_nodes(), relations=g.number_of_edges(),
        evidence=sum(d["weight"] for *_, d in g.edges(data=True)))
