"""Training-time torch modules and shared helpers of the three encoder models.

The modules have exactly the parameter names and the math of the export classes in
``packages/testing/builder/encoder_models.py`` (post-LN BERT, learned absolute positions, token types, exact-erf
GELU, padding masked with ``Where``), plus dropout (identity in eval mode). Training uses these; ``export.py`` loads
their ``state_dict`` into the builder classes and exports those with the builder's ``export_onnx``, so the ONNX
graphs have the layout (and the I/O names) of the ``bert-*`` fixtures, which transformers.js is tested to load.

Run everything with Debian's interpreter (``/usr/bin/python3``: python3-torch 1.13, python3-onnx 1.12).
"""
from __future__ import annotations

import json
import math
import os
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[3]
BUILDER = REPO_ROOT / "packages" / "testing" / "builder"
sys.path.insert(0, str(BUILDER))
import common as builder_common  # noqa: E402  (read-only reuse of the fixture builder helpers)
import encoder_models  # noqa: E402

WORK_DIR = Path(os.environ.get("ENCODER_WORK_DIR", HERE / ".cache"))
DATA_DIR = WORK_DIR / "data"
CKPT_DIR = WORK_DIR / "checkpoints"
MODELS_DIR = REPO_ROOT / "packages" / "models" / "models"

PAD, UNK, CLS, SEP, MASK = 0, 1, 2, 3, 4
NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
SENTIMENT_LABELS = ["NEGATIVE", "POSITIVE"]
MASK_VALUE = encoder_models.MASK_VALUE


def body_config(vocab_size: int, hidden: int = 128, layers: int = 4, heads: int = 4, intermediate: int = 512,
                max_positions: int = 128) -> dict:
    """The BERT hyper-parameters, in config.json's names (dropout rates are the training ones)."""
    c = dict(encoder_models.BERT_CONFIG)
    c.update(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
             intermediate_size=intermediate, max_position_embeddings=max_positions,
             hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    return c


class Embeddings(nn.Module):
    def __init__(self, c, dropout):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.drop = nn.Dropout(dropout)

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.shape[1]).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.drop(self.LayerNorm(x))


class Layer(nn.Module):
    def __init__(self, c, dropout, attn_dropout):
        super().__init__()
        h = c["hidden_size"]
        self.num_heads = int(c["num_attention_heads"])
        self.head_dim = h // self.num_heads
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.attn_out = nn.Linear(h, h)
        self.attn_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.intermediate = nn.Linear(h, c["intermediate_size"])
        self.output = nn.Linear(c["intermediate_size"], h)
        self.out_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.drop = nn.Dropout(dropout)
        self.attn_drop = nn.Dropout(attn_dropout)

    def _split(self, x, b, s):
        return x.reshape(b, s, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x, keep):
        b, s = x.shape[0], x.shape[1]
        q = self._split(self.query(x), b, s)
        k = self._split(self.key(x), b, s)
        v = self._split(self.value(x), b, s)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.head_dim))
        scores = scores.masked_fill(~keep, MASK_VALUE)
        probs = self.attn_drop(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, self.num_heads * self.head_dim)
        x = self.attn_norm(x + self.drop(self.attn_out(ctx)))
        return self.out_norm(x + self.drop(self.output(F.gelu(self.intermediate(x)))))


class Body(nn.Module):
    """``encoder_models.BertEncoderModel`` with dropout."""

    def __init__(self, c, dropout=0.1, attn_dropout=0.1):
        super().__init__()
        self.embeddings = Embeddings(c, dropout)
        self.layers = nn.ModuleList([Layer(c, dropout, attn_dropout) for _ in range(c["num_hidden_layers"])])
        self.pooler = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        keep = attention_mask[:, None, None, :] > 0
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            x = layer(x, keep)
        return x

    def pool(self, x):
        return torch.tanh(self.pooler(x[:, 0]))


class MaskedLM(nn.Module):
    """``encoder_models.BertForMaskedLM`` (tied decoder) with dropout; ``forward`` scores only ``positions``."""

    def __init__(self, c, dropout=0.1):
        super().__init__()
        self.bert = Body(c, dropout, dropout)
        self.transform = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.transform_norm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.decoder_bias = nn.Parameter(torch.zeros(c["vocab_size"]))

    def forward(self, input_ids, attention_mask, positions=None):
        x = self.bert(input_ids, attention_mask)
        if positions is not None:
            x = x[positions]
        x = self.transform_norm(F.gelu(self.transform(x)))
        return torch.matmul(x, self.bert.embeddings.word_embeddings.weight.t()) + self.decoder_bias


class SequenceClassifier(nn.Module):
    def __init__(self, c, num_labels, dropout=0.1, head_dropout=0.1):
        super().__init__()
        self.bert = Body(c, dropout, dropout)
        self.classifier = nn.Linear(c["hidden_size"], num_labels)
        self.head_drop = nn.Dropout(head_dropout)

    def forward(self, input_ids, attention_mask):
        return self.classifier(self.head_drop(self.bert.pool(self.bert(input_ids, attention_mask))))


class TokenClassifier(nn.Module):
    def __init__(self, c, num_labels, dropout=0.1, head_dropout=0.1):
        super().__init__()
        self.bert = Body(c, dropout, dropout)
        self.classifier = nn.Linear(c["hidden_size"], num_labels)
        self.head_drop = nn.Dropout(head_dropout)

    def forward(self, input_ids, attention_mask):
        return self.classifier(self.head_drop(self.bert(input_ids, attention_mask)))


@torch.no_grad()
def init_bert_(model: nn.Module, std: float = 0.02) -> nn.Module:
    """BERT's initialisation: N(0, 0.02) weights, zero biases, LayerNorm 1/0."""
    for name, p in model.named_parameters():
        if "norm" in name.lower():
            p.fill_(1.0 if name.endswith("weight") else 0.0)
        elif name.endswith("bias"):
            p.zero_()
        else:
            p.normal_(0.0, std)
    return model


# ------------------------------------------------------------------------------------------------ helpers
def setup(seed: int) -> None:
    """Fixed seeds, one thread, deterministic CPU math (the builder's ``seed_everything``)."""
    builder_common.seed_everything(seed)
    torch.set_num_threads(1)


def load_data(name: str) -> dict:
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


def pad(rows, value=PAD):
    n = max(len(r) for r in rows)
    return torch.tensor([list(r) + [value] * (n - len(r)) for r in rows], dtype=torch.long)


def length_batches(lengths, batch_size, rng: random.Random, shuffle=True):
    """Batches of similar lengths (sorted in chunks of 50 batches), in random order."""
    idx = list(range(len(lengths)))
    if shuffle:
        rng.shuffle(idx)
    chunk = batch_size * 50
    batches = []
    for i in range(0, len(idx), chunk):
        part = sorted(idx[i:i + chunk], key=lambda j: lengths[j])
        batches += [part[k:k + batch_size] for k in range(0, len(part), batch_size)]
    if shuffle:
        rng.shuffle(batches)
    return batches


def warmup_linear(step, total, warmup):
    if step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def adamw(model, lr, weight_decay=0.01):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.dim() < 2 or "norm" in name.lower() or "position" in name else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.98), eps=1e-6)


class Timer:
    """Wall-clock and CPU time since creation (the machine is shared: CPU time is the comparable number)."""

    def __init__(self):
        self.start = time.time()
        self.cpu_start = time.process_time()

    @staticmethod
    def _fmt(s):
        return f"{int(s // 60)}m{int(s % 60):02d}s"

    def __str__(self):
        return f"wall {self._fmt(self.seconds)} cpu {self._fmt(self.cpu_seconds)}"

    @property
    def seconds(self):
        return time.time() - self.start

    @property
    def cpu_seconds(self):
        return time.process_time() - self.cpu_start


def save_checkpoint(name: str, model: nn.Module, config: dict, extra: dict | None = None) -> Path:
    CKPT_DIR.mkdir(parents=True, exist_ok=True)
    path = CKPT_DIR / f"{name}.pt"
    torch.save({"state_dict": model.state_dict(), "config": config, **(extra or {})}, path)
    return path


def load_checkpoint(name: str) -> dict:
    return torch.load(CKPT_DIR / f"{name}.pt", map_location="cpu")


def clip(row, n=128):
    """Cuts a [CLS] ... [SEP] row to at most ``n`` pieces (the position table's size), keeping [SEP] last."""
    return row if len(row) <= n else list(row[:n - 1]) + [row[-1]]
