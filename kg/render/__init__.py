"""The interactive relationship map: one self-contained HTML file per view of the graph.

- :mod:`kg.render.mapdata`  what a map shows, as plain data (:func:`map_data`, :class:`MapOptions`)
- :mod:`kg.render.camps`    the camps: signed blocs grown to their neighbours; the clusters of a large map
- :mod:`kg.render.layout`   where each actor sits (camps apart, no overlaps, few crossings), with
  :mod:`kg.render.forces` (force layouts, overlap removal) and :mod:`kg.render.crossings`
- :mod:`kg.render.page`     the data as one offline HTML page (:func:`html_page`)
- :mod:`kg.render.notebook` the page inline in a notebook (:class:`Map`)
- :mod:`kg.render.site`     the build's maps and their index (:func:`map_files`)

>>> from kg.network import _example_graph
>>> html = render_map(_example_graph(), MapOptions(title="Patrons"))
>>> html.startswith("<!DOCTYPE html>") and "Patrons" in html
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..files import atomic_write
from .layout import layout as layout
from .mapdata import CLASS_STYLE as CLASS_STYLE
from .mapdata import EXTRACTED_DASHES as EXTRACTED_DASHES
from .mapdata import PROXY_BORDER as PROXY_BORDER
from .mapdata import MapOptions as MapOptions
from .mapdata import map_data as map_data
from .mapdata import relation_count as relation_count
from .mapdata import resolve_actor as resolve_actor
from .notebook import Map as Map
from .page import html_page as html_page
from .page import safe_json as safe_json
from .site import index_page as index_page
from .site import map_files as map_files


def render_map(graph: Any, options: MapOptions | None = None) -> str:
    """The map of a knowledge graph (a :class:`~kg.built.BuiltGraph`, or an rdflib Graph or
    Dataset built by kg) as HTML text."""
    return html_page(map_data(graph, options))


def write_map(graph: Any, path: Path | str, options: MapOptions | None = None) -> Path:
    """Render the map and write it atomically to ``path``."""
    path = Path(path)
    atomic_write(path, render_map(graph, options))
    return path
