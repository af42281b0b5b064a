"""SPARQL results as bytes (JSON, XML, CSV, TSV; Turtle, JSON-LD, N-Triples) and as a terminal table.

The server and `kg query` share these writers. They exist because results must be cut at a
row cap and pyoxigraph can only serialize a whole, uncut result; on an uncut result they
write what pyoxigraph writes (a test compares them).
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.sparql import prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TURTLE_PREFIXES = {k: v for k, v in prefixes.DECLARED.items() if k != "cid"}  # the kinds' prefixes instead
SELECT_FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}
MAX_CELL = 60
"""Terminal columns of a table cell, unless `kg query --wide`."""
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Term | None, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """The solutions of a SELECT query: column names, rows of terms (None when unbound)."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    truncated: bool = False


def table(solutions: ox.QuerySolutions, limit: int | None = None) -> Table:
    """Read at most `limit` solutions (all when None); `truncated` tells whether more were left."""
    columns = tuple(v.value for v in solutions.variables)
    it: Iterator[ox.QuerySolution] = iter(solutions)
    rows = tuple(tuple(s[c] for c in columns) for s in (it if limit is None else islice(it, limit)))
    truncated = limit is not None and next(it, None) is not None
    return Table(columns, rows, truncated)


def triples(result: Iterable[ox.Triple], limit: int | None = None) -> tuple[list[ox.Triple], bool]:
    """Read at most `limit` distinct triples of a CONSTRUCT/DESCRIBE result (a graph: over the union
    default graph a triple of two articles comes twice); the flag says whether more were left."""
    seen: dict[ox.Triple, None] = {}
    for t in result:
        if limit is not None and len(seen) == limit and t not in seen:
            return list(seen), True
        seen[t] = None
    return list(seen), False


# ── SPARQL 1.1 results formats ───────────────────────────────────────────────────────────────

def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def to_json(t: Table) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{c: _json_term(v) for c, v in zip(t.columns, row, strict=True) if v is not None} for row in t.rows]
    doc = {"head": {"vars": list(t.columns)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return "<triple>" + "".join(f"<{k}>{_xml_term(getattr(term, k))}</{k}>"
                                for k in ("subject", "predicate", "object")) + "</triple>"


def to_xml(t: Table) -> bytes:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(c)}/>" for c in t.columns]
    out.append("</head><results>")
    for row in t.rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(c)}>{_xml_term(v)}</binding>"
                for c, v in zip(t.columns, row, strict=True) if v is not None]
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def to_csv(t: Table) -> bytes:
    """SPARQL 1.1 CSV: lexical values only, CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(t.columns)
    writer.writerows([_csv_value(v) for v in row] for row in t.rows)
    return buf.getvalue().encode()


_XSD = "http://www.w3.org/2001/XMLSchema#"
_TURTLE_SHORT = {f"{_XSD}integer": re.compile(r"[+-]?[0-9]+"), f"{_XSD}decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
                 f"{_XSD}double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
                 f"{_XSD}boolean": re.compile(r"true|false")}


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language:
        short = _TURTLE_SHORT.get(term.datatype.value)
        if short and short.fullmatch(term.value):
            return term.value  # Turtle's abbreviated numbers and booleans, as SPARQL TSV allows
    return str(term)


def to_tsv(t: Table) -> bytes:
    """SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax, `?`-prefixed header."""
    lines = ["\t".join(f"?{c}" for c in t.columns)]
    lines += ["\t".join(_tsv_value(v) for v in row) for row in t.rows]
    return ("\n".join(lines) + "\n").encode()


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


def boolean(value: bool, fmt: str) -> bytes:
    """The answer of an ASK query in one of SELECT_FORMATS."""
    word = "true" if value else "false"
    if fmt == "json":
        return f'{{"head":{{}},"boolean":{word}}}'.encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head>'
                f"<boolean>{word}</boolean></sparql>").encode()
    return word.encode()


def graph(items: Sequence[ox.Triple], fmt: str) -> bytes:
    """Triples as Turtle, JSON-LD or N-Triples (keys of GRAPH_FORMATS)."""
    used = None
    if fmt == "turtle":  # declare only the prefixes the triples use
        iris = {t.value for tr in items for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
        iris |= {tr.object.datatype.value for tr in items if isinstance(tr.object, ox.Literal)}
        used = {k: ns for k, ns in TURTLE_PREFIXES.items() if any(i.startswith(ns) for i in iris)}
    return ox.serialize(items, format=GRAPH_FORMATS[fmt], prefixes=used)


# ── terminal table ───────────────────────────────────────────────────────────────────────────

def width(text: str) -> int:
    """Columns `text` takes in a terminal: East Asian wide and full-width characters count two.

    >>> width("曹慧泉"), width("abc"), width("第22次")
    (6, 3, 6)
    """
    cols = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        cols += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return cols


def clip(text: str, cols: int) -> str:
    """`text` cut to at most `cols` terminal columns, with an ellipsis when cut.

    >>> clip("第十五届株洲读书月", 9)
    '第十五届…'
    """
    if width(text) <= cols:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > cols - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, cols: int) -> str:
    """`text` padded with spaces to `cols` terminal columns."""
    return text + " " * max(0, cols - width(text))


def display(term: Term | None) -> str:
    """A short form to read and paste back: IRIs as prefixed names of `prefixes.DECLARED` (which
    every query may use undeclared) or `<iri>`, literals as their text.

    >>> display(ox.NamedNode("https://w3id.org/civic-kg/id/person/%E6%9B%B9"))
    'person:%E6%9B%B9'
    >>> display(ox.NamedNode("https://w3id.org/civic-kg/id/person/曹慧泉"))
    'person:曹慧泉'
    >>> display(ox.Literal("2023-06-03"))
    '2023-06-03'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return prefixes.shorten(term.value)
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())
    return str(term)


def to_text(t: Table, max_cell: int | None = MAX_CELL) -> str:
    """An aligned plain-text table (CJK-aware), literals clipped to `max_cell` columns (None: whole),
    the last line saying so; IRIs are never clipped, so that every one pastes back into a query."""
    whole = [[display(v) for v in row] for row in t.rows]
    cells = [[c if max_cell is None or not isinstance(v, ox.Literal) else clip(c, max_cell)
              for c, v in zip(texts, row, strict=True)] for texts, row in zip(whole, t.rows, strict=True)]
    widths = [max([width(c), *(width(r[i]) for r in cells)]) for i, c in enumerate(t.columns)]
    lines = ["  ".join(pad(c, w) for c, w in zip(t.columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    n = len(t.rows)
    clipped = ", long cells clipped: --wide (or csv, json) shows them whole" if cells != whole else ""
    lines.append(f"({n} row{'s' if n != 1 else ''}{', truncated' if t.truncated else ''}{clipped})")
    return "\n".join(lines) + "\n"


def render(result: ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean, fmt: str,
           max_cell: int | None = MAX_CELL) -> bytes:
    """A whole result for `kg query`: fmt is table (cells clipped to `max_cell`), csv, tsv or json.

    CONSTRUCT/DESCRIBE results come as Turtle (table), JSON-LD (json) or N-Triples (csv, tsv).
    """
    if isinstance(result, ox.QueryTriples):
        items, _ = triples(result)
        return graph(items, {"table": "turtle", "json": "jsonld"}.get(fmt, "nt"))
    if isinstance(result, ox.QueryBoolean):
        return boolean(bool(result), fmt)
    t = table(result)
    return to_text(t, max_cell).encode() if fmt == "table" else WRITERS[fmt](t)
