// The query page: examples one click away, results as a table and as a vis-network graph.
// Every value from the store is inserted as text (textContent), never as HTML.
"use strict";
(function () {
  const PREFIXES = {
    "https://w3id.org/civic-kg/ontology#": "civ:",
    "https://w3id.org/civic-kg/id/": "cid:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
  };
  const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const $ = (id) => document.getElementById(id);
  const editor = $("editor"), status = $("status"), error = $("error"), table = $("results");
  let network = null, lastGraph = { nodes: [], edges: [] };

  function decode(s) { try { return decodeURIComponent(s); } catch (e) { return s; } }
  function shortIri(iri) {
    for (const ns in PREFIXES) if (iri.startsWith(ns)) return PREFIXES[ns] + decode(iri.slice(ns.length));
    return iri;
  }
  function tail(iri) { const s = shortIri(iri); return s.slice(s.search(/[^/#:]*$/)); }
  function show(term) {
    if (!term) return "";
    return term.type === "uri" ? shortIri(term.value) : term.value;
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  async function loadExamples() {
    const list = $("example-list");
    const examples = await (await fetch("/examples")).json();
    for (const ex of examples) {
      const b = el("button");
      b.type = "button";
      b.dataset.name = ex.name;
      b.title = ex.question;
      b.append(el("b", ex.name), el("span", ex.question));
      b.addEventListener("click", () => {
        editor.value = ex.query;
        for (const o of list.querySelectorAll("button.on")) o.classList.remove("on");
        b.classList.add("on");
      });
      const li = el("li");
      li.append(b);
      list.append(li);
    }
  }

  function renderTable(columns, rows) {
    table.replaceChildren();
    const head = el("tr");
    for (const c of columns) head.append(el("th", c));
    const thead = el("thead"); thead.append(head);
    const tbody = el("tbody");
    for (const row of rows) {
      const tr = el("tr");
      for (const c of columns) tr.append(el("td", show(row[c]), row[c] && row[c].type === "uri" ? "uri" : ""));
      tbody.append(tr);
    }
    table.append(thead, tbody);
  }

  // SELECT rows: IRI cells are nodes (labelled by the literal column right after them), and
  // consecutive IRI cells of a row are linked, the edge named after the later column.
  function graphFromRows(columns, rows) {
    const nodes = new Map(), edges = new Map();
    for (const row of rows) {
      let prev = null;
      columns.forEach((c, i) => {
        const t = row[c];
        if (!t || t.type !== "uri") return;
        const next = row[columns[i + 1]];
        const label = next && next.type === "literal" ? next.value : tail(t.value);
        if (!nodes.has(t.value)) nodes.set(t.value, { id: t.value, label: label, title: shortIri(t.value) });
        if (prev) {
          const id = prev + "\u0000" + t.value;
          if (!edges.has(id)) edges.set(id, { from: prev, to: t.value, label: c });
        }
        prev = t.value;
      });
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }

  // N-Triples from CONSTRUCT/DESCRIBE: IRI objects become edges, rdfs:label names nodes, rdf:type groups them.
  const NT = /^(<[^>]*>|_:\S+)\s+<([^>]*)>\s+(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)\s*\.\s*$/;
  function unescapeNt(s) {
    return s.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, (m, u, U, c) =>
      u || U ? String.fromCodePoint(parseInt(u || U, 16)) : ({ n: "\n", t: "\t", r: "\r" }[c] || c));
  }
  function parseNt(text) {
    const triples = [];
    for (const line of text.split("\n")) {
      const m = NT.exec(line.trim());
      if (!m) continue;
      const term = (s) => s.startsWith("<") ? { type: "uri", value: s.slice(1, -1) }
        : s.startsWith("_:") ? { type: "bnode", value: s }
        : { type: "literal", value: unescapeNt(s.slice(1, s.lastIndexOf('"'))) };
      triples.push({ s: term(m[1]), p: { type: "uri", value: m[2] }, o: term(m[3]) });
    }
    return triples;
  }
  function graphFromTriples(triples) {
    const nodes = new Map(), edges = [];
    const node = (t) => {
      if (!nodes.has(t.value)) nodes.set(t.value, { id: t.value, label: tail(t.value), title: shortIri(t.value) });
      return nodes.get(t.value);
    };
    for (const { s, p, o } of triples) {
      const n = node(s);
      if (p.value === RDFS_LABEL && o.type === "literal") n.label = o.value;
      else if (p.value === RDF_TYPE && o.type === "uri") n.group = tail(o.value);
      else if (o.type !== "literal") { node(o); edges.push({ from: s.value, to: o.value, label: tail(p.value) }); }
    }
    return { nodes: [...nodes.values()], edges: edges };
  }

  function drawGraph() {
    const view = $("graph-view");
    if (network) { network.destroy(); network = null; }
    if (!lastGraph.nodes.length) { view.replaceChildren(el("p", "No IRIs to draw in this result.")); return; }
    view.replaceChildren();
    network = new vis.Network(view, {
      nodes: new vis.DataSet(lastGraph.nodes), edges: new vis.DataSet(lastGraph.edges),
    }, {
      edges: { arrows: "to", font: { size: 10, align: "middle" } },
      nodes: { shape: "dot", size: 12 },
      physics: { stabilization: { iterations: 150 } },
    });
  }

  function tab(which) {
    const graph = which === "graph";
    $("show-graph").classList.toggle("on", graph);
    $("show-table").classList.toggle("on", !graph);
    $("graph-view").hidden = !graph;
    $("table-view").hidden = graph;
    if (graph) drawGraph();
  }

  async function run() {
    error.hidden = true;
    status.textContent = "running…";
    const started = performance.now();
    let resp;
    try {
      resp = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query",
                   "Accept": "application/sparql-results+json, application/n-triples;q=0.9" },
        body: editor.value,
      });
    } catch (e) {
      status.textContent = "";
      error.textContent = String(e);
      error.hidden = false;
      return;
    }
    const ms = Math.round(performance.now() - started);
    const body = await resp.text();
    if (!resp.ok) {
      table.replaceChildren();
      lastGraph = { nodes: [], edges: [] };
      status.textContent = `HTTP ${resp.status} after ${ms} ms`;
      error.textContent = body;
      error.hidden = false;
      return;
    }
    const cut = resp.headers.get("X-Kg-Truncated") ? ` (cut at ${resp.headers.get("X-Kg-Row-Cap")})` : "";
    const ctype = resp.headers.get("Content-Type") || "";
    if (ctype.startsWith("application/n-triples")) {
      const triples = parseNt(body);
      renderTable(["s", "p", "o"], triples);
      lastGraph = graphFromTriples(triples);
      status.textContent = `${triples.length} triples in ${ms} ms${cut}`;
    } else {
      const data = JSON.parse(body);
      if ("boolean" in data) {
        renderTable(["boolean"], [{ boolean: { type: "literal", value: String(data.boolean) } }]);
        lastGraph = { nodes: [], edges: [] };
        status.textContent = `answer in ${ms} ms`;
      } else {
        const rows = data.results.bindings;
        renderTable(data.head.vars, rows);
        lastGraph = graphFromRows(data.head.vars, rows);
        status.textContent = `${rows.length} rows in ${ms} ms${cut}`;
      }
    }
    if (!$("graph-view").hidden) drawGraph();
  }

  $("run").addEventListener("click", run);
  editor.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  $("show-table").addEventListener("click", () => tab("table"));
  $("show-graph").addEventListener("click", () => tab("graph"));
  loadExamples().catch((e) => { error.textContent = "could not load the examples: " + e; error.hidden = false; });
})();
