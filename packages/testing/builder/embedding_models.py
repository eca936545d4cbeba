"""Build the tiny random-weight BERT fixtures of the embedding tasks (Hugging Face / Optimum layout).

Rebuild (from the repository root)::

    /usr/bin/python3 packages/testing/builder/embedding_models.py

Reuses the BERT of ``encoder_models.py`` (hidden 8, 2 layers, 2 heads, the real bert-base-uncased
WordPiece tokenizer) and writes:

* ``bert-embed``: a feature-extraction export (``BertModel``): ``last_hidden_state``
  [batch_size, sequence_length, 8], with the sentence-transformers files of a real embedding model:
  ``modules.json`` (Transformer, Pooling, Normalize), ``1_Pooling/config.json`` (mean pooling),
  ``sentence_bert_config.json`` (max_seq_length 128) and ``config_sentence_transformers.json`` with
  e5-style prompts ``{"query": "query: ", "passage": "passage: "}``.
* ``bert-cross-encoder``: a cross-encoder (``BertForSequenceClassification``, num_labels 1):
  ``logits`` [batch_size, 1], no activation named in config.json (sentence-transformers applies sigmoid).
* ``bert-nli``: an NLI head (``BertForSequenceClassification``, 3 labels) whose ``id2label`` is in a
  non-default order and upper case (NEUTRAL, ENTAILMENT, CONTRADICTION), so the entailment and
  contradiction indexes must be read from the config.
"""
from __future__ import annotations

import sys
from pathlib import Path

import torch
from torch import nn

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import export_onnx, fixture_dir, onnx_io_summary, print_sizes, seed_everything, write_json  # noqa: E402
from encoder_models import (  # noqa: E402
    INPUT_AXES,
    INPUT_NAMES,
    BertEncoderModel,
    BertForSequenceClassification,
    bert_config,
    check_padding,
    init_weights,
    sample_inputs,
    write_tokenizer,
)

NLI_LABELS = ["NEUTRAL", "ENTAILMENT", "CONTRADICTION"]
PROMPTS = {"query": "query: ", "passage": "passage: "}


class BertFeatureExtraction(nn.Module):
    """BertModel as Optimum exports it for feature-extraction: the last hidden state."""

    def __init__(self, c):
        super().__init__()
        self.bert = BertEncoderModel(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids, attention_mask, token_type_ids)


def write_sentence_transformers(out: Path, hidden: int) -> None:
    write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    write_json(out / "sentence_bert_config.json", {"max_seq_length": 128, "do_lower_case": False})
    write_json(out / "config_sentence_transformers.json", {
        "__version__": {"sentence_transformers": "3.0.1", "transformers": "4.46.0", "pytorch": "2.3.0"},
        "prompts": PROMPTS,
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })


def build_embed() -> Path:
    out = fixture_dir("bert-embed")
    config = bert_config("BertModel")
    seed_everything(1011)
    model = init_weights(BertFeatureExtraction(config), 1011).eval()
    with torch.no_grad():
        check_padding(model)
    export_onnx(model, sample_inputs(), out / "onnx" / "model.onnx", INPUT_NAMES, ["last_hidden_state"],
                {**INPUT_AXES, "last_hidden_state": {0: "batch_size", 1: "sequence_length"}})
    write_json(out / "config.json", config)
    write_tokenizer(out)
    write_sentence_transformers(out, config["hidden_size"])
    print(onnx_io_summary(out / "onnx" / "model.onnx"))
    return out


def build_classifier(name: str, labels, seed: int) -> Path:
    out = fixture_dir(name)
    config = bert_config("BertForSequenceClassification", labels)
    seed_everything(seed)
    model = init_weights(BertForSequenceClassification(config, len(labels)), seed).eval()
    with torch.no_grad():
        check_padding(model)
    export_onnx(model, sample_inputs(), out / "onnx" / "model.onnx", INPUT_NAMES, ["logits"],
                {**INPUT_AXES, "logits": {0: "batch_size"}})
    write_json(out / "config.json", config)
    write_tokenizer(out)
    print(onnx_io_summary(out / "onnx" / "model.onnx"))
    return out


BUILDERS = {
    "bert-embed": build_embed,
    "bert-cross-encoder": lambda: build_classifier("bert-cross-encoder", ["LABEL_0"], 1012),
    "bert-nli": lambda: build_classifier("bert-nli", NLI_LABELS, 1013),
}


def main(argv=None) -> None:
    names = set(argv or [])
    outs = [build() for name, build in BUILDERS.items() if not names or name in names]
    print_sizes(outs)


if __name__ == "__main__":
    main(sys.argv[1:])
