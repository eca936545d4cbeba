"""Training-time torch modules of the two generative models.

They have exactly the parameter names and the math of the export classes in
``packages/testing/builder`` (``decoder_models.GPT2LMHeadModel`` and ``seq2seq_models.TinyBart``), plus dropout
(identity in eval mode). Training uses these; export loads their ``state_dict`` into the builder classes and
uses the builder's exporters, so the ONNX layout is the one the fixtures (and Optimum) have. ``check_same``
asserts on a batch that both compute the same logits.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True
BUILDER = Path(__file__).resolve().parents[3] / "testing" / "builder"
sys.path.insert(0, str(BUILDER))
import decoder_models  # noqa: E402
import seq2seq_models  # noqa: E402
from seq2seq_models import Attention  # noqa: E402

NEG = -1e9


# ------------------------------------------------------------------------------------------------- fast linear
# Debian's torch links the reference BLAS (BLAS_INFO=generic): dense matmuls run at ~1 GFLOP/s on one core, while
# oneDNN (mkldnn, built in) runs ~20x faster. Training routes every linear layer and the tied LM head through
# oneDNN's inner product (forward and both backward products); export uses plain torch ops (use_fast_linear off).
class _MkldnnLinear(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        ctx.has_bias = b is not None
        y = torch._C._nn.mkldnn_linear(x.contiguous().to_mkldnn(), w.contiguous().to_mkldnn(),
                                       None if b is None else b.contiguous().to_mkldnn())
        return y.to_dense()

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        g = g.contiguous()
        gm = g.to_mkldnn()
        gx = torch._C._nn.mkldnn_linear(gm, w.t().contiguous().to_mkldnn(), None).to_dense()
        gw = torch._C._nn.mkldnn_linear(g.t().contiguous().to_mkldnn(), x.t().contiguous().to_mkldnn(), None).to_dense()
        gb = g.sum(0) if ctx.has_bias else None
        return gx, gw, gb


def fast_linear(x, w, b=None):
    """``x @ w.T + b`` for any leading dims, through oneDNN."""
    lead = x.shape[:-1]
    y = _MkldnnLinear.apply(x.reshape(-1, x.shape[-1]), w, b)
    return y.reshape(*lead, w.shape[0])


_plain_linear_forward = nn.Linear.forward
FAST = {"on": False}


def use_fast_linear(on: bool) -> None:
    """Route ``nn.Linear`` (including the builder's Attention projections) through oneDNN when ``on``."""
    FAST["on"] = on
    nn.Linear.forward = (lambda self, x: fast_linear(x, self.weight, self.bias)) if on else _plain_linear_forward


def lm_head(h, weight):
    return fast_linear(h, weight) if FAST["on"] else torch.matmul(h, weight.t())


# ------------------------------------------------------------------------------------------------- GPT-2
class GPT2TrainBlock(nn.Module):
    def __init__(self, c, dropout):
        super().__init__()
        h = c["n_embd"]
        self.n_head = int(c["n_head"])
        self.head_dim = h // self.n_head
        inner = c["n_inner"] or 4 * h
        self.ln_1 = nn.LayerNorm(h, eps=c["layer_norm_epsilon"])
        self.c_attn = nn.Linear(h, 3 * h)
        self.c_proj = nn.Linear(h, h)
        self.ln_2 = nn.LayerNorm(h, eps=c["layer_norm_epsilon"])
        self.c_fc = nn.Linear(h, inner)
        self.mlp_proj = nn.Linear(inner, h)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, add_mask):
        b, s, _ = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(self.n_head * self.head_dim, dim=2)
        q = q.reshape(b, s, self.n_head, self.head_dim).transpose(1, 2)
        k = k.reshape(b, s, self.n_head, self.head_dim).transpose(1, 2)
        v = v.reshape(b, s, self.n_head, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.head_dim)) + add_mask
        ctx = torch.matmul(self.drop(torch.softmax(scores, dim=-1)), v)
        ctx = ctx.transpose(1, 2).reshape(b, s, self.n_head * self.head_dim)
        x = x + self.drop(self.c_proj(ctx))
        x = x + self.drop(self.mlp_proj(decoder_models.GPT2Block.gelu_new(self.c_fc(self.ln_2(x)))))
        return x


class GPT2Train(nn.Module):
    """Right-padded training batches: positions 0..s-1, causal mask (pads only follow real tokens)."""

    def __init__(self, c, dropout=0.1):
        super().__init__()
        self.wte = nn.Embedding(c["vocab_size"], c["n_embd"])
        self.wpe = nn.Embedding(c["n_positions"], c["n_embd"])
        self.h = nn.ModuleList([GPT2TrainBlock(c, dropout) for _ in range(c["n_layer"])])
        self.ln_f = nn.LayerNorm(c["n_embd"], eps=c["layer_norm_epsilon"])
        self.drop = nn.Dropout(dropout)
        with torch.no_grad():  # GPT-2 init
            for name, p in self.named_parameters():
                if "ln_" in name:
                    continue
                if name.endswith("bias"):
                    p.zero_()
                else:
                    std = 0.02 / math.sqrt(2 * c["n_layer"]) if name.endswith(("c_proj.weight", "mlp_proj.weight")) else 0.02
                    p.normal_(0.0, std)

    def forward(self, input_ids):
        s = input_ids.shape[1]
        pos = torch.arange(s)
        add_mask = torch.triu(torch.full((s, s), NEG), diagonal=1)[None, None]
        x = self.drop(self.wte(input_ids) + self.wpe(pos)[None])
        for block in self.h:
            x = block(x, add_mask)
        return lm_head(self.ln_f(x), self.wte.weight)


# ------------------------------------------------------------------------------------------------- BART
class BartTrainEncoderLayer(seq2seq_models.BartEncoderLayer):
    def __init__(self, d, heads, ffn, dropout):
        super().__init__(d, heads, ffn)
        self.drop = nn.Dropout(dropout)

    def forward(self, h, mask):
        a, _ = self.self_attn(h, add_mask=mask)
        h = self.self_attn_layer_norm(h + self.drop(a))
        h = self.final_layer_norm(h + self.drop(self.fc2(self.drop(F.gelu(self.fc1(h))))))
        return h


class BartTrainDecoderLayer(seq2seq_models.BartDecoderLayer):
    def __init__(self, d, heads, ffn, dropout):
        super().__init__(d, heads, ffn)
        self.drop = nn.Dropout(dropout)

    def forward(self, h, self_mask, enc, enc_mask):
        a, _ = self.self_attn(h, add_mask=self_mask)
        h = self.self_attn_layer_norm(h + self.drop(a))
        a, _ = self.encoder_attn(h, kv_source=enc, add_mask=enc_mask, cross=True)
        h = self.encoder_attn_layer_norm(h + self.drop(a))
        h = self.final_layer_norm(h + self.drop(self.fc2(self.drop(F.gelu(self.fc1(h))))))
        return h


class BartTrain(nn.Module):
    """Same parameters as ``seq2seq_models.TinyBart`` (BART: post-LN, learned positions with offset 2,
    layernorm_embedding, GELU, LM head tied to the shared embedding), with dropout."""

    def __init__(self, c, dropout=0.1):
        super().__init__()
        d = c["d_model"]
        self.c = c
        self.shared = nn.Embedding(c["vocab_size"], d, padding_idx=c["pad_token_id"])
        self.enc_positions = nn.Embedding(c["max_position_embeddings"] + 2, d)
        self.dec_positions = nn.Embedding(c["max_position_embeddings"] + 2, d)
        self.enc_layernorm_embedding = nn.LayerNorm(d)
        self.dec_layernorm_embedding = nn.LayerNorm(d)
        self.enc_layers = nn.ModuleList(BartTrainEncoderLayer(d, c["encoder_attention_heads"], c["encoder_ffn_dim"], dropout)
                                        for _ in range(c["encoder_layers"]))
        self.dec_layers = nn.ModuleList(BartTrainDecoderLayer(d, c["decoder_attention_heads"], c["decoder_ffn_dim"], dropout)
                                        for _ in range(c["decoder_layers"]))
        self.drop = nn.Dropout(dropout)
        with torch.no_grad():  # BART init: N(0, 0.02), zero biases, pad row zero
            for name, p in self.named_parameters():
                if "norm" in name:
                    continue
                if name.endswith("bias"):
                    p.zero_()
                else:
                    p.normal_(0.0, 0.02)
            self.shared.weight[c["pad_token_id"]].zero_()

    def encode(self, input_ids, attention_mask):
        s = input_ids.shape[1]
        h = self.shared(input_ids) + self.enc_positions(torch.arange(s) + 2)[None]
        h = self.drop(self.enc_layernorm_embedding(h))
        mask = seq2seq_models.padding_mask(attention_mask)
        for layer in self.enc_layers:
            h = layer(h, mask)
        return h

    def decode_train(self, dec_ids, enc, enc_attention_mask):
        s = dec_ids.shape[1]
        h = self.shared(dec_ids) + self.dec_positions(torch.arange(s) + 2)[None]
        h = self.drop(self.dec_layernorm_embedding(h))
        self_mask = torch.triu(torch.full((s, s), NEG), diagonal=1)[None, None]
        enc_mask = seq2seq_models.padding_mask(enc_attention_mask)
        for layer in self.dec_layers:
            h = layer(h, self_mask, enc, enc_mask)
        return lm_head(h, self.shared.weight)

    def forward(self, src, src_mask, dec_ids):
        return self.decode_train(dec_ids, self.encode(src, src_mask), src_mask)


# ------------------------------------------------------------------------------------------------- export twins
def export_gpt2(train_model: GPT2Train, c) -> nn.Module:
    m = decoder_models.GPT2LMHeadModel(c)
    m.load_state_dict(train_model.state_dict())
    return m.eval()


def export_bart(train_model: BartTrain, c) -> nn.Module:
    m = seq2seq_models.TinyBart(c)
    m.load_state_dict(train_model.state_dict())
    return m.eval()


@torch.no_grad()
def check_same_gpt2(train_model, export_model, ids):
    train_model.eval()
    a = train_model(ids)
    mask = torch.ones_like(ids)
    n_layer, n_head = len(export_model.h), export_model.h[0].n_head
    past = decoder_models.empty_past(ids.shape[0], n_layer, n_head, export_model.h[0].head_dim)
    b = export_model(ids, mask, decoder_models.position_ids_from_mask(mask), *past)[0]
    d = (a - b).abs().max().item()
    assert d < 1e-3, f"train/export logits differ by {d}"
    return d


@torch.no_grad()
def check_same_bart(train_model, export_model, src, src_mask, dec_ids):
    train_model.eval()
    a = train_model(src, src_mask, dec_ids)
    enc = export_model.encode(src, src_mask)
    b, _ = export_model.decode(dec_ids, enc, src_mask)
    d = (a - b).abs().max().item()
    assert d < 1e-3, f"train/export logits differ by {d}"
    return d
