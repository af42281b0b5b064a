/* civic-kg network views: draws the page's embedded JSON with vis-network.
 * Every text from the articles reaches the DOM through textContent (never innerHTML);
 * tooltips are plain strings, which vis-network 9 puts in the DOM with innerText. */
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const view = { stable: false, data: data };
  window.kgView = view;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const styles = {};
  data.kinds.forEach(function (k) { styles[k.kind] = k; });
  const shownKinds = new Set(data.kinds.map(function (k) { return k.kind; }));
  const shownRelations = new Set(data.relations.map(function (r) { return r.relation; }));

  const dates = data.dates || [];
  const timeWindow = { from: 0, to: dates.length - 1 };  /* indices into dates: the time slider */
  function inTime(n) { return !n.date || (n.date >= dates[timeWindow.from] && n.date <= dates[timeWindow.to]); }

  const nodes = new vis.DataSet(data.nodes.map(function (n) {
    const s = styles[n.kind];
    const node = { id: n.id, label: n.short || n.label, kind: n.kind, date: n.date, size: n.size, shape: s.shape,
      color: { background: s.color, border: s.border,
               highlight: { background: s.color, border: "#222" },
               hover: { background: s.color, border: "#222" } },
      title: n.tip };
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    return node;
  }));
  const edges = new vis.DataSet(data.edges.map(function (e) {
    const edge = { id: e.id, from: e.from, to: e.to, label: e.label, relation: e.relation,
      title: e.tip };
    edge.smooth = e.curve ? { enabled: true, type: e.curve > 0 ? "curvedCW" : "curvedCCW",
                              roundness: Math.abs(e.curve) } : false;
    return edge;
  }));
  function shown(n) { return shownKinds.has(n.kind) && inTime(n); }
  const nodeView = new vis.DataView(nodes, { filter: shown });
  const edgeView = new vis.DataView(edges, {
    filter: function (e) {
      return shownRelations.has(e.relation) && shown(nodes.get(e.from)) && shown(nodes.get(e.to));
    } });

  const container = document.getElementById("net");
  const options = {
    autoResize: true,
    nodes: { font: { size: 14, face: "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif",
                     strokeWidth: 3, strokeColor: "#ffffff" },
             borderWidth: 1, scaling: { label: { enabled: true, min: 14, max: 14, drawThreshold: data.large ? 8 : 4 } } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, width: 1,
             color: { color: "#9aa3ad", highlight: "#333", hover: "#333" },
             scaling: { label: { enabled: true, min: 11, max: 11, drawThreshold: 9 } },
             font: { size: 11, align: "middle", color: "#555", strokeWidth: 3, strokeColor: "#ffffff",
                     face: "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif" },
             selectionWidth: 2, hoverWidth: 1.5 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.nodes.length > 1000,
                   navigationButtons: false, keyboard: false },
    layout: { randomSeed: 7, improvedLayout: data.nodes.length <= 150 },
    physics: data.physics ? {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, centralGravity: 0.02, springLength: 80,
                          springConstant: 0.08, avoidOverlap: 0.6, damping: 0.5 },
      minVelocity: 1.5, maxVelocity: 60,
      stabilization: { enabled: true, iterations: data.iterations, updateInterval: 50, fit: true }
    } : { enabled: false }
  };
  if (!data.nodes.length) container.appendChild(el("p", "empty", "此视图没有节点。"));
  if (data.note) document.getElementById("panel").appendChild(el("p", "hint", data.note));
  if (data.timeline && data.timeline.length) {  /* an official's page: what they did, by date */
    const sec = el("section", "timeline"), list = el("ol");
    sec.appendChild(el("h2", "", "时间线"));
    data.timeline.forEach(function (t) {
      const li = el("li");
      li.appendChild(el("span", "n", t.day + " "));
      li.appendChild(document.createTextNode(t.verb + " " + t.what));
      list.appendChild(li);
    });
    sec.appendChild(list);
    document.getElementById("panel").appendChild(sec);
  }
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  Object.assign(view, { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView });

  /* The box a node covers when drawn: its shape and its label (below it, as last drawn). Not
   * network.getBoundingBox, which leaves out the label's top margin. */
  view.box = function (id) {
    const n = network.body.nodes[id], L = n.labelModule.size;
    const box = { left: n.x - n.shape.width / 2, right: n.x + n.shape.width / 2,
                  top: n.y - n.shape.height / 2, bottom: n.y + n.shape.height / 2 };
    if (L.width > 0) {
      box.left = Math.min(box.left, L.left); box.right = Math.max(box.right, L.left + L.width);
      box.bottom = Math.max(box.bottom, L.top + L.height);
    }
    return box;
  };

  /* Readable labels: once physics has stopped, the layout is drawn in towards its centre
   * (towards the canvas's proportions) and nodes whose boxes overlap are pushed apart along the
   * shorter overlap, pair by pair, until none overlaps; a few rounds of both take out the empty
   * space, until the graph fits the canvas at the largest zoom. The boxes scale with the zoom, so no label covers another label or a node at any zoom,
   * and the graph takes about the room of the physics layout, not more. */
  const PAD = 4, COMPACT_ROUNDS = 20, MAX_ZOOM = 1.5;
  function separate(items, bias, rounds) {  /* bias > 1: rather push sideways than up and down */
    for (let round = 0; round < rounds; round++) {
      let moved = false;
      items.sort(function (a, b) { return (a.x + a.l) - (b.x + b.l) || a.id - b.id; });
      for (let i = 0; i < items.length; i++) {
        const A = items[i];
        for (let j = i + 1; j < items.length; j++) {
          const B = items[j];
          if (B.x + B.l >= A.x + A.r + PAD) break;
          const ox = Math.min(A.x + A.r, B.x + B.r) - Math.max(A.x + A.l, B.x + B.l) + PAD;
          const oy = Math.min(A.y + A.b, B.y + B.b) - Math.max(A.y + A.t, B.y + B.t) + PAD;
          if (ox <= 0 || oy <= 0) continue;
          if (ox < oy * bias) {
            const d = (B.x - A.x >= 0 ? 1 : -1) * ox / 2; A.x -= d; B.x += d;
          } else {
            const d = (B.y - A.y >= 0 ? 1 : -1) * oy / 2; A.y -= d; B.y += d;
          }
          moved = true;
        }
      }
      if (!moved) return;
    }
  }
  function spread() {
    const items = network.body.nodeIndices.map(function (id) {
      const b = view.box(id), n = network.body.nodes[id];
      return { id: id, x: n.x, y: n.y, l: b.left - n.x, r: b.right - n.x, t: b.top - n.y, b: b.bottom - n.y };
    });
    const rect = container.getBoundingClientRect(), aspect = rect.width / Math.max(rect.height, 1);
    function extent() {  /* of the boxes */
      const x0 = Math.min.apply(null, items.map(function (it) { return it.x + it.l; }));
      const x1 = Math.max.apply(null, items.map(function (it) { return it.x + it.r; }));
      const y0 = Math.min.apply(null, items.map(function (it) { return it.y + it.t; }));
      const y1 = Math.max.apply(null, items.map(function (it) { return it.y + it.b; }));
      return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, w: x1 - x0, h: y1 - y0 };
    }
    separate(items, 1, 200);
    for (let round = 0; round < COMPACT_ROUNDS; round++) {
      const e = extent(), tall = e.h * aspect / e.w;  /* > 1: taller than the canvas's proportions */
      if (e.w * MAX_ZOOM <= rect.width && e.h * MAX_ZOOM <= rect.height) break;  /* fits as it is */
      const fx = tall > 1 ? 0.95 : 0.85, fy = tall > 1 ? 0.85 : 0.95;
      items.forEach(function (it) { it.x = e.cx + (it.x - e.cx) * fx; it.y = e.cy + (it.y - e.cy) * fy; });
      separate(items, Math.min(4, Math.max(0.25, tall)) * 2, 200);
    }
    separate(items, 1, 2000);  /* whatever the last round left */
    items.forEach(function (it) { network.moveNode(it.id, it.x, it.y); });
  }

  function done() {
    view.stable = true;
    document.body.dataset.stable = "1";
  }
  function settle() {
    if (view.stable) return;
    network.setOptions({ physics: { enabled: false } });
    if (data.physics) {
      spread();
      network.fit({ maxZoomLevel: MAX_ZOOM, animation: false });  /* small views: zoom in */
    }
    if (data.focus !== null && data.focus !== undefined) network.selectNodes([data.focus]);
    if (!data.nodes.length) return done();
    network.once("afterDrawing", done);  /* stable once drawn where spread put the nodes */
    network.redraw();
  }
  if (data.physics && data.nodes.length) {
    network.once("stabilizationIterationsDone", function () { network.once("afterDrawing", settle); });
  } else {
    network.once("afterDrawing", settle);
    if (!data.nodes.length) settle();
  }

  /* rendered counts: what vis-network draws after the filters */
  view.rendered = function () {
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  };

  /* legend and filters */
  function filterBox(parent, swatch, name, count, checked, onChange) {
    const label = el("label");
    const box = el("input"); box.type = "checkbox"; box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.append(box, swatch, el("span", null, name), el("span", "n", String(count)));
    parent.appendChild(label);
    return box;
  }
  const kindBoxes = {};
  data.kinds.forEach(function (k) {
    const sw = el("span", "swatch shape-" + k.shape);
    sw.style.background = k.color;
    kindBoxes[k.kind] = filterBox(document.getElementById("kinds"), sw, k.name, k.count, true, function (on) {
      if (on) shownKinds.add(k.kind); else shownKinds.delete(k.kind);
      nodeView.refresh(); edgeView.refresh();
    });
  });
  data.relations.forEach(function (r) {
    filterBox(document.getElementById("relations"), el("span", "line"), r.verb, r.count, true, function (on) {
      if (on) shownRelations.add(r.relation); else shownRelations.delete(r.relation);
      edgeView.refresh();
    });
  });

  /* search: the nodes named exactly so and the people who hold a post of that name; else every
   * node whose name, alias or post holds the text (慧泉, 市委书记) */
  const names = document.getElementById("names");
  const seen = new Set();
  data.nodes.forEach(function (n) {
    if (seen.has(n.label)) return;
    seen.add(n.label);
    const o = el("option"); o.value = n.label; names.appendChild(o);
  });
  const status = document.getElementById("status");
  const hitList = document.getElementById("hits");
  function rank(n, q) {
    if (n.label.indexOf(q) >= 0) return 1;
    if ((n.aliases || "").indexOf(q) >= 0) return 2;
    if ((n.posts || "").indexOf(q) >= 0) return 3;
    return 0;
  }
  function reveal(hits) {
    let changed = false;
    hits.forEach(function (n) {
      if (!shownKinds.has(n.kind)) { shownKinds.add(n.kind); kindBoxes[n.kind].checked = true; changed = true; }
      if (!inTime(n)) { setWindow(0, dates.length - 1); changed = true; }
    });
    if (changed) { nodeView.refresh(); edgeView.refresh(); }
  }
  function focusOn(id) {
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    view.focused = id;
  }
  view.find = function (query) {
    const q = query.trim();
    hitList.replaceChildren();
    if (!q) { status.textContent = ""; return []; }
    let hits = data.nodes.filter(function (n) { return n.label === q; });
    if (hits.length) {
      hits = hits.concat(data.nodes.filter(function (n) { return n.label !== q && rank(n, q) === 3; }));
    } else {
      hits = data.nodes.filter(function (n) { return rank(n, q); })
        .sort(function (a, b) { return rank(a, q) - rank(b, q) || a.id - b.id; });
    }
    if (!hits.length) { status.textContent = "未找到"; return []; }
    reveal(hits);
    const ids = hits.map(function (n) { return n.id; });
    network.selectNodes(ids);
    if (ids.length === 1) {
      focusOn(ids[0]);
      status.textContent = "已定位：" + hits[0].label;
    } else {
      network.fit({ nodes: ids, maxZoomLevel: 1.2, animation: false });
      view.focused = ids[0];
      status.textContent = "找到 " + ids.length + " 个";
      hits.forEach(function (n) {
        const b = el("button", "hit", n.label); b.type = "button";
        b.addEventListener("click", function () { network.selectNodes([n.id]); focusOn(n.id); });
        hitList.appendChild(el("li")).appendChild(b);
      });
    }
    return ids;
  };
  const input = document.getElementById("search");
  document.getElementById("go").addEventListener("click", function () { view.find(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") view.find(input.value); });
  input.addEventListener("change", function () { view.find(input.value); });

  /* time slider: dated nodes (events by their day, articles by publication) outside the window are hidden */
  const from = document.getElementById("from"), to = document.getElementById("to");
  const span = document.getElementById("span");
  function setWindow(a, b) {
    timeWindow.from = Math.min(a, b); timeWindow.to = Math.max(a, b);
    from.value = String(timeWindow.from); to.value = String(timeWindow.to);
    span.textContent = dates[timeWindow.from] + " — " + dates[timeWindow.to];
  }
  view.setWindow = function (a, b) { setWindow(a, b); nodeView.refresh(); edgeView.refresh(); };
  if (dates.length > 1) {
    [from, to].forEach(function (r) { r.max = String(dates.length - 1); });
    setWindow(0, dates.length - 1);
    from.addEventListener("input", function () { view.setWindow(+from.value, +to.value); });
    to.addEventListener("input", function () { view.setWindow(+from.value, +to.value); });
  } else {
    document.getElementById("time").hidden = true;
  }

  /* served by `kg serve` (at /views/): a click on a node links its item page */
  if (/^https?:$/.test(window.location.protocol)) {
    const items = {};
    data.nodes.forEach(function (n) { if (n.item) items[n.id] = n; });
    const box = el("p", "item-link", "");
    document.getElementById("panel").prepend(box);
    network.on("click", function (p) {
      box.textContent = "";
      const n = p.nodes.length ? items[p.nodes[0]] : undefined;
      if (!n) return;
      const a = document.createElement("a");
      a.href = n.item;
      a.textContent = "条目页 · " + n.label;
      box.appendChild(a);
    });
  }

  /* double click: open the node's own view */
  const hrefs = {};
  data.nodes.forEach(function (n) { if (n.href) hrefs[n.id] = n.href; });
  network.on("doubleClick", function (p) {
    if (p.nodes.length && hrefs[p.nodes[0]]) window.location.href = hrefs[p.nodes[0]];
  });
})();
