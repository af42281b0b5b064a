"""Incremental builds: each raw file's extraction kept under its content hash."""
from __future__ import annotations

import hashlib
import pickle
from functools import cache
from importlib.resources import files
from pathlib import Path

from kg.extract import ner
from kg.model import Extraction

# what decides a page's extraction: every module of the ingest and extract stages (rules/ too),
# the dataclasses and errors between stages, and the lexicons with their files in data/
EXTRACTOR_MODULES = frozenset({"model.py", "errors.py", "lexicon.py"})
EXTRACTOR_PACKAGES = ("ingest/", "extract/", "data/")


@cache
def extractor_version() -> str:
    """A digest of the extractor's code, lexicons and NER model: a change to any invalidates the cache."""
    h = hashlib.sha256(ner.model_version().encode())
    root = files("kg")
    for path in sorted(Path(str(root)).rglob("*")):
        rel = path.relative_to(Path(str(root))).as_posix()
        if path.suffix in (".py", ".txt", ".tsv") and "__pycache__" not in path.parts and (
                rel in EXTRACTOR_MODULES or rel.startswith(EXTRACTOR_PACKAGES)):
            h.update(rel.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@cache
def code_version() -> str:
    """A digest of every file of the package (code, templates, scripts, queries, lexicons) and the NER
    model: what a build's outputs depend on besides the pages, so that an upgrade rebuilds them."""
    h = hashlib.sha256(ner.model_version().encode())
    root = Path(str(files("kg")))
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def content_key(data: bytes) -> str:
    """The cache key of a raw file: its bytes and the extractor's version."""
    return hashlib.sha256(extractor_version().encode() + data).hexdigest()


class ExtractionCache:
    """Pickled extractions in `folder`, one file per raw file, named by its content key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> list[Extraction] | None:
        path = self.folder / f"{key}.pickle"
        try:
            with path.open("rb") as f:
                return pickle.load(f)  # our own files, written below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None

    def put(self, key: str, extractions: list[Extraction]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.tmp"
        tmp.write_bytes(pickle.dumps(extractions, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.folder / f"{key}.pickle")

    def prune(self, keep: set[str]) -> None:
        """Forget the extractions of files that are gone or changed."""
        for path in self.folder.glob("*.pickle"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
