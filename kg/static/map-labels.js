/* kg's relationship map: which labels to draw so that none covers another label or another node.
 *
 * Labels keep one size on screen whatever the zoom (the page sets vis-network's font size
 * to LABEL_PX / scale). kgLabels.place takes the candidates most important first and keeps
 * each label whose box touches no label already kept and no node as important as its own:
 * zooming in spreads the nodes apart on screen, so more labels fit. Geometry only.
 */
var kgLabels = (function () {
  "use strict";

  var LABEL_PX = 13;
  var FACE = "system-ui, sans-serif";
  var measure = document.createElement("canvas").getContext("2d");
  var widths = new Map();

  function textWidth(text) {
    var width = widths.get(text);
    if (width === undefined) {
      measure.font = LABEL_PX + "px " + FACE;
      width = measure.measureText(text).width;
      widths.set(text, width);
    }
    return width;
  }

  // A label's box on screen (pixels, relative to the canvas origin), as vis-network draws a
  // label under a shape: its top at y + size + 4 canvas units, plus half the font size.
  function labelBox(x, y, size, text, scale) {
    var width = textWidth(text), top = (y + size + 4) * scale + LABEL_PX / 2;
    return { left: x * scale - width / 2, right: x * scale + width / 2, top: top, bottom: top + LABEL_PX };
  }

  function nodeBox(x, y, size, scale) {
    return { left: (x - size) * scale, right: (x + size) * scale, top: (y - size) * scale, bottom: (y + size) * scale };
  }

  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // A uniform grid of boxes, so that each test looks at the few boxes nearby.
  function Grid(cell) { this.cell = cell; this.cells = new Map(); }
  Grid.prototype.each = function (box, visit) {
    var c = this.cell;
    for (var i = Math.floor(box.left / c); i <= Math.floor(box.right / c); i++) {
      for (var j = Math.floor(box.top / c); j <= Math.floor(box.bottom / c); j++) {
        if (visit(i + ":" + j) === true) { return true; }
      }
    }
    return false;
  };
  Grid.prototype.add = function (box) {
    var cells = this.cells;
    this.each(box, function (key) {
      var list = cells.get(key);
      if (list === undefined) { cells.set(key, [box]); } else { list.push(box); }
    });
  };
  Grid.prototype.hits = function (box, owner) {
    var cells = this.cells;
    return this.each(box, function (key) {
      var list = cells.get(key);
      return list !== undefined && list.some(function (other) { return other.owner !== owner && overlap(box, other); });
    });
  };

  // items: [{id, x, y, size, text}] most important first, in canvas units; returns the ids
  // whose label is drawn. A label may not touch a label already kept, nor a node at least as
  // important as its own; it may cover a less important node (labels are drawn over nodes).
  // pad: pixels kept free around each label.
  function place(items, scale, pad) {
    var grid = new Grid(120);
    var shown = new Set();
    items.forEach(function (item) {
      var node = nodeBox(item.x, item.y, item.size, scale);
      node.owner = item.id;
      grid.add(node);
      if (!item.text) { return; }
      var box = labelBox(item.x, item.y, item.size, item.text, scale);
      var padded = { left: box.left - pad, right: box.right + pad, top: box.top - pad / 2, bottom: box.bottom + pad / 2, owner: item.id };
      if (!grid.hits(padded, item.id)) {
        grid.add(padded);
        shown.add(item.id);
      }
    });
    return shown;
  }

  return Object.freeze({ LABEL_PX: LABEL_PX, place: place, labelBox: labelBox, nodeBox: nodeBox,
                         overlap: overlap, textWidth: textWidth });
})();
