"""Example SPARQL queries shipped with civic-kg (`kg/sparql/queries/*.rq`), and how to run them.

Each file starts with comment lines: the question it answers, `# columns: …` (the columns it
returns) and one `# param NAME: …` line per parameter. A parameter is a one-value
`VALUES ?NAME { "default" }` line in the query, so the file runs as it is in any SPARQL 1.1
store, and `bind()` swaps the value for another, refusing one that cannot match: a date not
written YYYY-MM-DD, or a name outside the query's own table of names (`VALUES (?NAME ?x) {…}`).

Every pattern sits inside `GRAPH … { … }`: the store's default graph is never relied on
(see kg/sparql/store.py), so the rows are the same in Oxigraph, rdflib and any other store. Labels and
classes are read from the entity index graph `cid:entities` (one description per entity), not
from the article graphs, which repeat them once per article.

Written to answer in under 100 ms at a million quads (bench/sparql_bench.py), because Oxigraph
evaluates each group on its own and joins groups by hashing both sides, while inside one group
it starts from the most bound pattern and looks the others up:
- a name or day parameter is matched as the term itself (`VALUES ?who { "曹慧泉"@zh }` then
  `?p rdfs:label ?who`), in the same group as the patterns it selects, repeated in each UNION
  branch; never FILTER(STR(?label) = …), which reads every label;
- labels and classes of the nodes found are joined by one OPTIONAL per pattern
  (`OPTIONAL { GRAPH cid:entities { ?p rdfs:label ?name } }`), which Oxigraph looks up node by
  node; a plain join would read every label first;
- "the top 100" is cut at the 100th count before names are read (a subquery finds that count);
- nodes are compared with sameTerm(), which does not read their text; `!=`, `<` and STR() do;
- a regular expression is written as a constant, which Oxigraph compiles once.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError

_VALUES = re.compile(r'(VALUES\s+\?(\w+)\s*\{\s*")((?:[^"\\\n]|\\.)*)(")(\^\^xsd:\w+|@[\w-]+)?')
_TABLE = re.compile(r"VALUES\s*\(\s*\?(\w+)[^)]*\)\s*\{(.*?)\}", re.S)
_ROW_NAME = re.compile(r'\(\s*"((?:[^"\\\n]|\\.)*)"')
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_PARAM = re.compile(r"param\s+(\w+)\s*:\s*(.*)")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True, slots=True)
class Example:
    """One shipped query: its name, the question it answers, its columns and parameters."""

    name: str
    question: str
    columns: tuple[str, ...]
    params: dict[str, str]  # name -> default value
    text: str
    about: dict[str, str]  # name -> what the `# param` line says of it


def names() -> list[str]:
    """Names of the shipped examples, sorted.

    >>> "provenance" in names()
    True
    """
    return sorted(p.name[:-3] for p in resources.files(__name__).iterdir() if p.name.endswith(".rq"))


def load(name: str) -> str:
    """The text of the shipped example `name`; QueryError when there is none."""
    if name not in names():
        raise QueryError(f"no example query named {name!r}; `kg query --list` lists them")
    return resources.files(__name__).joinpath(f"{name}.rq").read_text(encoding="utf-8")


def params(text: str) -> dict[str, str]:
    """Parameters of a query: each one-value `VALUES ?name { "…" }` line, with its default.

    >>> params('SELECT * WHERE { VALUES ?who { "曹慧泉" } }')
    {'who': '曹慧泉'}
    """
    return {m.group(2): m.group(3) for m in _VALUES.finditer(text)}


def info(name: str) -> Example:
    """The shipped example `name` with its header read."""
    text = load(name)
    header = [ln.lstrip("#").strip() for ln in text.splitlines() if ln.startswith("#")]
    columns = next((h.split(":", 1)[1].split() for h in header if h.startswith("columns:")), [])
    about = {m.group(1): re.sub(r"\s*\(default [^)]*\)\s*$", "", m.group(2)) for m in map(_PARAM.match, header) if m}
    return Example(name, header[0] if header else "", tuple(columns), params(text), text, about)


def _is_date(value: str) -> bool:
    try:
        return _DATE.fullmatch(value) is not None and bool(dt.date.fromisoformat(value))
    except ValueError:  # 2023-02-30
        return False


def check(text: str, name: str, value: str) -> None:
    """QueryError when `value` of parameter `name` cannot match: the wrong form for the datatype of
    its VALUES line, or a name missing from the query's table of names for it.

    >>> check('VALUES ?day { "2023-06-04"^^xsd:date }', "day", "2023-6-4")
    Traceback (most recent call last):
    kg.errors.QueryError: -p day=2023-6-4 cannot match: day takes a date written YYYY-MM-DD, e.g. day=2023-06-04
    """
    for m in _VALUES.finditer(text):
        if m.group(2) == name and m.group(5) == "^^xsd:date" and not _is_date(value):
            raise QueryError(f"-p {name}={value} cannot match: {name} takes a date written YYYY-MM-DD, "
                             f"e.g. {name}={m.group(3)}")
    for m in _TABLE.finditer(text):
        names = [n.group(1) for n in _ROW_NAME.finditer(m.group(2))]
        if m.group(1) == name and names and value not in names:
            raise QueryError(f"-p {name}={value} cannot match: {name} is one of {', '.join(names)}")


def bind(text: str, **values: str) -> str:
    """`text` with the value of each named parameter replaced (the datatype, if any, is kept).

    >>> bind('VALUES ?from { "2023-06-01"^^xsd:date }', **{"from": "2023-07-01"})
    'VALUES ?from { "2023-07-01"^^xsd:date }'
    """
    unknown = set(values) - set(params(text))
    if unknown:
        known = ", ".join(sorted(params(text))) or "none"
        raise QueryError(f"unknown parameter {', '.join(sorted(unknown))} (this query takes: {known})")

    for name, value in values.items():
        check(text, name, str(value))

    def swap(m: re.Match[str]) -> str:
        if m.group(2) not in values:
            return m.group(0)
        value = "".join(_ESCAPES.get(c, c) for c in str(values[m.group(2)]))
        return f"{m.group(1)}{value}{m.group(4)}{m.group(5) or ''}"

    return _VALUES.sub(swap, text)


def _is_file(spec: str) -> bool:
    try:
        return Path(spec).is_file()
    except OSError:  # a one-line query longer than a file name can be
        return False


def source(spec: str) -> str:
    """Query text from a shipped example's name, a path to a .rq file, or SPARQL text itself."""
    if spec in names():
        return load(spec)
    if re.fullmatch(r"[\w-]+", spec) and not _is_file(spec):
        return load(spec)  # a bare word is meant as a name: say there is no such example
    if "\n" not in spec and len(spec) < 4096:
        path = Path(spec)
        if path.suffix in (".rq", ".sparql") or _is_file(spec):
            try:
                return path.read_text(encoding="utf-8")
            except OSError as e:
                raise QueryError(f"{spec}: cannot read the query file ({e.strerror})") from e
    return spec


def run(db: ox.Store, name: str, **values: str) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
    """Run the shipped example `name` on `db`, with parameters replaced by `values`."""
    from kg.sparql import store

    return store.query(db, bind(load(name), **values))
