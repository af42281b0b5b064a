"""Shared fixtures: the seed page, its articles, one build of raw/."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import pipeline
from kg.ingest import reader

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
SEED = RAW / "zhuzhou-daily-2023-06-04.md"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_articles():
    return reader.read(SEED)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """kg build raw/ into a temporary folder, once per session."""
    out = tmp_path_factory.mktemp("build")
    report = pipeline.build(RAW, out)
    assert not report.failed, report.failed
    return out
