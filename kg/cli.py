"""The `kg` command line: a thin shell over the library.

Exit codes of `kg build`: 0 every file built; 1 no output could be built;
2 usage error; 3 partial build (some files skipped, the rest written).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="civic-kg")
def main() -> None:
    """civic-kg: Chinese local newspapers to a knowledge graph of civic events."""


@main.command()
@click.argument("raw_dir", type=click.Path(exists=True, file_okay=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("graphs"),
              show_default=True, help="Folder for civic.trig, civic.ttl and the other outputs.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
              help="Extraction processes; the output is the same whatever the number.")
@click.option("--dask", "scheduler", metavar="ADDRESS", default=None,
              help="Extract on a Dask cluster (dask.distributed scheduler address, e.g. tcp://host:8786).")
@click.option("--no-cache", is_flag=True, help="Re-extract every file, even unchanged ones.")
@click.option("--no-views", is_flag=True, help="Skip the interactive views (OUT_DIR/views/).")
@click.option("--no-exports", is_flag=True, help="Skip the GEXF, GraphML and CSV exports.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build(raw_dir: Path, out_dir: Path, workers: int, scheduler: str | None, no_cache: bool, no_views: bool,
          no_exports: bool, quiet: bool) -> None:
    """Build the graph of every raw page in RAW_DIR into OUT_DIR.

    Example: kg build raw --out graphs --workers 2
    """
    from kg import pipeline

    paths = pipeline.raw_files(raw_dir)
    if not paths:
        click.echo(f"error: {pipeline.no_pages(raw_dir)}", err=True)
        sys.exit(EXIT_NOTHING)
    with click.progressbar(length=len(paths), label="extracting", file=sys.stderr,
                           hidden=quiet or not sys.stderr.isatty()) as bar:
        report = pipeline.build(raw_dir, out_dir, progress=bar.update, workers=workers, scheduler=scheduler,
                                incremental=not no_cache, views=not no_views, exports=not no_exports)
    click.echo(report.summary(skipped=False))  # the skipped files go to stderr, once
    for err in report.failed:
        click.echo(f"skipped {err}", err=True)
    if not report.outputs:
        sys.exit(EXIT_NOTHING)
    sys.exit(EXIT_PARTIAL if report.failed else EXIT_OK)


@main.command("query")
@click.argument("query", required=False)
@click.option("--graph", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("graphs"),
              show_default=True, help="Build folder: its store/ is used, or civic.trig when there is none.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output; CONSTRUCT gives Turtle (table), JSON-LD (json), N-Triples. "
                                      "csv, tsv and json hold every cell whole.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Replace a parameter of the query (its VALUES ?NAME line), e.g. -p official=陈恢清.")
@click.option("--wide", is_flag=True, help="Show long cells (the sentences) whole in the table.")
@click.option("--union/--no-union", default=True, show_default=True,
              help="The default graph is the union of the articles' named graphs; --no-union: the store's own "
                   "default graph, which is empty (strict SPARQL 1.1: only GRAPH patterns match).")
@click.option("--list", "list_examples", is_flag=True, help="List the shipped example queries and their parameters.")
def query_cmd(query: str | None, out_dir: Path, fmt: str, params: tuple[str, ...], wide: bool, union: bool,
              list_examples: bool) -> None:
    """Run QUERY (an example's NAME, a .rq file, or SPARQL text) on the build in --graph.

    The prefixes civ, cid, rdf, rdfs, skos, xsd, schema, prov, org and one per kind of entity
    (person:, organization:, place:, event:, post:, article: …) need no PREFIX line.

    Example: kg query official_timeline -p official=曹慧泉 --graph graphs
    """
    from kg.errors import KgError
    from kg.sparql import queries, results, store

    if list_examples or not query:
        for e in map(queries.info, queries.names()):
            click.echo(f"{e.name:<22}{e.question}")
            for name, default in e.params.items():
                click.echo(f"{'':<24}-p {name}={default}  {e.about.get(name, '')}".rstrip())
        return
    bad = [p for p in params if "=" not in p]
    if bad:
        raise click.UsageError(f"-p takes NAME=VALUE, not {bad[0]!r}")
    try:
        values = dict(p.split("=", 1) for p in params)
        text = queries.bind(queries.source(query), **values)
        out = results.render(store.query(store.open(out_dir), text, union=union), fmt,
                             max_cell=None if wide else results.MAX_CELL).decode()
        click.echo(out, nl=not out.endswith("\n"))
    except store.QuerySyntaxError as e:
        raise click.ClickException(e.context()) from e
    except KgError as e:
        raise click.ClickException(str(e)) from e


@main.command("show")
@click.argument("name")
@click.option("--graph", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("graphs"),
              show_default=True, help="Build folder: its store/ is used, or civic.trig when there is none.")
def show_cmd(name: str, out_dir: Path) -> None:
    """Print everything the graph says about NAME (a name or alias, a prefixed name such as
    person:曹慧泉, or an IRI): class, labels, posts, and every relation with its date, article
    and sentence. `kg serve` shows the same at /id/… (linked from the query page's results).

    Example: kg show 曹慧泉 --graph graphs
    """
    from kg.errors import KgError
    from kg.sparql import entity, prefixes, store

    try:
        db = store.open(out_dir)
        described = [e for e in (entity.describe(db, iri) for iri in entity.find(db, name)) if e]
        if not described:
            near = entity.containing(db, name)
            hint = ("; names containing it: " + ", ".join(f"{label} ({prefixes.shorten(iri)})" for iri, label in near)
                    if near else "")
            raise click.ClickException(f"no entity is named {name!r} in {out_dir}{hint}")
    except KgError as e:
        raise click.ClickException(str(e)) from e
    click.echo("\n".join(entity.to_text(e) for e in described), nl=False)


@main.command("serve")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("graphs"))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=7800, show_default=True, type=int)
@click.option("--timeout", default=10.0, show_default=True, help="Time limit of one query, in seconds.")
@click.option("--row-cap", default=10_000, show_default=True, help="Most rows (or triples) one answer holds.")
@click.option("--workers", default=2, show_default=True, help="Queries run at the same time.")
@click.option("--union/--no-union", default=True, show_default=True,
              help="The default graph is the union of the articles' named graphs; --no-union: the store's own "
                   "default graph, which is empty (strict SPARQL 1.1, as in a store without that option).")
def serve_cmd(out_dir: Path, host: str, port: int, timeout: float, row_cap: int, workers: int, union: bool) -> None:
    """Serve the build in OUT_DIR read-only: SPARQL endpoint at /sparql, query page at /.

    Example: kg serve graphs --port 7800
    """
    from kg.errors import KgError
    from kg.sparql import server

    try:
        srv = server.make_server(out_dir, host, port, timeout=timeout, row_cap=row_cap, workers=workers, union=union)
    except (KgError, OSError) as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"query page {srv.url}  SPARQL endpoint {srv.url}sparql  (Ctrl+C stops)", err=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


@main.command("push")
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("graphs"),
              show_default=True, help="Build folder to push.")
@click.option("--format", "fmt", type=click.Choice(["nt", "turtle"]), default="nt", show_default=True)
def push_cmd(endpoint: str, out_dir: Path, fmt: str) -> None:
    """Load every article's named graph into a SPARQL store (PUT ?graph=IRI; re-pushing replaces).

    Example: kg push --endpoint http://127.0.0.1:7878/store --graph graphs
    """
    from kg.errors import KgError
    from kg.sparql import push

    try:
        click.echo(push.push(out_dir, endpoint, fmt=fmt).summary())
    except KgError as e:
        raise click.ClickException(str(e)) from e


@main.command("view")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("graphs"))
def view_cmd(out_dir: Path) -> None:
    """Rebuild OUT_DIR/views/ (interactive network pages) from OUT_DIR/civic.trig.

    Example: kg view graphs
    """
    from kg.views import gallery

    trig = out_dir / "civic.trig"
    if not trig.is_file():
        raise click.ClickException(f"{trig}: not found; run `kg build` first")
    try:
        infos = gallery.write_from_trig(out_dir)
    except (SyntaxError, ValueError) as e:  # rdflib's parse errors
        raise click.ClickException(f"{trig}: {e}") from e
    click.echo(f"wrote {len(infos)} views to {out_dir / 'views'}; open {out_dir / 'views' / 'index.html'}")


@main.command("convert")
@click.argument("jsonl", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "raw_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the raw pages (created if needed).")
@click.option("--per-page", default=50, show_default=True, type=click.IntRange(1),
              help="Most articles on one page; a page holds one source and one day.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N articles of each file.")
def convert_cmd(jsonl: tuple[Path, ...], raw_dir: Path, per_page: int, limit: int | None) -> None:
    """Turn JSONL articles ({"title", "text", "date", "source", "url"}; plain or gzip) into raw pages.

    Example: kg convert articles.jsonl.gz --out raw
    """
    from kg.ingest import convert

    for path in jsonl:
        try:
            report = convert.jsonl_to_pages(path, raw_dir, per_page=per_page, limit=limit)
        except OSError as e:
            raise click.ClickException(f"{path}: {e.strerror or e}") from e
        click.echo(f"{path}: {report.summary()}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv", "jsonld", "nquads"]), default="gexf",
              show_default=True, help="gexf (Gephi), graphml (networkx, igraph, yEd), csv (nodes.csv + edges.csv), "
                                      "jsonld or nquads (the RDF itself).")
@click.option("--graph", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("graphs"),
              show_default=True, help="Build folder to export: its civic.trig (nquads copies its civic.nq).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="File to write (for csv, a folder); default: civic.<ext>, or nodes.csv and edges.csv, in --graph.")
def export_cmd(fmt: str, out_dir: Path, out: Path | None) -> None:
    """Export the build in --graph for Gephi, networkx, igraph, yEd, spreadsheets or RDF tools.

    Example: kg export --format gexf --graph graphs --out civic.gexf
    """
    from kg.errors import KgError
    from kg.exports import formats

    try:
        paths = formats.export(out_dir, fmt, out)
    except (KgError, OSError) as e:
        raise click.ClickException(str(e)) from e
    for path in paths:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
