"""Oxigraph (pyoxigraph) against rdflib's memory store on the shipped example queries.

For the seed build (graphs/civic.trig, or a fresh build of raw/ when it is missing) and for a
synthetic dataset shaped like ours (default 1M quads: one named graph per article, entities with
labels, relations each with a reified civ:Evidence node), prints load time and each example's
median latency for: rdflib's memory Dataset, an in-memory Oxigraph store and the on-disk
Oxigraph store that `kg build` writes, and the ratio rdflib / Oxigraph-on-disk.

rdflib runs one query at a time under an alarm: a query past --rdflib-timeout is reported as
">N s" and the run goes on.

Usage: .venv/bin/python bench/sparql_bench.py [--quads 1000000] [--repeat 5] [--rdflib-timeout 120]
"""
# ruff: noqa: T201 - a benchmark prints its table
from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg import queries, store

ROOT = Path(__file__).resolve().parent.parent
CIV = "https://w3id.org/civic-kg/ontology#"
CID = "https://w3id.org/civic-kg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# ── a synthetic corpus shaped like civic.trig ───────────────────────────────────────────────

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文辉力鹏飞慧泉恢清小忠喜富礼"
OFFICIALS = ("曹慧泉", "陈恢清", "江小忠", "杨跃")  # recur often, so the examples' defaults find rows
TITLES = ("市委书记", "市长", "副市长", "区委书记", "区长", "局长", "主任", "总经理", "董事长", "会长", "党组书记")
ORG_KINDS = ("行政审批服务局", "文旅广电局", "图书馆", "新华书店", "教育局", "总工会", "妇女联合会", "公安局",
             "物流有限公司", "住建局", "人民医院", "科技有限公司")
EVENT_KINDS = ("读书会", "早餐会", "座谈会", "民主生活会", "招商推介会", "全民阅读活动", "防溺水巡逻工作",
               "提质改造工程", "文艺竞演活动", "读书月系列活动", "运动会", "志愿服务活动")
ROLES = ("主办", "承办", "协办")
SENTENCE = "6月3日,第22次“制造名城早餐会”举行,专家企业家应邀与市领导共进早餐。"


def _iri(kind: str, key: str) -> str:
    return f"<{CID}{kind}/{key}>"


def _lit(text: str, lang: str | None = "zh") -> str:
    return f'"{text}"@{lang}' if lang else f'"{text}"'


def synthetic(quads: int, seed: int = 7) -> Iterator[str]:
    """N-Quads lines: article graphs in the layout of docs/rdf-layout.md, about `quads` of them."""
    rng = random.Random(seed)
    divisions = [row for row in csv.reader((ROOT / "kg/data/admin_divisions.tsv").open(encoding="utf-8"),
                                           delimiter="\t") if len(row) >= 4 and row[2] == "county" and not
                 (len(row) > 4 and row[4])]
    cities = {row[0]: row[1] for row in csv.reader((ROOT / "kg/data/admin_divisions.tsv").open(encoding="utf-8"),
                                                    delimiter="\t") if len(row) >= 3 and row[2] == "city"}
    divisions = [d for d in divisions if d[3] in cities][:600]
    people = [rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))) for _ in range(30_000)]
    orgs = [f"{rng.choice(divisions)[1]}{k}" for k in ORG_KINDS for _ in range(300)]
    campaigns = [f"第{n}届{rng.choice(divisions)[1]}读书月系列活动" for n in range(1, 40)]
    count, article, ev_no = 0, 0, 0
    while count < quads:
        article += 1
        g = _iri("article", f"synthetic-{article:07d}")
        day = f"20{rng.randint(20, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines: list[str] = []
        typed: set[str] = set()
        seen_partof: set[tuple[str, str]] = set()

        def node(kind: str, cls: str, key: str, label: str, *extra: tuple[str, str], _g: str = g,
                 _lines: list[str] = lines, _typed: set[str] = typed) -> str:
            iri = _iri(kind, key)
            if iri not in _typed:
                _typed.add(iri)
                _lines.append(f"{iri} <{RDF}type> <{CIV}{cls}> {_g} .")
                _lines.append(f"{iri} <{RDFS}label> {_lit(label)} {_g} .")
                _lines.extend(f"{iri} {p} {o} {_g} ." for p, o in extra)
            return iri

        def rel(s: str, p: str, o: str, role: str | None = None, sentence: str = "",
                _g: str = g, _lines: list[str] = lines) -> None:
            nonlocal ev_no
            ev_no += 1
            ev = _iri("evidence", f"{ev_no:016x}")
            start = rng.randint(0, 9000)
            _lines.append(f"{s} <{CIV}{p}> {o} {_g} .")
            _lines += [f"{ev} <{RDF}type> <{CIV}Evidence> {_g} .", f"{ev} <{RDF}type> <{RDF}Statement> {_g} .",
                       f"{ev} <{RDF}subject> {s} {_g} .", f"{ev} <{RDF}predicate> <{CIV}{p}> {_g} .",
                       f"{ev} <{RDF}object> {o} {_g} .",
                       f"{ev} <{CIV}sentence> {_lit(sentence or SENTENCE)} {_g} .",
                       f'{ev} <{CIV}charStart> "{start}"^^<{XSD}integer> {_g} .',
                       f'{ev} <{CIV}charEnd> "{start + 60}"^^<{XSD}integer> {_g} .',
                       f'{ev} <{CIV}rule> "{p}.synthetic" {_g} .', f"{ev} <{CIV}inArticle> {_g} {_g} ."]
            if role:
                _lines.append(f'{ev} <{CIV}role> "{role}" {_g} .')

        def place(div: list[str], seen_partof: set[tuple[str, str]] = seen_partof) -> str:
            code, name, _, parent = div[:4]
            city = node("place", "Place", parent, cities[parent], (f"<{CIV}adminCode>", f'"{parent}"'))
            iri = node("place", "Place", code, name, (f"<{CIV}adminCode>", f'"{code}"'),
                       (f"<{SKOS}altLabel>", _lit(cities[parent] + name)))
            if (iri, city) not in seen_partof:
                seen_partof.add((iri, city))
                rel(iri, "partOf", city)
            return iri

        home = rng.choice(divisions)
        lines += [f"{g} <{RDF}type> <{CIV}Article> {g} .", f"{g} <{RDFS}label> {_lit('合成标题' + str(article))} {g} .",
                  f'{g} <{CIV}paper> "株洲日报" {g} .', f'{g} <{CIV}published> "{day}"^^<{XSD}date> {g} .',
                  f'{g} <{CIV}sourceFile> "synthetic-{article // 9:06d}.md" {g} .',
                  f'{g} <{CIV}sourceLine> "{article % 9 * 10 + 9}"^^<{XSD}integer> {g} .']
        for _ in range(rng.randint(1, 2)):
            name = rng.choice(people)
            rel(g, "author", node("person", "Person", name, name))
        for _ in range(rng.randint(1, 3)):  # events with date, place, organisers, participants
            ev_key = rng.choice(campaigns) if rng.random() < 0.05 else \
                f"{rng.choice(home[1:2])}{rng.randint(1, 10**6)}{rng.choice(EVENT_KINDS)}"
            event = node("event", "Event", ev_key, ev_key)
            rel(event, "heldOn", f'"{day}"^^<{XSD}date>')
            if rng.random() < 0.5:
                venue = f"{home[1]}{rng.choice(('广场', '体育馆', '会议中心', '图书馆'))}"
                v = node("place", "Place", venue, venue)
                rel(event, "heldAt", v)
                rel(v, "partOf", place(home))
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.2:
                    rel(place(rng.choice(divisions)), "organizes", event)
                else:
                    o = rng.choice(orgs)
                    rel(node("org", "Organization", o, o), "organizes", event, rng.choice((*ROLES, None)))
            if rng.random() < 0.3:
                parent = rng.choice(campaigns)
                rel(event, "subEventOf", node("event", "Event", parent, parent))
            for i in range(rng.randint(2, 7)):
                name = rng.choice(OFFICIALS) if rng.random() < 0.02 else rng.choice(people)
                person = node("person", "Person", name, name)
                rel(person, "presided" if i == 0 and rng.random() < 0.3 else "attended", event, rng.choice(
                    ("出席", "应邀", "列席", None)))
                if rng.random() < 0.5:
                    title = rng.choice(TITLES)
                    post = node("post", "Post", f"{home[1]}{title}", title,
                                (f"<{SKOS}altLabel>", _lit(home[1] + title)))
                    rel(person, "holdsPost", post)
        if rng.random() < 0.3:
            name = rng.choice(OFFICIALS) if rng.random() < 0.1 else rng.choice(people)
            rel(node("person", "Person", name, name), "inspected", place(rng.choice(divisions)))
        if rng.random() < 0.1:
            a, b = sorted((place(home), place(rng.choice(divisions))))
            if a != b:
                rel(a, "agreementWith", b)
                agreement = node("agreement", "Agreement", f"合作协议{article}", f"{home[1]}战略合作协议")
                rel(a, "signed", agreement)
        count += len(lines)
        yield from lines


# ── timing ──────────────────────────────────────────────────────────────────────────────────

class Alarm(Exception):
    """An rdflib query ran past its time limit."""


@contextlib.contextmanager
def alarm(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise Alarm

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def median_ms(run: Callable[[], object], repeat: int, limit: float | None = None) -> float | None:
    """Median wall time of `run` in ms; None when one run passed `limit` seconds."""
    times = []
    for i in range(repeat):
        try:
            if limit:
                with alarm(limit):
                    times.append(timed(run))
            else:
                times.append(timed(run))
        except Alarm:
            return None
        if i == 0 and times[0] > 10 and repeat > 1:  # slow: one more run is enough
            repeat = 2
    return 1000 * statistics.median(times)


def run_ox(db: ox.Store, text: str) -> Callable[[], object]:
    return lambda: sum(1 for _ in db.query(text)) if not text.lstrip().startswith("ASK") else bool(db.query(text))


def run_rdflib(ds: rdflib.Dataset, text: str) -> Callable[[], object]:
    return lambda: sum(1 for _ in ds.query(text))


def bench(label: str, path: Path, fmt: str, repeat: int, limit: float, work: Path) -> None:
    rdf_fmt = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt]
    out = work / label
    out.mkdir()
    t_disk = timed(lambda: store.write(path, out, fmt=rdf_fmt))
    disk = ox.Store.read_only(str(out / "store" / "db"))
    mem = ox.Store()
    t_mem = timed(lambda: mem.bulk_load(path=str(path), format=rdf_fmt))
    ds = rdflib.Dataset()
    gc.collect()
    t_rdflib = timed(lambda: ds.parse(str(path), format=fmt))
    n = len(mem)
    print(f"\n## {label}: {n:,} quads in {len(list(mem.named_graphs())):,} graphs ({path.stat().st_size / 1e6:.1f} MB "
          f"{fmt})")
    print(f"load: rdflib {t_rdflib:.2f} s, oxigraph memory {t_mem:.2f} s, oxigraph disk (kg.store.write) "
          f"{t_disk:.2f} s; rdflib/oxigraph-disk {t_rdflib / t_disk:.1f}x")
    print(f"{'query':<22}{'rdflib ms':>12}{'ox mem ms':>12}{'ox disk ms':>12}{'rdflib/disk':>13}{'rows':>8}")
    ratios = []
    for name in queries.names():
        text = queries.load(name)
        rows = sum(1 for _ in disk.query(text))
        r = median_ms(run_rdflib(ds, text), repeat, limit)
        m = median_ms(run_ox(mem, text), repeat)
        d = median_ms(run_ox(disk, text), repeat)
        assert m is not None and d is not None
        ratio = f"{r / d:.1f}x" if r is not None else f">{limit * 1000 / d:.0f}x"
        if r is not None:
            ratios.append(r / d)
        print(f"{name:<22}{f'{r:.1f}' if r is not None else f'>{limit:g} s':>12}{m:>12.1f}{d:>12.1f}{ratio:>13}"
              f"{rows:>8}", flush=True)
    if ratios:
        print(f"rdflib/oxigraph-disk over the queries that finished: median {statistics.median(ratios):.1f}x, "
              f"min {min(ratios):.1f}x, max {max(ratios):.1f}x")
    ds = rdflib.Dataset()  # let the big one go before the next size
    gc.collect()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quads", type=int, default=1_000_000, help="size of the synthetic dataset")
    ap.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    ap.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds per rdflib query")
    ap.add_argument("--seed-graph", type=Path, default=ROOT / "graphs" / "civic.trig")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, rdflib {rdflib.__version__}, pyoxigraph {ox.__version__}")
    with tempfile.TemporaryDirectory(prefix="sparql-bench-") as tmp:
        work = Path(tmp)
        seed = args.seed_graph
        if not seed.is_file():
            from kg import pipeline

            pipeline.build(ROOT / "raw", work / "seed-build")
            seed = work / "seed-build" / "civic.trig"
        bench("seed", seed, "trig", args.repeat, args.rdflib_timeout, work)
        big = work / "synthetic.nq"
        t = timed(lambda: big.write_text("\n".join(synthetic(args.quads)) + "\n", encoding="utf-8"))
        print(f"\n(synthetic data generated in {t:.1f} s)")
        bench(f"synthetic {args.quads:,}", big, "nquads", max(1, args.repeat - 2), args.rdflib_timeout, work)


if __name__ == "__main__":
    main()
