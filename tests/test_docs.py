"""The README documents every command, starts with the two commands, and shows files that exist."""
from __future__ import annotations

import re

from kg.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_commands_are_make_demo_and_make_test():
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None
    lines = [ln.split("#")[0].strip() for ln in block[1].splitlines() if ln.strip()]
    assert lines[:2] == ["make demo", "make test"]


def test_every_command_is_documented():
    for name in main.commands:
        assert f"`kg {name}" in README, f"kg {name} is not in the README's command table"


def test_linked_files_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README) + re.findall(r"`((?:docs|notebooks|schemas)/[^`]+)`", README):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
