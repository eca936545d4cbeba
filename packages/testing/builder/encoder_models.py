"""Build tiny random-weight BERT ONNX fixtures (Hugging Face / Optimum layout).

Rebuild (from the repository root)::

    /usr/bin/python3 packages/testing/builder/encoder_models.py

Writes ``packages/testing/fixtures/{bert-seq-cls,bert-token-cls,bert-qa,bert-mlm}/`` with
``config.json``, ``tokenizer.json`` (the real bert-base-uncased WordPiece tokenizer, 30522 tokens,
copied unmodified), ``tokenizer_config.json``, ``special_tokens_map.json`` and ``onnx/model.onnx``.

Architecture: a plain-torch BERT (post-LN encoder, learned absolute positions, token types,
exact-erf GELU), tiny: hidden 8, 2 layers, 2 heads (head_dim 4), intermediate 32, max 512
positions. Weights are random (fixed seeds), initialised with a large std so outputs clearly
differ between tokens. Hidden size is 8 (not 16) because the 30522 x hidden word-embedding
table dominates the file size and there are four BERT fixtures.

ONNX I/O (opset 14, all int64 inputs with dynamic ``batch_size`` / ``sequence_length``):

* inputs: ``input_ids``, ``attention_mask``, ``token_type_ids``  [batch_size, sequence_length]
* bert-seq-cls:   ``logits`` [batch_size, 2]                    (NEGATIVE, POSITIVE)
* bert-token-cls: ``logits`` [batch_size, sequence_length, 9]   (CoNLL-03 BIO labels)
* bert-qa:        ``start_logits``, ``end_logits`` [batch_size, sequence_length]
* bert-mlm:       ``logits`` [batch_size, sequence_length, 30522]; the decoder weight is tied to the
                  word embeddings and stored once (no constant folding; logits = h @ E^T + b).

Padding is masked with ``Where`` (not an additive bias), so padded positions get exactly zero
attention weight and the outputs of real tokens are unchanged by padding.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    copy_tokenizer_files,
    export_onnx,
    fixture_dir,
    init_normal_,
    load_json,
    onnx_io_summary,
    print_sizes,
    seed_everything,
    TOKENIZERS_DIR,
    write_json,
)

TOKENIZER_SRC = TOKENIZERS_DIR / "bert-base-uncased"

BERT_CONFIG = dict(
    vocab_size=30522,
    hidden_size=8,
    num_hidden_layers=2,
    num_attention_heads=2,
    intermediate_size=32,
    hidden_act="gelu",
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0,
    max_position_embeddings=512,
    type_vocab_size=2,
    initializer_range=0.02,
    layer_norm_eps=1e-12,
    pad_token_id=0,
    position_embedding_type="absolute",
    use_cache=False,
    classifier_dropout=None,
    torch_dtype="float32",
    transformers_version="4.46.0",
)

SEQ_CLS_LABELS = ["NEGATIVE", "POSITIVE"]
TOKEN_CLS_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

MASK_VALUE = -1.0e9  # used with Where: masked scores become exactly this value


class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).unsqueeze(0),
                             persistent=False)

    def forward(self, input_ids, token_type_ids):
        seq_len = input_ids.shape[1]
        position_ids = self.position_ids[:, :seq_len]
        x = (self.word_embeddings(input_ids) + self.position_embeddings(position_ids)
             + self.token_type_embeddings(token_type_ids))
        return self.LayerNorm(x)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.num_heads = int(c["num_attention_heads"])
        self.head_dim = int(h // self.num_heads)
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.attn_out = nn.Linear(h, h)
        self.attn_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.intermediate = nn.Linear(h, c["intermediate_size"])
        self.output = nn.Linear(c["intermediate_size"], h)
        self.out_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])

    def _split(self, x, b, s):
        # [b, s, H*D] -> [b, H, s, D]; heads/head_dim are fixed Python ints.
        return x.reshape(b, s, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x, keep):  # keep: bool [b, 1, 1, s]
        b, s = x.shape[0], x.shape[1]
        q = self._split(self.query(x), b, s)
        k = self._split(self.key(x), b, s)
        v = self._split(self.value(x), b, s)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.head_dim))
        scores = scores.masked_fill(~keep, MASK_VALUE)
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, self.num_heads * self.head_dim)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.output(F.gelu(self.intermediate(x))))


class BertEncoderModel(nn.Module):
    """BertModel: embeddings + encoder (+ pooler)."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.layers = nn.ModuleList([BertLayer(c) for _ in range(c["num_hidden_layers"])])
        self.pooler = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, input_ids, attention_mask, token_type_ids):
        keep = attention_mask[:, None, None, :] > 0  # bool [b, 1, 1, s]
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            x = layer(x, keep)
        return x

    def pool(self, x):
        return torch.tanh(self.pooler(x[:, 0]))


class BertForSequenceClassification(nn.Module):
    def __init__(self, c, num_labels):
        super().__init__()
        self.bert = BertEncoderModel(c)
        self.classifier = nn.Linear(c["hidden_size"], num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.bert(input_ids, attention_mask, token_type_ids)
        return self.classifier(self.bert.pool(x))


class BertForTokenClassification(nn.Module):
    def __init__(self, c, num_labels):
        super().__init__()
        self.bert = BertEncoderModel(c)
        self.classifier = nn.Linear(c["hidden_size"], num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.classifier(self.bert(input_ids, attention_mask, token_type_ids))


class BertForQuestionAnswering(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = BertEncoderModel(c)
        self.qa_outputs = nn.Linear(c["hidden_size"], 2)

    def forward(self, input_ids, attention_mask, token_type_ids):
        logits = self.qa_outputs(self.bert(input_ids, attention_mask, token_type_ids))
        return logits[..., 0], logits[..., 1]


class BertForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = BertEncoderModel(c)
        self.transform = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.transform_norm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.decoder_bias = nn.Parameter(torch.zeros(c["vocab_size"]))

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.bert(input_ids, attention_mask, token_type_ids)
        x = self.transform_norm(F.gelu(self.transform(x)))
        # Tied decoder: reuse the word-embedding parameter (stored once in the ONNX file).
        return torch.matmul(x, self.bert.embeddings.word_embeddings.weight.t()) + self.decoder_bias


@torch.no_grad()
def init_weights(model: nn.Module, seed: int) -> nn.Module:
    """Large-std init so that logits clearly differ (LayerNorm weights stay 1, biases 0)."""
    init_normal_(model, std=0.3, seed=seed, skip=("norm", "LayerNorm"))
    for name, p in model.named_parameters():
        if name.endswith("embeddings.weight"):
            p.mul_(0.5 / 0.3)  # embeddings ~ N(0, 0.5)
        elif name.endswith("bias") or name == "decoder_bias":
            p.mul_(0.1 / 0.3)  # small non-zero biases
    return model


def bert_config(architecture: str, labels=None) -> dict:
    c = dict(BERT_CONFIG)
    c["model_type"] = "bert"
    c["architectures"] = [architecture]
    if labels is not None:
        c["id2label"] = {str(i): l for i, l in enumerate(labels)}
        c["label2id"] = {l: i for i, l in enumerate(labels)}
    return c


def write_tokenizer(out: Path) -> None:
    copy_tokenizer_files(TOKENIZER_SRC, out, ["tokenizer.json"])
    special = dict(unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]",
                   mask_token="[MASK]")
    write_json(out / "special_tokens_map.json", special)
    tok_cfg = dict(
        special,
        tokenizer_class="BertTokenizer",
        do_lower_case=True,
        do_basic_tokenize=True,
        never_split=None,
        strip_accents=None,
        tokenize_chinese_chars=True,
        model_max_length=512,
        padding_side="right",
        truncation_side="right",
        clean_up_tokenization_spaces=True,
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
    )
    write_json(out / "tokenizer_config.json", tok_cfg)


def sample_inputs():
    g = torch.Generator().manual_seed(1234)
    input_ids = torch.randint(1000, 30000, (2, 7), generator=g)
    input_ids[:, 0] = 101
    input_ids[:, -1] = 102
    attention_mask = torch.ones_like(input_ids)
    token_type_ids = torch.zeros_like(input_ids)
    return input_ids, attention_mask, token_type_ids


def check_padding(model: nn.Module) -> None:
    """Right padding must not change the outputs for the real tokens."""
    ids, mask, tt = sample_inputs()
    ref = model(ids[:1, :5], mask[:1, :5], tt[:1, :5])
    ids2 = ids[:1].clone()
    ids2[:, 5:] = 0
    mask2 = mask[:1].clone()
    mask2[:, 5:] = 0
    out = model(ids2, mask2, tt[:1])
    refs = ref if isinstance(ref, tuple) else (ref,)
    outs = out if isinstance(out, tuple) else (out,)
    for r, o in zip(refs, outs):
        if r.dim() >= 2 and o.shape[1] == 7:  # per-token output: compare real tokens only
            o = o[:, :5]
        diff = (r - o).abs().max().item()
        assert diff < 1e-5, f"padding changed outputs by {diff}"


SPECS = [
    # name, architecture, factory, output names, output dynamic axes, labels, seed
    ("bert-seq-cls", "BertForSequenceClassification",
     lambda c: BertForSequenceClassification(c, len(SEQ_CLS_LABELS)),
     ["logits"], {"logits": {0: "batch_size"}}, SEQ_CLS_LABELS, 1001),
    ("bert-token-cls", "BertForTokenClassification",
     lambda c: BertForTokenClassification(c, len(TOKEN_CLS_LABELS)),
     ["logits"], {"logits": {0: "batch_size", 1: "sequence_length"}}, TOKEN_CLS_LABELS, 1002),
    ("bert-qa", "BertForQuestionAnswering", BertForQuestionAnswering,
     ["start_logits", "end_logits"],
     {"start_logits": {0: "batch_size", 1: "sequence_length"},
      "end_logits": {0: "batch_size", 1: "sequence_length"}}, None, 1003),
    ("bert-mlm", "BertForMaskedLM", BertForMaskedLM,
     ["logits"], {"logits": {0: "batch_size", 1: "sequence_length"}}, None, 1004),
]

INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
INPUT_AXES = {n: {0: "batch_size", 1: "sequence_length"} for n in INPUT_NAMES}


def build(name, arch, factory, output_names, output_axes, labels, seed) -> Path:
    out = fixture_dir(name)
    config = bert_config(arch, labels)
    seed_everything(seed)
    model = init_weights(factory(config), seed).eval()
    with torch.no_grad():
        check_padding(model)
    export_onnx(model, sample_inputs(), out / "onnx" / "model.onnx", INPUT_NAMES, output_names,
                {**INPUT_AXES, **output_axes})
    write_json(out / "config.json", config)
    write_tokenizer(out)
    print(onnx_io_summary(out / "onnx" / "model.onnx"))
    return out


def main(argv=None) -> None:
    names = set(argv or [])
    outs = [build(*spec) for spec in SPECS if not names or spec[0] in names]
    print_sizes(outs)


if __name__ == "__main__":
    main(sys.argv[1:])
