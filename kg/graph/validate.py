"""SHACL validation of a build against schemas/shapes.ttl (pyshacl)."""
from __future__ import annotations

from functools import cache
from importlib.resources import files

from rdflib import Dataset, Graph


@cache
def shapes() -> Graph:
    """The project's SHACL shapes (shipped in the package as kg/graph/shapes.ttl)."""
    return Graph().parse(data=files("kg.graph").joinpath("shapes.ttl").read_text(encoding="utf-8"), format="turtle")


def violations(ds: Dataset) -> list[str]:
    """The messages of every SHACL violation in the union of the dataset's graphs."""
    from pyshacl import validate

    union = Graph()
    for g in ds.graphs():
        for t in g:
            union.add(t)
    conforms, report, _ = validate(union, shacl_graph=shapes(), inference="none", advanced=False)
    if conforms:
        return []
    sh = "http://www.w3.org/ns/shacl#"
    q = f"SELECT ?focus ?path ?msg WHERE {{ ?r a <{sh}ValidationResult> ; <{sh}focusNode> ?focus ; " \
        f"<{sh}resultMessage> ?msg . OPTIONAL {{ ?r <{sh}resultPath> ?path }} }}"
    return sorted(f"{row.focus} {row.path or ''}: {row.msg}" for row in report.query(q))
