"""The pipeline, top to bottom: ingest → extract → graph → write.

`build` reads every raw page, extracts each (in this process, a process pool or a Dask
cluster; unchanged files come from the cache), chooses one label per entity across the
corpus, renders each article's named graph, and streams TriG, N-Quads and the union
Turtle into temporary files that replace the previous outputs only at the end.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from rdflib.term import Node

from kg import products
from kg.cache import ExtractionCache, code_version, content_key
from kg.errors import KgError, RawFormatError
from kg.extract import rules
from kg.graph import rdf, validate
from kg.graph.network import VERBS
from kg.graph.vocab import RELATIONS
from kg.ingest import reader
from kg.model import Extraction

PRETTY_UNION_MAX = 200_000     # above this many quads, civic.ttl is written line by line
SHACL_SAMPLE = 400             # article graphs validated per build (all of them below this)
OUTPUTS = ("civic.trig", "civic.nq", "civic.ttl")
MANIFEST = "build.manifest"    # in OUT_DIR/.cache: the pages the last build read, the outputs it wrote
MANIFEST_VERSION = 2           # of the manifest's layout (and of BuildReport): another version is not reused
PAGE_SUFFIX = ".md"            # what a raw page is named


@dataclass
class BuildReport:
    """What a build read, made and skipped."""

    files: int = 0
    articles: int = 0
    entities: int = 0
    cached: int = 0
    triples: Counter[str] = field(default_factory=Counter)
    quads: int = 0
    graphs: int = 0
    failed: list[KgError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    def summary(self, *, skipped: bool = True) -> str:
        """What the build did, each number saying what it counts; `skipped=False` leaves out the skipped files."""
        lines = [f"{self.files - len(self.failed)}/{self.files} pages built ({self.cached} unchanged), "
                 f"{self.articles} articles, {self.entities} entities",
                 f"{sum(self.triples.values())} relations extracted (distinct subject-relation-object statements, "
                 "each with its evidence sentence)" + (":" if self.triples.total() else "")]
        lines += [f"  {p:<14}{self.triples[p]:>8}  {VERBS[p]}" for p in RELATIONS if self.triples[p]]
        if self.quads:
            lines.append(f"{self.quads:,} quads in civic.nq and the store: those relations with the entities' "
                         f"types and labels, the evidence and the entity index, in {self.graphs} named graphs")
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"skipped: {e}" for e in self.failed] if skipped else []
        lines += [f"wrote {p}" for p in self.outputs]
        return "\n".join(lines)


def raw_files(raw: Path) -> list[Path]:
    """The raw pages of a folder (recursively, *.md, sorted), or the one file given."""
    if raw.is_file():
        return [raw]
    return sorted(p for p in raw.rglob(f"*{PAGE_SUFFIX}") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(raw).parts))


def no_pages(raw: Path) -> str:
    """Why a folder gave no raw page: which suffix is read, and what the folder holds instead."""
    others = sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()) if raw.is_dir() else []
    found = (f"it holds {len(others)} other file{'s' if len(others) > 1 else ''} "
             f"({', '.join(others[:3])}{', …' if len(others) > 3 else ''})") if others else "it is empty"
    return (f"no page found in {raw}: kg build reads Markdown pages named *{PAGE_SUFFIX} "
            f"(in subfolders too); {found}")


def extract_page(item: tuple[str, bytes]) -> list[Extraction] | RawFormatError:
    """Extract one raw page given as (name, bytes): the unit of work of every executor."""
    name, data = item
    try:
        return rules.extract_all(reader.parse(reader.decode(data, name), name))
    except RawFormatError as err:
        return err


def render_batch(names: rdf.Names, batch: list[Extraction]) -> list[rdf.Rendered]:
    return [rdf.render(x, names) for x in batch]


class Executor:
    """Maps a function over items in order: here, in a process pool, or on a Dask cluster."""

    def __init__(self, workers: int = 1, scheduler: str | None = None) -> None:
        self.workers, self.scheduler = workers, scheduler
        self.pool: ProcessPoolExecutor | None = None
        self.client: Any = None
        if scheduler:
            from dask.distributed import Client

            self.client = Client(scheduler)
        elif workers > 1:
            self.pool = ProcessPoolExecutor(max_workers=workers)

    def map(self, fn: Callable[..., Any], items: list[Any], shared: Any = None) -> Iterator[Any]:
        call = fn if shared is None else partial(fn, shared)
        if self.client is not None:
            if shared is not None:
                ref = self.client.scatter(shared, broadcast=True)
                futures = self.client.map(fn, [ref] * len(items), items, pure=False)
            else:
                futures = self.client.map(fn, items, pure=False)
            for f in futures:
                yield f.result()
                f.release()
        elif self.pool is not None:
            # small chunks: items come largest first, and a chunk of the largest would leave a worker idle
            yield from self.pool.map(call, items, chunksize=max(1, min(16, len(items) // (self.workers * 64))))
        else:
            yield from map(call, items)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        if self.client is not None:
            self.client.close()


def build(raw: Path, out_dir: Path, progress: Callable[[int], object] = lambda n: None, *,
          workers: int = 1, scheduler: str | None = None, incremental: bool = True,
          views: bool = True, exports: bool = True) -> BuildReport:
    """Build the graph of every raw page under `raw` into `out_dir`; bad files are skipped.

    With no page at all nothing is written, and the report's warning says why (`no_pages`).
    Incremental builds reuse each unchanged file's extraction, and do nothing at all when
    no file changed and the outputs are those the last build wrote.
    """
    report = BuildReport()
    paths = raw_files(raw)
    if not paths:
        report.warnings.append(no_pages(raw))
        return report
    root = raw if raw.is_dir() else raw.parent
    cache = ExtractionCache(out_dir / ".cache") if incremental else None
    pages = _read(paths, root, report, progress)
    fingerprint = _fingerprint(pages, report, views=views, exports=exports)
    if cache is not None and (last := _last_build(out_dir, fingerprint)) is not None:
        progress(len(pages))
        return last
    executor = Executor(workers, scheduler)
    try:
        extractions = _extract(pages, cache, executor, report, progress)
        if extractions:
            _write(extractions, out_dir, executor, report)
            extractions.clear()  # freed before products.write loads the store
    finally:
        executor.close()
    if report.outputs:
        products.write(out_dir, report, views=views, exports=exports)
    if cache is not None and report.outputs:
        _remember(out_dir, fingerprint, report)
    return report


def _read(paths: list[Path], root: Path, report: BuildReport,
          progress: Callable[[int], object]) -> list[tuple[str, bytes, str]]:
    """(name, bytes, cache key) of every readable page; the others are recorded as failed."""
    pages = []
    for path in paths:
        report.files += 1
        name = path.relative_to(root).as_posix()
        try:
            data = path.read_bytes()
        except OSError as e:
            report.failed.append(RawFormatError(name, 0, f"cannot read: {e.strerror}"))
            progress(1)
            continue
        pages.append((name, data, content_key(data)))
    return pages


def _extract(pages: list[tuple[str, bytes, str]], cache: ExtractionCache | None, executor: Executor,
             report: BuildReport, progress: Callable[[int], object]) -> list[Extraction]:
    by_file: dict[str, list[Extraction]] = {}
    todo: list[tuple[str, bytes]] = []
    keys: dict[str, str] = {}
    for name, data, key in pages:
        keys[name] = key
        cached = cache.get(key) if cache else None
        if cached is not None:
            by_file[name] = cached
            report.cached += 1
            progress(1)
        else:
            todo.append((name, data))
    todo.sort(key=lambda item: len(item[1]), reverse=True)  # longest first: workers finish together
    for (name, _), result in zip(todo, executor.map(extract_page, todo), strict=True):
        if isinstance(result, RawFormatError):
            report.failed.append(result)
        else:
            by_file[name] = result
            if cache:
                cache.put(keys[name], result)
        progress(1)
    if cache:
        cache.prune({keys[n] for n in by_file})
    report.failed.sort(key=str)
    for name in sorted(by_file):
        undated = sum(x.article.date is None for x in by_file[name])
        if undated:
            report.warnings.append(f"{name}: {undated} of {len(by_file[name])} articles have no date (none in the "
                                   "text, no `date: YYYY-MM-DD` in the front matter): their relations are undated")
    return [x for name in sorted(by_file) for x in by_file[name]]


def _fingerprint(pages: list[tuple[str, bytes, str]], report: BuildReport, **options: object) -> str:
    """What a build's outputs depend on: the code (views and exports too), every page's name and cache
    key, the unreadable pages, the options."""
    h = hashlib.sha256(code_version().encode() + repr(sorted(options.items())).encode())
    for name, _, key in pages:
        h.update(f"{name}\t{key}\n".encode("utf-8", "surrogateescape"))
    for err in report.failed:
        h.update(f"!{err}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _last_build(out_dir: Path, fingerprint: str) -> BuildReport | None:
    """The report of the last build when it read the same pages and its outputs are untouched."""
    try:
        with (out_dir / ".cache" / MANIFEST).open("rb") as f:
            saved = pickle.load(f)  # our own file, written by _remember
        if saved.get("version") != MANIFEST_VERSION or saved["fingerprint"] != fingerprint:
            return None
        for name, stamp in saved["outputs"].items():
            st = (out_dir / name).stat()
            if (st.st_size, st.st_mtime_ns) != stamp:
                return None
        report: BuildReport = saved["report"]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, KeyError, TypeError, ValueError):
        return None
    report.cached = report.files - len(report.failed)
    report.outputs = [out_dir / name for name in saved["outputs"]]
    return report


def _remember(out_dir: Path, fingerprint: str, report: BuildReport) -> None:
    """Record what this build read and wrote, for `_last_build`."""
    outputs = {p.relative_to(out_dir).as_posix() if p.is_relative_to(out_dir) else str(p):
               (p.stat().st_size, p.stat().st_mtime_ns) for p in report.outputs}
    path = out_dir / ".cache" / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{MANIFEST}.tmp")
    tmp.write_bytes(pickle.dumps({"version": MANIFEST_VERSION, "fingerprint": fingerprint, "outputs": outputs,
                                  "report": report}))
    tmp.replace(path)


def _write(extractions: list[Extraction], out_dir: Path, executor: Executor, report: BuildReport) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(".civic.*.tmp"):  # left by a build that was killed
        stale.unlink(missing_ok=True)
    extractions = sorted(extractions, key=lambda x: x.article.id)
    report.articles = len(extractions)
    names = rdf.Names(rdf.NameCounts.of(extractions))
    size = max(1, min(200, len(extractions) // (max(1, executor.workers) * 4) or 1))
    batches = [extractions[i:i + size] for i in range(0, len(extractions), size)]
    tmp = {name: _temp(out_dir, name) for name in OUTPUTS}
    body = _temp(out_dir, "civic.trig.body")
    prefixes: set[str] = set()
    relations: dict[str, set[bytes]] = {p: set() for p in RELATIONS}
    entities: set[str] = set()
    sample_every = max(1, len(extractions) // SHACL_SAMPLE)
    sample = Dataset()
    union_lines: set[bytes] = set()
    descriptions: set[tuple[Node, Node, Node]] = set()
    quads = 0
    try:
        with body.open("w", encoding="utf-8") as trig, tmp["civic.nq"].open("w", encoding="utf-8") as nq:
            stream = (r for batch in executor.map(render_batch, batches, shared=names) for r in batch)
            for i, (x, rendered) in enumerate(zip(extractions, stream, strict=True)):
                trig.write(rendered.trig + "\n")
                nq.write(rendered.nquads)
                prefixes.update(rendered.prefixes)
                entities.update(rendered.entities)
                descriptions.update(rendered.descriptions)
                for p, s, o in rendered.relations:
                    relations[p].add(hashlib.blake2b(f"{s} {o}".encode(), digest_size=8).digest())
                for line in rendered.nquads.split("\n")[:-1]:
                    union_lines.add(line[: line.rindex(" <")].encode() + b" .")
                quads += rendered.nquads.count("\n")
                if i % sample_every == 0:  # the graph of its N-Quads, without parsing them
                    graph = sample.graph(rdf.article_iri(x.article.id))
                    for t in rdf.article_triples(x, names):
                        graph.add(t)
            index_trig, index_nquads, index_prefixes = rdf.index_graph(descriptions)
            trig.write(index_trig)
            nq.write(index_nquads)
            prefixes.update(index_prefixes)
            quads += index_nquads.count("\n")
        with tmp["civic.trig"].open("w", encoding="utf-8") as out, body.open(encoding="utf-8") as src:
            out.write("\n".join(sorted(prefixes)) + "\n\n")
            while chunk := src.read(1 << 20):
                out.write(chunk)
        _write_union(tmp["civic.ttl"], union_lines, quads,
                     lambda: (t for x in extractions for t in rdf.article_triples(x, names)))
        report.entities = len(entities)
        report.triples.update({p: len(v) for p, v in relations.items()})
        report.quads, report.graphs = quads, len(extractions) + 1  # the articles' graphs and the entity index
        checked = len(list(sample.graphs())) - 1
        report.warnings += [f"SHACL: {v}" for v in validate.violations(sample)]
        if checked < len(extractions):
            report.warnings.append(f"SHACL validated a sample of {checked} of {len(extractions)} article graphs")
        for name in OUTPUTS:
            tmp[name].replace(out_dir / name)
            report.outputs.append(out_dir / name)
    finally:
        for path in (*tmp.values(), body):
            path.unlink(missing_ok=True)


def _write_union(path: Path, lines: Iterable[bytes], quads: int,
                 triples: Callable[[], Iterable[tuple[Node, Node, Node]]]) -> None:
    """The union of all graphs as Turtle: pretty when small, one triple a line when large.

    `lines` are the union's N-Triples lines; `triples` gives every graph's triples again,
    for the pretty Turtle (cheaper than parsing the lines back).
    """
    if quads <= PRETTY_UNION_MAX:
        union = list(dict.fromkeys(triples()))
        text = rdf.turtle(union)
        if text is None:
            g = Graph()
            for prefix, ns in rdf.PREFIXES:
                g.bind(prefix, ns)
            for t in union:
                g.add(t)
            text = g.serialize(format="turtle")
        path.write_bytes(text.encode("utf-8"))
        return
    with path.open("wb") as f:
        for line in sorted(lines):
            f.write(line + b"\n")


def _temp(out_dir: Path, name: str) -> Path:
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
    os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the outputs from a web server
    os.close(fd)
    return Path(tmp)
