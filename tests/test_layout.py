"""kg/ is laid out as the pipeline (docs/layout.md), and its imports run down the pipeline only.

Read with `ast`, not by importing, so an import inside a function counts as much as one at the
top of a module.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kg import cache

KG = Path(__file__).resolve().parent.parent / "kg"

BASE = {"model", "errors", "lexicon", "data"}
"""What every stage may use: the dataclasses between stages, the errors, the lexicons."""

ORCHESTRATION = {"cli", "pipeline", "products", "cache", "__main__"}
"""kg/'s own modules that run the stages; no stage imports them."""

EARLIER = {
    "ingest": set(),
    "extract": {"ingest"},
    "graph": {"ingest", "extract"},
    "views": {"ingest", "extract", "graph"},
    # the views' palette colours the GEXF nodes, and the query page serves vis-network from
    # the views' table of shipped files: the one product the others may read from
    "exports": {"ingest", "extract", "graph", "views"},
    "sparql": {"ingest", "extract", "graph", "views"},
}
"""The stages, in pipeline order, with the stages each may import besides itself."""


def unit(module: str) -> str:
    """The stage or kg/ module a dotted kg module name belongs to: kg.extract.rules.people → extract."""
    parts = module.split(".")
    assert parts[0] == "kg", module
    return parts[1] if len(parts) > 1 else "kg"


def module_name(path: Path) -> str:
    rel = path.relative_to(KG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def kg_imports(path: Path) -> set[str]:
    """The kg modules `path` imports, anywhere in it; `from kg.x import y` counts as kg.x and kg.x.y."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "kg"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] == "kg":
                out |= {f"{base}.{a.name}" for a in node.names} | ({base} if base != "kg" else set())
    return out


def source(module: str) -> Path | None:
    """The file of a kg module, or None (a name imported from a module, not a module)."""
    path = KG.parent.joinpath(*module.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


MODULES = sorted(p for p in KG.rglob("*.py") if "__pycache__" not in p.parts)


def test_kg_holds_the_stages_and_the_orchestration_only():
    stray = [p.relative_to(KG).as_posix() for p in KG.iterdir()
             if p.name != "__pycache__" and p.name not in {"__init__.py", "py.typed"}
             and (p.stem if p.suffix == ".py" else p.name) not in {*BASE, *ORCHESTRATION, *EARLIER}]
    assert not stray, f"not a stage, the base or the orchestration (see docs/layout.md): {stray}"


@pytest.mark.parametrize("path", [p for p in MODULES if p.relative_to(KG).parts[0] in EARLIER],
                         ids=lambda p: p.relative_to(KG).as_posix())
def test_stages_import_down_the_pipeline_only(path: Path):
    stage = path.relative_to(KG).parts[0]
    allowed = {stage, *EARLIER[stage], *BASE}
    wrong = sorted(m for m in kg_imports(path) if unit(m) not in allowed)
    assert not wrong, f"kg/{path.relative_to(KG)} ({stage}) imports {wrong}; it may use {sorted(allowed)}"


@pytest.mark.parametrize("name", sorted(BASE - {"data"}))
def test_the_base_imports_no_stage(name: str):
    wrong = sorted(m for m in kg_imports(KG / f"{name}.py") if unit(m) not in BASE)
    assert not wrong, f"kg/{name}.py imports {wrong}"


def test_the_import_reader_sees_every_kind_of_import():
    assert kg_imports(KG / "products.py") >= {"kg.sparql.store", "kg.exports.formats", "kg.views.gallery"}
    assert "kg.ingest.textnorm" in kg_imports(KG / "extract" / "events.py")


def test_the_cache_key_covers_everything_extraction_runs():
    """The modules an extraction imports, transitively, are all hashed into the cache key."""
    todo, seen = ["kg.ingest.reader", "kg.extract.rules"], set()
    while todo:
        path = source(todo.pop())
        if path is not None and path not in seen:
            seen.add(path)
            todo += kg_imports(path)
    files = {p.relative_to(KG).as_posix() for p in seen}
    assert {"ingest/reader.py", "extract/rules/people.py", "extract/persons.py", "lexicon.py"} <= files
    missed = sorted(f for f in files if f not in cache.EXTRACTOR_MODULES and not f.startswith(cache.EXTRACTOR_PACKAGES))
    assert not missed, f"extraction runs {missed}, which the cache key does not hash"
