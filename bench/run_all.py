"""Run the build benches with modest limits (`make bench`): a few minutes on two cores.

Each bench is a plain script that prints its figures and ratios, measured in one run;
run one alone with bigger limits for the real figures. They read the benchmark corpus
(31,779 Chinese news articles as JSONL, ../shared/corpus/bench, or $CIVIC_BENCH_CORPUS)
where it lies and write the raw pages they make from it under /tmp ($CIVIC_BENCH_TMP),
removed afterwards (--keep keeps them); nothing from the corpus goes into the repository.
`kg convert` makes the same pages: `kg convert ../shared/corpus/bench/*.jsonl* --out /tmp/raw`.

    .venv/bin/python bench/extract_bench.py --limit 3000           # throughput vs jieba lcut/posseg; workers 1 vs 2
    .venv/bin/python bench/extract_bench.py --limit 300 --profile  # ... and the extraction's hot spots
    .venv/bin/python bench/mentions_bench.py --limit 300           # mention layer: recall on dev sets, throughput
    .venv/bin/python bench/build_bench.py --limit 1500 --workers 1 2  # a whole kg build vs posseg; peak memory
    .venv/bin/python bench/incremental_bench.py --limit 3000 --check   # full vs unchanged vs one-file rebuild
    .venv/bin/python bench/memory_bench.py --sizes 10000 all       # peak RSS; `all` is the whole corpus (~15 min)
    .venv/bin/python bench/identity_bench.py                       # who is who on the whole corpus; resolution's cost

The figures depend on the machine's load: every bench prints the load average beside them;
wall-time ratios between two runs on a busy machine mean little. Timings of the network
views and of SPARQL are in bench/views_bench.py and bench/sparql_bench.py.

Usage: .venv/bin/python bench/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = (
    ("extract_bench.py", "--limit", "300"),
    ("mentions_bench.py", "--limit", "300"),
    ("build_bench.py", "--limit", "1500"),
    ("incremental_bench.py", "--limit", "500", "--check"),
    ("memory_bench.py", "--sizes", "300", "1000"),
    ("identity_bench.py", "--limit", "1500", "--time-limit", "500"),
)


def main() -> int:
    failed = []
    for script, *args in BENCHES:
        print(f"\n## {script} {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *args], check=False).returncode:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
