"""Helpers shared by test_network.py and test_views.py: the real build and headless Chromium."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
_BUILDS: dict[str, Path] = {}


def real_build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with civic.trig built from raw/ (conftest's seed_build when there is one).

    Before kg.pipeline existed this fell back to the hand-written tests/data/civic-small.trig.
    """
    if "real" not in _BUILDS:
        if importlib.util.find_spec("kg.pipeline") is None:
            out = tmp_path_factory.mktemp("fixture-build")
            shutil.copy(DATA / "civic-small.trig", out / "civic.trig")
        else:
            try:
                out = request.getfixturevalue("seed_build")
            except pytest.FixtureLookupError:
                from kg import pipeline

                out = tmp_path_factory.mktemp("build")
                pipeline.build(ROOT / "raw", out)
        _BUILDS["real"] = out
    return _BUILDS["real"]


def launch(playwright):
    """Debian's Chromium, headless, with no background traffic; skips when it is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install -y chromium fonts-noto-cjk")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
