"""Load test of `kg serve` on loopback: N concurrent clients sending the example queries.

    python bench/load_test.py [--graph graphs] [--clients 50] [--seconds 30]

Starts `kg serve` on a free loopback port (the traffic never leaves 127.0.0.1), runs the
clients for a bounded time, and prints throughput, p50/p99 latency, errors and the server's
resident memory (all its processes) at the start, the middle and the end.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sparql import queries  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    pids, total = [pid], 0
    while pids:
        p = pids.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS")))
            pids += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", type=Path, default=ROOT / "graphs")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(args.graph), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        texts = [queries.load(n) for n in queries.names()]
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds
        rss = [tree_rss_mb(server.pid)]

        def client(i: int) -> None:
            k = i
            while time.monotonic() < stop:
                q = texts[k % len(texts)]
                k += 1
                url = base + "/sparql?" + urllib.parse.urlencode({"query": q})
                t0 = time.perf_counter()
                try:
                    accept = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
                    with urllib.request.urlopen(urllib.request.Request(url, headers=accept), timeout=30) as r:
                        r.read()
                    with lock:
                        latencies.append(time.perf_counter() - t0)
                except (urllib.error.URLError, OSError) as e:
                    with lock:
                        errors.append(str(e))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(args.seconds / 2)
        rss.append(tree_rss_mb(server.pid))
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        rss.append(tree_rss_mb(server.pid))
        lat = sorted(latencies)
        p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else (lambda q: float("nan"))
        print(f"clients {args.clients}, {elapsed:.1f} s, {len(lat)} answers, {len(errors)} errors")
        print(f"throughput {len(lat) / elapsed:.1f} queries/s; latency p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, "
              f"mean {statistics.fmean(lat) * 1000 if lat else float('nan'):.1f} ms")
        print(f"server RSS (all processes): start {rss[0]:.0f} MB, middle {rss[1]:.0f} MB, end {rss[2]:.0f} MB")
        for e in sorted(set(errors))[:5]:
            print("error:", e)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
