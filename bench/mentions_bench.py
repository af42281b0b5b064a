"""The mention layer alone: recall of gold persons, organisations and places, and throughput.

    python bench/mentions_bench.py [--limit 300]

Recall: for each dev set, the share of gold entities (name or alias) that the mention layer
finds in their article, three ways: jieba and the lexicons alone (the layer before the NER),
the NER's own spans (PER, ORG, LOC), and the layer as built (NER under the rules). Throughput:
the mention layer (segmentation, NER, `mentions.find`) over the sentences of `--limit` bench
articles, in characters per CPU second, against jieba posseg on the same text.
"""
from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import _corpus
import jieba
import jieba.posseg

from kg.extract import mentions, ner
from kg.extract.article import find_mentions, tag
from kg.extract.segment import default as segmenter
from kg.ingest import reader
from kg.model import Article

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
TYPES = {"Person": ("persons", {"PER"}), "Organization": ("orgs", {"ORG"}), "Place": ("places", {"LOC"})}


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _jieba_only(article: Article) -> list[mentions.Found]:
    seg = segmenter()
    return [mentions.find(s.text, seg.tokens(s.text)) for s in article.sentences]


def _found_names(found: list[mentions.Found], field: str) -> set[str]:
    return {_norm(x) for f in found for m in getattr(f, field) for x in (m.text, m.name)}


def recall(set_name: str) -> dict[str, tuple[int, int, int, int]]:
    """type -> (gold, jieba-only, NER spans, built layer)."""
    counts = {t: [0, 0, 0, 0] for t in TYPES}
    for raw in sorted((EVAL / set_name / "raw").glob("*.md")):
        gold = json.loads((EVAL / set_name / "gold" / f"{raw.stem}.json").read_text(encoding="utf-8"))
        articles = reader.read(raw)
        old = [f for a in articles for f in _jieba_only(a)]
        new = [f for a in articles for f in find_mentions(a)]
        spans = [s for a in articles for x in ner.tag([s.text for s in a.sentences]) for s in x]  # every sentence
        for e in gold["entities"]:
            if e["type"] not in TYPES:
                continue
            field, labels = TYPES[e["type"]]
            names = {_norm(e["name"]), *map(_norm, e.get("aliases", []))}
            c = counts[e["type"]]
            c[0] += 1
            c[1] += bool(names & _found_names(old, field))
            c[2] += bool(names & {_norm(s.text) for s in spans if s.label in labels})
            c[3] += bool(names & _found_names(new, field))
    return {t: tuple(c) for t, c in counts.items()}  # type: ignore[misc]


def _as_built(page: list[Article]) -> list[list[mentions.Found]]:
    """The mentions of a page's articles as `rules.extract_all` finds them: one NER batch per page,
    of the sentences with a title or a cue word."""
    tagged = tag([s for a in page for s in a.sentences])
    out, i = [], 0
    for a in page:
        out.append(find_mentions(a, tagged[i:i + len(a.sentences)]))
        i += len(a.sentences)
    return out


def _cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def throughput(limit: int) -> None:
    with _corpus.workdir(False) as work:
        raw = work / "raw"
        _corpus.write_pages(_corpus.quotas(limit), raw)
        pages = [reader.read(p) for p in sorted(raw.rglob("*.md"))]
    texts = [s.text for page in pages for a in page for s in a.sentences]
    chars = sum(map(len, texts))
    jieba.initialize()
    seg = segmenter()
    ner.tag(texts[:8])  # loads the model
    seg.tokens("预热")
    posseg = _cpu(lambda: [jieba.posseg.lcut(t) for t in texts])
    rows = (
        ("jieba posseg (default dictionary)", posseg),
        ("kg segmenter (user dictionary, no HMM)", _cpu(lambda: [seg.tokens(t) for t in texts])),
        ("NER, one batch per page", _cpu(lambda: [ner.tag([s.text for a in p for s in a.sentences])
                                                   for p in pages])),
        ("NER, one batch per article", _cpu(lambda: [ner.tag([s.text for s in a.sentences])
                                                      for p in pages for a in p])),
        ("NER per page, sentences with a cue only", _cpu(lambda: [tag([s for a in p for s in a.sentences])
                                                                   for p in pages])),
        ("mention layer, jieba only", _cpu(lambda: [_jieba_only(a) for p in pages for a in p])),
        ("mention layer as built (NER per page)", _cpu(lambda: [_as_built(p) for p in pages])),
    )
    print(f"\n{len(texts):,} sentences, {chars:,} characters of {limit} bench articles ({_corpus.load()})")
    print(f"{'':<44}{'CPU s':>8}{'chars/s':>11}  vs posseg")
    for name, cpu in rows:
        print(f"{name:<44}{cpu:8.2f}{chars / cpu:11,.0f}  {posseg / cpu:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=300, help="bench articles for the throughput (default 300)")
    args = parser.parse_args()
    print(f"NER: {ner.model_version()}")
    print("\n| set | type | gold | jieba + lexicons | NER spans | mention layer as built |")
    print("|---|---|---:|---:|---:|---:|")
    for set_name in ("dev", "dev2", "dev3"):
        for typ, (n, old, spans, new) in recall(set_name).items():
            print(f"| {set_name} | {typ} | {n} | {old / n:.2f} | {spans / n:.2f} | {new / n:.2f} |")
    throughput(args.limit)


if __name__ == "__main__":
    main()
