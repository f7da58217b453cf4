"""The map as one self-contained HTML page: vis-network, kg's scripts and style, and the data, inline.

The template (``kg/templates/map.html``) inlines the vis-network code bundled with
pyvis and kg's own scripts and style (``kg/static/``), so the file needs no network;
the Content-Security-Policy allows exactly those scripts (by hash) and nothing else;
every piece of text from the articles reaches the page only as escaped JSON that the
script puts into the page with ``textContent``, never as HTML.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from ..errors import UsageError

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_STATIC = Path(__file__).resolve().parent.parent / "static"

#: kg's scripts, in the order the page runs them (after vis-network): label placement and
#: export first, as they only define a helper each; then the map itself.
SCRIPTS = ("map-labels.js", "map-export.js", "map.js")


def html_page(data: dict) -> str:
    """Fill the map template: vis-network, kg's scripts and style, and the data, all inline."""
    vis_js = vis_network_js()
    scripts = [(_STATIC / name).read_text(encoding="utf-8") for name in SCRIPTS]
    css = (_STATIC / "map.css").read_text(encoding="utf-8")
    for name, code in (("vis-network", vis_js), *zip(SCRIPTS, scripts, strict=True)):
        if re.search(r"</script|<!--", code, re.IGNORECASE):
            raise UsageError(f"{name} contains a sequence that would end its <script> element")
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           "script-src " + " ".join(f"'sha256-{_digest(s)}'" for s in [vis_js, *scripts]) + "; "
           "base-uri 'none'; form-action 'none'")
    return jinja().get_template("map.html").render(
        title=data["title"], csp=csp, css=css, vis_js=vis_js, scripts=scripts,
        data_json=safe_json(data), links=data["links"])


def safe_json(value) -> str:
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 are escaped.

    >>> safe_json({"q": "</script><b>&"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def vis_network_js() -> str:
    """The vis-network code bundled with the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent
    candidates = sorted(lib.glob("lib/vis-*/vis-network.min.js")) + sorted(
        lib.glob("templates/lib/vis-*/vis-network.min.js"))
    if not candidates:
        raise UsageError(f"the installed pyvis ({lib}) has no bundled vis-network.min.js")
    return max(candidates, key=lambda p: _version(p.parent.name)).read_text(encoding="utf-8")


def vis_options() -> dict:
    """vis-network options: no physics (positions are fixed), hover tooltips, keyboard and zoom."""
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "multiselect": False, "hideEdgesOnDrag": False},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "borderWidth": 1.5, "borderWidthSelected": 4},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5,
                  "arrows": {"to": {"scaleFactor": 0.7}}},
    }


def _digest(code: str) -> str:
    return base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", name))


def jinja():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(_TEMPLATES)),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)
