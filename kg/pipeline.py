"""The pipeline, top to bottom: ingest → extract → graph → write."""
from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Dataset

from kg import ingest, rdf, rules, validate
from kg.errors import KgError, RawFormatError
from kg.model import Extraction
from kg.vocab import CIV, RELATIONS


@dataclass
class BuildReport:
    """What a build read, made and skipped."""

    files: int = 0
    articles: int = 0
    entities: int = 0
    triples: Counter[str] = field(default_factory=Counter)
    failed: list[KgError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.files - len(self.failed)}/{self.files} files, {self.articles} articles, "
                 f"{self.entities} entities, {sum(self.triples.values())} triples"]
        lines += [f"  {p:<14}{self.triples[p]:>6}" for p in RELATIONS if self.triples[p]]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"skipped: {e}" for e in self.failed]
        lines += [f"wrote {p}" for p in self.outputs]
        return "\n".join(lines)


def raw_files(raw: Path) -> list[Path]:
    """The raw pages of a folder (recursively, *.md, sorted), or the one file given."""
    if raw.is_file():
        return [raw]
    return sorted(p for p in raw.rglob("*.md") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(raw).parts))


def extract_file(path: Path, root: Path) -> list[Extraction]:
    """Ingest and extract one raw page."""
    return [rules.extract(a) for a in ingest.read(path, root)]


def build(raw: Path, out_dir: Path, progress: Callable[[int], object] = lambda n: None) -> BuildReport:
    """Build the graph of every raw page under `raw` into `out_dir`; bad files are skipped."""
    report = BuildReport()
    root = raw if raw.is_dir() else raw.parent
    extractions: list[Extraction] = []
    for path in raw_files(raw):
        report.files += 1
        try:
            extractions += extract_file(path, root)
        except RawFormatError as err:
            report.failed.append(err)
        progress(1)
    if not extractions:
        return report
    ds = rdf.to_dataset(extractions)
    _count(report, ds, extractions)
    report.warnings += [f"SHACL: {v}" for v in validate.violations(ds)]
    write(ds, out_dir, report)
    return report


def _count(report: BuildReport, ds: Dataset, extractions: list[Extraction]) -> None:
    report.articles = len(extractions)
    quads = [(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))]
    report.entities = len({s for s, p, o in quads if p == RDFS.label} - {
        s for s, p, o in quads if p == RDF.type and o in (CIV.Article, CIV.Evidence)})
    for rel in RELATIONS:
        report.triples[rel] = len({(s, o) for s, p, o in quads if p == CIV[rel]})


def write(ds: Dataset, out_dir: Path, report: BuildReport) -> None:
    """Serialise civic.trig, civic.nq and the union civic.ttl, each written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    union = Dataset(default_union=True)
    for prefix, ns in ds.namespaces():
        union.bind(prefix, ns)
    outputs = {
        "civic.trig": trig(ds),
        "civic.nq": _sorted_lines(ds.serialize(format="nquads", encoding="utf-8")),
    }
    graph = union.default_context
    for g in ds.graphs():
        for t in g:
            graph.add(t)
    outputs["civic.ttl"] = graph.serialize(format="turtle", encoding="utf-8")
    for name, data in outputs.items():
        report.outputs.append(write_atomic(out_dir / name, data))


def trig(ds: Dataset) -> bytes:
    """TriG with the named graphs in IRI order (rdflib's own order follows its store)."""
    head: list[str] = []
    blocks: list[str] = []
    for g in sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier)):
        for prefix, ns in ds.namespaces():
            g.bind(prefix, ns, override=True, replace=True)
        text = g.serialize(format="turtle")
        prefixes = [ln for ln in text.splitlines() if ln.startswith("@prefix")]
        body = "\n".join(f"    {ln}" if ln else "" for ln in text.splitlines() if not ln.startswith("@prefix"))
        head += prefixes
        blocks.append(f"<{g.identifier}> {{\n{body.strip(chr(10))}\n}}\n")
    return ("\n".join(sorted(set(head))) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.splitlines()))
    return b"\n".join(ln for ln in lines if ln.strip()) + b"\n"


def write_atomic(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
