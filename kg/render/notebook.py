"""The map in a notebook: an object that Jupyter and VS Code show inline, offline, isolated.

``kg.Map(graph)`` makes the same page as ``kg render`` (:func:`kg.render.html_page` of
:func:`kg.render.map_data`). A notebook shows it through ``_repr_html_`` as an
``<iframe srcdoc=...>``: the page is the frame's document, so its scripts, its
Content-Security-Policy and its styles stay inside the frame. The frame is sandboxed
without ``allow-same-origin``: the map cannot reach the notebook, nor the notebook the map.

>>> from kg.network import _example_graph
>>> m = Map(_example_graph(), focus="Failaq al-Sham", height=400)
>>> frame = m._repr_html_()
>>> frame.startswith("<iframe") and 'sandbox="allow-scripts' in frame and "height: 400px" in frame
True
>>> import html
>>> html.unescape(frame.split('srcdoc="')[1].split('"')[0]) == m.html
True
"""

from __future__ import annotations

import html
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..files import atomic_write
from .mapdata import MapOptions, map_data
from .page import html_page

#: what the frame may do: run its own scripts, save the exports, open a Wikidata link.
SANDBOX = "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox"


class Map:
    """The relationship map of a knowledge graph, shown inline in a notebook.

    ``graph`` is what :func:`kg.render.map_data` takes (a :class:`~kg.built.BuiltGraph`, or an
    rdflib Graph or Dataset built by kg); ``options`` or keyword arguments (the fields of
    :class:`~kg.render.MapOptions`: ``focus``, ``depth``, ``as_of``, ``relations``, ``title``)
    choose what it shows; ``height`` is the frame's height in pixels.
    """

    def __init__(self, graph: Any, options: MapOptions | None = None, *, height: int = 640, **choices: Any):
        known = {f.name for f in fields(MapOptions)}
        unknown = sorted(set(choices) - known)
        if unknown:
            raise TypeError(f"Map() got unknown option(s) {', '.join(unknown)}; choose from {', '.join(sorted(known))}")
        if options is not None and choices:
            raise TypeError("Map() takes options or keyword choices, not both")
        if isinstance(choices.get("relations"), str):
            choices["relations"] = tuple(r.strip() for r in choices["relations"].split(",") if r.strip())
        self.options = options or MapOptions(**choices)
        self.height = int(height)
        self.data = map_data(graph, self.options)
        self.html = html_page(self.data)

    def _repr_html_(self) -> str:
        """An isolated iframe holding the page (``srcdoc``): the notebook's inline display."""
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="{SANDBOX}" '
                f'title="{html.escape(self.data["title"], quote=True)}" loading="eager" '
                f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd; border-radius: 3px;">'
                f'</iframe>')

    def save(self, path: Path | str) -> Path:
        """Write the page to ``path`` (the file ``kg render --out`` would write)."""
        path = Path(path)
        atomic_write(path, self.html)
        return path

    def __repr__(self) -> str:
        return f"<kg.Map {self.data['title']!r}: {len(self.data['nodes'])} actors, {len(self.data['edges'])} edges>"
