"""notebooks/tour.ipynb runs from top to bottom with this checkout, and stays small and diff-friendly.

The kernel is the `python3` kernelspec that ipykernel (a test dependency) provides for the
interpreter running the tests, so no `ipykernel install` step is needed on a fresh machine.
The notebook builds raw/ into a temporary folder (CIVIC_KG_OUT) instead of graphs/.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import networkx as nx
import pytest
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOK = ROOT / "notebooks" / "tour.ipynb"
MAX_BYTES = 200_000


def test_tour_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    monkeypatch.setenv("CIVIC_KG_OUT", str(out))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, if a cell fails
    for name in ("civic.trig", "civic.gexf", "civic.graphml", "nodes.csv", "edges.csv", "views/index.html"):
        assert (out / name).is_file(), name
    G = nx.read_gexf(out / "civic.gexf")
    assert G.number_of_nodes() > 50
    texts = [o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("曹慧泉" in t for t in texts), "the official ranking shows the city's Party secretary"


def test_tour_is_committed_small_and_clean() -> None:
    assert NOTEBOOK.stat().st_size < MAX_BYTES
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs for c in code), "commit the notebook executed, so readers see the answers"
    for c in code:
        for o in c.outputs:
            assert o.output_type != "error"
            text = json.dumps(o, ensure_ascii=False)
            assert " at 0x" not in text, "an object repr with a memory address changes at every run"
            assert str(ROOT) not in text, "an absolute path of this machine"
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(markdown) >= len(code) - 1, "each step says why"
