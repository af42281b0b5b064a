"""What a build makes from its graph besides the RDF files: the query store, the views, the exports."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

VIEWS_MAX_ARTICLES = 5_000  # above this, views and exports are left to `kg view` / `kg export`


class Report(Protocol):
    articles: int
    outputs: list[Path]
    warnings: list[str]


def write(out_dir: Path, report: Report, *, views: bool = True, exports: bool = True) -> None:
    """Build OUT_DIR/store from civic.trig, then the views and the Gephi/GraphML/CSV exports."""
    from kg.sparql import store

    report.outputs.append(store.write(out_dir / "civic.trig", out_dir))
    if not (views or exports):
        return
    if report.articles > VIEWS_MAX_ARTICLES:
        report.warnings.append(f"{report.articles:,} articles: views and exports skipped "
                               f"(more than {VIEWS_MAX_ARTICLES:,}); `kg view` and `kg export` make them")
        return
    from kg.exports import formats as exporting
    from kg.graph import network
    from kg.views import gallery as viewing

    graph = network.project(network.quads(out_dir / "civic.trig"), posts=True)  # views draw posts
    if views:
        viewing.write_all(graph, out_dir)
        report.outputs.append(out_dir / "views" / "index.html")
    if exports:
        report.outputs += exporting.write_all(out_dir, network.without_posts(graph))
