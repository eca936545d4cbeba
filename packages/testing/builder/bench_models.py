"""Bench-size random-weight models with the shapes of real ones, built on demand for ``benchmarks/``.

Never committed: they are written to a cache folder (default ``<repo>/.cache/bench-models``, git-ignored).
``node benchmarks/run.mjs`` calls this script when a model is missing. By hand::

    /usr/bin/python3 packages/testing/builder/bench_models.py [--out DIR] [distilbert] [minilm] [gpt2] [t5]

Needs Debian's torch and onnx (``apt-get install -y python3-torch python3-onnx``). Reuses the fixture
builders' model classes and exporters (``encoder_models``, ``embedding_models``, ``decoder_models``,
``seq2seq_models``), so the
files follow the same Optimum layout rules as the fixtures and load in transformers.js: dims named
``batch_size``, fixed heads / head_dim in the cache inputs, ``tokenizer_config.json`` present.

Models (weights random with fixed seeds, initialised like the real ones so activations stay sane):

* ``distilbert``: the shape of distilbert-base-uncased-finetuned-sst-2-english: 6 layers, dim 768, 12 heads,
  hidden 3072, 512 positions, vocab 30522 (real bert-base-uncased WordPiece), a 2-label head
  (pre_classifier + ReLU + classifier on [CLS]). Inputs ``input_ids``, ``attention_mask`` (no token types,
  as DistilBERT). ~67M parameters, ~255 MiB.
* ``minilm``: the shape of sentence-transformers/all-MiniLM-L6-v2 as a feature-extraction export: BERT with 6
  layers, hidden 384, 12 heads, intermediate 1536, 512 positions, vocab 30522 (real bert-base-uncased
  WordPiece); inputs ``input_ids``, ``attention_mask``, ``token_type_ids``, output ``last_hidden_state``
  [batch_size, sequence_length, 384], with the sentence-transformers files of the real model:
  ``modules.json`` (Transformer, Pooling, Normalize), ``1_Pooling/config.json`` (mean pooling),
  ``sentence_bert_config.json`` (max_seq_length 256), no prompts. ~23M parameters, ~87 MiB.
* ``gpt2``: the shape of GPT-2 small: 12 layers, n_embd 768, 12 heads, 1024 positions, vocab 50257 (real
  GPT-2 BPE), tied LM head, one merged ``onnx/model.onnx`` with ``past_key_values.*`` (as the fixture).
  ~124M parameters, ~475 MiB. The end-of-text token can never win: ``ln_f`` has a constant bias and the
  ``<|endoftext|>`` embedding row is a negative constant vector, so its logit is ``-c * 768 * beta`` (about
  -19) whatever the input (a LayerNorm output with unit weight sums to zero). Generation lengths are then
  exactly ``max_new_tokens`` in every contender, also with sampling and in the server.
* ``t5``: the shape of t5-small: 6 + 6 layers, d_model 512, 8 heads x d_kv 64, d_ff 2048, vocab 32128 (real
  T5 SentencePiece), relative position buckets 32 / 128, a zero ``<pad>`` embedding row (the decoder start
  token; with a random row greedy decoding repeats it); ``encoder_model.onnx`` and
  ``decoder_model_merged.onnx`` (the separate decoder files are removed once merged). ~60M parameters.

Each model folder gets a ``bench-model.json`` stamp, written last (a folder without it is rebuilt).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    copy_tokenizer_files,
    export_onnx,
    init_normal_,
    load_json,
    onnx_io_summary,
    print_sizes,
    seed_everything,
    write_json,
)
import decoder_models  # noqa: E402
import embedding_models  # noqa: E402
import encoder_models  # noqa: E402
import seq2seq_models  # noqa: E402

# Bump when a model's files change, so stale cached copies are rebuilt.
BUILDER_VERSION = 2
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_OUT = REPO_ROOT / ".cache" / "bench-models"


# ----------------------------------------------------------------------------------------------------------
# DistilBERT-shaped sequence classifier
# ----------------------------------------------------------------------------------------------------------
DISTILBERT_CONFIG = dict(
    model_type="distilbert",
    architectures=["DistilBertForSequenceClassification"],
    activation="gelu",
    attention_dropout=0.1,
    dim=768,
    dropout=0.1,
    hidden_dim=3072,
    initializer_range=0.02,
    max_position_embeddings=512,
    n_heads=12,
    n_layers=6,
    pad_token_id=0,
    qa_dropout=0.1,
    seq_classif_dropout=0.2,
    sinusoidal_pos_embds=False,
    tie_weights_=True,
    vocab_size=30522,
    finetuning_task="sst-2",
    id2label={"0": "NEGATIVE", "1": "POSITIVE"},
    label2id={"NEGATIVE": 0, "POSITIVE": 1},
    torch_dtype="float32",
    transformers_version="4.46.0",
)


class DistilBertForSequenceClassification(nn.Module):
    """DistilBERT: word + position embeddings, LayerNorm, post-LN layers (the fixture's BertLayer, which is
    DistilBERT's TransformerBlock), then pre_classifier + ReLU + classifier on the first token."""

    def __init__(self, c):
        super().__init__()
        layer_config = dict(hidden_size=c["dim"], num_attention_heads=c["n_heads"], intermediate_size=c["hidden_dim"],
                            layer_norm_eps=1e-12)
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["dim"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["dim"])
        self.LayerNorm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.layers = nn.ModuleList([encoder_models.BertLayer(layer_config) for _ in range(c["n_layers"])])
        self.pre_classifier = nn.Linear(c["dim"], c["dim"])
        self.classifier = nn.Linear(c["dim"], len(c["id2label"]))
        self.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).unsqueeze(0),
                             persistent=False)

    def forward(self, input_ids, attention_mask):
        keep = attention_mask[:, None, None, :] > 0
        x = self.word_embeddings(input_ids) + self.position_embeddings(self.position_ids[:, :input_ids.shape[1]])
        x = self.LayerNorm(x)
        for layer in self.layers:
            x = layer(x, keep)
        return self.classifier(torch.relu(self.pre_classifier(x[:, 0])))


def build_distilbert(out: Path) -> None:
    c = DISTILBERT_CONFIG
    seed_everything(5001)
    model = DistilBertForSequenceClassification(c)
    init_normal_(model, std=0.02, seed=5001, skip=("norm", "LayerNorm"))
    model.eval()
    g = torch.Generator().manual_seed(5)
    ids = torch.randint(1000, 30000, (2, 9), generator=g)
    ids[:, 0], ids[:, -1] = 101, 102
    mask = torch.ones_like(ids)
    with torch.no_grad():  # right padding must not change the logits
        ref = model(ids[:1, :6], mask[:1, :6])
        padded_mask = mask[:1].clone()
        padded_mask[:, 6:] = 0
        assert (model(ids[:1], padded_mask) - ref).abs().max().item() < 1e-4
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size"}}
    export_onnx(model, (ids, mask), out / "onnx" / "model.onnx", ["input_ids", "attention_mask"], ["logits"], axes)
    write_json(out / "config.json", c)
    encoder_models.write_tokenizer(out)  # the real bert-base-uncased tokenizer.json + special tokens
    tok_config = load_json(out / "tokenizer_config.json")
    tok_config.update(tokenizer_class="DistilBertTokenizer", model_input_names=["input_ids", "attention_mask"])
    write_json(out / "tokenizer_config.json", tok_config)


# ----------------------------------------------------------------------------------------------------------
# MiniLM-shaped sentence embedder (all-MiniLM-L6-v2)
# ----------------------------------------------------------------------------------------------------------
MINILM_CONFIG = dict(encoder_models.bert_config("BertModel"), hidden_size=384, num_hidden_layers=6,
                     num_attention_heads=12, intermediate_size=1536,
                     _name_or_path="bench-size random all-MiniLM-L6-v2")


def build_minilm(out: Path) -> None:
    c = MINILM_CONFIG
    seed_everything(5004)
    model = embedding_models.BertFeatureExtraction(c)
    init_normal_(model, std=0.02, seed=5004, skip=("norm", "LayerNorm"))
    model.eval()
    with torch.no_grad():  # right padding must not change the real tokens' states
        encoder_models.check_padding(model)
    export_onnx(model, encoder_models.sample_inputs(), out / "onnx" / "model.onnx", encoder_models.INPUT_NAMES,
                ["last_hidden_state"],
                {**encoder_models.INPUT_AXES, "last_hidden_state": {0: "batch_size", 1: "sequence_length"}})
    write_json(out / "config.json", c)
    encoder_models.write_tokenizer(out)  # the real bert-base-uncased tokenizer.json + special tokens
    embedding_models.write_sentence_transformers(out, c["hidden_size"])
    write_json(out / "sentence_bert_config.json", {"max_seq_length": 256, "do_lower_case": False})
    st_config = load_json(out / "config_sentence_transformers.json")
    st_config.update(prompts={}, default_prompt_name=None)
    write_json(out / "config_sentence_transformers.json", st_config)


# ----------------------------------------------------------------------------------------------------------
# GPT-2-small-shaped decoder with KV cache
# ----------------------------------------------------------------------------------------------------------
GPT2_SMALL = dict(decoder_models.GPT2_CONFIG, n_embd=768, n_layer=12, n_head=12, hidden_size=768,
                  num_attention_heads=12, num_hidden_layers=12)
EOS_LN_BIAS = 0.5   # constant bias of ln_f
EOS_ROW_VALUE = -0.05  # every component of the <|endoftext|> embedding row


def build_gpt2(out: Path) -> None:
    c = GPT2_SMALL
    seed_everything(5002)
    model = decoder_models.GPT2LMHeadModel(c)
    init_normal_(model, std=0.02, seed=5002, skip=("ln_",))
    eos = c["eos_token_id"]
    with torch.no_grad():
        model.wpe.weight.mul_(0.5)
        model.ln_f.bias.fill_(EOS_LN_BIAS)
        model.wte.weight[eos].fill_(EOS_ROW_VALUE)
    model.eval()
    head_dim = c["n_embd"] // c["n_head"]
    decoder_models.self_check(model, c["n_layer"], c["n_head"], head_dim, c["vocab_size"])
    with torch.no_grad():  # the end-of-text logit stays far below the best one
        ids = torch.randint(0, eos, (1, 16))
        mask = torch.ones_like(ids)
        logits = model(ids, mask, decoder_models.position_ids_from_mask(mask),
                       *decoder_models.empty_past(1, c["n_layer"], c["n_head"], head_dim))[0]
        assert (logits[..., eos] < logits.max(-1).values - 10).all(), "end-of-text logit is not suppressed"
    decoder_models.export_decoder(model, out, c["n_layer"], c["n_head"], head_dim, c["vocab_size"])

    write_json(out / "config.json", c)
    write_json(out / "generation_config.json", dict(
        bos_token_id=eos, eos_token_id=eos, pad_token_id=eos, transformers_version="4.46.0"))
    copy_tokenizer_files("gpt2", out, ["tokenizer.json"])
    eot = "<|endoftext|>"
    special = dict(bos_token=eot, eos_token=eot, unk_token=eot, pad_token=eot)
    write_json(out / "special_tokens_map.json", special)
    write_json(out / "tokenizer_config.json", dict(
        special, tokenizer_class="GPT2Tokenizer", model_max_length=1024, add_prefix_space=False,
        add_bos_token=False, padding_side="left", clean_up_tokenization_spaces=False, errors="replace"))


# ----------------------------------------------------------------------------------------------------------
# T5-small-shaped encoder-decoder
# ----------------------------------------------------------------------------------------------------------
T5_SMALL = dict(seq2seq_models.T5_CFG, d_model=512, d_kv=64, d_ff=2048, num_layers=6, num_decoder_layers=6,
                num_heads=8)


def build_t5(out: Path) -> None:
    c = T5_SMALL
    seed_everything(5003)
    model = seq2seq_models.TinyT5(c).eval()
    seq2seq_models.init_params(model, 5003, [
        ("shared", 1.0, 0.0), ("relative_attention_bias", 0.5, 0.0), ("_ln.weight", 0.05, 1.0),
        (".weight", c["d_model"] ** -0.5, 0.0),
    ])
    with torch.no_grad():
        model.shared.weight[seq2seq_models.T5_TOKENIZER_VOCAB:].zero_()
        # <pad> (also the decoder start token) gets a zero row: its logit is 0, so greedy decoding does not
        # repeat the start token forever (it did with a random row) and produces real words.
        model.shared.weight[c["pad_token_id"]].zero_()
    toks = seq2seq_models.check_torch_cache(model, c["num_decoder_layers"], c["decoder_start_token_id"])
    print("t5 torch greedy (cache == no cache):", toks)
    seq2seq_models.write_t5_files(out)
    config = load_json(out / "config.json")
    config.update({k: c[k] for k in ("d_model", "d_kv", "d_ff", "num_layers", "num_decoder_layers", "num_heads")})
    config["_name_or_path"] = "bench-size random t5-small"
    write_json(out / "config.json", config)
    seq2seq_models.export_family(model, out / "onnx", c["num_decoder_layers"], c["num_heads"], c["d_kv"],
                                 c["vocab_size"])
    for name in ("decoder_model.onnx", "decoder_with_past_model.onnx"):
        (out / "onnx" / name).unlink()


BUILDERS = {"distilbert": build_distilbert, "minilm": build_minilm, "gpt2": build_gpt2, "t5": build_t5}


def build(name: str, root: Path) -> Path:
    """Builds one model into ``root/name`` (through a temporary folder, so a crash leaves no half model)."""
    final = root / name
    tmp = root / f".{name}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    start = time.time()
    BUILDERS[name](tmp)
    for f in sorted((tmp / "onnx").glob("*.onnx")):
        print(onnx_io_summary(f))
    write_json(tmp / "bench-model.json", {"name": name, "builder_version": BUILDER_VERSION,
                                          "seconds": round(time.time() - start, 1)})
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
    return final


def is_built(root: Path, name: str) -> bool:
    stamp = root / name / "bench-model.json"
    return stamp.exists() and load_json(stamp).get("builder_version") == BUILDER_VERSION


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"models to build, of {', '.join(BUILDERS)} (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"cache folder (default {DEFAULT_OUT})")
    parser.add_argument("--force", action="store_true", help="rebuild even when a current copy exists")
    args = parser.parse_args(argv)
    names = args.names or list(BUILDERS)
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        parser.error(f"unknown model {', '.join(unknown)}; choose from {', '.join(BUILDERS)}")
    outs = []
    for name in names:
        if not args.force and is_built(args.out, name):
            print(f"{name}: up to date in {args.out / name}")
            continue
        print(f"== building {name} into {args.out / name}", flush=True)
        outs.append(build(name, args.out))
    if outs:
        print_sizes(outs)


if __name__ == "__main__":
    main(sys.argv[1:])
