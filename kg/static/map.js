/* kg's relationship map: legend, filters, search, details panel.
 *
 * Every piece of text from the data reaches the page through textContent or
 * createTextNode, never innerHTML: a quote that contains markup shows as text.
 * window.kgMap is a read-only hook for tests and for the curious (the console).
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("kg-network");
  var details = document.getElementById("kg-details");

  // ---- small DOM helpers: text only ----------------------------------------------------
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        if (key === "text") { node.textContent = props[key]; }
        else if (key === "className") { node.className = props[key]; }
        else if (key === "style") { Object.assign(node.style, props[key]); }
        else { node.setAttribute(key, props[key]); }
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[\u2018\u2019`]/g, "'").replace(/\s+/g, " ").trim();
  }

  // ---- data -----------------------------------------------------------------------------
  var nodeById = {};
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var conflictEdges = DATA.conflicts.map(function (c) {
    return {
      id: "conflict|" + c.a + "|" + c.b, from: c.a, to: c.b, kind: "conflict",
      color: { color: "#ff8c00", highlight: "#ff8c00", hover: "#ff8c00", opacity: 1 },
      width: 5, dashes: [1, 7], smooth: { enabled: true, type: "curvedCCW", roundness: 0.35 },
      arrows: { to: { enabled: false } },
      title: "conflict of interest: " + nodeById[c.a].label + " and " + nodeById[c.b].label +
        (c.score === null ? "" : " (score " + number(c.score) + ")"),
      conflict: c
    };
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges.concat(conflictEdges));

  var presentRelations = DATA.relations.filter(function (r) { return r.count > 0; });
  var presentClasses = DATA.classes.filter(function (c) { return c.count > 0; });
  var state = {
    relations: new Set(presentRelations.map(function (r) { return r.name; })),
    classes: new Set(presentClasses.map(function (c) { return c.name; })),
    from: 0, to: Math.max(DATA.dates.length - 1, 0), undated: true,
    conflicts: false, hideIsolated: false
  };

  // Partial dates (2020, 2020-03) cover their whole year or month: DATA.spans gives each
  // date's first and last day, computed by kg.dates, so the page never parses a date itself.
  function firstDay(d) { return DATA.spans[d][0]; }
  function lastDay(d) { return DATA.spans[d][1]; }
  function inWindow(edge) {
    if (!DATA.dates.length) { return true; }
    if (!edge.dates.length) { return state.undated; }
    var start = firstDay(DATA.dates[state.from]), end = lastDay(DATA.dates[state.to]);
    return edge.dates.some(function (d) { return lastDay(d) >= start && firstDay(d) <= end; });
  }
  function classShown(id) { return state.classes.has(nodeById[id].cls); }
  function relationShown(edge) {
    if (edge.kind === "conflict") { return state.conflicts; }
    return state.relations.has(edge.relation) && inWindow(edge);
  }
  function edgeShown(edge) { return relationShown(edge) && classShown(edge.from) && classShown(edge.to); }
  var linked = new Set();
  function nodeShown(node) {
    return state.classes.has(node.cls) && (!state.hideIsolated || linked.has(node.id));
  }

  var nodeView = new vis.DataView(nodes, { filter: nodeShown });
  var edgeView = new vis.DataView(edges, { filter: edgeShown });
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);

  function refresh() {
    linked = new Set();
    edges.forEach(function (e) {
      if (e.kind !== "conflict" && edgeShown(e)) { linked.add(e.from); linked.add(e.to); }
    });
    nodeView.refresh();
    edgeView.refresh();
    var shownEdges = network.body.edgeIndices.length, shownNodes = network.body.nodeIndices.length;
    document.getElementById("kg-counts").textContent =
      shownNodes + " of " + DATA.nodes.length + " actors, " + shownEdges + " of " +
      DATA.edges.length + " relations shown";
  }

  // ---- legend and filters -----------------------------------------------------------------
  function swatchLine(style) {
    var dashed = Array.isArray(style.dashes);
    return el("span", { className: "kg-swatch-line", style: {
      borderTopColor: style.color, borderTopStyle: dashed ? "dashed" : "solid" } });
  }
  var relationBoxes = [];
  var relationList = document.getElementById("kg-relations");
  presentRelations.forEach(function (r) {
    var box = el("input", { type: "checkbox", "data-relation": r.name });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) { state.relations.add(r.name); } else { state.relations.delete(r.name); }
      refresh();
    });
    relationBoxes.push(box);
    relationList.appendChild(el("label", { className: "kg-legend-item", title: r.text }, [
      box, swatchLine(r), el("span", { text: r.name + (r.arrows ? " →" : " ↔") }),
      el("span", { className: "kg-count", text: String(r.count) })]));
  });
  function setAllRelations(on) {
    relationBoxes.forEach(function (box) {
      box.checked = on;
      if (on) { state.relations.add(box.dataset.relation); } else { state.relations.delete(box.dataset.relation); }
    });
    refresh();
  }
  document.getElementById("kg-relations-all").addEventListener("click", function () { setAllRelations(true); });
  document.getElementById("kg-relations-none").addEventListener("click", function () { setAllRelations(false); });

  var SHAPES = { dot: "●", triangle: "▲", diamond: "◆", hexagon: "⬢", star: "★", square: "■" };
  var classList = document.getElementById("kg-classes");
  presentClasses.forEach(function (c) {
    var box = el("input", { type: "checkbox", "data-class": c.name });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) { state.classes.add(c.name); } else { state.classes.delete(c.name); }
      refresh();
    });
    classList.appendChild(el("label", { className: "kg-legend-item", title: c.text }, [
      box, el("span", { className: "kg-shape", text: SHAPES[c.shape] || "●", style: { color: c.color } }),
      el("span", { text: c.name }), el("span", { className: "kg-count", text: String(c.count) })]));
  });
  document.getElementById("kg-scored-by").textContent = DATA.scored_by;
  document.getElementById("kg-hide-isolated").addEventListener("change", function (ev) {
    state.hideIsolated = ev.target.checked; refresh();
  });

  var fromInput = document.getElementById("kg-date-from"), toInput = document.getElementById("kg-date-to");
  if (!DATA.dates.length) {
    document.getElementById("kg-dates-box").hidden = true;
  } else {
    [fromInput, toInput].forEach(function (input) { input.max = String(DATA.dates.length - 1); });
    toInput.value = String(DATA.dates.length - 1);
  }
  function showDates() {
    document.getElementById("kg-date-from-text").textContent = DATA.dates[state.from] || "";
    document.getElementById("kg-date-to-text").textContent = DATA.dates[state.to] || "";
  }
  function onDates(ev) {
    var a = Number(fromInput.value), b = Number(toInput.value);
    if (a > b) { if (ev && ev.target === fromInput) { toInput.value = String(a); b = a; } else { fromInput.value = String(b); a = b; } }
    state.from = a; state.to = b;
    showDates(); refresh();
  }
  fromInput.addEventListener("input", onDates);
  toInput.addEventListener("input", onDates);
  document.getElementById("kg-undated").addEventListener("change", function (ev) {
    state.undated = ev.target.checked; refresh();
  });
  showDates();

  if (DATA.conflicts.length) {
    document.getElementById("kg-conflicts-box").hidden = false;
    document.getElementById("kg-show-conflicts").addEventListener("change", function (ev) {
      state.conflicts = ev.target.checked; refresh();
    });
    var list = document.getElementById("kg-conflicts");
    conflictEdges.forEach(function (e) {
      var c = e.conflict;
      var button = el("button", { type: "button", className: "kg-link" }, [
        nodeById[c.a].label + " ↔ " + nodeById[c.b].label + (c.score === null ? "" : " (" + number(c.score) + ")")]);
      button.addEventListener("click", function () {
        if (!state.conflicts) { document.getElementById("kg-show-conflicts").click(); }
        network.selectEdges([e.id]); showEdge(e.id);
      });
      list.appendChild(el("li", null, [button]));
    });
  }

  // ---- search ---------------------------------------------------------------------------
  var names = {};
  var datalist = document.getElementById("kg-names");
  DATA.nodes.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (name) {
      if (!(fold(name) in names)) { names[fold(name)] = n.id; }
    });
    datalist.appendChild(el("option", { value: n.label }));
  });
  var searchStatus = document.getElementById("kg-search-status");
  function find(text) {
    var id = names[fold(text)];
    if (id === undefined) {
      var q = fold(text);
      var hit = Object.keys(names).filter(function (k) { return q && k.indexOf(q) >= 0; }).sort()[0];
      id = hit === undefined ? undefined : names[hit];
    }
    if (id === undefined) { searchStatus.textContent = "No actor named \u201c" + text + "\u201d."; return; }
    if (!nodeView.get(id)) { searchStatus.textContent = nodeById[id].label + " is hidden by the filters."; return; }
    searchStatus.textContent = "";
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showNode(id);
  }
  var search = document.getElementById("kg-search");
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); find(search.value); } });
  search.addEventListener("change", function () { if (search.value) { find(search.value); } });

  // ---- details --------------------------------------------------------------------------
  function classText(cls) {
    var c = DATA.classes.filter(function (x) { return x.name === cls; })[0];
    return c ? c.text : cls;
  }
  function relationText(name) {
    var r = DATA.relations.filter(function (x) { return x.name === name; })[0];
    return r ? r.text : name;
  }
  function fieldRow(term, value) { return [el("dt", { text: term }), el("dd", null, [value])]; }
  function dl(rows) {
    var list = el("dl");
    rows.forEach(function (row) { if (row) { row.forEach(function (x) { list.appendChild(x); }); } });
    return list;
  }
  function number(x) { return x === null || x === undefined ? "" : String(Math.round(x * 1000) / 1000); }

  function edgeButton(e) {
    var text = nodeById[e.from].label + " " + e.relation + " " + nodeById[e.to].label +
      " (" + e.weight + (e.weight === 1 ? " quote)" : " quotes)");
    var button = el("button", { type: "button", className: "kg-link" }, [text]);
    if (!edgeView.get(e.id)) { button.className += " kg-filtered"; button.title = "hidden by the filters"; }
    button.addEventListener("click", function () {
      if (edgeView.get(e.id)) { network.selectEdges([e.id]); }
      showEdge(e.id);
    });
    return button;
  }

  function showNode(id) {
    var n = nodeById[id];
    clear(details);
    details.appendChild(el("h2", { text: n.label }));
    details.appendChild(el("p", { className: "kg-kind", text: n.cls + " \u2014 " + classText(n.cls) }));
    if (n.proxy) { details.appendChild(el("p", { className: "kg-proxy-note", text: "Proxy group: an armed group backed by a state." })); }
    var wikidata = null;
    if (/^Q\d+$/.test(n.wikidata)) {
      wikidata = el("a", { href: "https://www.wikidata.org/wiki/" + n.wikidata, target: "_blank", rel: "noopener noreferrer" }, [n.wikidata]);
    }
    details.appendChild(dl([
      n.aliases.length ? fieldRow("also called", n.aliases.join(", ")) : null,
      wikidata ? fieldRow("Wikidata", wikidata) : null,
      fieldRow("PageRank", number(n.pagerank)),
      n.betweenness === null || n.betweenness === undefined ? null : fieldRow("betweenness", number(n.betweenness)),
      fieldRow("identifier", n.iri)
    ]));
    var incident = edges.get({ filter: function (e) { return e.kind !== "conflict" && (e.from === id || e.to === id); } });
    details.appendChild(el("h3", { text: "Relations (" + incident.length + ")" }));
    var list = el("ul", { className: "kg-relations-of" });
    incident.forEach(function (e) { list.appendChild(el("li", null, [edgeButton(e)])); });
    details.appendChild(list);
  }

  function whoSays(id) {
    if (DATA.sources[id]) { return DATA.sources[id]; }
    if (nodeById[id]) { return nodeById[id].label; }
    if (id.indexOf("article/") === 0) { return "the article"; }
    return id.replace(/^source\//, "");
  }

  function showEdge(id) {
    var e = edges.get(id);
    clear(details);
    if (e.kind === "conflict") {
      var c = e.conflict;
      details.appendChild(el("h2", { text: "Conflict of interest" }));
      details.appendChild(el("p", { text: nodeById[c.a].label + " and " + nodeById[c.b].label }));
      details.appendChild(dl([
        c.score === null ? null : fieldRow("score", number(c.score)),
        c.kind ? fieldRow("kind", c.kind) : null]));
      [["They cooperate", c.cooperative || []], ["They are on opposite sides", c.adversarial || []]].forEach(function (part) {
        var ids = part[1].filter(function (x) { return edges.get(x) !== null; });
        if (!ids.length) { return; }
        details.appendChild(el("h3", { text: part[0] }));
        var links = el("ul", { className: "kg-relations-of" });
        ids.forEach(function (x) { links.appendChild(el("li", null, [edgeButton(edges.get(x))])); });
        details.appendChild(links);
      });
      return;
    }
    var from = nodeById[e.from], to = nodeById[e.to];
    details.appendChild(el("h2", { className: "kg-edge-title" }, [from.label + " ", el("em", { text: e.relation }), " " + to.label]));
    details.appendChild(el("p", { className: "kg-kind", text: relationText(e.relation) + (e.symmetric ? " (both ways)" : "") }));
    details.appendChild(dl([
      fieldRow("method", e.method + (e.method === "curated" ? "" : ", confidence " + number(e.confidence))),
      e.dates.length ? fieldRow("dates", e.dates.join(", ")) : fieldRow("dates", "undated"),
      fieldRow("evidence", String(e.weight) + (e.weight === 1 ? " quote" : " quotes"))
    ]));
    var list = el("ol", { className: "kg-evidence" });
    e.evidence.forEach(function (ev) {
      var article = DATA.articles[ev.article] || {};
      var cite = [];
      cite.push(el("span", { className: "kg-article", text: article.title ? article.title + " [" + ev.article + "]" : ev.article }));
      if (article.publisher) { cite.push(el("span", { text: " \u2014 " + article.publisher })); }
      cite.push(el("span", { className: "kg-date", text: " \u2014 " + (ev.date || article.date || "undated") }));
      if (ev.asserted_by) { cite.push(el("span", { className: "kg-who", text: " \u2014 according to " + whoSays(ev.asserted_by) })); }
      cite.push(el("span", { className: "kg-method", text: " \u2014 " + ev.method + (ev.method === "curated" ? "" : " (confidence " + number(ev.confidence) + ")") }));
      list.appendChild(el("li", null, [el("blockquote", { className: "kg-quote", text: ev.quote }), el("p", { className: "kg-cite" }, cite)]));
    });
    details.appendChild(list);
  }

  function showHint() {
    clear(details);
    details.appendChild(el("p", { className: "kg-hint", text: "Click an actor or a relation to see its details and evidence. Hover for a summary." }));
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { showHint(); }
  });

  refresh();
  network.fit({ animation: false });
  if (DATA.focus) { network.selectNodes([DATA.focus]); showNode(DATA.focus); }

  window.kgMap = Object.freeze({
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    drawn: function () { return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length }; },
    domPoint: function (canvasPoint) {
      var dom = network.canvasToDOM(canvasPoint), box = container.getBoundingClientRect();
      return { x: dom.x + box.left, y: dom.y + box.top };
    }
  });
})();
