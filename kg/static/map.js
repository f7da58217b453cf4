/* kg's relationship map: one edge per pair, camps, labels that do not collide, filters, focus,
 * search, details, export and permalinks.
 *
 * What is drawn is derived from DATA and the state (filters, focus, open camps) by refresh():
 * the visible relations are grouped into one edge per pair of drawn nodes (or per pair of
 * camps, when the map is grouped into camps), and only the edges that changed are handed to
 * vis-network. Every piece of text from the data reaches the page through textContent or
 * createTextNode, never innerHTML: a quote that contains markup shows as text.
 * window.kgMap is a read-only hook for tests and for the curious (the console).
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("kg-network");
  var details = document.getElementById("kg-details");
  var timings = { script: 0, firstDraw: 0, labels: 0 };

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
  function number(x) { return x === null || x === undefined ? "" : String(Math.round(x * 1000) / 1000); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function button(text, onClick, className) {
    var b = el("button", { type: "button", className: className || "" }, [text]);
    b.addEventListener("click", onClick);
    return b;
  }

  // ---- data -----------------------------------------------------------------------------
  var nodeById = {}, relationById = {}, pairById = {}, pairOfRelation = {}, relationsOf = {};
  var groupById = {}, groupOf = {}, legend = {};
  var relations = [];   // every relation, pair by pair, each pair's most telling first
  DATA.relations.forEach(function (r) { legend[r.name] = r; });
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; relationsOf[n.id] = []; });
  DATA.edges.forEach(function (pair) {
    pairById[pair.id] = pair;
    pair.relations.forEach(function (r) {
      relationById[r.id] = r;
      pairOfRelation[r.id] = pair;
      relations.push(r);
      relationsOf[r.from].push(r);
      if (r.to !== r.from) { relationsOf[r.to].push(r); }
    });
  });
  DATA.groups.forEach(function (g) {
    groupById[g.id] = g;
    g.members.forEach(function (m) { groupOf[m] = g.id; });
  });
  var conflictEdges = DATA.conflicts.map(function (c) {
    return {
      id: "conflict|" + c.a + "|" + c.b, from: c.a, to: c.b, kind: "conflict",
      color: { color: "#ff8c00", highlight: "#ff8c00", hover: "#ff8c00", opacity: 1 },
      width: 5, dashes: [1, 7], smooth: { enabled: true, type: "curvedCCW", roundness: 0.35 },
      arrows: { to: { enabled: false }, from: { enabled: false } },
      title: "conflict of interest: " + nodeById[c.a].label + " and " + nodeById[c.b].label +
        (c.score === null ? "" : " (score " + number(c.score) + ")"),
      conflict: c
    };
  });
  var conflictById = {};
  conflictEdges.forEach(function (e) { conflictById[e.id] = e; });

  function nameOf(id) {
    if (nodeById[id]) { return nodeById[id].label; }
    if (groupById[id]) { return groupById[id].name + " (" + groupById[id].label + ")"; }
    return id;
  }

  // ---- state ----------------------------------------------------------------------------
  var presentRelations = DATA.relations.filter(function (r) { return r.count > 0; });
  var presentClasses = DATA.classes.filter(function (c) { return c.count > 0; });
  var lastDate = Math.max(DATA.dates.length - 1, 0);
  var DEFAULTS = {
    relations: presentRelations.map(function (r) { return r.name; }),
    classes: DATA.view.classes.slice(),
    hideIsolated: DATA.view.hide_isolated,
    aggregate: DATA.view.aggregate && DATA.groups.length > 1
  };
  function freshState() {
    return {
      relations: new Set(DEFAULTS.relations), classes: new Set(DEFAULTS.classes),
      from: 0, to: lastDate, undated: true, conflicts: false, hideIsolated: DEFAULTS.hideIsolated,
      aggregate: DEFAULTS.aggregate, open: new Set(), focus: null, depth: 1, selected: null
    };
  }
  var state = freshState();
  var shown = { actors: new Set(), visible: new Set(), edges: new Map(), relations: 0, around: null };
  var busy = false;   // so many edges drawn that they are hidden while the view moves
  var moved = false;  // the view was zoomed or panned: the link keeps it

  // Partial dates (2020, 2020-03) cover their whole year or month: DATA.spans gives each
  // date's first and last day, computed by kg.dates, so the page never parses a date itself.
  function firstDay(d) { return DATA.spans[d][0]; }
  function lastDay(d) { return DATA.spans[d][1]; }
  function inWindow(r) {
    if (!DATA.dates.length) { return true; }
    if (!r.dates.length) { return state.undated; }
    var start = firstDay(DATA.dates[state.from]), end = lastDay(DATA.dates[state.to]);
    return r.dates.some(function (d) { return lastDay(d) >= start && firstDay(d) <= end; });
  }
  function classShown(id) { return state.classes.has(nodeById[id].cls); }
  function relationShown(r) {
    return state.relations.has(r.relation) && inWindow(r) && classShown(r.from) && classShown(r.to);
  }

  // The actors within ``depth`` steps of ``start`` along the given relations.
  function around(start, depth, list) {
    var next = {};
    list.forEach(function (r) {
      (next[r.from] = next[r.from] || []).push(r.to);
      (next[r.to] = next[r.to] || []).push(r.from);
    });
    var seen = new Set([start]), frontier = [start];
    for (var step = 0; step < depth; step++) {
      var later = [];
      frontier.forEach(function (id) {
        (next[id] || []).forEach(function (other) { if (!seen.has(other)) { seen.add(other); later.push(other); } });
      });
      frontier = later;
    }
    return seen;
  }

  // ---- vis-network ------------------------------------------------------------------------
  function clusterNode(g) {
    return {
      id: g.id, label: "", shape: "dot", size: g.size, x: g.x, y: g.y, title: g.title, kind: "cluster",
      color: { background: "#e3e9f2", border: "#5b7fa6", highlight: { background: "#d2ddec", border: "#000000" },
               hover: { background: "#d2ddec", border: "#000000" } },
      borderWidth: 2, shapeProperties: { borderDashes: [5, 3] }
    };
  }
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return Object.assign({}, n, { label: "" });
  }).concat(DATA.groups.map(clusterNode)));
  var edges = new vis.DataSet([]);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shown.visible.has(n.id); } });
  var network = new vis.Network(container, { nodes: nodeView, edges: edges }, DATA.options);

  function sizeOf(id) { return nodeById[id] ? nodeById[id].size : groupById[id].size; }
  function labelOf(id) { return nodeById[id] ? nodeById[id].label : groupById[id].label; }

  // One drawn edge for the relations between two actors: the colour, line and dashes of the
  // most telling one, the width of all their evidence, an arrow for each direction they go.
  function pairEdge(pair, members) {
    var first = members[0], weight = 0, curated = false, ahead = false, back = false;
    members.forEach(function (r) {
      weight += r.weight;
      curated = curated || r.method === "curated";
      if (r.arrows && r.from === pair.from) { ahead = true; }
      if (r.arrows && r.from === pair.to) { back = true; }
    });
    var lines = [nodeById[pair.from].label + " \u2014 " + nodeById[pair.to].label + ": " + plural(members.length, "relation")];
    members.forEach(function (r) {
      lines.push("\u2022 " + nodeById[r.from].label + " " + r.relation + " " + nodeById[r.to].label + " \u2014 " +
        plural(r.weight, "quote") + (r.method === "curated" ? "" : " (extracted)"));
    });
    var hidden = pair.relations.length - members.length;
    if (hidden) { lines.push(plural(hidden, "more relation") + " hidden by the filters"); }
    lines.push("click for the quotes");
    return {
      id: pair.id, from: pair.from, to: pair.to, kind: "pair", members: members.map(function (r) { return r.id; }),
      color: { color: first.color, highlight: first.color, hover: first.color, opacity: curated ? 0.9 : 0.55 },
      dashes: first.dashes, width: Math.round((curated ? 1 : 0.6) * (1 + 2 * Math.log2(1 + weight)) * 100) / 100,
      arrows: { to: { enabled: ahead }, from: { enabled: back } }, smooth: { enabled: false },
      title: lines.join("\n")
    };
  }

  // One drawn edge for the relations between two camps (or a camp and an actor).
  function bundleEdge(id, a, b, members) {
    var hostile = 0, friendly = 0;
    members.forEach(function (r) {
      var sign = legend[r.relation].sign;
      if (sign < 0) { hostile++; } else if (sign > 0) { friendly++; }
    });
    var color = hostile >= 0.6 * members.length ? "#d62728" : friendly >= 0.6 * members.length ? "#1a9850" : "#8a8a8a";
    return {
      id: id, from: a, to: b, kind: "bundle", members: members.map(function (r) { return r.id; }),
      color: { color: color, highlight: color, hover: color, opacity: 0.7 }, dashes: false,
      width: Math.round((1 + 1.5 * Math.log2(1 + members.length)) * 100) / 100,
      arrows: { to: { enabled: false }, from: { enabled: false } }, smooth: { enabled: false },
      title: nameOf(a) + " \u2014 " + nameOf(b) + ": " + plural(members.length, "relation") + " (" + hostile +
        " adversarial, " + friendly + " cooperative, " + (members.length - hostile - friendly) + " other)\nclick for the list"
    };
  }

  // ---- what is shown: derived from the state ----------------------------------------------
  function refresh() {
    var list = relations.filter(relationShown);
    var near = null;
    if (state.focus && nodeById[state.focus] && classShown(state.focus)) {
      near = around(state.focus, state.depth, list);
      list = list.filter(function (r) { return near.has(r.from) && near.has(r.to); });
    }
    var linked = new Set();
    list.forEach(function (r) { linked.add(r.from); linked.add(r.to); });
    var actors = new Set();
    DATA.nodes.forEach(function (n) {
      if (state.classes.has(n.cls) && (!near || near.has(n.id)) &&
          (!state.hideIsolated || linked.has(n.id) || n.id === state.focus)) { actors.add(n.id); }
    });
    var grouped = state.aggregate && !near;
    function rep(id) {
      var g = groupOf[id];
      return grouped && g !== undefined && !state.open.has(g) ? g : id;
    }
    var visible = new Set();
    actors.forEach(function (id) { visible.add(rep(id)); });
    var wanted = new Map(), count = 0;
    list.forEach(function (r) {
      if (!actors.has(r.from) || !actors.has(r.to)) { return; }
      var a = rep(r.from), b = rep(r.to), id;
      if (a === r.from && b === r.to) { id = pairOfRelation[r.id].id; }
      else if (a === b) { return; }
      else { id = "bundle|" + (a < b ? a + "|" + b : b + "|" + a); }
      var entry = wanted.get(id);
      if (entry === undefined) { wanted.set(id, entry = { a: a < b ? a : b, b: a < b ? b : a, members: [] }); }
      entry.members.push(r);
      count++;
    });
    var next = new Map(), add = [], update = [], remove = [];
    wanted.forEach(function (entry, id) {
      var key = entry.members.map(function (r) { return r.id; }).join(" ");
      next.set(id, key);
      if (shown.edges.get(id) === key) { return; }
      var edge = pairById[id] ? pairEdge(pairById[id], entry.members) : bundleEdge(id, entry.a, entry.b, entry.members);
      (shown.edges.has(id) ? update : add).push(edge);
    });
    if (state.conflicts) {
      conflictEdges.forEach(function (e) {
        if (visible.has(e.from) && visible.has(e.to) && actors.has(e.from) && actors.has(e.to)) {
          next.set(e.id, "conflict");
          if (!shown.edges.has(e.id)) { add.push(e); }
        }
      });
    }
    shown.edges.forEach(function (_key, id) { if (!next.has(id)) { remove.push(id); } });
    shown = { actors: actors, visible: visible, edges: next, relations: count, around: near };
    if (remove.length) { edges.remove(remove); }
    nodeView.refresh();
    if (add.length) { edges.add(add); }
    if (update.length) { edges.update(update); }
    if ((next.size > 3000) !== busy) {
      busy = next.size > 3000;
      network.setOptions({ interaction: { hideEdgesOnDrag: busy, hideEdgesOnZoom: busy } });
    }
    var clusters = 0;
    visible.forEach(function (id) { if (groupById[id]) { clusters++; } });
    document.getElementById("kg-counts").textContent =
      actors.size + " of " + DATA.nodes.length + " actors, " + count + " of " + relations.length + " relations shown" +
      (clusters ? " (" + plural(clusters, "closed camp") + ")" : "");
    var focusBox = document.getElementById("kg-focus-box");
    focusBox.hidden = !near;
    if (near) {
      document.getElementById("kg-focus-text").textContent = nodeById[state.focus].label + " and its neighbours (" +
        plural(state.depth, "step") + ")";
    }
    placeLabels();
    saveLink();
  }

  // ---- labels: one size on screen, none over another --------------------------------------
  var fontSize = null, hovered = null, labelNow = {};
  function placeLabels() {
    var scale = network.getScale();
    var size = kgLabels.LABEL_PX / scale;
    if (fontSize === null || Math.abs(size - fontSize) > 0.01 * fontSize) {
      fontSize = size;
      network.setOptions({ nodes: { font: { size: size } } });
    }
    var ids = nodeView.getIds();
    var positions = network.getPositions(ids);
    var selected = new Set(network.getSelectedNodes()), neighbours = new Set();
    selected.forEach(function (id) { network.getConnectedNodes(id).forEach(function (n) { neighbours.add(n); }); });
    function rank(id) {
      if (selected.has(id)) { return 0; }
      if (id === hovered) { return 1; }
      if (id === state.focus || id === DATA.focus) { return 2; }
      if (neighbours.has(id)) { return 3; }
      return groupById[id] ? 4 : 5;
    }
    ids.sort(function (a, b) { return rank(a) - rank(b) || sizeOf(b) - sizeOf(a) || (a < b ? -1 : a > b ? 1 : 0); });
    var placed = kgLabels.place(ids.map(function (id) {
      return { id: id, x: positions[id].x, y: positions[id].y, size: sizeOf(id), text: labelOf(id) };
    }), scale, 3);
    var changes = [];
    ids.forEach(function (id) {
      var want = placed.has(id) ? labelOf(id) : "";
      if (labelNow[id] !== want) { labelNow[id] = want; changes.push({ id: id, label: want }); }
    });
    if (changes.length) { nodes.update(changes); }
    timings.labels = performance.now();
  }
  var labelsPending = false;
  function labelsSoon() {
    if (nodeView.length < 1500) { placeLabels(); return; }
    if (labelsPending) { return; }
    labelsPending = true;
    requestAnimationFrame(function () { labelsPending = false; placeLabels(); });
  }

  // Small marks on an edge with more than one kind of relation: one per kind, in its colour.
  function marks() {
    var out = [], scale = network.getScale(), r = 3.5 / scale, step = 9 / scale;
    edges.forEach(function (e) {
      if (e.kind !== "pair" || e.members.length < 2) { return; }
      var kinds = [];
      e.members.forEach(function (id) {
        var c = relationById[id].color;
        if (kinds.indexOf(c) < 0) { kinds.push(c); }
      });
      if (kinds.length < 2) { return; }
      var a = network.body.nodes[e.from], b = network.body.nodes[e.to];
      if (!a || !b) { return; }
      var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      kinds.forEach(function (color, i) {
        var t = (i - (kinds.length - 1) / 2) * step;
        out.push({ x: (a.x + b.x) / 2 + dx / d * t, y: (a.y + b.y) / 2 + dy / d * t, r: r, color: color });
      });
    });
    return out;
  }
  network.on("afterDrawing", function (ctx) {
    if (!timings.firstDraw) { timings.firstDraw = performance.now(); }
    var scale = network.getScale();
    marks().forEach(function (m) {
      ctx.beginPath();
      ctx.arc(m.x, m.y, m.r, 0, 2 * Math.PI);
      ctx.fillStyle = m.color;
      ctx.fill();
      ctx.lineWidth = 1.2 / scale;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    });
  });

  // ---- legend and filters -----------------------------------------------------------------
  function swatchLine(style) {
    var dashed = Array.isArray(style.dashes);
    return el("span", { className: "kg-swatch-line", style: {
      borderTopColor: style.color, borderTopStyle: dashed ? "dashed" : "solid" } });
  }
  var relationBoxes = [], classBoxes = [];
  var relationList = document.getElementById("kg-relations");
  presentRelations.forEach(function (r) {
    var box = el("input", { type: "checkbox", "data-relation": r.name });
    box.addEventListener("change", function () {
      if (box.checked) { state.relations.add(r.name); } else { state.relations.delete(r.name); }
      refresh();
    });
    relationBoxes.push(box);
    relationList.appendChild(el("label", { className: "kg-legend-item", title: r.text }, [
      box, swatchLine(r), el("span", { text: r.name + (r.arrows ? " \u2192" : " \u2194") }),
      el("span", { className: "kg-count", text: String(r.count) })]));
  });
  function setAllRelations(on) {
    relationBoxes.forEach(function (box) {
      if (on) { state.relations.add(box.dataset.relation); } else { state.relations.delete(box.dataset.relation); }
    });
    syncControls();
    refresh();
  }
  document.getElementById("kg-relations-all").addEventListener("click", function () { setAllRelations(true); });
  document.getElementById("kg-relations-none").addEventListener("click", function () { setAllRelations(false); });

  var SHAPES = { dot: "\u25cf", triangle: "\u25b2", diamond: "\u25c6", hexagon: "\u2b22", star: "\u2605", square: "\u25a0" };
  var classList = document.getElementById("kg-classes");
  presentClasses.forEach(function (c) {
    var box = el("input", { type: "checkbox", "data-class": c.name });
    box.addEventListener("change", function () {
      if (box.checked) { state.classes.add(c.name); } else { state.classes.delete(c.name); }
      refresh();
    });
    classBoxes.push(box);
    classList.appendChild(el("label", { className: "kg-legend-item", title: c.text }, [
      box, el("span", { className: "kg-shape", text: SHAPES[c.shape] || "\u25cf", style: { color: c.color } }),
      el("span", { text: c.name }), el("span", { className: "kg-count", text: String(c.count) })]));
  });
  document.getElementById("kg-layer-note").hidden = DEFAULTS.classes.length === presentClasses.length;
  document.getElementById("kg-scored-by").textContent = DATA.scored_by;
  var isolatedBox = document.getElementById("kg-hide-isolated");
  isolatedBox.addEventListener("change", function () { state.hideIsolated = isolatedBox.checked; refresh(); });
  var aggregateBox = document.getElementById("kg-aggregate");
  document.getElementById("kg-aggregate-box").hidden = DATA.groups.length < 2;
  aggregateBox.addEventListener("change", function () {
    state.aggregate = aggregateBox.checked;
    state.open.clear();
    refresh();
    fit();
  });

  var fromInput = document.getElementById("kg-date-from"), toInput = document.getElementById("kg-date-to");
  if (!DATA.dates.length) {
    document.getElementById("kg-dates-box").hidden = true;
  } else {
    [fromInput, toInput].forEach(function (input) { input.max = String(lastDate); });
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
  var undatedBox = document.getElementById("kg-undated");
  undatedBox.addEventListener("change", function () { state.undated = undatedBox.checked; refresh(); });

  var conflictsBox = document.getElementById("kg-show-conflicts");
  if (DATA.conflicts.length) {
    document.getElementById("kg-conflicts-box").hidden = false;
    conflictsBox.addEventListener("change", function () { state.conflicts = conflictsBox.checked; refresh(); });
    var list = document.getElementById("kg-conflicts");
    conflictEdges.forEach(function (e) {
      var c = e.conflict;
      list.appendChild(el("li", null, [button(
        nodeById[c.a].label + " \u2194 " + nodeById[c.b].label + (c.score === null ? "" : " (" + number(c.score) + ")"),
        function () {
          if (!state.conflicts) { conflictsBox.click(); }
          if (shown.edges.has(e.id)) { network.selectEdges([e.id]); }
          showEdge(e.id);
        }, "kg-link")]));
    });
  }

  // The controls show the state (after a permalink, a search that revealed an actor, ...).
  function syncControls() {
    relationBoxes.forEach(function (box) { box.checked = state.relations.has(box.dataset.relation); });
    classBoxes.forEach(function (box) { box.checked = state.classes.has(box.dataset.class); });
    isolatedBox.checked = state.hideIsolated;
    aggregateBox.checked = state.aggregate;
    undatedBox.checked = state.undated;
    conflictsBox.checked = state.conflicts;
    fromInput.value = String(state.from);
    toInput.value = String(state.to);
    showDates();
  }

  // ---- focus, camps, search ----------------------------------------------------------------
  // Everything shown, whole, with a margin for the labels at the edges.
  function fit() {
    network.fit({ nodes: nodeView.getIds(), animation: false });
    network.moveTo({ scale: network.getScale() * 0.92, animation: false });
    labelsSoon();
  }
  function setFocus(id, depth) {
    state.focus = id;
    state.depth = depth || 1;
    refresh();
    fit();
  }
  document.getElementById("kg-unfocus").addEventListener("click", function () { setFocus(null, 1); });

  function openGroup(id) {
    state.open.add(id);
    refresh();
    network.fit({ nodes: groupById[id].members.filter(function (m) { return shown.visible.has(m); }), animation: false });
    labelsSoon();
    showGroup(id);
  }
  function closeGroup(id) {
    state.open.delete(id);
    refresh();
  }

  // Whatever hides an actor is undone so that it can be shown; returns what was changed.
  function reveal(id) {
    var done = [], n = nodeById[id];
    if (!state.classes.has(n.cls)) { state.classes.add(n.cls); done.push("the " + n.cls + " layer is now shown"); }
    if (state.focus && !(shown.around && shown.around.has(id))) { state.focus = null; done.push("back to the whole map"); }
    refresh();
    if (!shown.actors.has(id) && state.hideIsolated) {
      state.hideIsolated = false; done.push("actors with no visible relation are shown"); refresh();
    }
    if (!shown.visible.has(id) && groupOf[id] !== undefined && state.aggregate) {
      state.open.add(groupOf[id]); done.push("its camp is open"); refresh();
    }
    syncControls();
    return done;
  }

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
    var done = shown.visible.has(id) ? [] : reveal(id);
    if (!shown.visible.has(id)) { searchStatus.textContent = nodeById[id].label + " is hidden by the filters."; return; }
    searchStatus.textContent = done.length ? nodeById[id].label + ": " + done.join("; ") + "." : "";
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(1.3, network.getScale()), animation: false });
    moved = true;
    showNode(id);
    placeLabels();
  }
  // Enter searches; so does picking a name from the list (a change), but not leaving the box
  // after a search (also a change: it would redraw the details under the pointer).
  var search = document.getElementById("kg-search"), searched = null;
  function searchNow() { searched = search.value; find(search.value); }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); searchNow(); } });
  search.addEventListener("change", function () { if (search.value && search.value !== searched) { searchNow(); } });

  // ---- details --------------------------------------------------------------------------
  function classText(cls) {
    var c = DATA.classes.filter(function (x) { return x.name === cls; })[0];
    return c ? c.text : cls;
  }
  function fieldRow(term, value) { return [el("dt", { text: term }), el("dd", null, [value])]; }
  function dl(rows) {
    var list = el("dl");
    rows.forEach(function (row) { if (row) { row.forEach(function (x) { list.appendChild(x); }); } });
    return list;
  }
  function relationButton(r) {
    var text = nodeById[r.from].label + " " + r.relation + " " + nodeById[r.to].label +
      " (" + plural(r.weight, "quote") + ")";
    var b = button(text, function () {
      var pair = pairOfRelation[r.id];
      if (shown.edges.has(pair.id)) { network.selectEdges([pair.id]); }
      showRelation(r.id);
    }, "kg-link");
    if (!relationShown(r)) { b.className += " kg-filtered"; b.title = "hidden by the filters"; }
    return b;
  }
  function select(id) { state.selected = id; saveLink(); }

  function showNode(id) {
    var n = nodeById[id];
    select(id);
    clear(details);
    details.appendChild(el("h2", { text: n.label }));
    details.appendChild(el("p", { className: "kg-kind", text: n.cls + " \u2014 " + classText(n.cls) }));
    if (n.proxy) { details.appendChild(el("p", { className: "kg-proxy-note", text: "Proxy group: an armed group backed by a state." })); }
    var actions = el("p", { className: "kg-actions" });
    actions.appendChild(button("only its neighbours", function () { setFocus(id, 1); }));
    actions.appendChild(button("two steps out", function () { setFocus(id, 2); }));
    if (state.focus) { actions.appendChild(button("whole map", function () { setFocus(null, 1); })); }
    var camp = groupById[groupOf[id]];
    if (camp && state.aggregate && state.open.has(camp.id)) {
      actions.appendChild(button("close its camp", function () { closeGroup(camp.id); }));
    }
    details.appendChild(actions);
    var wikidata = null;
    if (/^Q\d+$/.test(n.wikidata)) {
      wikidata = el("a", { href: "https://www.wikidata.org/wiki/" + n.wikidata, target: "_blank", rel: "noopener noreferrer" }, [n.wikidata]);
    }
    details.appendChild(dl([
      n.aliases.length ? fieldRow("also called", n.aliases.join(", ")) : null,
      wikidata ? fieldRow("Wikidata", wikidata) : null,
      camp ? fieldRow("camp", camp.name + " (" + camp.label + ")") : null,
      fieldRow("PageRank", number(n.pagerank)),
      n.betweenness === null || n.betweenness === undefined ? null : fieldRow("betweenness", number(n.betweenness)),
      fieldRow("identifier", n.iri)
    ]));
    var incident = relationsOf[id];
    details.appendChild(el("h3", { text: "Relations (" + incident.length + ")" }));
    var list = el("ul", { className: "kg-relations-of" });
    incident.forEach(function (r) { list.appendChild(el("li", null, [relationButton(r)])); });
    details.appendChild(list);
  }

  function showGroup(id) {
    var g = groupById[id];
    select(id);
    clear(details);
    details.appendChild(el("h2", { text: g.name }));
    details.appendChild(el("p", { className: "kg-kind", text: plural(g.members.length, "actor") + (g.kind === "bloc"
      ? ": a signed bloc of the analysis (ties inside are cooperative, ties to other blocs adversarial), with the actors tied to it"
      : ": in none of the blocs") }));
    var actions = el("p", { className: "kg-actions" });
    if (state.open.has(id)) { actions.appendChild(button("close it", function () { closeGroup(id); showGroup(id); })); }
    else { actions.appendChild(button("open it", function () { openGroup(id); })); }
    details.appendChild(actions);
    var top = g.members.slice().sort(function (a, b) { return nodeById[b].pagerank - nodeById[a].pagerank || (a < b ? -1 : 1); });
    details.appendChild(el("h3", { text: "The most central" }));
    var list = el("ul", { className: "kg-relations-of" });
    top.slice(0, 40).forEach(function (m) {
      list.appendChild(el("li", null, [button(nodeById[m].label, function () { find(nodeById[m].label); }, "kg-link")]));
    });
    details.appendChild(list);
  }

  function whoSays(id) {
    if (DATA.sources[id]) { return DATA.sources[id]; }
    if (nodeById[id]) { return nodeById[id].label; }
    if (id.indexOf("article/") === 0) { return "the article"; }
    return id.replace(/^source\//, "");
  }

  // A relation's facts and quotes, under the heading ``heading`` (h2 alone, h3 within a pair).
  function relationBlock(r, heading) {
    var block = el("section", { className: "kg-relation-block" + (relationShown(r) ? "" : " kg-filtered") });
    block.appendChild(el(heading, { className: "kg-edge-title" }, [nodeById[r.from].label + " ", el("em", { text: r.relation }),
      " " + nodeById[r.to].label + (relationShown(r) ? "" : " (hidden by the filters)")]));
    block.appendChild(el("p", { className: "kg-kind", text: legend[r.relation].text + (r.symmetric ? " (both ways)" : "") }));
    block.appendChild(dl([
      fieldRow("method", r.method + (r.method === "curated" ? "" : ", confidence " + number(r.confidence))),
      r.dates.length ? fieldRow("dates", r.dates.join(", ")) : fieldRow("dates", "undated"),
      fieldRow("evidence", plural(r.weight, "quote"))
    ]));
    var list = el("ol", { className: "kg-evidence" });
    r.evidence.forEach(function (ev) {
      var article = DATA.articles[ev.article] || {};
      var cite = [];
      cite.push(el("span", { className: "kg-article", text: article.title ? article.title + " [" + ev.article + "]" : ev.article }));
      if (article.publisher) { cite.push(el("span", { text: " \u2014 " + article.publisher })); }
      cite.push(el("span", { className: "kg-date", text: " \u2014 " + (ev.date || article.date || "undated") }));
      if (ev.asserted_by) { cite.push(el("span", { className: "kg-who", text: " \u2014 according to " + whoSays(ev.asserted_by) })); }
      cite.push(el("span", { className: "kg-method", text: " \u2014 " + ev.method + (ev.method === "curated" ? "" : " (confidence " + number(ev.confidence) + ")") }));
      list.appendChild(el("li", null, [el("blockquote", { className: "kg-quote", text: ev.quote }), el("p", { className: "kg-cite" }, cite)]));
    });
    block.appendChild(list);
    return block;
  }

  function showRelation(id) {
    select(id);
    clear(details);
    details.appendChild(relationBlock(relationById[id], "h2"));
  }

  function showEdge(id) {
    select(id);
    clear(details);
    if (conflictById[id]) {
      var c = conflictById[id].conflict;
      details.appendChild(el("h2", { text: "Conflict of interest" }));
      details.appendChild(el("p", { text: nodeById[c.a].label + " and " + nodeById[c.b].label }));
      details.appendChild(dl([
        c.score === null ? null : fieldRow("score", number(c.score)),
        c.kind ? fieldRow("kind", c.kind) : null]));
      [["They cooperate", c.cooperative || []], ["They are on opposite sides", c.adversarial || []]].forEach(function (part) {
        var ids = part[1].filter(function (x) { return relationById[x] !== undefined; });
        if (!ids.length) { return; }
        details.appendChild(el("h3", { text: part[0] }));
        var links = el("ul", { className: "kg-relations-of" });
        ids.forEach(function (x) { links.appendChild(el("li", null, [relationButton(relationById[x])])); });
        details.appendChild(links);
      });
      return;
    }
    var pair = pairById[id];
    if (pair) {
      var members = pair.relations.filter(relationShown).concat(pair.relations.filter(function (r) { return !relationShown(r); }));
      if (members.length === 1) { details.appendChild(relationBlock(members[0], "h2")); return; }
      details.appendChild(el("h2", { className: "kg-pair-title", text: nodeById[pair.from].label + " \u2014 " + nodeById[pair.to].label }));
      details.appendChild(el("p", { className: "kg-kind", text: plural(pair.relations.length, "relation") + " between them" }));
      members.forEach(function (r) { details.appendChild(relationBlock(r, "h3")); });
      return;
    }
    var edge = edges.get(id);
    if (!edge) { showHint(); return; }
    details.appendChild(el("h2", { text: nameOf(edge.from) + " \u2014 " + nameOf(edge.to) }));
    details.appendChild(el("p", { className: "kg-kind", text: plural(edge.members.length, "relation") + " between them" }));
    var list = el("ul", { className: "kg-relations-of" });
    edge.members.slice(0, 300).forEach(function (r) { list.appendChild(el("li", null, [relationButton(relationById[r])])); });
    details.appendChild(list);
  }

  function showHint() {
    select(null);
    clear(details);
    details.appendChild(el("p", { className: "kg-hint", text: "Click an actor or a relation to see its details and evidence. Hover for a summary." }));
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (groupById[id]) { openGroup(id); } else { showNode(id); }
    } else if (params.edges.length) { showEdge(params.edges[0]); }
    else { showHint(); }
    placeLabels();
  });
  network.on("hoverNode", function (params) { hovered = params.node; placeLabels(); });
  network.on("blurNode", function () { hovered = null; placeLabels(); });
  network.on("zoom", function () { moved = true; labelsSoon(); saveLinkSoon(); });
  network.on("dragEnd", function (params) { moved = true; if (params.nodes.length) { labelsSoon(); } saveLinkSoon(); });

  // ---- permalink: the URL fragment holds focus, filters, dates, camps, selection, view -----
  function sameSet(set, list) { return set.size === list.length && list.every(function (x) { return set.has(x); }); }
  function linkOf() {
    var parts = [];
    function put(key, value) {
      parts.push(key + "=" + encodeURIComponent(value).replace(/%2C/g, ","));
    }
    if (state.focus) { put("focus", state.focus); if (state.depth !== 1) { put("depth", state.depth); } }
    if (!sameSet(state.relations, DEFAULTS.relations)) { put("relations", Array.from(state.relations).sort().join(",")); }
    if (!sameSet(state.classes, DEFAULTS.classes)) { put("classes", Array.from(state.classes).sort().join(",")); }
    if (state.from !== 0) { put("from", DATA.dates[state.from]); }
    if (state.to !== lastDate) { put("to", DATA.dates[state.to]); }
    if (!state.undated) { put("undated", "no"); }
    if (state.hideIsolated !== DEFAULTS.hideIsolated) { put("isolated", state.hideIsolated ? "hide" : "show"); }
    if (state.conflicts) { put("conflicts", "show"); }
    if (state.aggregate !== DEFAULTS.aggregate) { put("camps", state.aggregate ? "grouped" : "open"); }
    if (state.aggregate && state.open.size) { put("open", Array.from(state.open).sort().join(",")); }
    if (state.selected && state.selected !== DATA.focus) { put("selected", state.selected); }
    if (moved) {
      var at = network.getViewPosition();
      put("view", [Math.round(at.x), Math.round(at.y), Math.round(network.getScale() * 1000) / 1000].join(","));
    }
    return parts.join("&");
  }
  function dateIndex(text, fallback) {
    if (!text) { return fallback; }
    var i = DATA.dates.indexOf(text);
    if (i >= 0) { return i; }
    var later = DATA.dates.findIndex(function (d) { return d >= text; });
    return later < 0 ? lastDate : later;
  }
  function readLink(hash) {
    var params = {};
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) { return; }
      var at = part.indexOf("=");
      try { params[decodeURIComponent(at < 0 ? part : part.slice(0, at))] = at < 0 ? "" : decodeURIComponent(part.slice(at + 1)); }
      catch (e) { /* a mangled part is ignored */ }
    });
    var next = freshState();
    function names(text, allowed) { return text.split(",").filter(function (x) { return allowed.indexOf(x) >= 0; }); }
    if (params.focus && nodeById[params.focus]) { next.focus = params.focus; }
    if (params.depth) { next.depth = Math.min(Math.max(parseInt(params.depth, 10) || 1, 1), 5); }
    if ("relations" in params) { next.relations = new Set(names(params.relations, DEFAULTS.relations)); }
    if ("classes" in params) { next.classes = new Set(names(params.classes, presentClasses.map(function (c) { return c.name; }))); }
    next.from = dateIndex(params.from, 0);
    next.to = Math.max(dateIndex(params.to, lastDate), next.from);
    if (params.undated === "no") { next.undated = false; }
    if (params.isolated) { next.hideIsolated = params.isolated === "hide"; }
    if (params.conflicts === "show" && DATA.conflicts.length) { next.conflicts = true; }
    if (params.camps) { next.aggregate = params.camps === "grouped" && DATA.groups.length > 1; }
    if (params.open) { next.open = new Set(names(params.open, Object.keys(groupById))); }
    if (params.selected) { next.selected = params.selected; }
    var view = (params.view || "").split(",").map(Number);
    return { state: next, view: view.length === 3 && view.every(isFinite) && view[2] > 0 ? view : null };
  }
  var written = null;
  function saveLink() {
    var link = linkOf();
    if (link === written) { return; }
    written = link;
    try { history.replaceState(null, "", link ? "#" + link : location.pathname + location.search); }
    catch (e) { /* a sandboxed frame (a notebook) may not change its URL: the link stays in kgMap.link() */ }
  }
  var linkTimer = null;
  function saveLinkSoon() { clearTimeout(linkTimer); linkTimer = setTimeout(saveLink, 200); }

  function applyLink(hash) {
    var read = readLink(hash);
    state = read.state;
    syncControls();
    refresh();
    network.unselectAll();
    if (read.view) {
      network.moveTo({ position: { x: read.view[0], y: read.view[1] }, scale: read.view[2], animation: false });
      moved = true;
    } else {
      fit();
    }
    var id = state.selected;
    if (id && nodeById[id]) { if (shown.visible.has(id)) { network.selectNodes([id]); } showNode(id); }
    else if (id && groupById[id]) { showGroup(id); }
    else if (id && relationById[id]) { showRelation(id); }
    else if (id && (pairById[id] || conflictById[id] || shown.edges.has(id))) {
      if (shown.edges.has(id)) { network.selectEdges([id]); }
      showEdge(id);
    } else if (!id && DATA.focus) { network.selectNodes([DATA.focus]); showNode(DATA.focus); }
    else { showHint(); }
    placeLabels();
    saveLink();
  }
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") !== written) { moved = false; applyLink(location.hash); }
  });

  // ---- toolbar: fit, export, link -----------------------------------------------------------
  var toolbarStatus = document.getElementById("kg-toolbar-status");
  function fileName(ext) {
    return (DATA.title.replace(/[^A-Za-z0-9\u00c0-\u024f]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "map") + "." + ext;
  }
  function caption() {
    return [DATA.title, document.getElementById("kg-counts").textContent];
  }
  document.getElementById("kg-fit").addEventListener("click", function () { moved = false; fit(); saveLink(); });
  document.getElementById("kg-export-png").addEventListener("click", function () {
    kgExport.png(network, caption()).then(function (blob) { kgExport.save(blob, fileName("png")); });
  });
  document.getElementById("kg-export-svg").addEventListener("click", function () {
    var text = kgExport.svg(network, caption(), marks());
    kgExport.save(new Blob([text], { type: "image/svg+xml" }), fileName("svg"));
  });
  var linkButton = document.getElementById("kg-copy-link");
  linkButton.hidden = location.protocol === "about:";
  linkButton.addEventListener("click", function () {
    saveLink();
    var url = location.href;
    function done(ok) { toolbarStatus.textContent = ok ? "link copied" : "copy the address bar: it holds this view"; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
    } else { done(false); }
  });

  // ---- start ------------------------------------------------------------------------------
  applyLink(location.hash);
  timings.script = performance.now();

  window.kgMap = Object.freeze({
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edges, timings: timings,
    drawn: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length, relations: shown.relations };
    },
    shownActors: function () { return Array.from(shown.actors).sort(); },
    labels: function () {
      return network.body.nodeIndices.filter(function (id) {
        var n = network.body.nodes[id];
        return n.options.label && n.labelModule.visible();
      });
    },
    marks: marks,
    link: linkOf,
    svg: function () { return kgExport.svg(network, caption(), marks()); },
    png: function () { return kgExport.png(network, caption()); },
    domPoint: function (canvasPoint) {
      var dom = network.canvasToDOM(canvasPoint), box = container.getBoundingClientRect();
      return { x: dom.x + box.left, y: dom.y + box.top };
    }
  });
})();
