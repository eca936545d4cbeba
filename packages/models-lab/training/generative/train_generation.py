"""Train the caption language model (GPT-2-style decoder) on Multi30k train.en.

    node packages/models-lab/training/generative/train_tokenizers.mjs        # vocabularies + token ids (once)
    /usr/bin/python3 packages/models-lab/training/generative/train_generation.py [--resume]
    /usr/bin/python3 packages/models-lab/training/generative/export_generation.py

Each training caption is ``[<|endoftext|>] caption <|endoftext|>``, with the leading ``<|endoftext|>`` kept for
half of them (seeded): prompts from @proj/decoder have no BOS (the tokenizer adds none, as GPT-2's), while
unconditional generation starts from ``<|endoftext|>``. Validation perplexity (val.en, monitoring only) scores
``<|endoftext|> caption <|endoftext|>``: every caption token and the final end-of-text, given what precedes.
Checkpoints: $GEN_WORK/generation/last.pt (every 100 steps, each epoch).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import modules  # noqa: E402
from common_train import (WORK, Timer, load_ids, lr_at, pad, read_lines, save_checkpoint, setup,  # noqa: E402
                          token_batches)

EOT = 0
MAX_LEN = 128


def config(a) -> dict:
    return dict(
        model_type="gpt2", architectures=["GPT2LMHeadModel"], activation_function="gelu_new",
        vocab_size=a.vocab, n_embd=a.d_model, n_layer=a.layers, n_head=a.heads, n_inner=None,
        n_positions=a.positions, n_ctx=a.positions, layer_norm_epsilon=1e-5, initializer_range=0.02,
        attn_pdrop=a.dropout, embd_pdrop=a.dropout, resid_pdrop=a.dropout, scale_attn_weights=True,
        use_cache=True, bos_token_id=EOT, eos_token_id=EOT, pad_token_id=EOT, tie_word_embeddings=True,
        torch_dtype="float32", transformers_version="4.46.0", hidden_size=a.d_model,
        num_attention_heads=a.heads, num_hidden_layers=a.layers, max_position_embeddings=a.positions)


def lm_loss(model, seqs):
    ids = pad(seqs, EOT)
    labels = pad([s[1:] + [-100] for s in seqs], -100)  # predict token t+1 from the prefix up to t
    logits = model(ids)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100,
                           reduction="sum"), int((labels != -100).sum())


@torch.no_grad()
def validate(model, val):
    model.eval()
    seqs = [[EOT] + s[:MAX_LEN - 2] + [EOT] for s in val]
    tot, n = 0.0, 0
    for idx in token_batches([len(s) for s in seqs], 4000, random.Random(0)):
        l, k = lm_loss(model, [seqs[i] for i in idx])
        tot += float(l)
        n += k
    model.train()
    return tot, n


@torch.no_grad()
def greedy_text(model, ids, steps=30):
    model.eval()
    x = torch.tensor([ids])
    for _ in range(steps):
        nxt = int(model(x)[0, -1].argmax())
        if nxt == EOT:
            break
        x = torch.cat([x, torch.tensor([[nxt]])], 1)
    model.train()
    return x[0].tolist()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vocab", type=int, default=4096)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--positions", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--max-tokens", type=int, default=2000)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--seed", type=int, default=2)
    p.add_argument("--out", default=str(WORK / "generation"))
    p.add_argument("--resume", action="store_true")
    p.add_argument("--bench", type=int, default=0)
    a = p.parse_args()

    setup(a.seed)
    modules.use_fast_linear(True)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = config(a)
    data_rng = random.Random(a.seed)
    train = [([EOT] if data_rng.random() < 0.5 else []) + s[:MAX_LEN - 2] + [EOT] for s in load_ids("caption-en", "train", "en")]
    val = load_ids("caption-en", "val", "en")
    val_words = sum(len(l.split()) for l in read_lines("val", "en"))
    assert len(val) == 1014
    lengths = [len(s) for s in train]

    model = modules.GPT2Train(cfg, a.dropout)
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([dict(params=decay, weight_decay=0.05), dict(params=no_decay, weight_decay=0.0)],
                            lr=a.lr, betas=(0.9, 0.98), eps=1e-8)
    rng = random.Random(a.seed)
    steps_per_epoch = len(token_batches(lengths, a.max_tokens, random.Random(0)))
    total = steps_per_epoch * a.epochs
    state = dict(step=0, epoch=0, batch_in_epoch=0, minutes=0.0, log=[], epoch_rng=None)
    ck = out / "last.pt"
    if a.resume and ck.exists():
        c = torch.load(ck)
        model.load_state_dict(c["model"])
        opt.load_state_dict(c["opt"])
        state = c["state"]
        rng.setstate(c["rng"])
        torch.set_rng_state(c["torch_rng"])
        print(f"resumed at step {state['step']}", flush=True)
    print(f"params {n_params / 1e6:.2f}M, {len(train)} captions, {steps_per_epoch} steps/epoch, {total} steps", flush=True)
    timer = Timer()
    base = state["minutes"]
    model.train()
    while state["epoch"] < a.epochs:
        ers = state.get("epoch_rng") or rng.getstate()
        state["epoch_rng"] = ers
        rng.setstate(ers)
        batches = token_batches(lengths, a.max_tokens, rng)
        after = rng.getstate()
        run_l = run_n = 0.0
        for bi in range(state["batch_in_epoch"], len(batches)):
            for g in opt.param_groups:
                g["lr"] = lr_at(state["step"], total, a.warmup, a.lr)
            l, k = lm_loss(model, [train[i] for i in batches[bi]])
            opt.zero_grad()
            (l / k).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            state["batch_in_epoch"] = bi + 1
            run_l += float(l)
            run_n += k
            if state["step"] % 25 == 0:
                print(f"step {state['step']}/{total} ep {state['epoch']} nll {run_l / run_n:.3f} "
                      f"lr {opt.param_groups[0]['lr']:.2e} {base + timer.minutes():.1f} min", flush=True)
                run_l = run_n = 0.0
            if a.bench and state["step"] >= a.bench:
                m = timer.minutes()
                print(f"bench: {a.bench} steps in {m:.2f} min -> epoch ~{m / a.bench * steps_per_epoch:.1f} min")
                return
            if state["step"] % 100 == 0:
                state["minutes"] = base + timer.minutes()
                save_checkpoint(ck, model=model.state_dict(), opt=opt.state_dict(), state=state, rng=rng.getstate(),
                                torch_rng=torch.get_rng_state(), cfg=cfg)
        state["epoch"] += 1
        state["batch_in_epoch"] = 0
        state["epoch_rng"] = None
        rng.setstate(after)
        tot, n = validate(model, val)
        state["minutes"] = base + timer.minutes()
        state["log"].append(dict(epoch=state["epoch"], step=state["step"], val_token_ppl=math.exp(tot / n),
                                 val_word_ppl=math.exp(tot / (val_words + len(val))), minutes=state["minutes"]))
        print(f"== epoch {state['epoch']}: val token ppl {math.exp(tot / n):.2f}, word ppl "
              f"{math.exp(tot / (val_words + len(val))):.2f}, {state['minutes']:.1f} min", flush=True)
        print("   sample ids:", greedy_text(model, [EOT]), flush=True)
        save_checkpoint(ck, model=model.state_dict(), opt=opt.state_dict(), state=state, rng=rng.getstate(),
                        torch_rng=torch.get_rng_state(), cfg=cfg)
        save_checkpoint(out / f"epoch{state['epoch']}.pt", model=model.state_dict(), state=state, cfg=cfg)
    (out / "train_log.json").write_text(json.dumps(dict(cfg=cfg, args=vars(a), log=state["log"], params=n_params),
                                                   indent=2))
    print("done", flush=True)


if __name__ == "__main__":
    main()
