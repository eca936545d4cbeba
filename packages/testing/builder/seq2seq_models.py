"""Tiny random-weight encoder-decoder fixtures (BART, T5) in the exact Optimum ONNX layout.

Rebuild (Debian's interpreter: torch 1.13 + onnx 1.12; no transformers/optimum needed)::

    /usr/bin/python3 packages/testing/builder/seq2seq_models.py          # both
    /usr/bin/python3 packages/testing/builder/seq2seq_models.py bart     # one

Output: ``fixtures/bart`` and ``fixtures/t5``, each with ``config.json``, ``generation_config.json``,
``tokenizer.json``, ``tokenizer_config.json``, ``special_tokens_map.json`` and ``onnx/``:

* ``encoder_model.onnx``            input_ids, attention_mask -> last_hidden_state
* ``decoder_model.onnx``            encoder_attention_mask, input_ids, encoder_hidden_states
                                    -> logits, present.{i}.decoder.key/value, present.{i}.encoder.key/value
* ``decoder_with_past_model.onnx``  encoder_attention_mask, input_ids ([batch_size, 1]),
                                    past_key_values.{i}.decoder.key/value, past_key_values.{i}.encoder.key/value
                                    -> logits, present.{i}.decoder.key/value   (no encoder presents, as Optimum)
                                    (encoder_hidden_states is not an input: with a cache it is unused and
                                    torch.onnx drops it, as in real Optimum exports.)
* ``decoder_model_merged.onnx``     the two above under an ``If`` on ``use_cache_branch`` (bool [1]), built by
                                    ``seq2seq_merge.merge_decoders`` = Optimum's ``merge_decoders(strict=False)``:
                                    shared weights in the outer graph, and in the cache branch the
                                    ``present.{i}.encoder.*`` outputs are empty constants [0, heads, 1, head_dim]
                                    (callers keep the encoder cache from the first step, as transformers.js does).

Cache tensors are ``[batch_size, num_heads, seq, head_dim]``; dim names follow Optimum (``batch_size``,
``encoder_sequence_length``, ``decoder_sequence_length``, ``past_decoder_sequence_length``,
``past_decoder_sequence_length + 1``, ``encoder_sequence_length_out``). Opset 14, fp32, no external data.

Models are plain-torch re-implementations (no HF code; nothing is compared against PyTorch HF):

* BART: learned positions (offset 2), ``layernorm_embedding``, post-LN layers, GELU, biases, attention scaled
  by head_dim^-0.5, LM head tied to the shared embedding (no ``final_logits_bias``: it is all zeros in real
  checkpoints and would cost vocab*4 bytes per decoder file). The pad row of the embedding is zero.
* T5: relative position bias (bidirectional buckets in the encoder, causal in the decoder, computed once per
  stack, shared by its layers), T5 RMS layer norm, no biases, unscaled attention, ReLU FF, LM head tied to the
  shared embedding with the ``d_model**-0.5`` rescale. Embedding rows >= 32100 (beyond the tokenizer, the real
  T5 vocab padding to 32128) are zero so they never win argmax.

Sizes: vocab x d_model dominates and the embedding is stored in each of the 4 ONNX files, so d_model = 8
(2 heads x head_dim 4). The encoder and decoder have different layer counts (BART 3/2, T5 2/3) so that
consumers that size the cache from the wrong config field fail loudly.

Tokenizers:

* T5 uses the real T5 ``tokenizer.json`` (shared/data/tokenizers/t5) verbatim plus a written
  ``tokenizer_config.json`` (T5Tokenizer, 100 extra ids, model_max_length 512).
* BART: no BART tokenizer is available, so it is derived from the GPT-2 byte-level BPE (BART's BPE *is* the
  GPT-2 BPE; only the id assignment differs). Ids are laid out like the real BART/RoBERTa vocab:
  ``<s>``=0, ``<pad>``=1, ``</s>``=2, ``<unk>``=3, GPT-2 token k -> k+4 (4..50259), ``<|endoftext|>``=50260,
  ``madeupword0000..0002``=50261..50263, ``<mask>``=50264 (vocab 50265), RoBERTa post-processor
  ``<s> X </s>`` (pairs ``<s> A </s></s> B </s>``). Same merges, so token *strings* equal real BART's;
  the ids between 4 and 50263 differ from facebook/bart-* (which orders by fairseq frequency).

Weights: fixed seeds, N(0, std) per tensor family; embeddings std 1.0 so logits are well separated (greedy is
well defined). Deterministic: two runs give byte-identical files.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    TOKENIZERS_DIR, export_onnx, fixture_dir, load_json, onnx_io_summary, print_sizes, seed_everything,
    write_json,
)
from seq2seq_merge import merge_decoders  # noqa: E402

OPSET = 14
NEG = -1e9  # additive mask value (finite: two masks may be summed without overflowing to -inf)

BART_SEED = 1234
T5_SEED = 4321


# ----------------------------------------------------------------------------------------------------------
# shared pieces
# ----------------------------------------------------------------------------------------------------------
def split_heads(x: torch.Tensor, heads: int, head_dim: int) -> torch.Tensor:
    """[b, s, heads*head_dim] -> [b, heads, s, head_dim] (heads/head_dim are python ints: static in ONNX)."""
    return x.reshape(x.shape[0], -1, heads, head_dim).transpose(1, 2)


def merge_heads(x: torch.Tensor, heads: int, head_dim: int) -> torch.Tensor:
    return x.transpose(1, 2).reshape(x.shape[0], -1, heads * head_dim)


def padding_mask(mask: torch.Tensor) -> torch.Tensor:
    """[b, k] (1 = keep) -> additive [b, 1, 1, k]."""
    return (1.0 - mask[:, None, None, :].to(torch.float32)) * NEG


def positions(q_len, past_len) -> Tuple[torch.Tensor, torch.Tensor]:
    """Absolute query positions (past_len .. past_len+q_len-1) and key positions (0 .. past_len+q_len-1).
    ``q_len``/``past_len`` come from tensor shapes, so the traced graph keeps them dynamic."""
    qpos = torch.arange(q_len, dtype=torch.int64) + past_len
    kpos = torch.arange(q_len + past_len, dtype=torch.int64)
    return qpos, kpos


def causal_mask(qpos: torch.Tensor, kpos: torch.Tensor) -> torch.Tensor:
    """Additive [1, 1, q, k]: key position > query position is masked."""
    return (kpos[None, :] > qpos[:, None]).to(torch.float32)[None, None] * NEG


class Attention(nn.Module):
    """Multi-head attention with an Optimum-style cache: self-attention appends to the past, cross-attention
    reuses the past (computed once from the encoder output)."""

    def __init__(self, d_model: int, heads: int, head_dim: int, bias: bool, scale: float):
        super().__init__()
        self.heads, self.head_dim, self.scale = heads, head_dim, scale
        inner = heads * head_dim
        self.q_proj = nn.Linear(d_model, inner, bias=bias)
        self.k_proj = nn.Linear(d_model, inner, bias=bias)
        self.v_proj = nn.Linear(d_model, inner, bias=bias)
        self.out_proj = nn.Linear(inner, d_model, bias=bias)

    def forward(self, x, kv_source=None, add_mask=None, past=None, cross=False):
        h, d = self.heads, self.head_dim
        q = split_heads(self.q_proj(x), h, d)
        if self.scale != 1.0:
            q = q * self.scale
        if cross and past is not None:
            k, v = past
        else:
            src = kv_source if cross else x
            k = split_heads(self.k_proj(src), h, d)
            v = split_heads(self.v_proj(src), h, d)
            if past is not None:  # self-attention with cache
                k = torch.cat([past[0], k], dim=2)
                v = torch.cat([past[1], v], dim=2)
        scores = torch.matmul(q, k.transpose(-1, -2))
        if add_mask is not None:
            scores = scores + add_mask
        probs = torch.softmax(scores, dim=-1)
        out = merge_heads(torch.matmul(probs, v), h, d)
        return self.out_proj(out), (k, v)


@torch.no_grad()
def init_params(module: nn.Module, seed: int, rules) -> None:
    """Deterministic init: the first matching (substring, std, mean) rule for each parameter, in order."""
    gen = torch.Generator().manual_seed(seed)
    for name, p in module.named_parameters():
        for key, std, mean in rules:
            if key in name:
                p.copy_(torch.randn(p.shape, generator=gen) * std + mean)
                break
        else:
            raise KeyError(f"no init rule for {name}")


# ----------------------------------------------------------------------------------------------------------
# BART
# ----------------------------------------------------------------------------------------------------------
BART_CFG = dict(
    vocab_size=50265, d_model=8, encoder_layers=3, decoder_layers=2, encoder_attention_heads=2,
    decoder_attention_heads=2, encoder_ffn_dim=16, decoder_ffn_dim=16, max_position_embeddings=1024,
    pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
)


class BartEncoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.self_attn = Attention(d, heads, d // heads, True, (d // heads) ** -0.5)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, h, mask):
        a, _ = self.self_attn(h, add_mask=mask)
        h = self.self_attn_layer_norm(h + a)
        h = self.final_layer_norm(h + self.fc2(F.gelu(self.fc1(h))))
        return h


class BartDecoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.self_attn = Attention(d, heads, d // heads, True, (d // heads) ** -0.5)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = Attention(d, heads, d // heads, True, (d // heads) ** -0.5)
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, h, self_mask, enc, enc_mask, past=None):
        a, self_kv = self.self_attn(h, add_mask=self_mask, past=None if past is None else past[0:2])
        h = self.self_attn_layer_norm(h + a)
        a, cross_kv = self.encoder_attn(h, kv_source=enc, add_mask=enc_mask,
                                        past=None if past is None else past[2:4], cross=True)
        h = self.encoder_attn_layer_norm(h + a)
        h = self.final_layer_norm(h + self.fc2(F.gelu(self.fc1(h))))
        return h, self_kv + cross_kv


class TinyBart(nn.Module):
    def __init__(self, c=BART_CFG):
        super().__init__()
        d = c["d_model"]
        self.c = c
        self.shared = nn.Embedding(c["vocab_size"], d)
        self.enc_positions = nn.Embedding(c["max_position_embeddings"] + 2, d)
        self.dec_positions = nn.Embedding(c["max_position_embeddings"] + 2, d)
        self.enc_layernorm_embedding = nn.LayerNorm(d)
        self.dec_layernorm_embedding = nn.LayerNorm(d)
        self.enc_layers = nn.ModuleList(
            BartEncoderLayer(d, c["encoder_attention_heads"], c["encoder_ffn_dim"]) for _ in range(c["encoder_layers"]))
        self.dec_layers = nn.ModuleList(
            BartDecoderLayer(d, c["decoder_attention_heads"], c["decoder_ffn_dim"]) for _ in range(c["decoder_layers"]))

    def encode(self, input_ids, attention_mask):
        qpos, _ = positions(input_ids.shape[1], 0)
        h = self.shared(input_ids) + self.enc_positions(qpos + 2)
        h = self.enc_layernorm_embedding(h)
        mask = padding_mask(attention_mask)
        for layer in self.enc_layers:
            h = layer(h, mask)
        return h

    def decode(self, input_ids, enc, enc_attention_mask, past: Optional[List[Tuple]] = None):
        past_len = 0 if past is None else past[0][0].shape[2]
        qpos, kpos = positions(input_ids.shape[1], past_len)
        h = self.shared(input_ids) + self.dec_positions(qpos + 2)
        h = self.dec_layernorm_embedding(h)
        self_mask = causal_mask(qpos, kpos)
        enc_mask = padding_mask(enc_attention_mask)
        presents = []
        for i, layer in enumerate(self.dec_layers):
            h, kv = layer(h, self_mask, enc, enc_mask, None if past is None else past[i])
            presents.append(kv)
        logits = torch.matmul(h, self.shared.weight.t())
        return logits, presents


def build_bart_model() -> TinyBart:
    seed_everything(BART_SEED)
    m = TinyBart().eval()
    init_params(m, BART_SEED, [
        ("shared", 1.0, 0.0), ("positions", 0.5, 0.0),
        ("norm.weight", 0.1, 1.0), ("norm_embedding.weight", 0.1, 1.0), ("norm.bias", 0.05, 0.0),
        ("norm_embedding.bias", 0.05, 0.0), (".weight", 0.35, 0.0), (".bias", 0.05, 0.0),
    ])
    with torch.no_grad():
        m.shared.weight[BART_CFG["pad_token_id"]].zero_()  # as nn.Embedding(padding_idx=pad)
    return m


# ----------------------------------------------------------------------------------------------------------
# T5
# ----------------------------------------------------------------------------------------------------------
T5_CFG = dict(
    vocab_size=32128, d_model=8, d_kv=4, d_ff=16, num_layers=2, num_decoder_layers=3, num_heads=2,
    relative_attention_num_buckets=32, relative_attention_max_distance=128, layer_norm_epsilon=1e-6,
    pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
)
T5_TOKENIZER_VOCAB = 32100


class T5LayerNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps))


def t5_relative_bucket(rel: torch.Tensor, bidirectional: bool, num_buckets: int, max_distance: int):
    buckets = torch.zeros_like(rel)
    if bidirectional:
        num_buckets //= 2
        buckets = buckets + (rel > 0).to(torch.int64) * num_buckets
        rel = torch.abs(rel)
    else:
        rel = -torch.min(rel, torch.zeros_like(rel))
    max_exact = num_buckets // 2
    is_small = rel < max_exact
    # clamp to >= 1 before the log (the small branch wins there anyway; avoids casting -inf to int)
    rel_f = torch.clamp(rel, min=1).to(torch.float32)
    large = max_exact + (torch.log(rel_f / max_exact) / math.log(max_distance / max_exact)
                         * (num_buckets - max_exact)).to(torch.int64)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return buckets + torch.where(is_small, rel, large)


class T5Block(nn.Module):
    def __init__(self, c, decoder: bool):
        super().__init__()
        d, h, dk, eps = c["d_model"], c["num_heads"], c["d_kv"], c["layer_norm_epsilon"]
        self.decoder = decoder
        self.self_ln = T5LayerNorm(d, eps)
        self.self_attn = Attention(d, h, dk, False, 1.0)
        if decoder:
            self.cross_ln = T5LayerNorm(d, eps)
            self.cross_attn = Attention(d, h, dk, False, 1.0)
        self.ff_ln = T5LayerNorm(d, eps)
        self.wi = nn.Linear(d, c["d_ff"], bias=False)
        self.wo = nn.Linear(c["d_ff"], d, bias=False)

    def forward(self, h, self_bias, enc=None, enc_mask=None, past=None):
        a, self_kv = self.self_attn(self.self_ln(h), add_mask=self_bias, past=None if past is None else past[0:2])
        h = h + a
        kv = self_kv
        if self.decoder:
            a, cross_kv = self.cross_attn(self.cross_ln(h), kv_source=enc, add_mask=enc_mask,
                                          past=None if past is None else past[2:4], cross=True)
            h = h + a
            kv = self_kv + cross_kv
        h = h + self.wo(F.relu(self.wi(self.ff_ln(h))))
        return h, kv


class TinyT5(nn.Module):
    def __init__(self, c=T5_CFG):
        super().__init__()
        self.c = c
        d = c["d_model"]
        self.shared = nn.Embedding(c["vocab_size"], d)
        self.enc_relative_attention_bias = nn.Embedding(c["relative_attention_num_buckets"], c["num_heads"])
        self.dec_relative_attention_bias = nn.Embedding(c["relative_attention_num_buckets"], c["num_heads"])
        self.enc_blocks = nn.ModuleList(T5Block(c, False) for _ in range(c["num_layers"]))
        self.dec_blocks = nn.ModuleList(T5Block(c, True) for _ in range(c["num_decoder_layers"]))
        self.enc_final_ln = T5LayerNorm(d, c["layer_norm_epsilon"])
        self.dec_final_ln = T5LayerNorm(d, c["layer_norm_epsilon"])

    def _bias(self, table, qpos, kpos, bidirectional):
        rel = kpos[None, :] - qpos[:, None]
        b = t5_relative_bucket(rel, bidirectional, self.c["relative_attention_num_buckets"],
                               self.c["relative_attention_max_distance"])
        return table(b).permute(2, 0, 1)[None]  # [1, heads, q, k]

    def encode(self, input_ids, attention_mask):
        qpos, kpos = positions(input_ids.shape[1], 0)
        bias = self._bias(self.enc_relative_attention_bias, qpos, kpos, True) + padding_mask(attention_mask)
        h = self.shared(input_ids)
        for blk in self.enc_blocks:
            h, _ = blk(h, bias)
        return self.enc_final_ln(h)

    def decode(self, input_ids, enc, enc_attention_mask, past: Optional[List[Tuple]] = None):
        past_len = 0 if past is None else past[0][0].shape[2]
        qpos, kpos = positions(input_ids.shape[1], past_len)
        self_bias = self._bias(self.dec_relative_attention_bias, qpos, kpos, False) + causal_mask(qpos, kpos)
        enc_mask = padding_mask(enc_attention_mask)
        h = self.shared(input_ids)
        presents = []
        for i, blk in enumerate(self.dec_blocks):
            h, kv = blk(h, self_bias, enc, enc_mask, None if past is None else past[i])
            presents.append(kv)
        h = self.dec_final_ln(h) * (self.c["d_model"] ** -0.5)
        logits = torch.matmul(h, self.shared.weight.t())
        return logits, presents


def build_t5_model() -> TinyT5:
    seed_everything(T5_SEED)
    m = TinyT5().eval()
    init_params(m, T5_SEED, [
        ("shared", 1.0, 0.0), ("relative_attention_bias", 1.5, 0.0), ("_ln.weight", 0.1, 1.0),
        (".weight", 0.7, 0.0),
    ])
    with torch.no_grad():
        m.shared.weight[T5_TOKENIZER_VOCAB:].zero_()  # rows the tokenizer cannot produce/decode
    return m


# ----------------------------------------------------------------------------------------------------------
# export wrappers (Optimum I/O names and order)
# ----------------------------------------------------------------------------------------------------------
class EncoderWrapper(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.model = m

    def forward(self, input_ids, attention_mask):
        return self.model.encode(input_ids, attention_mask)


class DecoderWrapper(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.model = m

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states):
        logits, presents = self.model.decode(input_ids, encoder_hidden_states, encoder_attention_mask)
        return (logits,) + tuple(t for kv in presents for t in kv)


class DecoderWithPastWrapper(nn.Module):
    def __init__(self, m, n_layers):
        super().__init__()
        self.model, self.n = m, n_layers

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states, *flat_past):
        past = [tuple(flat_past[4 * i:4 * i + 4]) for i in range(self.n)]
        logits, presents = self.model.decode(input_ids, encoder_hidden_states, encoder_attention_mask, past)
        return (logits,) + tuple(t for kv in presents for t in kv[0:2])  # decoder (self) cache only


def cache_names(prefix: str, n_layers: int, parts=("decoder", "encoder")) -> List[str]:
    return [f"{prefix}.{i}.{p}.{kv}" for i in range(n_layers) for p in parts for kv in ("key", "value")]


def export_family(m, onnx_dir: Path, n_dec_layers: int, heads: int, head_dim: int, vocab: int) -> None:
    torch.manual_seed(0)
    b, s_enc, s_dec, s_past = 2, 5, 3, 4
    ids = torch.randint(5, 1000, (b, s_enc))
    mask = torch.ones(b, s_enc, dtype=torch.int64)
    mask[1, -2:] = 0
    dec_ids = torch.randint(5, 1000, (b, s_dec))
    with torch.no_grad():
        enc = m.encode(ids, mask)

    export_onnx(EncoderWrapper(m), (ids, mask), onnx_dir / "encoder_model.onnx",
                input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": {0: "batch_size", 1: "encoder_sequence_length"},
                              "attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
                              "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}},
                opset=OPSET)

    dec_in = ["encoder_attention_mask", "input_ids", "encoder_hidden_states"]
    dec_axes = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
                "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
                "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
                "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    presents = cache_names("present", n_dec_layers)
    for n in presents:
        dec_axes[n] = {0: "batch_size", 2: "encoder_sequence_length_out" if ".encoder." in n
                       else "past_decoder_sequence_length + 1"}
    export_onnx(DecoderWrapper(m), (mask, dec_ids, enc), onnx_dir / "decoder_model.onnx",
                input_names=dec_in, output_names=["logits"] + presents, dynamic_axes=dec_axes, opset=OPSET)

    # decoder with past: one new token ([batch_size, 1], as Optimum), cache of s_past tokens
    with torch.no_grad():
        _, pres = m.decode(dec_ids[:, :1].repeat(1, s_past), enc, mask)
    flat_past = [t.contiguous() for kv in pres for t in kv]
    past_names = cache_names("past_key_values", n_dec_layers)
    wp_axes = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
               "input_ids": {0: "batch_size"},
               "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
               "logits": {0: "batch_size"}}
    for n in past_names:
        wp_axes[n] = {0: "batch_size", 2: "encoder_sequence_length_out" if ".encoder." in n
                      else "past_decoder_sequence_length"}
    wp_out = cache_names("present", n_dec_layers, parts=("decoder",))
    for n in wp_out:
        wp_axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
    export_onnx(DecoderWithPastWrapper(m, n_dec_layers), (mask, dec_ids[:, :1], enc, *flat_past),
                onnx_dir / "decoder_with_past_model.onnx", input_names=dec_in + past_names,
                output_names=["logits"] + wp_out, dynamic_axes=wp_axes, opset=OPSET)

    import onnx
    for name in ("decoder_model.onnx", "decoder_with_past_model.onnx"):
        _declare_output_shapes(onnx_dir / name, heads, head_dim, vocab)
    merged = merge_decoders(onnx.load(str(onnx_dir / "decoder_model.onnx")),
                            onnx.load(str(onnx_dir / "decoder_with_past_model.onnx")))
    onnx.save(merged, str(onnx_dir / "decoder_model_merged.onnx"))
    _check_onnx_layout(onnx_dir, n_dec_layers, heads, head_dim, vocab)


def _declare_output_shapes(path: Path, heads: int, head_dim: int, vocab: int) -> None:
    """torch's shape inference loses the static head dims of the cache outputs (the reshape target is built
    from a traced batch size); declare the outputs as Optimum's exports do: present.* [batch_size, heads,
    <seq name>, head_dim], logits [batch_size, <decoder_sequence_length | 1>, vocab]."""
    import onnx
    m = onnx.load(str(path))
    for vi in m.graph.output:
        dims = vi.type.tensor_type.shape.dim
        if vi.name.startswith("present."):
            dims[1].Clear()
            dims[1].dim_value = heads
            dims[3].Clear()
            dims[3].dim_value = head_dim
        elif vi.name == "logits":
            if not dims[1].dim_param.startswith("decoder_sequence_length"):
                dims[1].Clear()
                dims[1].dim_value = 1  # decoder_with_past: one new token per call
            dims[2].Clear()
            dims[2].dim_value = vocab
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def _check_onnx_layout(onnx_dir: Path, n_layers: int, heads: int, head_dim: int, vocab: int) -> None:
    """Assert the exact I/O names/order and static head dims of the four files."""
    import onnx

    def io(name):
        g = onnx.load(str(onnx_dir / name)).graph
        return [i.name for i in g.input], [o.name for o in g.output], g

    ins, outs, _ = io("encoder_model.onnx")
    assert ins == ["input_ids", "attention_mask"] and outs == ["last_hidden_state"], (ins, outs)
    full = cache_names("present", n_layers)
    ins, outs, _ = io("decoder_model.onnx")
    assert ins == ["encoder_attention_mask", "input_ids", "encoder_hidden_states"], ins
    assert outs == ["logits"] + full, outs
    ins, outs, _ = io("decoder_with_past_model.onnx")
    assert ins[:2] == ["encoder_attention_mask", "input_ids"], ins
    assert [i for i in ins if i.startswith("past_key_values.")] == cache_names("past_key_values", n_layers), ins
    assert outs == ["logits"] + cache_names("present", n_layers, ("decoder",)), outs
    ins, outs, g = io("decoder_model_merged.onnx")
    assert ins == (["encoder_attention_mask", "input_ids", "encoder_hidden_states"]
                   + cache_names("past_key_values", n_layers) + ["use_cache_branch"]), ins
    assert outs == ["logits"] + full, outs
    assert [n.op_type for n in g.node] == ["If"]
    for vi in list(g.input) + list(g.output):
        if vi.name.startswith(("past_key_values.", "present.")):
            dims = vi.type.tensor_type.shape.dim
            assert dims[0].dim_param == "batch_size" and dims[1].dim_value == heads \
                and dims[3].dim_value == head_dim and dims[2].dim_param, vi
    lg = g.output[0].type.tensor_type.shape.dim
    assert lg[0].dim_param == "batch_size" and lg[2].dim_value == vocab, lg


@torch.no_grad()
def check_torch_cache(m, n_layers: int, start_id: int, steps: int = 6) -> List[int]:
    """Greedy decode in torch with the cache and without it (full prefix): tokens must match."""
    ids = torch.tensor([[10, 200, 3000, 45, 7, 99, 1234]])
    mask = torch.ones_like(ids)
    enc = m.encode(ids, mask)
    seq, toks = torch.tensor([[start_id]]), []
    logits, pres = m.decode(seq, enc, mask)
    past = pres
    cur = logits[:, -1].argmax(-1, keepdim=True)
    for _ in range(steps):
        toks.append(int(cur))
        seq = torch.cat([seq, cur], 1)
        full, _ = m.decode(seq, enc, mask)
        logits, pres = m.decode(cur, enc, mask, past)
        assert torch.allclose(full[:, -1], logits[:, -1], atol=1e-4), "cache mismatch"
        past = [p[0:2] + past[i][2:4] for i, p in enumerate(pres)]
        cur = logits[:, -1].argmax(-1, keepdim=True)
    return toks


# ----------------------------------------------------------------------------------------------------------
# tokenizers and configs
# ----------------------------------------------------------------------------------------------------------
def _added(id_, content, lstrip=False, normalized=False):
    return {"id": id_, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": False,
            "normalized": normalized, "special": True}


def bart_tokenizer_json() -> dict:
    g = load_json(TOKENIZERS_DIR / "gpt2" / "tokenizer.json")
    old = g["model"]["vocab"]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for tok, i in sorted(old.items(), key=lambda kv: kv[1]):
        if tok != "<|endoftext|>":
            vocab[tok] = i + 4
    vocab["<|endoftext|>"] = 50260
    for k in range(3):
        vocab[f"madeupword{k:04d}"] = 50261 + k
    vocab["<mask>"] = 50264
    assert len(vocab) == BART_CFG["vocab_size"] and sorted(vocab.values()) == list(range(len(vocab)))
    model = dict(g["model"])
    model["vocab"] = vocab
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [_added(0, "<s>", normalized=True), _added(1, "<pad>", normalized=True),
                         _added(2, "</s>", normalized=True), _added(3, "<unk>", normalized=True),
                         _added(50264, "<mask>", lstrip=True)],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
                           "trim_offsets": True, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": model,
    }


def write_bart_files(out: Path) -> None:
    import json
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                "pad_token": "<pad>", "cls_token": "<s>",
                "mask_token": {"content": "<mask>", "lstrip": True, "normalized": False, "rstrip": False,
                               "single_word": False}}
    write_json(out / "special_tokens_map.json", specials)
    # tokenizer_config.json: special tokens as plain strings (transformers.js only accepts a string or an
    # {"__type": "AddedToken"} object here) + added_tokens_decoder, as written by recent transformers.
    tok_json = bart_tokenizer_json()
    write_json(out / "tokenizer_config.json", {
        **specials, "mask_token": "<mask>",
        "added_tokens_decoder": {str(t["id"]): {k: v for k, v in t.items() if k != "id"}
                                 for t in tok_json["added_tokens"]},
        "add_prefix_space": False, "clean_up_tokenization_spaces": True, "errors": "replace",
        "model_max_length": 1024, "tokenizer_class": "BartTokenizer", "trim_offsets": True,
    })
    with open(out / "tokenizer.json", "w", encoding="utf-8") as f:  # compact, like HF's tokenizer.json
        json.dump(tok_json, f, ensure_ascii=False, separators=(",", ":"))
    c = BART_CFG
    write_json(out / "config.json", {
        "_name_or_path": "tiny-random-bart (fixture)", "activation_dropout": 0.0, "activation_function": "gelu",
        "add_bias_logits": False, "add_final_layer_norm": False, "architectures": ["BartForConditionalGeneration"],
        "attention_dropout": 0.0, "bos_token_id": c["bos_token_id"], "classifier_dropout": 0.0,
        "d_model": c["d_model"], "decoder_attention_heads": c["decoder_attention_heads"],
        "decoder_ffn_dim": c["decoder_ffn_dim"], "decoder_layerdrop": 0.0, "decoder_layers": c["decoder_layers"],
        "decoder_start_token_id": c["decoder_start_token_id"], "dropout": 0.1,
        "encoder_attention_heads": c["encoder_attention_heads"], "encoder_ffn_dim": c["encoder_ffn_dim"],
        "encoder_layerdrop": 0.0, "encoder_layers": c["encoder_layers"], "eos_token_id": c["eos_token_id"],
        "forced_bos_token_id": 0, "forced_eos_token_id": 2, "init_std": 0.02, "is_encoder_decoder": True,
        "max_position_embeddings": c["max_position_embeddings"], "model_type": "bart", "normalize_before": False,
        "num_hidden_layers": c["encoder_layers"], "pad_token_id": c["pad_token_id"], "scale_embedding": False,
        "tie_word_embeddings": True, "transformers_version": "4.46.0", "use_cache": True,
        "vocab_size": c["vocab_size"],
        "task_specific_params": {"summarization": {
            "early_stopping": True, "length_penalty": 2.0, "max_length": 142, "min_length": 56,
            "no_repeat_ngram_size": 3, "num_beams": 4}},
    })
    # a bart-large-cnn-like summarizer generation config, with short lengths for a fixture
    write_json(out / "generation_config.json", {
        "bos_token_id": 0, "decoder_start_token_id": 2, "early_stopping": True, "eos_token_id": 2,
        "forced_bos_token_id": 0, "forced_eos_token_id": 2, "length_penalty": 2.0, "max_length": 32,
        "min_length": 4, "no_repeat_ngram_size": 3, "num_beams": 4, "pad_token_id": 1,
        "transformers_version": "4.46.0",
    })


def write_t5_files(out: Path) -> None:
    import shutil
    shutil.copyfile(TOKENIZERS_DIR / "t5" / "tokenizer.json", out / "tokenizer.json")
    extra = [f"<extra_id_{i}>" for i in range(100)]
    specials = {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
                "additional_special_tokens": extra}
    write_json(out / "special_tokens_map.json", specials)
    added = load_json(TOKENIZERS_DIR / "t5" / "tokenizer.json")["added_tokens"]
    write_json(out / "tokenizer_config.json", {
        **specials,
        "added_tokens_decoder": {str(t["id"]): {k: v for k, v in t.items() if k != "id"} for t in added},
        "clean_up_tokenization_spaces": True, "extra_ids": 100, "legacy": True,
        "model_max_length": 512, "tokenizer_class": "T5Tokenizer",
    })
    c = T5_CFG
    write_json(out / "config.json", {
        "_name_or_path": "tiny-random-t5 (fixture)", "architectures": ["T5ForConditionalGeneration"],
        "classifier_dropout": 0.0, "d_ff": c["d_ff"], "d_kv": c["d_kv"], "d_model": c["d_model"],
        "decoder_start_token_id": c["decoder_start_token_id"], "dense_act_fn": "relu", "dropout_rate": 0.1,
        "eos_token_id": c["eos_token_id"], "feed_forward_proj": "relu", "initializer_factor": 1.0,
        "is_encoder_decoder": True, "is_gated_act": False, "layer_norm_epsilon": c["layer_norm_epsilon"],
        "model_type": "t5", "n_positions": 512, "num_decoder_layers": c["num_decoder_layers"],
        "num_heads": c["num_heads"], "num_layers": c["num_layers"], "output_past": True,
        "pad_token_id": c["pad_token_id"], "relative_attention_max_distance": c["relative_attention_max_distance"],
        "relative_attention_num_buckets": c["relative_attention_num_buckets"], "tie_word_embeddings": True,
        "transformers_version": "4.46.0", "use_cache": True, "vocab_size": c["vocab_size"],
        "task_specific_params": {
            "summarization": {"early_stopping": True, "length_penalty": 2.0, "max_length": 200, "min_length": 30,
                              "no_repeat_ngram_size": 3, "num_beams": 4, "prefix": "summarize: "},
            "translation_en_to_de": {"early_stopping": True, "max_length": 300, "num_beams": 4,
                                     "prefix": "translate English to German: "},
            "translation_en_to_fr": {"early_stopping": True, "max_length": 300, "num_beams": 4,
                                     "prefix": "translate English to French: "},
            "translation_en_to_ro": {"early_stopping": True, "max_length": 300, "num_beams": 4,
                                     "prefix": "translate English to Romanian: "},
        },
    })
    write_json(out / "generation_config.json", {
        "decoder_start_token_id": 0, "eos_token_id": 1, "pad_token_id": 0, "transformers_version": "4.46.0",
    })


# ----------------------------------------------------------------------------------------------------------
def build_bart() -> Path:
    out = fixture_dir("bart")
    m = build_bart_model()
    c = BART_CFG
    toks = check_torch_cache(m, c["decoder_layers"], c["decoder_start_token_id"])
    print("bart torch greedy (cache == no cache):", toks)
    write_bart_files(out)
    heads = c["decoder_attention_heads"]
    export_family(m, out / "onnx", c["decoder_layers"], heads, c["d_model"] // heads, c["vocab_size"])
    return out


def build_t5() -> Path:
    out = fixture_dir("t5")
    m = build_t5_model()
    c = T5_CFG
    toks = check_torch_cache(m, c["num_decoder_layers"], c["decoder_start_token_id"])
    print("t5 torch greedy (cache == no cache):", toks)
    write_t5_files(out)
    export_family(m, out / "onnx", c["num_decoder_layers"], c["num_heads"], c["d_kv"], c["vocab_size"])
    return out


def main(argv: List[str]) -> None:
    which = argv or ["bart", "t5"]
    outs = []
    for name in which:
        outs.append({"bart": build_bart, "t5": build_t5}[name]())
    for o in outs:
        for f in sorted((o / "onnx").glob("*.onnx")):
            print(onnx_io_summary(f))
    print_sizes(outs)


if __name__ == "__main__":
    main(sys.argv[1:])
