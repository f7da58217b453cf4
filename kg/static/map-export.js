/* kg's relationship map: the current view as a PNG or an SVG file.
 *
 * PNG: the network's own canvas on white, with a caption (the title and what is shown).
 * SVG: the same drawing rebuilt from what vis-network draws (its node positions, shapes,
 * sizes, colours and label boxes; its edges' colours, widths, dashes, arrows and curves),
 * in the canvas's coordinates with the current view as the viewBox. Text goes in with
 * textContent; the file is made with XMLSerializer, so nothing in it is markup from the data.
 */
var kgExport = (function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var CAPTION_PX = 14;

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // The canvas on white, then the caption lines under it. Resolves to a PNG Blob.
  function png(network, caption) {
    var source = network.canvas.frame.canvas;
    var ratio = source.width / source.clientWidth || 1;
    var lines = caption.filter(Boolean);
    var band = lines.length ? Math.round((lines.length * (CAPTION_PX + 4) + 10) * ratio) : 0;
    var out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height + band;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    ctx.fillStyle = "#333333";
    ctx.font = Math.round(CAPTION_PX * ratio) + "px system-ui, sans-serif";
    ctx.textBaseline = "top";
    lines.forEach(function (line, i) {
      ctx.fillText(line, 8 * ratio, source.height + (6 + i * (CAPTION_PX + 4)) * ratio);
    });
    return new Promise(function (resolve) { out.toBlob(resolve, "image/png"); });
  }

  function make(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== null && attrs[key] !== undefined) { node.setAttribute(key, String(attrs[key])); }
    });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function round(x) { return Math.round(x * 100) / 100; }
  function points(list) { return list.map(function (p) { return round(p[0]) + "," + round(p[1]); }).join(" "); }

  // vis-network's shapes (lib/network/shapes.js), as SVG elements.
  function shape(kind, x, y, r, style) {
    var i, list = [];
    if (kind === "dot") { return make("circle", Object.assign({ cx: round(x), cy: round(y), r: round(r) }, style)); }
    if (kind === "square") { return make("rect", Object.assign({ x: round(x - r), y: round(y - r), width: round(2 * r), height: round(2 * r) }, style)); }
    if (kind === "diamond") { list = [[x, y + r], [x + r, y], [x, y - r], [x - r, y]]; }
    else if (kind === "hexagon") {
      for (i = 0; i < 6; i++) { list.push([x + r * Math.cos(Math.PI / 3 * i), y + r * Math.sin(Math.PI / 3 * i)]); }
    } else if (kind === "star") {
      r *= 0.82; y += 0.1 * r;
      for (i = 0; i < 10; i++) {
        var radius = i % 2 === 0 ? 1.3 * r : 0.5 * r;
        list.push([x + radius * Math.sin(2 * i * Math.PI / 10), y - radius * Math.cos(2 * i * Math.PI / 10)]);
      }
    } else if (kind === "triangle") {
      r *= 1.15; y += 0.275 * r;
      var s = 2 * r, half = s / 2, inner = Math.sqrt(3) / 6 * s, h = Math.sqrt(s * s - half * half);
      list = [[x, y - (h - inner)], [x + half, y + inner], [x - half, y + inner]];
    } else {
      return make("circle", Object.assign({ cx: round(x), cy: round(y), r: round(r) }, style));
    }
    return make("polygon", Object.assign({ points: points(list) }, style));
  }

  function arrowHead(tip, from, length, color) {
    var angle = Math.atan2(tip.y - from.y, tip.x - from.x), spread = 0.45;
    var a = [tip.x - length * Math.cos(angle - spread), tip.y - length * Math.sin(angle - spread)];
    var b = [tip.x - length * Math.cos(angle + spread), tip.y - length * Math.sin(angle + spread)];
    return make("polygon", { points: points([[tip.x, tip.y], a, b]), fill: color });
  }

  // Where an edge meets a node's border, coming from ``other`` (vis-network: the node's size).
  function border(node, other) {
    var dx = other.x - node.x, dy = other.y - node.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
    var r = node.options.size + (node.options.borderWidth || 1);
    return { x: node.x + dx / d * r, y: node.y + dy / d * r };
  }

  function edgeElement(edge) {
    var o = edge.options, from = edge.from, to = edge.to;
    var color = o.color.color, opacity = o.color.opacity === undefined ? 1 : o.color.opacity;
    var dashes = Array.isArray(o.dashes) ? o.dashes.join(" ") : (o.dashes ? "5 5" : null);
    var group = make("g", { "data-edge": edge.id, opacity: opacity });
    var via = o.smooth && o.smooth.enabled && edge.edgeType && edge.edgeType._getViaCoordinates
      ? edge.edgeType._getViaCoordinates() : null;
    var line = via
      ? make("path", { d: "M" + round(from.x) + " " + round(from.y) + " Q" + round(via.x) + " " + round(via.y) + " " + round(to.x) + " " + round(to.y) })
      : make("line", { x1: round(from.x), y1: round(from.y), x2: round(to.x), y2: round(to.y) });
    line.setAttribute("stroke", color);
    line.setAttribute("stroke-width", String(round(o.width)));
    line.setAttribute("fill", "none");
    if (dashes) { line.setAttribute("stroke-dasharray", dashes); }
    group.appendChild(line);
    var length = 15 * ((o.arrows.to && o.arrows.to.scaleFactor) || 1) + 3 * o.width;
    if (o.arrows.to && o.arrows.to.enabled) { group.appendChild(arrowHead(border(to, via || from), via || from, length, color)); }
    if (o.arrows.from && o.arrows.from.enabled) { group.appendChild(arrowHead(border(from, via || to), via || to, length, color)); }
    return group;
  }

  function nodeElement(node) {
    var o = node.options, selected = node.isSelected();
    var group = make("g", { "data-node": node.id });
    group.appendChild(shape(o.shape, node.x, node.y, o.size, {
      fill: o.color.background, stroke: selected ? o.color.highlight.border : o.color.border,
      "stroke-width": selected ? o.borderWidthSelected || 2 * o.borderWidth : o.borderWidth }));
    return group;
  }

  function labelElement(node) {
    var label = node.labelModule, size = label.size, font = label.fontOptions;
    return make("text", {
      "data-label": node.id, x: round(size.left + size.width / 2), y: round(size.top),
      "text-anchor": "middle", "dominant-baseline": "hanging", "font-family": font.face,
      "font-size": round(font.size), fill: font.color, stroke: font.strokeColor,
      "stroke-width": font.strokeWidth, "stroke-linejoin": "round", "paint-order": "stroke"
    }, node.options.label);
  }

  // network: the vis Network; caption: lines of text under the drawing; marks: extra circles
  // the page draws on edges ([{x, y, r, color}] in canvas units). Returns the SVG as text.
  function svg(network, caption, marks) {
    var box = network.body.container.getBoundingClientRect();
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 }), bottomRight = network.DOMtoCanvas({ x: box.width, y: box.height });
    var w = bottomRight.x - topLeft.x, h = bottomRight.y - topLeft.y, scale = network.getScale();
    var lines = caption.filter(Boolean), band = lines.length ? (lines.length * (CAPTION_PX + 4) + 10) / scale : 0;
    var root = make("svg", { xmlns: SVG, width: Math.round(box.width), height: Math.round(box.height + band * scale),
      viewBox: [topLeft.x, topLeft.y, w, h + band].map(round).join(" ") });
    root.appendChild(make("rect", { x: round(topLeft.x), y: round(topLeft.y), width: round(w), height: round(h + band), fill: "#ffffff" }));
    var edges = make("g", { "class": "edges" }), nodes = make("g", { "class": "nodes" }), labels = make("g", { "class": "labels" });
    network.body.edgeIndices.forEach(function (id) {
      var edge = network.body.edges[id];
      if (edge.connected && edge.from && edge.to) { edges.appendChild(edgeElement(edge)); }
    });
    (marks || []).forEach(function (m) {
      edges.appendChild(make("circle", { cx: round(m.x), cy: round(m.y), r: round(m.r), fill: m.color, stroke: "#ffffff", "stroke-width": round(m.r / 3) }));
    });
    network.body.nodeIndices.forEach(function (id) {
      var node = network.body.nodes[id];
      nodes.appendChild(nodeElement(node));
      if (node.options.label && node.labelModule.visible()) { labels.appendChild(labelElement(node)); }
    });
    [edges, nodes, labels].forEach(function (g) { root.appendChild(g); });
    if (band) {
      root.appendChild(make("rect", { x: round(topLeft.x), y: round(bottomRight.y), width: round(w), height: round(band), fill: "#ffffff" }));
    }
    lines.forEach(function (line, i) {
      root.appendChild(make("text", { x: round(topLeft.x + 8 / scale), y: round(bottomRight.y + (6 + i * (CAPTION_PX + 4)) / scale),
        "dominant-baseline": "hanging", "font-family": "system-ui, sans-serif", "font-size": round(CAPTION_PX / scale), fill: "#333333" }, line));
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
  }

  return Object.freeze({ png: png, svg: svg, save: save });
})();
