"""pyproject's warning filters hide only rdflib's own use of its deprecated API, not ours."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = '''
from rdflib import Dataset

TRIG = "@prefix ex: <http://example.org/> . ex:g { ex:a ex:b ex:c . }"


def test_rdflib_inside():
    Dataset().parse(data=TRIG, format="trig")  # rdflib's parser uses its deprecated API itself


def test_ours():
    Dataset().default_context  # a deprecated call of our own


def test_doctest_probe():
    from rdflib import XSD
    getattr(XSD, "_mock_name", None)  # what pytest's doctest collection does to every attribute
'''


def test_only_rdflibs_own_deprecations_are_hidden(tmp_path):
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
                          "-p", "no:cacheprovider", "-q", str(tmp_path / "test_probe.py")],
                         capture_output=True, text=True, cwd=tmp_path, check=False)
    assert "3 passed, 1 warning" in out.stdout, out.stdout
    assert "::test_ours\n" in out.stdout and "test_probe.py:12: DeprecationWarning: Dataset.default_context" in out.stdout
