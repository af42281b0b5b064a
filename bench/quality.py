"""Extraction quality on the three dev sets, per property, in one table.

    python bench/quality.py [--out docs/quality.md]

Builds dev (the seed page), dev2 (twenty other cities) and dev3 (47 articles of other
publishers) without views or exports, scores each with ../shared/eval/score.py (dev2 and dev3
with --skip author, as the contract says) and the event relations (--skip author,holdsPost), and
prints a Markdown table; with --out it also writes it, so that a drop shows in the diff.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from kg import pipeline

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SETS = (("dev", ""), ("dev2", "author"), ("dev3", "author"))
PROPS = ("attended", "presided", "inspected", "agreementWith", "signed", "organizes", "holdsPost",
         "heldOn", "heldAt", "partOf", "subEventOf")


def score(trig: Path, gold: Path, skip: str) -> dict:
    cmd = [sys.executable, str(EVAL / "score.py"), str(trig), str(gold), "--json"]
    if skip:
        cmd += ["--skip", skip]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def table() -> str:
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, skip in SETS:
            out = Path(tmp) / name
            pipeline.build(EVAL / name / "raw", out, incremental=False, views=False, exports=False)
            r = score(out / "civic.trig", EVAL / name / "gold", skip)
            events = score(out / "civic.trig", EVAL / name / "gold", ",".join(filter(None, (skip, "holdsPost"))))
            rows[name] = (r, events)
    head = "| property | " + " | ".join(f"{n} P / R / F1" for n, _ in SETS) + " |"
    lines = [head, "|" + "---|" * (len(SETS) + 1)]

    def cell(d: dict) -> str:
        return f"{d['precision']:.3f} / {d['recall']:.3f} / **{d['f1']:.3f}**" if d["gold"] else "–"

    for p in PROPS:
        lines.append(f"| {p} | " + " | ".join(cell(rows[n][0]["properties"].get(p, {"gold": 0}))
                                              for n, _ in SETS) + " |")
    lines.append("| **core** | " + " | ".join(cell(rows[n][0]["core"]) for n, _ in SETS) + " |")
    lines.append("| **event relations** | " + " | ".join(cell(rows[n][1]["core"]) for n, _ in SETS) + " |")
    lines.append("| **supporting** | " + " | ".join(cell(rows[n][0]["supporting"]) for n, _ in SETS) + " |")
    lines.append("| duplicates | " + " | ".join(str(rows[n][0]["duplicates"]["extra_nodes"]) for n, _ in SETS) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="also write the table (with a heading) to this Markdown file")
    args = ap.parse_args()
    text = table()
    print(text)
    if args.out:
        args.out.write_text("# Extraction quality per property\n\nWritten by `python bench/quality.py --out "
                            f"{args.out.as_posix()}`; dev2 and dev3 are scored with `--skip author`, the event "
                            "relations with `--skip author,holdsPost`.\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
