"""After `make demo`: how to reach `kg`, how to open the notebook, what its extra installs, how to read nodes.csv."""
from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_shell_puts_the_venv_first_on_the_path(tmp_path):
    env = {**os.environ, "SHELL": "/bin/sh"}
    out = subprocess.run(["make", "-s", "-o", ".venv/.installed", "shell"], input='echo "PATH=$PATH"\n',
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=30, check=True)
    path = re.search(r"^PATH=(.*)$", out.stdout, re.M)
    assert path and path[1].split(":")[0] == str(ROOT / ".venv" / "bin"), out.stdout


def test_the_readme_says_where_kg_is_and_how_to_open_the_notebook():
    assert ".venv/bin/kg" in README and "make shell" in README and "source .venv/bin/activate" in README
    assert "make notebook" in README and "civic-kg[jupyter]" in README


def test_the_jupyter_extra_has_what_the_notebook_imports():
    nb = json.loads((ROOT / "notebooks" / "tour.ipynb").read_text(encoding="utf-8"))
    modules = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.Import):
                    modules |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    modules.add(node.module.split(".")[0])
    dists = importlib.metadata.packages_distributions()
    third_party = {m for m in modules if m not in sys.stdlib_module_names and m != "kg"}
    needed = {d.lower().replace("_", "-") for m in third_party for d in dists[m]}
    assert needed >= {"pandas", "ipython", "networkx"}
    provided = _names(PROJECT["dependencies"]) | _names(PROJECT["optional-dependencies"]["jupyter"])
    assert needed <= provided, needed - provided
    assert "jupyterlab" in _names(PROJECT["optional-dependencies"]["jupyter"])


def test_readme_and_notebook_say_adcode_is_text(seed_build):
    import pandas as pd

    hint = 'dtype={"adcode": str}'
    assert hint in README and hint in (ROOT / "notebooks" / "tour.ipynb").read_text(encoding="utf-8").replace('\\"', '"')
    as_read = pd.read_csv(seed_build / "nodes.csv", encoding="utf-8-sig")["adcode"].dropna()
    as_text = pd.read_csv(seed_build / "nodes.csv", encoding="utf-8-sig", dtype={"adcode": str})["adcode"].dropna()
    assert "430200.0" in set(as_read.astype(str)) and "430200" in set(as_text)  # why the README says so
