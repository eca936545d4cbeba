"""Exports a trained checkpoint to a model folder in the Hugging Face / Optimum layout, fp32 and int8.

    /usr/bin/python3 packages/models-lab/training/encoder/export.py sentiment [--ckpt sentiment] [--dest DIR]

Kinds: ``sentiment`` (BertForSequenceClassification), ``ner`` (BertForTokenClassification), ``fill-mask``
(BertForMaskedLM). The checkpoint's weights are loaded (strictly) into the fixture builder's export classes
(``packages/testing/builder/encoder_models.py``) and exported with the builder's ``export_onnx`` (opset 14, no constant
folding, duplicate-weight check), so the graph and I/O names are those of the ``bert-*`` fixtures:

* inputs ``input_ids``, ``attention_mask``, ``token_type_ids``: int64 ``[batch_size, sequence_length]``
* output ``logits``: ``[batch_size, 2]`` / ``[batch_size, sequence_length, 9]`` / ``[batch_size, sequence_length, vocab]``

The folder (default ``.cache/export/<kind>``) gets ``config.json``, ``tokenizer.json``, ``tokenizer_config.json``,
``special_tokens_map.json`` and three graphs:

* ``onnx/model.onnx``            fp32
* ``onnx/model_quantized.onnx``  int8 weights (what transformers.js and @proj call dtype ``q8``): every 2-D weight
                                 matrix with at least 1024 values is stored as int8 with one fp32 scale per row
                                 (symmetric, zero point 0) and restored by a ``DequantizeLinear`` node, so the graph
                                 computes in fp32 from weights rounded to 8 bits (biases and LayerNorms stay fp32)
* ``onnx/model_fp16.onnx``       fp16 weights, restored to fp32 by ``Cast`` nodes (inputs/outputs unchanged)

``ship.py`` then copies the variant that is shipped into ``packages/models/models/<kind>``.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import torch

from modules import (MASK, NER_LABELS, PAD, SENTIMENT_LABELS, WORK_DIR, builder_common, encoder_models,
                     load_checkpoint)

KINDS = {
    "sentiment": ("BertForSequenceClassification", "uncased", {"logits": {0: "batch_size"}}),
    "ner": ("BertForTokenClassification", "cased", {"logits": {0: "batch_size", 1: "sequence_length"}}),
    "fill-mask": ("BertForMaskedLM", "cased", {"logits": {0: "batch_size", 1: "sequence_length"}}),
}
INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
INPUT_AXES = {n: {0: "batch_size", 1: "sequence_length"} for n in INPUT_NAMES}
SPECIAL = dict(unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]")


def export_config(kind: str, trained: dict) -> dict:
    arch = KINDS[kind][0]
    c = dict(encoder_models.BERT_CONFIG)
    for key in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                "max_position_embeddings", "hidden_dropout_prob", "attention_probs_dropout_prob"):
        c[key] = trained[key]
    c["model_type"] = "bert"
    c["architectures"] = [arch]
    labels = {"sentiment": SENTIMENT_LABELS, "ner": NER_LABELS}.get(kind)
    if labels:
        c["id2label"] = {str(i): l for i, l in enumerate(labels)}
        c["label2id"] = {l: i for i, l in enumerate(labels)}
    return c


def build_model(kind: str, config: dict):
    if kind == "sentiment":
        return encoder_models.BertForSequenceClassification(config, len(SENTIMENT_LABELS))
    if kind == "ner":
        return encoder_models.BertForTokenClassification(config, len(NER_LABELS))
    return encoder_models.BertForMaskedLM(config)


def sample_inputs(vocab_size: int):
    g = torch.Generator().manual_seed(1234)
    ids = torch.randint(5, vocab_size, (2, 7), generator=g)
    ids[:, 0] = 2  # [CLS]
    ids[:, -1] = 3  # [SEP]
    ids[1, 3] = MASK
    return ids, torch.ones_like(ids), torch.zeros_like(ids)


def check_padding(model, inputs) -> None:
    """Right padding must not change the outputs of the real tokens."""
    ids, mask, tt = inputs
    ref = model(ids[:1, :5], mask[:1, :5], tt[:1, :5])
    ids2, mask2 = ids[:1].clone(), mask[:1].clone()
    ids2[:, 5:] = 0
    mask2[:, 5:] = 0
    out = model(ids2, mask2, tt[:1])
    if out.dim() == 3:
        out = out[:, :5]
    diff = (ref - out).abs().max().item()
    assert diff < 1e-4, f"padding changed outputs by {diff}"


def write_tokenizer(dest, variant: str, config: dict) -> None:
    shutil.copyfile(WORK_DIR / "tokenizer" / f"{variant}.tokenizer.json", dest / "tokenizer.json")
    builder_common.write_json(dest / "special_tokens_map.json", SPECIAL)
    builder_common.write_json(dest / "tokenizer_config.json", dict(
        SPECIAL,
        tokenizer_class="BertTokenizer",
        do_lower_case=variant == "uncased",
        do_basic_tokenize=True,
        never_split=None,
        strip_accents=None,
        tokenize_chinese_chars=True,
        model_max_length=config["max_position_embeddings"],
        padding_side="right",
        truncation_side="right",
        clean_up_tokenization_spaces=True,
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
    ))


def quantize_int8(src, dst, min_size: int = 1024) -> list[str]:
    """Weight-only symmetric int8, one scale per row (axis 0), restored with DequantizeLinear."""
    import onnx
    from onnx import helper, numpy_helper

    m = onnx.load(str(src))
    g = m.graph
    kept, nodes, done = [], [], []
    for init in g.initializer:
        w = numpy_helper.to_array(init)
        if w.dtype != np.float32 or w.ndim != 2 or w.size < min_size:
            kept.append(init)
            continue
        scale = np.abs(w).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
        kept += [numpy_helper.from_array(q, init.name + "_int8"),
                 numpy_helper.from_array(scale.astype(np.float32), init.name + "_scale"),
                 numpy_helper.from_array(np.zeros(w.shape[0], dtype=np.int8), init.name + "_zero")]
        nodes.append(helper.make_node("DequantizeLinear", [init.name + "_int8", init.name + "_scale", init.name + "_zero"],
                                      [init.name], name=init.name + "_dequantize", axis=0))
        done.append(init.name)
    del g.initializer[:]
    g.initializer.extend(kept)
    old = list(g.node)
    del g.node[:]
    g.node.extend(nodes + old)
    onnx.checker.check_model(m)
    onnx.save(m, str(dst))
    return done


def convert_fp16(src, dst, min_size: int = 1024) -> list[str]:
    """fp16 storage of the same weights, Cast back to fp32 at load (compute and I/O stay fp32)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    m = onnx.load(str(src))
    g = m.graph
    kept, nodes, done = [], [], []
    for init in g.initializer:
        w = numpy_helper.to_array(init)
        if w.dtype != np.float32 or w.size < min_size:
            kept.append(init)
            continue
        kept.append(numpy_helper.from_array(w.astype(np.float16), init.name + "_fp16"))
        nodes.append(helper.make_node("Cast", [init.name + "_fp16"], [init.name], name=init.name + "_cast",
                                      to=TensorProto.FLOAT))
        done.append(init.name)
    del g.initializer[:]
    g.initializer.extend(kept)
    old = list(g.node)
    del g.node[:]
    g.node.extend(nodes + old)
    onnx.checker.check_model(m)
    onnx.save(m, str(dst))
    return done


def bilstm_config(kind: str, trained: dict, members: int) -> dict:
    """config.json of a BiLSTM graph. ``model_type`` "bert" routes it to the sequence- or token-classification path of
    the loaders that dispatch on it (this SDK, transformers.js), which run whatever graph has BERT's inputs and
    ``logits``; ``proj_graph`` says what the graph really is, and the BERT sizes describe nothing in it."""
    c = export_config(kind, dict(encoder_models.BERT_CONFIG, vocab_size=trained["vocab_size"],
                                 hidden_size=trained["hidden"], num_hidden_layers=trained.get("layers", 1),
                                 num_attention_heads=1, intermediate_size=trained["hidden"],
                                 max_position_embeddings=128))
    head = "max+mean pooling, linear" if kind == "sentiment" else "linear per piece"
    c["proj_graph"] = {"architecture": "bilstm", "members": members, "embedding": trained["embedding"],
                       "hidden": trained["hidden"], "layers": trained.get("layers", 1), "head": head,
                       "note": f"bidirectional LSTM(s) behind {KINDS[kind][0]}'s inputs and logits; see the model card"}
    return c


def export_bilstm(kind: str, names: list[str], dest: Path) -> tuple[Path, dict]:
    """BiLSTM checkpoints (``finetune_sentiment.py`` / ``finetune_ner.py --arch bilstm``) -> one graph; several -> an
    ensemble. Also writes export_check.json: torch's log-probabilities for a padded batch (``check_export.mjs``)."""
    from recurrent import BiLSTMClassifier, BiLSTMTagger, bilstm_graph

    cks = [load_checkpoint(n) for n in names]
    config = cks[0]["config"]
    same = ("arch", "vocab_size", "hidden", "layers")
    assert all(all(c["config"].get(k) == config.get(k) for k in same) for c in cks), "members must have one shape"
    layers = config.get("layers", 1)
    fp32 = dest / "onnx" / "model.onnx"
    bilstm_graph([c["state_dict"] for c in cks], config["hidden"], layers, "sequence" if kind == "sentiment" else "token",
                 fp32)
    ids, mask, _ = sample_inputs(config["vocab_size"])
    ids[1, 5:] = PAD
    mask[1, 5:] = 0
    with torch.no_grad():
        probs = []
        for c in cks:
            cc = c["config"]
            m = (BiLSTMClassifier(cc["vocab_size"], cc["embedding"], cc["hidden"]) if kind == "sentiment" else
                 BiLSTMTagger(cc["vocab_size"], cc["embedding"], cc["hidden"], layers, len(NER_LABELS))).eval()
            m.load_state_dict(c["state_dict"])
            probs.append(torch.softmax(m(ids, mask), -1))
        expected = torch.log(torch.stack(probs).mean(0))
        if kind == "ner":  # padded positions are not compared
            expected = [expected[0].tolist(), expected[1, :5].tolist()]
        else:
            expected = expected.tolist()
    builder_common.write_json(dest / "export_check.json", {"input_ids": ids.tolist(), "attention_mask": mask.tolist(),
                                                           "log_probs": expected})
    return fp32, bilstm_config(kind, config, len(cks))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=sorted(KINDS))
    ap.add_argument("--ckpt", default=None,
                    help="checkpoint name (default: the kind); for BiLSTM checkpoints, several names "
                         "joined by commas are written as one ensemble graph")
    ap.add_argument("--dest", default=None)
    args = ap.parse_args(argv)
    arch, variant, out_axes = KINDS[args.kind]
    names = (args.ckpt or args.kind).split(",")
    ck = load_checkpoint(names[0])
    dest = WORK_DIR / "export" / args.kind if args.dest is None else Path(args.dest)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "onnx").mkdir(parents=True)
    if ck["config"].get("arch") == "bilstm":
        assert args.kind in ("sentiment", "ner"), "BiLSTM checkpoints are sentiment or NER models"
        fp32, config = export_bilstm(args.kind, names, dest)
        return finish(fp32, dest, variant, config)
    assert len(names) == 1, "only BiLSTM checkpoints can be exported as an ensemble"
    config = export_config(args.kind, ck["config"])

    builder_common.seed_everything(0)
    model = build_model(args.kind, config).eval()
    state = {k: v for k, v in ck["state_dict"].items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    # The token classifier and the MLM do not use the pooler; the trained one was never trained there either.
    assert not unexpected, unexpected
    assert all(k.startswith("bert.pooler") for k in missing), missing
    if missing:
        with torch.no_grad():
            model.bert.pooler.weight.zero_()
            model.bert.pooler.bias.zero_()
    inputs = sample_inputs(config["vocab_size"])
    with torch.no_grad():
        check_padding(model, inputs)
    fp32 = dest / "onnx" / "model.onnx"
    builder_common.export_onnx(model, inputs, fp32, INPUT_NAMES, ["logits"], {**INPUT_AXES, **out_axes})
    return finish(fp32, dest, variant, config)


def finish(fp32: Path, dest: Path, variant: str, config: dict) -> Path:
    """The int8 and fp16 variants of the fp32 graph, config.json and the tokenizer files."""
    q = quantize_int8(fp32, dest / "onnx" / "model_quantized.onnx")
    h = convert_fp16(fp32, dest / "onnx" / "model_fp16.onnx")
    builder_common.write_json(dest / "config.json", config)
    write_tokenizer(dest, variant, config)
    print(builder_common.onnx_io_summary(fp32))
    print(f"int8: {len(q)} weight matrices quantized; fp16: {len(h)} tensors converted")
    builder_common.print_sizes([dest])
    return dest


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
