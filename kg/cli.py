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
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build(raw_dir: Path, out_dir: Path, quiet: bool) -> None:
    """Build the graph of every raw page in RAW_DIR into OUT_DIR.

    Example: kg build raw --out graphs
    """
    from kg import pipeline

    paths = pipeline.raw_files(raw_dir)
    with click.progressbar(length=len(paths), label="extracting", file=sys.stderr,
                           hidden=quiet or not sys.stderr.isatty()) as bar:
        report = pipeline.build(raw_dir, out_dir, progress=bar.update)
    click.echo(report.summary(), err=False)
    for err in report.failed:
        click.echo(f"skipped {err}", err=True)
    if not report.outputs:
        sys.exit(EXIT_NOTHING)
    sys.exit(EXIT_PARTIAL if report.failed else EXIT_OK)
