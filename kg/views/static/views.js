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

  const nodes = new vis.DataSet(data.nodes.map(function (n) {
    const s = styles[n.kind];
    const node = { id: n.id, label: n.short || n.label, kind: n.kind, size: n.size, shape: s.shape,
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
  const nodeView = new vis.DataView(nodes, {
    filter: function (n) { return shownKinds.has(n.kind); } });
  const edgeView = new vis.DataView(edges, {
    filter: function (e) {
      if (!shownRelations.has(e.relation)) return false;
      const a = nodes.get(e.from), b = nodes.get(e.to);
      return shownKinds.has(a.kind) && shownKinds.has(b.kind);
    } });

  const container = document.getElementById("net");
  const options = {
    autoResize: true,
    nodes: { font: { size: 14, face: "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif",
                     strokeWidth: 3, strokeColor: "#ffffff" },
             borderWidth: 1, scaling: { label: { enabled: true, min: 14, max: 14, drawThreshold: data.large ? 8 : 4 } } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, width: 1,
             color: { color: "#9aa3ad", highlight: "#333", hover: "#333" },
             scaling: { label: { enabled: true, min: 11, max: 11, drawThreshold: data.large ? 9 : 5 } },
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
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  Object.assign(view, { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView });

  function settle() {
    if (view.stable) return;
    network.setOptions({ physics: { enabled: false } });
    if (data.physics) network.fit({ maxZoomLevel: 1.5, animation: false });  /* small views: zoom in */
    if (data.focus !== null && data.focus !== undefined) network.selectNodes([data.focus]);
    view.stable = true;
    document.body.dataset.stable = "1";
  }
  if (data.physics && data.nodes.length) {
    network.once("stabilizationIterationsDone", settle);
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

  /* search: exact label first, then the first label (or alias) that contains the query */
  const names = document.getElementById("names");
  const seen = new Set();
  data.nodes.forEach(function (n) {
    if (seen.has(n.label)) return;
    seen.add(n.label);
    const o = el("option"); o.value = n.label; names.appendChild(o);
  });
  const status = document.getElementById("status");
  view.find = function (query) {
    const q = query.trim();
    if (!q) return null;
    const exact = data.nodes.find(function (n) { return n.label === q; });
    const hit = exact || data.nodes.find(function (n) {
      return n.label.indexOf(q) >= 0 || (n.aliases || "").indexOf(q) >= 0; });
    if (!hit) { status.textContent = "未找到"; return null; }
    if (!shownKinds.has(hit.kind)) {
      shownKinds.add(hit.kind); kindBoxes[hit.kind].checked = true;
      nodeView.refresh(); edgeView.refresh();
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    status.textContent = "已定位：" + hit.label;
    view.focused = hit.id;
    return hit.id;
  };
  const input = document.getElementById("search");
  document.getElementById("go").addEventListener("click", function () { view.find(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") view.find(input.value); });
  input.addEventListener("change", function () { view.find(input.value); });

  /* double click: open the node's own view */
  const hrefs = {};
  data.nodes.forEach(function (n) { if (n.href) hrefs[n.id] = n.href; });
  network.on("doubleClick", function (p) {
    if (p.nodes.length && hrefs[p.nodes[0]]) window.location.href = hrefs[p.nodes[0]];
  });
})();
