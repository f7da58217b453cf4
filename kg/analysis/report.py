"""The analyses as reports: text tables, CSV, JSON and Markdown with the evidence.

Each ``*_report`` function computes one family on a graph under a
:class:`~kg.analysis.Projection` and renders it in one of :data:`FORMATS`; the
CLI calls one of them and prints the string. ``analysis_*`` format the
:class:`~kg.analysis.results.Analysis` the build computed.

>>> from kg.network import _example_graph, read_network
>>> print(balance_report(read_network(_example_graph()), fmt="csv"), end="")
actor,label,ties,frustrated,share,bloc
FailaqAlSham,Failaq al-Sham,1,0,0.000000,1
Russia,Russia,1,0,0.000000,2
Turkey,Turkey,2,0,0.000000,1
"""

from __future__ import annotations

import csv
import functools
import io
import json

from ..errors import UsageError
from ..files import Work, json_tree
from . import ENDPOINT_CLASSES, Projection, network
from .balance import balance
from .centrality import MEASURES, centrality
from .conflicts import DEFINITION, conflicts_of_interest
from .results import Analysis

FORMATS = ("table", "json", "csv", "markdown")

#: how many patronage chains (shown, not counted) a table or Markdown report lists per pair; JSON has all.
PATRONAGE_SHOWN = 3
#: the pairs the build's analysis.md details (every pair is in its table), the chains shown per kind
#: and the quotes per link; analysis.json holds them all
DETAILED_PAIRS = 25
CHAINS_SHOWN = 10
QUOTES_SHOWN = 3


# --------------------------------------------------------------------------- conflicts


def conflicts_report(graph, projection: Projection | None = None, *, top: int | None = None,
                     fmt: str = "table") -> str:
    """Conflicts of interest in ``graph`` under ``projection``, rendered as ``fmt``."""
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
    lines = [f"Conflicts of interest ({projection.describe()})",
             "(+ cooperative tie, - adversarial tie, ~ patronage of a client that is not an armed group: "
             "shown, not counted)", ""]
    if not found:
        lines.append("none: no pair of actors has both a cooperative and an adversarial tie")
    for c in found:
        lines.append(f"{c.rank:>3}. {c.labels[0]} – {c.labels[1]}   score {c.score:.3f}  "
                     f"(cooperation {c.cooperation:.2f}, hostility {c.hostility:.2f}, {c.kind})")
        for sign, chains in (("+", c.cooperative), ("-", c.adversarial), ("~", c.patronage[:PATRONAGE_SHOWN])):
            for chain in chains:
                lines.append(f"       {sign} {chain.kind:<9} {chain.weight:5.2f}  {chain.text()}")
                for link in chain.links:
                    if link.evidence:
                        e = link.evidence[0]
                        more = f" (+{len(link.evidence) - 1} more)" if len(link.evidence) > 1 else ""
                        lines.append(f"           {link.relation}: “{_clip(e['quote'])}” "
                                     f"[{e['article']}{', ' + e['date'] if e['date'] else ''}]{more}")
        if len(c.patronage) > PATRONAGE_SHOWN:
            lines.append(f"       ~ and {len(c.patronage) - PATRONAGE_SHOWN} more patronage chains (all in the JSON output)")
    return "\n".join(lines) + "\n"


def conflicts_markdown(found, projection: Projection, *, heading: str = "#",
                       detailed: int | None = None) -> list[str]:
    """The conflicts as Markdown: a table of every pair, then the chains and quotes of the first
    ``detailed`` pairs (all when None), at most :data:`CHAINS_SHOWN` chains per kind and
    :data:`QUOTES_SHOWN` quotes per link when it is given (so the report stays readable on a
    large corpus; every chain and quote is in the JSON)."""
    lines = [f"{heading} Conflicts of interest", "", DEFINITION, "",
             f"Graph: {projection.describe()}.", ""]
    if not found:
        return lines + ["No pair of actors has both a cooperative and an adversarial tie.", ""]
    lines += ["| rank | pair | score | cooperation | hostility | kind |",
              "| ---: | --- | ---: | ---: | ---: | --- |"]
    lines += [f"| {c.rank} | {c.labels[0]} – {c.labels[1]} | {c.score:.3f} | {c.cooperation:.2f} | "
              f"{c.hostility:.2f} | {c.kind} |" for c in found]
    lines.append("")
    capped = detailed is not None
    for c in found[:detailed]:
        lines += [f"{heading}# {c.rank}. {c.labels[0]} – {c.labels[1]} (score {c.score:.3f}, {c.kind})", ""]
        for title, chains in (("Cooperative ties", c.cooperative), ("Adversarial ties", c.adversarial),
                              ("Patronage (a client that is not an armed group: shown, not counted)",
                               c.patronage)):
            if not chains and title.startswith("Patronage"):
                continue
            lines += [f"**{title}**", ""]
            shown = PATRONAGE_SHOWN if chains is c.patronage else CHAINS_SHOWN if capped else len(chains)
            for chain in chains[:shown]:
                lines.append(f"- *{chain.kind}* (weight {chain.weight:.2f}): {chain.text()}")
                for link in chain.links:
                    evidence = link.evidence[:QUOTES_SHOWN] if capped else link.evidence
                    for e in evidence:
                        when = f", {e['date']}" if e["date"] else ""
                        lines.append(f"  - `{link.text()}` — “{_md(e['quote'])}” "
                                     f"(article {e['article']}{when})")
                    if len(link.evidence) > len(evidence):
                        lines.append(f"  - and {len(link.evidence) - len(evidence)} more quotes (all in the "
                                     "JSON output)")
            if len(chains) > shown:
                kind = "patronage chains" if chains is c.patronage else "chains"
                lines.append(f"- and {len(chains) - shown} more {kind} (all in the JSON output)")
            lines.append("")
    if detailed is not None and len(found) > detailed:
        lines += [f"The {len(found) - detailed} pairs after the first {detailed} are in the table above; "
                  "their chains and quotes are in the JSON output.", ""]
    return lines


# --------------------------------------------------------------------------- centrality


def centrality_report(graph, projection: Projection | None = None, *, measure: str = "all",
                      top: int | None = 20, sample: int | None = None, fmt: str = "table") -> str:
    """The most central actors of ``graph`` under ``projection``, rendered as ``fmt``.

    ``measure`` is one of :data:`kg.analysis.centrality.MEASURES` or ``all`` (then
    actors are ranked by PageRank); ``sample`` estimates betweenness from that many
    sampled sources.
    """
    _check_format(fmt)
    projection = projection or Projection()
    if measure != "all" and measure not in MEASURES:
        raise UsageError(f"unknown centrality measure {measure!r}; choose from {', '.join(MEASURES)}, all")
    measures = MEASURES if measure == "all" else (measure,)
    by = "pagerank" if measure == "all" else measure
    result = centrality(network(graph, projection), measures=measures, k=sample)
    ranked = result.top(top, by=by)
    columns = list(measures)
    if fmt == "json":
        return _json({"analysis": "centrality", "projection": projection.to_dict(), "ranked_by": by,
                      **result.to_dict(by=by, n=top)})
    if fmt == "csv":
        return _csv(["rank", "actor", "label", "class", "ties", "evidence", *columns, "broker"],
                    [[i, a.actor, a.label, a.cls, a.ties, f"{a.evidence:g}",
                      *(f"{getattr(a, m):.6f}" for m in columns), str(a.broker).lower()]
                     for i, a in enumerate(ranked, 1)])
    if fmt == "markdown":
        return "\n".join(centrality_markdown(result, projection, by=by, top=top, columns=columns))
    lines = [f"Centrality, ranked by {by} ({projection.describe()})",
             f"graph: {result.graph}; {result.nodes} actors, {result.edges} ties",
             f"weights: {result.weights}",
             "betweenness: " + (f"estimated from {result.betweenness_sample} sampled sources"
                                if result.betweenness_sample else "exact"), ""]
    head = f"{'rank':>4}  {'actor':<32} {'class':<13}{'ties':>5}" + "".join(f"{m:>13}" for m in columns)
    lines.append(head)
    for i, a in enumerate(ranked, 1):
        lines.append(f"{i:>4}  {_clip(a.label, 32):<32} {a.cls:<13}{a.ties:>5}"
                     + "".join(f"{getattr(a, m):>13.6f}" for m in columns) + ("  broker" if a.broker else ""))
    if "betweenness" in measures:
        lines += ["", "brokers (high betweenness, few ties): "
                  + (", ".join(_broker_text(result, b) for b in result.brokers) or "none")]
    return "\n".join(lines) + "\n"


def centrality_markdown(result, projection: Projection, *, by: str = "pagerank", top: int | None = 20,
                        columns=None, heading: str = "#") -> list[str]:
    columns = list(columns or MEASURES)
    lines = [f"{heading} Centrality", "",
             f"Graph: {result.graph}; {result.nodes} actors, {result.edges} ties ({projection.describe()}).",
             f"Weights: {result.weights}.",
             "Betweenness: " + (f"estimated from {result.betweenness_sample} sampled sources."
                                if result.betweenness_sample else "exact."), "",
             f"Ranked by {by}" + (f", top {top}" if top else "") + ":", "",
             "| rank | actor | class | ties | " + " | ".join(columns) + " | broker |",
             "| ---: | --- | --- | ---: | " + " | ".join("---:" for _ in columns) + " | --- |"]
    for i, a in enumerate(result.top(top, by=by), 1):
        lines.append(f"| {i} | {_md(a.label)} | {a.cls} | {a.ties} | "
                     + " | ".join(f"{getattr(a, m):.6f}" for m in columns)
                     + f" | {'yes' if a.broker else ''} |")
    lines += ["", "Brokers (high betweenness, few ties): "
              + (", ".join(_broker_text(result, b) for b in result.brokers) or "none") + ".", ""]
    return lines


def _broker_text(result, actor: str) -> str:
    a = next(x for x in result.actors if x.actor == actor)
    return f"{a.label} (betweenness {a.betweenness:.3f}, {a.ties} ties)"


# --------------------------------------------------------------------------- balance


def balance_report(graph, projection: Projection | None = None, *, top: int | None = 20,
                   fmt: str = "table") -> str:
    """Structural balance of the signed actor graph of ``graph`` under ``projection``."""
    _check_format(fmt)
    projection = projection or Projection()
    result = balance(network(graph, projection))
    if fmt == "json":
        return _json({"analysis": "structural balance", "projection": projection.to_dict(), **result.to_dict()})
    if fmt == "csv":
        return _csv(["actor", "label", "ties", "frustrated", "share", "bloc"],
                    [[a.actor, a.label, a.ties, a.frustrated, f"{a.share:.6f}", a.bloc]
                     for a in _by_frustration(result)])
    if fmt == "markdown":
        return "\n".join(balance_markdown(result, projection, top=top))
    lines = [f"Structural balance ({projection.describe()})",
             f"signed actor graph: {result.nodes} actors, {result.positive} positive and "
             f"{result.negative} negative ties"
             + (f" ({len(result.ambivalent)} ambivalent pairs left out)" if result.ambivalent else ""),
             f"triads: {len(result.balanced_triads)} balanced, {len(result.unbalanced_triads)} unbalanced",
             f"frustration index: {result.frustration} ({result.method}); balance {result.balance:.3f}",
             f"blocs: {len(result.blocs)} (signed modularity {result.modularity:.3f})", ""]
    if result.unbalanced_triads:
        lines.append("unbalanced triads:")
        lines += [f"  {_triad_text(result, t)}" for t in result.unbalanced_triads[:top]]
        lines.append("")
    if result.frustrated_edges:
        lines.append("frustrated ties (in the best split into two camps):")
        lines += [f"  {_label(result, a)} {'+' if s > 0 else '-'} {_label(result, b)}"
                  for a, b, s in result.frustrated_edges]
        lines.append("")
    lines.append("most frustrated actors:")
    lines += [f"  {a.label:<32} {a.frustrated} of {a.ties} ties  (bloc {a.bloc})"
              for a in _by_frustration(result)[:top] if a.frustrated]
    lines += ["", "blocs:"]
    lines += [f"  {i}. " + ", ".join(_member(result, a) for a in members)
              for i, members in enumerate(result.blocs, 1)]
    return "\n".join(lines) + "\n"


def balance_markdown(result, projection: Projection, *, top: int | None = 20, heading: str = "#") -> list[str]:
    lines = [f"{heading} Structural balance", "",
             f"Signed actor graph ({projection.describe()}): {result.nodes} actors, "
             f"{result.positive} positive and {result.negative} negative ties; a pair's sign is the sign of "
             "its evidence-weighted cooperative minus adversarial relations"
             + (f" ({len(result.ambivalent)} ambivalent pairs left out)." if result.ambivalent else "."), "",
             f"- Triads (Heider 1946; Cartwright & Harary 1956): {len(result.balanced_triads)} balanced, "
             f"{len(result.unbalanced_triads)} unbalanced.",
             f"- Frustration index (Aref & Wilson 2018, 2019): **{result.frustration}** — {result.method}; "
             f"normalised balance {result.balance:.3f}.",
             f"- Blocs (Traag & Bruggeman 2009 signed modularity, Louvain method): {len(result.blocs)}, "
             f"modularity {result.modularity:.3f}.", ""]
    if result.unbalanced_triads:
        lines += [f"{heading}# Unbalanced triads", ""]
        lines += [f"- {_triad_text(result, t)}" for t in result.unbalanced_triads[:top]]
        lines.append("")
    if result.frustrated_edges:
        lines += [f"{heading}# Frustrated ties", ""]
        lines += [f"- {_label(result, a)} {'+' if s > 0 else '−'} {_label(result, b)}"
                  for a, b, s in result.frustrated_edges]
        lines.append("")
    lines += [f"{heading}# Blocs", ""]
    lines += [f"{i}. " + ", ".join(_member(result, a) for a in members)
              for i, members in enumerate(result.blocs, 1)]
    return lines + [""]


def _by_frustration(result):
    return sorted(result.actors, key=lambda a: (-a.frustrated, -a.share, a.actor))


def _label(result, actor: str) -> str:
    return next((a.label for a in result.actors if a.actor == actor), actor)


def _member(result, actor: str) -> str:
    """A bloc member's label, with the leaders folded into it (a leader acts for what he leads)."""
    leaders = result.leaders_of(actor)
    return _label(result, actor) + (f" (with {', '.join(leaders)})" if leaders else "")


def _triad_text(result, triad) -> str:
    a, b, c = (_label(result, x) for x in triad.actors)
    s = ["+" if x > 0 else "−" for x in triad.signs]
    return f"{a} {s[0]} {b}, {a} {s[1]} {c}, {b} {s[2]} {c}"


# --------------------------------------------------------------------------- everything, for the build


def analysis_json(results: Analysis) -> str:
    """``build/analysis.json``: every result, with the projection it was computed on.

    The links of the conflicts' chains name their statement; each statement's evidence is
    given once, under ``conflicts.statements`` (a statement is in many chains of many pairs).
    """
    statements: dict[str, dict] = {}
    pairs = []
    for c in results.conflicts:
        for chain in (*c.cooperative, *c.adversarial, *c.patronage):
            for link in chain.links:
                if link.statement not in statements:
                    statements[link.statement] = {"subject": link.subject, "relation": link.relation,
                                                  "object": link.object, "evidence": [dict(e) for e in link.evidence]}
        pairs.append(c.to_dict(evidence=False))
    return json_tree({"projection": results.projection.to_dict(),
                       "centrality": results.centrality.to_dict(by="pagerank"),
                       "conflicts": {"definition": DEFINITION, "pairs": pairs,
                                     "statements": dict(sorted(statements.items()))},
                       "balance": results.balance.to_dict()}, depth=3) + "\n"


def analysis_files(results: Analysis) -> dict[str, str]:
    """The build's analysis files: ``analysis.json`` and ``analysis.md``."""
    return {"analysis.json": analysis_json(results), "analysis.md": analysis_markdown(results)}


def analysis_work(results: Analysis) -> Work:
    """:func:`analysis_files` as a :class:`kg.files.Work` (one call)."""
    return Work(["analysis.json", "analysis.md"], [functools.partial(analysis_files, results)], lambda made: made[0])


def analysis_note(results: Analysis) -> str:
    """The line the build prints about its analysis."""
    top = results.conflicts[0] if results.conflicts else None
    return "analysis: " + (f"top conflict of interest {top.labels[0]} – {top.labels[1]} "
                           f"(score {top.score:.3f}); " if top else "no conflict of interest; ") \
        + f"frustration index {results.balance.frustration}; see build/analysis.md"


def analysis_markdown(results: Analysis, *, top: int = 25) -> str:
    """``build/analysis.md``: the conflicts of interest, centrality and balance, for people."""
    projection = results.projection
    lines = ["# Network analysis", "",
             f"Computed by `kg build` on the knowledge graph ({projection.describe()}). "
             "The same results are in `analysis.json` and, as RDF, in the named graph "
             "`kg:graph/analysis` of `graph.ttl`.", ""]
    lines += conflicts_markdown(results.conflicts, projection, heading="##", detailed=DETAILED_PAIRS)
    lines += centrality_markdown(results.centrality, projection, top=top, heading="##")
    lines += balance_markdown(results.balance, projection, top=top, heading="##")
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- helpers


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
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
