"""Exports a checkpoint of ``train.py`` as a sentence-transformers model folder in the Optimum layout, int8 weights.

    /usr/bin/python3 packages/models-lab/training/embedding/export.py [--ckpt bilingual] [--dest DIR]

The weights are loaded (strictly, the unused pooler zeroed) into the fixture builder's ``BertFeatureExtraction``
(``packages/testing/builder/embedding_models.py``: ``BertModel``, output ``last_hidden_state``) and exported with the
builder's ``export_onnx`` (opset 14, no constant folding); the int8 variant is the encoder models' ``quantize_int8``
(each 2-D weight matrix with >= 1024 values as int8 with one scale per row, restored by ``DequantizeLinear``).

The folder (default ``.cache/export/<ckpt>``) gets ``config.json`` (``BertModel``), the bilingual tokenizer
(``--tokenizer``, default ``.cache/tokenizer/bilingual.tokenizer.json``; ``tokenizer_config.json`` and
``special_tokens_map.json`` are the fill-mask model's: same BERT special tokens, cased), the sentence-transformers files (``modules.json``: Transformer, mean Pooling, Normalize;
``1_Pooling/config.json``; ``sentence_bert_config.json``; ``config_sentence_transformers.json``, no prompts) and
``onnx/model.onnx`` (fp32) + ``onnx/model_quantized.onnx`` (int8).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import torch

from embedding_common import FILL_MASK, WORK_DIR, builder_common, encoder_models, HERE  # noqa: F401

sys.path.insert(0, str(HERE.parent / "encoder"))
from export import check_padding, quantize_int8, sample_inputs  # noqa: E402  (the encoder models' export helpers)
from embedding_models import BertFeatureExtraction  # noqa: E402  (the builder's feature-extraction export class)

INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
AXES = {n: {0: "batch_size", 1: "sequence_length"} for n in INPUT_NAMES + ["last_hidden_state"]}
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]


def export_config(trained: dict) -> dict:
    c = dict(encoder_models.BERT_CONFIG)
    for key in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                "max_position_embeddings", "hidden_dropout_prob", "attention_probs_dropout_prob"):
        c[key] = trained[key]
    c["model_type"] = "bert"
    c["architectures"] = ["BertModel"]
    return c


def write_sentence_transformers(dest: Path, hidden: int, max_len: int) -> None:
    builder_common.write_json(dest / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    builder_common.write_json(dest / "1_Pooling" / "config.json", {
        "word_embedding_dimension": hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    builder_common.write_json(dest / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    builder_common.write_json(dest / "config_sentence_transformers.json", {
        "__version__": {"sentence_transformers": "3.0.1", "transformers": "4.46.0", "pytorch": "1.13.0"},
        "prompts": {},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="bilingual", help="checkpoint name in .cache/checkpoints")
    ap.add_argument("--tokenizer", default=str(WORK_DIR / "tokenizer" / "bilingual.tokenizer.json"))
    ap.add_argument("--dest", default=None)
    args = ap.parse_args(argv)
    ck = torch.load(WORK_DIR / "checkpoints" / f"{args.ckpt}.pt", map_location="cpu")
    config = export_config(ck["config"])
    dest = WORK_DIR / "export" / args.ckpt if args.dest is None else Path(args.dest)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "onnx").mkdir(parents=True)

    builder_common.seed_everything(0)
    model = BertFeatureExtraction(config).eval()
    state = {f"bert.{k}": v for k, v in ck["state_dict"].items()}
    model.load_state_dict(state, strict=True)
    with torch.no_grad():
        model.bert.pooler.weight.zero_()  # never trained, not in the graph (last_hidden_state only)
        model.bert.pooler.bias.zero_()
    inputs = sample_inputs(config["vocab_size"])
    with torch.no_grad():
        check_padding(model, inputs)
    fp32 = dest / "onnx" / "model.onnx"
    builder_common.export_onnx(model, inputs, fp32, INPUT_NAMES, ["last_hidden_state"], AXES)
    q = quantize_int8(fp32, dest / "onnx" / "model_quantized.onnx")
    builder_common.write_json(dest / "config.json", config)
    for f in TOKENIZER_FILES:
        shutil.copyfile(FILL_MASK / f, dest / f)
    shutil.copyfile(args.tokenizer, dest / "tokenizer.json")
    vocab = json.loads(Path(args.tokenizer).read_text())["model"]["vocab"]
    assert len(vocab) == config["vocab_size"], (len(vocab), config["vocab_size"])
    write_sentence_transformers(dest, config["hidden_size"], config["max_position_embeddings"])
    print(builder_common.onnx_io_summary(fp32))
    print(f"int8: {len(q)} weight matrices quantized")
    builder_common.print_sizes([dest])
    return dest


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
