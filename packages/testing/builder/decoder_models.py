"""Build tiny random-weight decoder-only ONNX fixtures with KV cache (GPT-2 and LLaMA).

Rebuild (from the repository root)::

    /usr/bin/python3 packages/testing/builder/decoder_models.py [gpt2] [llama] [qwen2-tools]

Writes ``packages/testing/fixtures/{gpt2,llama,qwen2-tools}/`` in the Optimum layout that
transformers.js 4 loads for decoder-only models: ``config.json``, ``generation_config.json``,
``tokenizer.json``, ``tokenizer_config.json``, ``special_tokens_map.json`` and a single merged
graph ``onnx/model.onnx`` (valid for an empty cache, past_sequence_length = 0, and for > 0).

ONNX I/O (opset 14; both models; float32; int64 ids):

* inputs
    ``input_ids``                 int64 [batch_size, sequence_length]
    ``attention_mask``            int64 [batch_size, past_sequence_length + sequence_length]
    ``position_ids``              int64 [batch_size, sequence_length]
    ``past_key_values.{i}.key``   float [batch_size, KV_HEADS, past_sequence_length, HEAD_DIM]
    ``past_key_values.{i}.value`` float [batch_size, KV_HEADS, past_sequence_length, HEAD_DIM]
* outputs
    ``logits``                    float [batch_size, sequence_length, vocab_size]
    ``present.{i}.key``           float [batch_size, KV_HEADS, past_sequence_length + sequence_length, HEAD_DIM]
    ``present.{i}.value``         (same)

KV_HEADS and HEAD_DIM are fixed numbers in the graph's input metadata (transformers.js 4 builds
the empty first-step cache from that metadata: only ``batch_size`` is resolved, any other
symbolic dim becomes 0). transformers.js computes ``position_ids`` from the attention mask
(cumsum - 1, pads set to 1) because the graph declares that input.

The causal + padding mask is a boolean built from shape ops (``Where``), so batch, sequence and
past lengths stay dynamic and left padding (with matching ``attention_mask``/``position_ids``)
leaves the logits of real tokens unchanged. The LM head is tied to the token embeddings and
stored once (no constant folding; logits = h @ E^T).

gpt2
    GPT-2 (pre-LN, learned absolute positions, tanh-GELU MLP), n_embd 16, n_layer 2, n_head 2
    (head_dim 8), n_positions 1024, vocab 50257 with the real GPT-2 byte-level BPE tokenizer
    (tokenizer.json copied unmodified). bos = eos = pad = 50256 ``<|endoftext|>``.

llama
    LLaMA (RMSNorm, rotary position embeddings with rope_theta 10000, SwiGLU MLP, no biases,
    grouped-query attention): hidden 16, 2 layers, 4 attention heads, 2 key/value heads,
    head_dim 8 (explicit ``head_dim`` in config.json; note head_dim != hidden_size / heads, as in
    Gemma/Qwen3, so the cache must be sized from ``head_dim``), intermediate 48, tied embeddings.
    Tokenizer choice: the real T5 SentencePiece-Unigram ``tokenizer.json`` (32100 tokens incl.
    the 100 ``<extra_id_*>``; Metaspace pre-tokenizer like LLaMA/SentencePiece) because its vocab is
    close to LLaMA's 32000 and smaller than GPT-2's. The only edit to the copied file: its
    ``post_processor`` (which appends ``</s>`` to every sequence, a T5 encoder convention) is set
    to null, so prompts are not terminated by EOS. T5 has no BOS token, so (as in GPT-2) BOS = EOS
    = ``</s>`` (id 1); pad = ``<pad>`` (id 0), unk = ``<unk>`` (id 2). vocab_size = 32100 exactly
    (not T5's padded 32128) so every generated id decodes. tokenizer_class is LlamaTokenizer
    (transformers.js pads it on the left).

qwen2-tools
    Qwen2 (the LLaMA layer above plus biases on the q/k/v projections, rope_theta 1e6): hidden 32,
    2 layers, 4 attention heads, 2 key/value heads, head_dim 8, intermediate 64, tied embeddings.
    Its point is its own chat template: ``tokenizer_config.json`` carries ``chat_template`` =
    ``packages/testing/templates/hermes-tools.jinja`` (ChatML with tools in the Hermes convention,
    as Qwen 2.5 renders them), so chat with tools runs on the model's own template. Tokenizer: GPT-2's
    byte-level BPE cut to its 256 byte tokens and first 2000 merges (ids 0-2255; GPT-2 numbers merge
    results in merge order, so the cut is a complete BPE), then Qwen 2.5's added tokens
    ``<|endoftext|>`` 2256, ``<|im_start|>`` 2257, ``<|im_end|>`` 2258 (special) and ``<tool_call>``
    2259, ``</tool_call>`` 2260 (not special); vocab_size 2261 exactly. eos = ``<|im_end|>`` (generation
    config: ``<|im_end|>`` and ``<|endoftext|>``), pad = ``<|endoftext|>``, no BOS added, as Qwen2.5-Instruct.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import torch
from torch import nn

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

MASK_VALUE = -1.0e9  # masked attention scores (via Where, so fully masked pad rows stay finite)

GPT2_CONFIG = dict(
    model_type="gpt2",
    architectures=["GPT2LMHeadModel"],
    activation_function="gelu_new",
    vocab_size=50257,
    n_embd=16,
    n_layer=2,
    n_head=2,
    n_inner=None,  # 4 * n_embd
    n_positions=1024,
    n_ctx=1024,
    layer_norm_epsilon=1e-5,
    initializer_range=0.02,
    attn_pdrop=0.0,
    embd_pdrop=0.0,
    resid_pdrop=0.0,
    scale_attn_weights=True,
    use_cache=True,
    bos_token_id=50256,
    eos_token_id=50256,
    pad_token_id=50256,
    tie_word_embeddings=True,
    torch_dtype="float32",
    transformers_version="4.46.0",
    # Aliases read by generic tooling (PretrainedConfig attribute_map for GPT-2):
    hidden_size=16,
    num_attention_heads=2,
    num_hidden_layers=2,
    max_position_embeddings=1024,
)

LLAMA_CONFIG = dict(
    model_type="llama",
    architectures=["LlamaForCausalLM"],
    vocab_size=32100,
    hidden_size=16,
    intermediate_size=48,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    head_dim=8,
    hidden_act="silu",
    max_position_embeddings=2048,
    rms_norm_eps=1e-6,
    rope_theta=10000.0,
    rope_scaling=None,
    attention_bias=False,
    attention_dropout=0.0,
    mlp_bias=False,
    pretraining_tp=1,
    initializer_range=0.02,
    use_cache=True,
    bos_token_id=1,
    eos_token_id=1,
    pad_token_id=0,
    tie_word_embeddings=True,
    torch_dtype="float32",
    transformers_version="4.46.0",
)


# ----------------------------------------------------------------------------- shared pieces


def attention_keep_mask(attention_mask: torch.Tensor, seq_len, past_len) -> torch.Tensor:
    """Boolean [b, 1, s, past+s]: key j visible from query i iff j <= past+i and mask[j] == 1.

    Built from shape values only, so batch / sequence / past lengths stay dynamic in ONNX.
    """
    total = attention_mask.shape[1]  # == past_len + seq_len
    k_pos = torch.arange(total, dtype=torch.int64, device=attention_mask.device)
    q_pos = torch.arange(seq_len, dtype=torch.int64, device=attention_mask.device) + past_len
    causal = k_pos[None, :] <= q_pos[:, None]  # [s, T]
    padding = attention_mask[:, None, None, :] > 0  # [b, 1, 1, T]
    return causal[None, None, :, :] & padding


def masked_softmax_attention(q, k, v, keep, scale):
    """softmax(q k^T * scale, masked) v; broadcasting over leading dims."""
    scores = torch.matmul(q, k.transpose(-1, -2)) * scale
    scores = scores.masked_fill(~keep, MASK_VALUE)
    return torch.matmul(torch.softmax(scores, dim=-1), v)


# ----------------------------------------------------------------------------- GPT-2


class GPT2Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["n_embd"]
        self.n_head = int(c["n_head"])
        self.head_dim = int(h // self.n_head)
        inner = c["n_inner"] or 4 * h
        self.ln_1 = nn.LayerNorm(h, eps=c["layer_norm_epsilon"])
        self.c_attn = nn.Linear(h, 3 * h)
        self.c_proj = nn.Linear(h, h)
        self.ln_2 = nn.LayerNorm(h, eps=c["layer_norm_epsilon"])
        self.c_fc = nn.Linear(h, inner)
        self.mlp_proj = nn.Linear(inner, h)

    @staticmethod
    def gelu_new(x):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))

    def forward(self, x, keep, past_k, past_v):
        b, s = x.shape[0], x.shape[1]
        q, k, v = self.c_attn(self.ln_1(x)).split(self.n_head * self.head_dim, dim=2)
        q = q.reshape(b, s, self.n_head, self.head_dim).transpose(1, 2)
        k = k.reshape(b, s, self.n_head, self.head_dim).transpose(1, 2)
        v = v.reshape(b, s, self.n_head, self.head_dim).transpose(1, 2)
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        ctx = masked_softmax_attention(q, k, v, keep, 1.0 / math.sqrt(self.head_dim))
        ctx = ctx.transpose(1, 2).reshape(b, s, self.n_head * self.head_dim)
        x = x + self.c_proj(ctx)
        x = x + self.mlp_proj(self.gelu_new(self.c_fc(self.ln_2(x))))
        return x, k, v


class GPT2LMHeadModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c["vocab_size"], c["n_embd"])
        self.wpe = nn.Embedding(c["n_positions"], c["n_embd"])
        self.h = nn.ModuleList([GPT2Block(c) for _ in range(c["n_layer"])])
        self.ln_f = nn.LayerNorm(c["n_embd"], eps=c["layer_norm_epsilon"])

    def forward(self, input_ids, attention_mask, position_ids, *past):
        s = input_ids.shape[1]
        keep = attention_keep_mask(attention_mask, s, past[0].shape[2])  # [b, 1, s, T]
        x = self.wte(input_ids) + self.wpe(position_ids)
        presents = []
        for i, block in enumerate(self.h):
            x, k, v = block(x, keep, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        x = self.ln_f(x)
        logits = torch.matmul(x, self.wte.weight.t())  # tied LM head, no copy
        return (logits, *presents)


# ----------------------------------------------------------------------------- LLaMA


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x, half: int):
    """[-x2, x1] with a fixed (Python int) split point."""
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class LlamaDecoderLayer(nn.Module):
    def __init__(self, c, qkv_bias: bool = False):
        super().__init__()
        h = c["hidden_size"]
        self.n_head = int(c["num_attention_heads"])
        self.n_kv = int(c["num_key_value_heads"])
        self.n_rep = self.n_head // self.n_kv
        self.head_dim = int(c["head_dim"])
        self.input_layernorm = RMSNorm(h, c["rms_norm_eps"])
        self.q_proj = nn.Linear(h, self.n_head * self.head_dim, bias=qkv_bias)  # Qwen2: biases on q, k, v
        self.k_proj = nn.Linear(h, self.n_kv * self.head_dim, bias=qkv_bias)
        self.v_proj = nn.Linear(h, self.n_kv * self.head_dim, bias=qkv_bias)
        self.o_proj = nn.Linear(self.n_head * self.head_dim, h, bias=False)
        self.post_attention_layernorm = RMSNorm(h, c["rms_norm_eps"])
        self.gate_proj = nn.Linear(h, c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(h, c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], h, bias=False)

    def forward(self, x, keep, cos, sin, past_k, past_v):
        # keep: bool [b, 1, 1, s, T]; cos/sin: [b, 1, s, D]
        b, s = x.shape[0], x.shape[1]
        hs = self.input_layernorm(x)
        q = self.q_proj(hs).reshape(b, s, self.n_head, self.head_dim).transpose(1, 2)
        k = self.k_proj(hs).reshape(b, s, self.n_kv, self.head_dim).transpose(1, 2)
        v = self.v_proj(hs).reshape(b, s, self.n_kv, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q, self.head_dim // 2) * sin
        k = k * cos + rotate_half(k, self.head_dim // 2) * sin
        k = torch.cat([past_k, k], dim=2)  # [b, kv, T, D]
        v = torch.cat([past_v, v], dim=2)
        # Grouped-query attention without materialising repeated K/V:
        # query head h = g * n_rep + r uses kv head g (same as HF repeat_kv).
        qg = q.reshape(b, self.n_kv, self.n_rep, s, self.head_dim)
        ctx = masked_softmax_attention(qg, k.unsqueeze(2), v.unsqueeze(2), keep,
                                       1.0 / math.sqrt(self.head_dim))  # [b, kv, rep, s, D]
        ctx = ctx.reshape(b, self.n_head, s, self.head_dim).transpose(1, 2)
        ctx = ctx.reshape(b, s, self.n_head * self.head_dim)
        x = x + self.o_proj(ctx)
        hs = self.post_attention_layernorm(x)
        x = x + self.down_proj(nn.functional.silu(self.gate_proj(hs)) * self.up_proj(hs))
        return x, k, v


class LlamaForCausalLM(nn.Module):
    def __init__(self, c, qkv_bias: bool = False):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([LlamaDecoderLayer(c, qkv_bias) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        d = int(c["head_dim"])
        inv_freq = 1.0 / (c["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, input_ids, attention_mask, position_ids, *past):
        s = input_ids.shape[1]
        keep = attention_keep_mask(attention_mask, s, past[0].shape[2]).unsqueeze(1)  # [b,1,1,s,T]
        freqs = position_ids[:, :, None].to(torch.float32) * self.inv_freq[None, None, :]
        emb = torch.cat([freqs, freqs], dim=-1)[:, None]  # [b, 1, s, D]
        cos, sin = emb.cos(), emb.sin()
        x = self.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, keep, cos, sin, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        x = self.norm(x)
        logits = torch.matmul(x, self.embed_tokens.weight.t())  # tied LM head, no copy
        return (logits, *presents)


# ----------------------------------------------------------------------------- build helpers


@torch.no_grad()
def init_weights(model: nn.Module, seed: int) -> nn.Module:
    """Large-std init (logits clearly separated); norms stay 1/0, embeddings ~ N(0, 0.5)."""
    init_normal_(model, std=0.3, seed=seed, skip=("ln_", "norm"))
    for name, p in model.named_parameters():
        if name in ("wte.weight", "embed_tokens.weight"):
            p.mul_(0.5 / 0.3)
        elif name == "wpe.weight":
            p.mul_(0.2 / 0.3)
        elif name.endswith("bias"):
            p.mul_(0.1 / 0.3)
    return model


def io_spec(n_layers: int):
    inputs = ["input_ids", "attention_mask", "position_ids"]
    outputs = ["logits"]
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for i in range(n_layers):
        for kind in ("key", "value"):
            inputs.append(f"past_key_values.{i}.{kind}")
            outputs.append(f"present.{i}.{kind}")
            axes[f"past_key_values.{i}.{kind}"] = {0: "batch_size", 2: "past_sequence_length"}
            axes[f"present.{i}.{kind}"] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    return inputs, outputs, axes


def empty_past(batch, n_layers, n_kv, head_dim, past_len=0):
    return [torch.zeros(batch, n_kv, past_len, head_dim) for _ in range(2 * n_layers)]


def position_ids_from_mask(mask: torch.Tensor) -> torch.Tensor:
    """transformers.js / HF rule: cumsum(mask) - 1, padding positions set to 1."""
    pos = mask.cumsum(-1) - 1
    return pos.masked_fill(mask == 0, 1)


@torch.no_grad()
def self_check(model, n_layers, n_kv, head_dim, vocab) -> None:
    """Cache consistency and left-padding invariance in torch, before export."""
    g = torch.Generator().manual_seed(99)
    ids = torch.randint(3, vocab, (2, 6), generator=g)
    mask = torch.ones_like(ids)
    full = model(ids, mask, position_ids_from_mask(mask), *empty_past(2, n_layers, n_kv, head_dim))
    pre = model(ids[:, :5], mask[:, :5], position_ids_from_mask(mask[:, :5]),
                *empty_past(2, n_layers, n_kv, head_dim))
    step = model(ids[:, 5:], mask, position_ids_from_mask(mask)[:, 5:], *pre[1:])
    d = (full[0][:, 5] - step[0][:, 0]).abs().max().item()
    assert d < 1e-4, f"cache mismatch {d}"
    # left padding: row 1 has only its last 4 tokens
    mask2 = mask.clone()
    mask2[1, :2] = 0
    padded = model(ids, mask2, position_ids_from_mask(mask2), *empty_past(2, n_layers, n_kv, head_dim))
    alone = model(ids[1:, 2:], mask[1:, 2:], position_ids_from_mask(mask[1:, 2:]),
                  *empty_past(1, n_layers, n_kv, head_dim))
    d = (padded[0][1, 2:] - alone[0][0]).abs().max().item()
    assert d < 1e-4, f"left padding mismatch {d}"
    assert torch.isfinite(padded[0]).all()
    top2 = full[0].topk(2, dim=-1).values
    gap = (top2[..., 0] - top2[..., 1]).min().item()
    print(f"  self-check ok; min top1-top2 logit gap over sample = {gap:.4f}")


def export_decoder(model, out: Path, n_layers, n_kv, head_dim, vocab):
    inputs, outputs, axes = io_spec(n_layers)
    g = torch.Generator().manual_seed(7)
    b, s, past_len = 2, 3, 4
    ids = torch.randint(3, vocab, (b, s), generator=g)
    mask = torch.ones(b, past_len + s, dtype=torch.int64)
    pos = position_ids_from_mask(mask)[:, past_len:]
    past = [torch.randn(b, n_kv, past_len, head_dim, generator=g) for _ in range(2 * n_layers)]
    export_onnx(model, [ids, mask, pos, *past], out / "onnx" / "model.onnx", inputs, outputs, axes)
    print(onnx_io_summary(out / "onnx" / "model.onnx"))


# ----------------------------------------------------------------------------- fixtures


def build_gpt2() -> Path:
    c = GPT2_CONFIG
    out = fixture_dir("gpt2")
    seed_everything(2001)
    model = init_weights(GPT2LMHeadModel(c), 2001).eval()
    head_dim = c["n_embd"] // c["n_head"]
    self_check(model, c["n_layer"], c["n_head"], head_dim, c["vocab_size"])
    export_decoder(model, out, c["n_layer"], c["n_head"], head_dim, c["vocab_size"])

    write_json(out / "config.json", c)
    write_json(out / "generation_config.json", dict(
        bos_token_id=50256, eos_token_id=50256, pad_token_id=50256, transformers_version="4.46.0"))
    copy_tokenizer_files("gpt2", out, ["tokenizer.json"])
    eot = "<|endoftext|>"
    special = dict(bos_token=eot, eos_token=eot, unk_token=eot, pad_token=eot)
    write_json(out / "special_tokens_map.json", special)
    write_json(out / "tokenizer_config.json", dict(
        special,
        tokenizer_class="GPT2Tokenizer",
        model_max_length=1024,
        add_prefix_space=False,
        add_bos_token=False,
        padding_side="left",
        clean_up_tokenization_spaces=False,
        errors="replace",
    ))
    return out


def build_llama() -> Path:
    c = LLAMA_CONFIG
    out = fixture_dir("llama")
    seed_everything(3001)
    model = init_weights(LlamaForCausalLM(c), 3001).eval()
    self_check(model, c["num_hidden_layers"], c["num_key_value_heads"], c["head_dim"], c["vocab_size"])
    export_decoder(model, out, c["num_hidden_layers"], c["num_key_value_heads"], c["head_dim"],
                   c["vocab_size"])

    write_json(out / "config.json", c)
    write_json(out / "generation_config.json", dict(
        bos_token_id=1, eos_token_id=1, pad_token_id=0, transformers_version="4.46.0"))
    tok = load_json(TOKENIZERS_DIR / "t5" / "tokenizer.json")
    n_tokens = len(tok["model"]["vocab"])
    assert n_tokens == c["vocab_size"], n_tokens
    tok["post_processor"] = None  # decoder-only: do not append </s>
    write_json_compact(out / "tokenizer.json", tok)
    special = dict(bos_token="</s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>")
    write_json(out / "special_tokens_map.json", special)
    write_json(out / "tokenizer_config.json", dict(
        special,
        tokenizer_class="LlamaTokenizer",
        model_max_length=2048,
        add_bos_token=False,
        add_eos_token=False,
        padding_side="left",
        clean_up_tokenization_spaces=False,
        legacy=False,
    ))
    return out


QWEN2_TOOLS_MERGES = 2000  # GPT-2's first merges kept: vocab = 256 bytes + 2000 merges + 5 added tokens
QWEN2_TOOLS_ADDED = [  # (content, special), after the BPE vocab, as Qwen2.5 adds them
    ("<|endoftext|>", True),
    ("<|im_start|>", True),
    ("<|im_end|>", True),
    ("<tool_call>", False),
    ("</tool_call>", False),
]
QWEN2_TOOLS_VOCAB = 256 + QWEN2_TOOLS_MERGES + len(QWEN2_TOOLS_ADDED)
QWEN2_TOOLS_ENDOFTEXT = 256 + QWEN2_TOOLS_MERGES  # 2256
QWEN2_TOOLS_IM_END = QWEN2_TOOLS_ENDOFTEXT + 2  # 2258

QWEN2_TOOLS_CONFIG = dict(
    model_type="qwen2",
    architectures=["Qwen2ForCausalLM"],
    vocab_size=QWEN2_TOOLS_VOCAB,
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    head_dim=8,
    hidden_act="silu",
    max_position_embeddings=4096,
    rms_norm_eps=1e-6,
    rope_theta=1000000.0,
    rope_scaling=None,
    use_sliding_window=False,
    sliding_window=None,
    max_window_layers=2,
    attention_dropout=0.0,
    initializer_range=0.02,
    use_cache=True,
    bos_token_id=QWEN2_TOOLS_ENDOFTEXT,
    eos_token_id=QWEN2_TOOLS_IM_END,
    tie_word_embeddings=True,
    torch_dtype="float32",
    transformers_version="4.46.0",
)


def trimmed_gpt2_tokenizer(merges: int, added) -> dict:
    """GPT-2's byte-level BPE cut to its 256 byte tokens and first ``merges`` merges, then ``added`` tokens.

    GPT-2's vocabulary lists the bytes first and then each merge's result in merge order (id 256 + rank), so the
    first ``merges`` merges and the first ``256 + merges`` ids form a complete BPE: every merge's parts and result
    are kept (checked below). Its ``post_processor`` (the ByteLevel one, a no-op for ids) is dropped.
    """
    tok = load_json(TOKENIZERS_DIR / "gpt2" / "tokenizer.json")
    vocab = {text: i for text, i in tok["model"]["vocab"].items() if i < 256 + merges}
    kept = tok["model"]["merges"][:merges]
    for rank, merge in enumerate(kept):
        a, b = merge.split(" ")
        assert vocab.get(a) is not None and vocab.get(b) is not None and vocab.get(a + b) == 256 + rank, merge
    tok["model"]["vocab"] = vocab
    tok["model"]["merges"] = kept
    tok["post_processor"] = None
    tok["added_tokens"] = [
        dict(id=256 + merges + k, content=content, single_word=False, lstrip=False, rstrip=False,
             normalized=False, special=special)
        for k, (content, special) in enumerate(added)
    ]
    return tok


def build_qwen2_tools() -> Path:
    """A Qwen2-architecture model whose tokenizer_config.json carries a ChatML chat template that renders tools."""
    c = QWEN2_TOOLS_CONFIG
    out = fixture_dir("qwen2-tools")
    seed_everything(4001)
    model = init_weights(LlamaForCausalLM(c, qkv_bias=True), 4001).eval()
    self_check(model, c["num_hidden_layers"], c["num_key_value_heads"], c["head_dim"], c["vocab_size"])
    export_decoder(model, out, c["num_hidden_layers"], c["num_key_value_heads"], c["head_dim"],
                   c["vocab_size"])

    write_json(out / "config.json", c)
    write_json(out / "generation_config.json", dict(
        bos_token_id=QWEN2_TOOLS_ENDOFTEXT, eos_token_id=[QWEN2_TOOLS_IM_END, QWEN2_TOOLS_ENDOFTEXT],
        pad_token_id=QWEN2_TOOLS_ENDOFTEXT, transformers_version="4.46.0"))
    tok = trimmed_gpt2_tokenizer(QWEN2_TOOLS_MERGES, QWEN2_TOOLS_ADDED)
    assert len(tok["model"]["vocab"]) + len(tok["added_tokens"]) == c["vocab_size"]
    write_json_compact(out / "tokenizer.json", tok)
    special = dict(eos_token="<|im_end|>", pad_token="<|endoftext|>")
    write_json(out / "special_tokens_map.json", dict(special, additional_special_tokens=["<|im_start|>", "<|im_end|>"]))
    template = (Path(__file__).resolve().parent.parent / "templates" / "hermes-tools.jinja").read_text(encoding="utf-8")
    write_json(out / "tokenizer_config.json", dict(
        special,
        bos_token=None,
        unk_token=None,
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
        chat_template=template,
        tokenizer_class="Qwen2Tokenizer",
        model_max_length=4096,
        add_prefix_space=False,
        padding_side="left",
        clean_up_tokenization_spaces=False,
        split_special_tokens=False,
        errors="replace",
    ))
    return out


def write_json_compact(path: Path, obj) -> None:
    """Compact JSON in original key order (same style as the upstream tokenizer.json)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))


BUILDERS = {"gpt2": build_gpt2, "llama": build_llama, "qwen2-tools": build_qwen2_tools}


def main(argv=None) -> None:
    names = list(argv or []) or list(BUILDERS)
    outs = [BUILDERS[n]() for n in names]
    print_sizes(outs)


if __name__ == "__main__":
    main(sys.argv[1:])
