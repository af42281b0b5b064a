// The query page: a YASQE editor (highlighting, completion of keywords, prefixes and civ: terms),
// the examples, results as a table and as a vis-network graph, downloads and shareable /?query= links.
// Every value from the store is inserted as text (textContent), never as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const CID = "https://w3id.org/civic-kg/id/";
  const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const FIRST_QUERY = "SELECT ?class (COUNT(DISTINCT ?n) AS ?nodes) WHERE {\n  ?n a ?t\n" +
    "  BIND(STRAFTER(STR(?t), \"#\") AS ?class)\n} GROUP BY ?class ORDER BY ?class";
  const KEYWORDS = ("SELECT DISTINCT REDUCED WHERE GRAPH OPTIONAL FILTER UNION MINUS BIND VALUES AS FROM NAMED " +
    "PREFIX BASE CONSTRUCT DESCRIBE ASK ORDER BY ASC DESC GROUP HAVING LIMIT OFFSET EXISTS NOT IN COUNT SUM MIN " +
    "MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI BNODE COALESCE IF STRLEN " +
    "SUBSTR UCASE LCASE STRSTARTS STRENDS CONTAINS STRBEFORE STRAFTER CONCAT REGEX REPLACE sameTerm isIRI " +
    "isLiteral YEAR MONTH DAY NOW").split(" ");
  const status = $("status"), error = $("error"), notice = $("notice"), table = $("results");
  let namespaces = [], network = null, lastGraph = { nodes: [], edges: [] }, editor = null;

  // ── IRIs as the terminal shows them: prefixed names that paste back, else <iri> ──
  const LOCAL = /^(?:[\p{L}\p{N}_:]|%[0-9A-Fa-f]{2})(?:[\p{L}\p{N}_\-.:\u00B7]|%[0-9A-Fa-f]{2})*$/u;
  function shorten(iri) {
    for (const [prefix, ns] of namespaces) {
      if (!iri.startsWith(ns)) continue;
      const local = iri.slice(ns.length);
      if (local === "" || (LOCAL.test(local) && !local.endsWith("."))) return prefix + ":" + local;
    }
    return "<" + iri + ">";
  }
  function decode(s) { try { return decodeURIComponent(s); } catch (e) { return s; } }
  function tail(iri) { return decode(iri.slice(iri.search(/[^/#]*$/))); }
  function kind(iri) { return iri.startsWith(CID) ? iri.slice(CID.length).split("/")[0] : "other"; }
  function itemUrl(iri) { return iri.startsWith(CID) ? "/id/" + encodeURI(iri.slice(CID.length)) : null; }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // ── the editor ──
  function registerCompleter(terms) {
    const words = [...KEYWORDS, ...namespaces.map(([p]) => p + ":"), ...terms];
    Yasqe.registerAutocompleter({
      name: "kg", bulk: true, autoShow: false,
      get: () => words,
      isValidCompletionPosition: (yasqe) => /^[A-Za-z_][\w-]*:?[\w]*$/.test(yasqe.getCompleteToken().string),
      preProcessToken: (yasqe, token) => Object.assign({}, token, {
        autocompletionString: token.string.includes(":") ? token.string : token.string.toUpperCase() }),
    });
  }

  // YASQE's SPARQL mode, with the prefixes the server declares known from the first line: a
  // query that uses them undeclared is not marked as an error
  function defineMode(prefixes) {
    Yasqe.defineMode("kg-sparql", (config) => {
      const base = Yasqe.getMode(config, "sparql11");
      return Object.assign({}, base, {
        startState: (...args) => Object.assign(base.startState(...args), { prefixes: Object.assign({}, prefixes) }),
      });
    });
  }

  function makeEditor(value) {
    return new Yasqe($("editor"), {
      value: value, mode: "kg-sparql", persistenceId: null, showQueryButton: false, resizeable: true, editorHeight: "16em",
      prefixCcApi: null, createShortLink: undefined, consumeShareLink: null,
      createShareableLink: (yasqe) => `${window.location.origin}/?query=${encodeURIComponent(yasqe.getValue())}`,
      autocompleters: ["kg", "variables", "prefixes"],  // not LOV's classes and properties: no network
      requestConfig: { endpoint: "/sparql", method: "POST" },
    });
  }

  async function loadExamples() {
    const list = $("example-list");
    const examples = await (await fetch("/examples")).json();
    for (const ex of examples) {
      const b = el("button");
      b.type = "button";
      b.dataset.name = ex.name;
      b.title = ex.question;
      const parts = ex.question.split(/\s{2,}/);
      b.append(el("b", ex.name), el("span", parts[parts.length - 1]));
      b.addEventListener("click", () => {
        editor.setValue(ex.query);
        for (const o of list.querySelectorAll("button.on")) o.classList.remove("on");
        b.classList.add("on");
      });
      const li = el("li");
      li.append(b);
      list.append(li);
    }
  }

  // ── results ──
  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.className = "uri";
      const url = itemUrl(term.value);
      const a = el(url ? "a" : "span", shorten(term.value));
      if (url) a.href = url;
      td.append(a);
    } else td.textContent = term.value;
    return td;
  }

  function renderTable(columns, rows) {
    table.replaceChildren();
    const head = el("tr");
    for (const c of columns) head.append(el("th", c));
    const thead = el("thead"); thead.append(head);
    const tbody = el("tbody");
    for (const row of rows) {
      const tr = el("tr");
      for (const c of columns) tr.append(cell(row[c]));
      tbody.append(tr);
    }
    table.append(thead, tbody);
  }

  // SELECT rows: nodes are IRI cells (labelled by the literal column right after them) and
  // names (literals with a language tag: the examples return labels); consecutive nodes of a
  // row are linked, the edge named after the later column.
  function graphFromRows(columns, rows) {
    const nodes = new Map(), edges = new Map();
    for (const row of rows) {
      let prev = null;
      for (let i = 0; i < columns.length; i++) {
        const t = row[columns[i]], column = columns[i];
        let node = null;
        if (t && t.type === "uri") {
          const next = row[columns[i + 1]];
          const named = next && next.type === "literal";
          node = { id: t.value, label: named ? next.value : tail(t.value), title: shorten(t.value), group: kind(t.value) };
          if (named) i++;
        } else if (t && t.type === "literal" && t["xml:lang"]) {
          node = { id: column + "\u0000" + t.value, label: t.value, title: column + ": " + t.value, group: column };
        }
        if (!node) continue;
        if (!nodes.has(node.id)) nodes.set(node.id, node);
        if (prev && prev !== node.id) {
          const key = prev + "\u0001" + node.id;
          if (!edges.has(key)) edges.set(key, { from: prev, to: node.id, label: column });
        }
        prev = node.id;
      }
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
      if (!nodes.has(t.value)) nodes.set(t.value, { id: t.value, label: tail(t.value), title: shorten(t.value), group: kind(t.value) });
      return nodes.get(t.value);
    };
    for (const { s, p, o } of triples) {
      const n = node(s);
      if (p.value === RDFS_LABEL && o.type === "literal") n.label = o.value;
      else if (p.value === RDF_TYPE && o.type === "uri") continue;
      else if (o.type !== "literal") { node(o); edges.push({ from: s.value, to: o.value, label: tail(p.value) }); }
    }
    return { nodes: [...nodes.values()], edges: edges };
  }

  function drawGraph() {
    const view = $("graph-view");
    if (network) { network.destroy(); network = null; }
    if (!lastGraph.nodes.length) { view.replaceChildren(el("p", "此结果中没有可绘制的实体或名称。")); return; }
    view.replaceChildren();
    network = new vis.Network(view, {
      nodes: new vis.DataSet(lastGraph.nodes), edges: new vis.DataSet(lastGraph.edges),
    }, {
      edges: { arrows: "to", font: { size: 10, align: "middle" } },
      nodes: { shape: "dot", size: 12, font: { size: 14 } },
      physics: { stabilization: { iterations: 150 } },
    });
    network.on("doubleClick", (e) => {
      const url = e.nodes.length ? itemUrl(e.nodes[0]) : null;
      if (url) window.location.href = url;
    });
    window.kgNetwork = network;  // for the console and the browser tests
  }

  function tab(which) {
    const graph = which === "graph";
    $("show-graph").classList.toggle("on", graph);
    $("show-table").classList.toggle("on", !graph);
    $("graph-view").hidden = !graph;
    $("table-view").hidden = graph;
    if (graph) drawGraph();
  }

  function links(text, graphResult) {
    const q = encodeURIComponent(text);
    const csv = $("download-csv"), json = $("download-json"), share = $("share");
    csv.href = `/sparql?format=${graphResult ? "turtle" : "csv"}&query=${q}`;
    csv.download = graphResult ? "result.ttl" : "result.csv";
    csv.textContent = graphResult ? "下载 Turtle" : "下载 CSV";
    json.href = `/sparql?format=${graphResult ? "jsonld" : "json"}&query=${q}`;
    json.download = graphResult ? "result.jsonld" : "result.json";
    json.textContent = graphResult ? "下载 JSON-LD" : "下载 JSON";
    share.href = `/?query=${q}`;
    csv.hidden = json.hidden = share.hidden = false;
  }

  function fail(message) {
    table.replaceChildren();
    lastGraph = { nodes: [], edges: [] };
    error.textContent = message;
    error.hidden = false;
  }

  async function run() {
    const text = editor.getValue();
    history.replaceState(null, "", `/?query=${encodeURIComponent(text)}`);  // the address bar is the link
    error.hidden = notice.hidden = true;
    status.textContent = "运行中…";
    const started = performance.now();
    let resp;
    try {
      resp = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query",
                   "Accept": "application/sparql-results+json, application/n-triples;q=0.9" },
        body: text,
      });
    } catch (e) {
      status.textContent = "";
      fail(String(e));
      return;
    }
    const ms = Math.round(performance.now() - started);
    const body = await resp.text();
    if (!resp.ok) {
      status.textContent = `HTTP ${resp.status}，用时 ${ms} ms`;
      fail(body);
      return;
    }
    const cap = resp.headers.get("X-Kg-Row-Cap");
    const cut = resp.headers.get("X-Kg-Truncated") === "true";
    const ctype = resp.headers.get("Content-Type") || "";
    let count;
    if (ctype.startsWith("application/n-triples")) {
      const triples = parseNt(body);
      renderTable(["s", "p", "o"], triples);
      lastGraph = graphFromTriples(triples);
      count = `${triples.length} 个三元组 triples`;
      links(text, true);
    } else {
      const data = JSON.parse(body);
      if ("boolean" in data) {
        renderTable(["boolean"], [{ boolean: { type: "literal", value: String(data.boolean) } }]);
        lastGraph = { nodes: [], edges: [] };
        count = "答案 answer";
      } else {
        const rows = data.results.bindings;
        renderTable(data.head.vars, rows);
        lastGraph = graphFromRows(data.head.vars, rows);
        count = `${rows.length} 行 rows`;
      }
      links(text, false);
    }
    status.textContent = `${count}，用时 ${ms} ms`;
    if (cut) {
      notice.textContent = `结果已截断：服务器只返回前 ${cap} 行（kg serve --row-cap）。` +
        `加 LIMIT/OFFSET 分页，或在命令行用 kg query 取全部结果。`;
      notice.hidden = false;
    }
    if (!$("graph-view").hidden) drawGraph();
  }

  async function start() {
    const vocabulary = await (await fetch("/prefixes")).json();
    namespaces = Object.entries(vocabulary.prefixes).sort((a, b) => b[1].length - a[1].length);
    registerCompleter(vocabulary.terms);
    defineMode(vocabulary.prefixes);
    if (!vocabulary.union) $("default-graph").textContent = "默认图为空（kg serve --no-union）：只有 GRAPH 模式能匹配";
    const shared = new URLSearchParams(window.location.search).get("query");
    editor = makeEditor(shared || FIRST_QUERY);
    editor.addKeyMap({ "Ctrl-Enter": () => run(), "Cmd-Enter": () => run() });
    window.kgEditor = editor;  // for the console and the browser tests
    $("run").addEventListener("click", run);
    $("show-table").addEventListener("click", () => tab("table"));
    $("show-graph").addEventListener("click", () => tab("graph"));
    await loadExamples();
    if (shared) await run();
    document.body.dataset.ready = "true";
  }

  start().catch((e) => { error.textContent = "页面加载失败 could not start: " + e; error.hidden = false; });
})();
