"""GEXF 1.3 for Gephi, written from the export table line by line.

Why GEXF is written here and not by `networkx.write_gexf`: networkx writes a `name` attribute
on `<graph>` that the schema refuses, stamps today's date in `<meta>`, cannot write an edge's
`kind` (how Gephi keeps parallel edges of different relations apart), nor a graph-level
time span, and declares a wrong XSI namespace for 1.3. The format is small, so `generate_gexf`
writes GEXF 1.3 line by line with explicit escaping, which also streams large graphs.
The viz elements are in the `http://gexf.net/1.3/viz` namespace, as the GEXF 1.3 spec, its
RelaxNG schema, Gephi and networkx have them. The official 1.3 XSD (a conversion of that
RelaxNG) declares them in the main GEXF namespace instead, so tests validate the file against
the RelaxNG as written, and against the XSD with the viz prefix mapped onto the GEXF namespace.

Gephi keeps parallel edges apart only when their `kind` differs; two statements of the same
relation between the same nodes from different articles stay two edges here (networkx, CSV)
but Gephi merges them on import, adding their weights (1 each) by default.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import networkx as nx

from kg.exports.table import EDGE_COLUMNS, NODE_COLUMNS, Table, Value, as_table, as_text

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
CREATOR = "civic-kg"

_ATTR_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                 "\t": "&#9;"}
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def _q(value: Value) -> str:
    """An XML attribute value, quoted and escaped (newlines kept as character references).

    >>> print(_q('a<b & "c"\\nd'))
    "a&lt;b &amp; &quot;c&quot;&#10;d"
    """
    return '"' + _ATTR_SPECIAL.sub(lambda m: _ATTR_ESCAPES[m.group()], as_text(value)) + '"'


def _element(name: str, attrs: Iterable[tuple[str, Value | None]], close: bool = True) -> str:
    body = "".join(f" {k}={_q(v)}" for k, v in attrs if v is not None)
    return f"<{name}{body}{'/' if close else ''}>"


def _gexf_lines(t: Table) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" version="1.3">'
    yield "  " + _element("meta", [("lastmodifieddate", t.corpus_date)], close=False)
    yield f"    <creator>{CREATOR}</creator>"
    about = "; ".join(f"{k}: {v}" for k, v in sorted(t.notes.items()))
    description = "Civic events from Chinese local newspapers; node ids are the graph's IRIs" + (
        f"; {about}" if about else "")
    yield "    <description>" + _q(description)[1:-1] + "</description>"
    yield "  </meta>"
    dynamic = [("mode", "dynamic"), ("timeformat", "date"), ("start", t.start), ("end", t.end)] if t.start else [
        ("mode", "static")]
    yield "  " + _element("graph", [("defaultedgetype", "directed"), ("idtype", "string"), *dynamic], close=False)
    for cls, columns in (("node", NODE_COLUMNS), ("edge", EDGE_COLUMNS)):
        yield f'    <attributes class="{cls}" mode="static">'
        for name, kind in columns:
            yield "      " + _element("attribute", [("id", name), ("title", name), ("type", kind)])
        yield "    </attributes>"
    yield f'    <nodes count="{len(t.nodes)}">'
    for n in t.nodes:
        yield "      " + _element("node", [("id", n.id), ("label", n.label), ("start", n.start), ("end", n.end)],
                                  close=False)
        yield from _attvalues(n.values, NODE_COLUMNS)
        r, g, b = n.color
        yield f'        <viz:color r="{r}" g="{g}" b="{b}"/>'
        yield f'        <viz:size value="{n.size!r}"/>'
        yield "      </node>"
    yield "    </nodes>"
    yield f'    <edges count="{len(t.edges)}">'
    for e in t.edges:
        attrs = [("id", e.id), ("source", e.source), ("target", e.target), ("label", e.label), ("kind", e.kind),
                 ("start", e.date), ("end", e.date)]
        if not e.values:
            yield "      " + _element("edge", attrs)
            continue
        yield "      " + _element("edge", attrs, close=False)
        yield from _attvalues(e.values, EDGE_COLUMNS)
        yield "      </edge>"
    yield "    </edges>"
    yield "  </graph>"
    yield "</gexf>"


def _attvalues(values: dict[str, Value], columns: tuple[tuple[str, str], ...]) -> Iterator[str]:
    present = [name for name, _ in columns if name in values]
    if not present:
        return
    yield "        <attvalues>"
    for name in present:
        yield "          " + _element("attvalue", [("for", name), ("value", values[name])])
    yield "        </attvalues>"


def generate_gexf(source: nx.MultiDiGraph | Table) -> bytes:
    """GEXF 1.3 of a projected graph: typed attributes, viz colour and size, a dynamic (dated) graph."""
    return ("\n".join(_gexf_lines(as_table(source))) + "\n").encode("utf-8")
