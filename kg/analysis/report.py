"""The analyses as reports: text tables, CSV, JSON and Markdown with the evidence.

Each ``*_report`` function computes one family on a graph under a
:class:`~kg.analysis.Projection` and renders it in one of :data:`FORMATS`; the
CLI calls one of them and prints the string.
"""

from __future__ import annotations

import csv
import io
import json

from . import ENDPOINT_CLASSES, Projection, network

FORMATS = ("table", "json", "csv", "markdown")


def load_graph(root):
    """The knowledge graph of the project at ``root``, built in memory.

    The inputs are checked as every build checks them (unknown actors, quotes not in
    their article); the SHACL pass is left to ``kg validate`` and ``kg build``.
    """
    from ..pipeline import build_graph

    return build_graph(root, check=False)


# --------------------------------------------------------------------------- conflicts


def conflicts_report(graph, projection: Projection | None = None, *, top: int | None = None,
                     fmt: str = "table") -> str:
    """Conflicts of interest in ``graph`` under ``projection``, rendered as ``fmt``."""
    from .conflicts import DEFINITION, conflicts_of_interest

    _check_format(fmt)
    projection = projection or Projection()
    found = conflicts_of_interest(network(graph, projection, view="all"),
                                  endpoints=ENDPOINT_CLASSES[projection.view], top=top)
    if fmt == "json":
        return _json({"analysis": "conflicts of interest", "definition": DEFINITION,
                      "projection": projection.to_dict(), "conflicts": [c.to_dict() for c in found]})
    if fmt == "csv":
        rows = [[c.rank, c.a, c.b, *c.labels, f"{c.score:.6f}", f"{c.cooperation:.6f}",
                 f"{c.hostility:.6f}", c.kind, len(c.cooperative), len(c.adversarial)] for c in found]
        return _csv(["rank", "a", "b", "label_a", "label_b", "score", "cooperation", "hostility",
                     "kind", "cooperative_chains", "adversarial_chains"], rows)
    if fmt == "markdown":
        return "\n".join(conflicts_markdown(found, projection))
    lines = [f"Conflicts of interest ({projection.describe()})", ""]
    if not found:
        lines.append("none: no pair of actors has both a cooperative and an adversarial tie")
    for c in found:
        lines.append(f"{c.rank:>3}. {c.labels[0]} – {c.labels[1]}   score {c.score:.3f}  "
                     f"(cooperation {c.cooperation:.2f}, hostility {c.hostility:.2f}, {c.kind})")
        for sign, chains in (("+", c.cooperative), ("-", c.adversarial)):
            for chain in chains:
                lines.append(f"       {sign} {chain.kind:<9} {chain.weight:5.2f}  {chain.text()}")
                for link in chain.links:
                    if link.evidence:
                        e = link.evidence[0]
                        more = f" (+{len(link.evidence) - 1} more)" if len(link.evidence) > 1 else ""
                        lines.append(f"           {link.relation}: “{_clip(e['quote'])}” "
                                     f"[{e['article']}{', ' + e['date'] if e['date'] else ''}]{more}")
    return "\n".join(lines) + "\n"


def conflicts_markdown(found, projection: Projection, *, heading: str = "#") -> list[str]:
    from .conflicts import DEFINITION

    lines = [f"{heading} Conflicts of interest", "", DEFINITION, "",
             f"Graph: {projection.describe()}.", ""]
    if not found:
        return lines + ["No pair of actors has both a cooperative and an adversarial tie.", ""]
    lines += ["| rank | pair | score | cooperation | hostility | kind |",
              "| ---: | --- | ---: | ---: | ---: | --- |"]
    lines += [f"| {c.rank} | {c.labels[0]} – {c.labels[1]} | {c.score:.3f} | {c.cooperation:.2f} | "
              f"{c.hostility:.2f} | {c.kind} |" for c in found]
    lines.append("")
    for c in found:
        lines += [f"{heading}# {c.rank}. {c.labels[0]} – {c.labels[1]} (score {c.score:.3f}, {c.kind})", ""]
        for title, chains in (("Cooperative ties", c.cooperative), ("Adversarial ties", c.adversarial)):
            lines += [f"**{title}**", ""]
            for chain in chains:
                lines.append(f"- *{chain.kind}* (weight {chain.weight:.2f}): {chain.text()}")
                for link in chain.links:
                    for e in link.evidence:
                        when = f", {e['date']}" if e["date"] else ""
                        lines.append(f"  - `{link.text()}` — “{_md(e['quote'])}” "
                                     f"(article {e['article']}{when})")
            lines.append("")
    return lines


# --------------------------------------------------------------------------- helpers


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        from ..errors import UsageError

        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _clip(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
