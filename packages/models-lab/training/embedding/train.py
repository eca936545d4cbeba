"""Contrastive training of the embedded sentence-embedding model, from the fill-mask model's body.

    /usr/bin/python3 packages/models-lab/training/embedding/train.py [--seed 0] [--epochs 1] [--lr 2e-4] ...
    /usr/bin/python3 packages/models-lab/training/embedding/train.py --init embedding --out embedding-stage2 ...

1. Initialization: the body of ``packages/models/models/fill-mask`` (BERT 4 x 128, MLM-trained on Multi30k
   train.en), read from its shipped int8 ONNX file and dequantized into ``modules.Body``. Checked first: the torch body
   must reproduce the ONNX graph's last hidden state (run by onnxruntime-node through ``probe.mjs``) within 1e-3.
2. Data (``encode_data.mjs``): STS-B ``sts-train.csv`` pairs scored >= 4 (paraphrase-level positives), plus Multi30k
   ``train.en`` captions each paired with itself (SimCSE: two dropout masks make the two views differ). Multi30k has
   one English caption per image, so it has no caption-caption positives of its own.
3. Loss: symmetric InfoNCE with in-batch negatives over mean-pooled, L2-normalized embeddings, temperature 0.05,
   plus (``--cosent-weight``, default 1) a CoSENT term on a batch of scored STS-B train pairs (all scores) per step.
4. Model selection: a held-out slice of STS-B *train* (10% of its pairs, all scores, seeded) scored by Spearman
   correlation of cosine similarity vs gold; the best evaluation point is kept. STS-B dev is never read here.

Writes ``.cache/checkpoints/<out>.pt`` (the best held-out point), ``<out>.log.json`` (every evaluation point) and
``embedding-init.pt`` (the untrained body, for the baseline).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

from embedding_common import (CKPT_DIR, DATA_DIR, FILL_MASK, HERE, HIDDEN_OUTPUT, Timer, body_from_fill_mask, load_json,
                    mean_pool, pad, setup, spearman)

MAX_LEN = 64  # pieces per training sentence (captions and STS-B sentences are far shorter; a guard only)


def clip(row, n=MAX_LEN):
    return row if len(row) <= n else list(row[:n - 1]) + [row[-1]]


def batch(rows):
    ids = pad([clip(r) for r in rows])
    return ids, (ids != 0).long()


def check_init(body, optimization: str) -> float:
    """Max |torch - onnx| of the last hidden state on 16 captions (padded batch), real tokens only, with
    onnxruntime's graph optimizations at ``optimization`` (``disabled``: the graph's own math; ``all``: what the SDK
    runs, where onnxruntime fuses the int8 DequantizeLinear + MatMul pairs and rounds differently)."""
    import onnx
    from onnx import TensorProto, helper

    rows = load_json(DATA_DIR / "captions.json")["ids"][:16]
    ids, mask = batch(rows)
    with tempfile.TemporaryDirectory() as tmp:
        m = onnx.load(str(FILL_MASK / "onnx" / "model_quantized.onnx"))
        m.graph.output.append(helper.make_tensor_value_info(HIDDEN_OUTPUT, TensorProto.FLOAT, None))
        onnx.save(m, f"{tmp}/probe.onnx")
        with open(f"{tmp}/req.json", "w") as f:
            json.dump({"model": f"{tmp}/probe.onnx", "output": HIDDEN_OUTPUT, "input_ids": ids.tolist(),
                       "attention_mask": mask.tolist()}, f)
        subprocess.run(["node", str(HERE / "probe.mjs"), f"{tmp}/req.json", f"{tmp}/res.json"], check=True,
                       env={**os.environ, "PROBE_OPT": optimization})
        res = load_json(f"{tmp}/res.json")
    ref = torch.tensor(res["data"], dtype=torch.float32).reshape(res["dims"])
    body.eval()
    with torch.no_grad():
        out = body(ids, mask)
    keep = mask.bool()
    return (out[keep] - ref[keep]).abs().max().item()


@torch.no_grad()
def embed(body, rows, bs=256):
    body.eval()
    out = []
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    for i in range(0, len(order), bs):
        idx = order[i:i + bs]
        ids, mask = batch([rows[j] for j in idx])
        out.append((idx, F.normalize(mean_pool(body(ids, mask), mask), dim=-1)))
    e = torch.zeros(len(rows), out[0][1].shape[1])
    for idx, v in out:
        e[idx] = v
    return e


def heldout_spearman(body, held) -> float:
    a, b = embed(body, [p[0] for p in held]), embed(body, [p[1] for p in held])
    return spearman((a * b).sum(-1).numpy(), [p[2] for p in held])


def cosent(a, b, y, scale=20.0):
    """CoSENT (Su 2022): every pair scored higher must have a higher cosine; log(1 + sum exp(s_j - s_i))."""
    s = (a * b).sum(-1) * scale
    d = s[None, :] - s[:, None]  # [i, j] = s_j - s_i, counted where y_i > y_j
    d = d - (~(y[:, None] > y[None, :])).float() * 1e12
    return torch.logsumexp(torch.cat([torch.zeros(1), d.flatten()]), dim=0)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--minutes", type=float, default=60.0, help="wall-clock cap of the training loop")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--stsb-repeat", type=int, default=4, help="copies of each STS-B positive pair per epoch")
    ap.add_argument("--min-score", type=float, default=4.0)
    ap.add_argument("--heldout", type=float, default=0.1, help="share of STS-B train pairs held out for selection")
    ap.add_argument("--cosent-weight", type=float, default=1.0,
                    help="weight of the CoSENT term on scored STS-B train pairs (0: InfoNCE only)")
    ap.add_argument("--cosent-batch", type=int, default=32)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default="embedding")
    ap.add_argument("--init", default=None, help="start from this checkpoint of .cache/checkpoints (a second stage) "
                                                 "instead of the fill-mask body")
    ap.add_argument("--captions", type=int, default=None, help="captions per epoch (a seeded sample; default all)")
    args = ap.parse_args(argv)
    setup(args.seed)
    torch.set_num_threads(args.threads)
    timer = Timer()

    captions = load_json(DATA_DIR / "captions.json")["ids"]
    st = load_json(DATA_DIR / "stsb-train.json")
    pairs = list(zip(st["a"], st["b"], st["score"]))
    rng = random.Random(args.seed)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    n_held = int(len(pairs) * args.heldout)
    held = [pairs[i] for i in order[:n_held]]
    positives = [(p[0], p[1]) for i in order[n_held:] for p in [pairs[i]] if p[2] >= args.min_score]
    scored = [pairs[i] for i in order[n_held:]]
    print(f"data: {len(captions)} captions (SimCSE), {len(positives)} STS-B train pairs >= {args.min_score} "
          f"(x{args.stsb_repeat}), {len(scored)} scored STS-B train pairs for CoSENT (weight {args.cosent_weight}), "
          f"{len(held)} STS-B train pairs held out for selection")

    if args.captions is not None:
        captions = rng.sample(captions, args.captions)
    body = body_from_fill_mask(dropout=0.1)
    diff = check_init(body, "disabled")
    print(f"init check: torch body vs ONNX fill-mask last hidden state (onnxruntime, no graph optimization), "
          f"max |diff| {diff:.2e}")
    assert diff < 1e-4, diff
    print(f"  (with onnxruntime's default graph optimizations, as the SDK runs it: max |diff| "
          f"{check_init(body, 'all'):.2e})")
    CKPT_DIR.mkdir(parents=True, exist_ok=True)
    config = json.loads((FILL_MASK / "config.json").read_text())
    torch.save({"state_dict": body.state_dict(), "config": config}, CKPT_DIR / "embedding-init.pt")
    if args.init:
        body.load_state_dict(torch.load(CKPT_DIR / f"{args.init}.pt", map_location="cpu")["state_dict"])
    best = heldout_spearman(body, held)
    print(f"held-out STS-B train Spearman at the start ({args.init or 'the untrained fill-mask body'}): {best:.4f}")
    torch.save({"state_dict": body.state_dict(), "config": config, "step": 0, "heldout": best}, CKPT_DIR / f"{args.out}.pt")
    best_step = 0

    data = [(c, c) for c in captions] + positives * args.stsb_repeat
    steps_per_epoch = len(data) // args.batch
    total = steps_per_epoch * args.epochs
    decay, no_decay = [], []
    for name, p in body.named_parameters():
        (no_decay if p.dim() < 2 or "norm" in name.lower() or "position" in name else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr)
    warmup = max(1, int(0.05 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    step, stop, log = 0, False, []
    labels = torch.arange(args.batch)
    for epoch in range(args.epochs):
        rng.shuffle(data)
        for k in range(steps_per_epoch):
            body.train()
            chunk = data[k * args.batch:(k + 1) * args.batch]
            ids, mask = batch([p[0] for p in chunk] + [p[1] for p in chunk])
            e = F.normalize(mean_pool(body(ids, mask), mask), dim=-1)
            a, b = e[:len(chunk)], e[len(chunk):]
            logits = a @ b.t() / args.temperature
            loss = (F.cross_entropy(logits, labels[:len(chunk)]) + F.cross_entropy(logits.t(), labels[:len(chunk)])) / 2
            if args.cosent_weight > 0:
                sb = rng.sample(scored, args.cosent_batch)
                ids2, mask2 = batch([p[0] for p in sb] + [p[1] for p in sb])
                e2 = F.normalize(mean_pool(body(ids2, mask2), mask2), dim=-1)
                loss = loss + args.cosent_weight * cosent(e2[:len(sb)], e2[len(sb):], torch.tensor([p[2] for p in sb]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            last = step == total or timer.seconds > args.minutes * 60
            if step % args.eval_every == 0 or last:
                s = heldout_spearman(body, held)
                log.append({"step": step, "epoch": epoch + 1, "loss": loss.item(), "heldout": s,
                            "wall_s": round(timer.seconds), "cpu_s": round(timer.cpu_seconds)})
                flag = ""
                if s > best:
                    best, best_step, flag = s, step, " *"
                    torch.save({"state_dict": body.state_dict(), "config": config, "step": step, "heldout": s,
                                "args": vars(args)}, CKPT_DIR / f"{args.out}.pt")
                print(f"epoch {epoch + 1} step {step}/{total} loss {loss.item():.4f} held-out Spearman {s:.4f}{flag} "
                      f"({timer})", flush=True)
            if last:
                stop = timer.seconds > args.minutes * 60
                break
        if stop:
            print(f"time budget of {args.minutes} min reached")
            break
    print(f"best held-out Spearman {best:.4f} at step {best_step}; {timer}")
    (CKPT_DIR / f"{args.out}.log.json").write_text(json.dumps({"args": vars(args), "best_step": best_step,
                                                               "best_heldout": best, "log": log,
                                                               "wall_s": timer.seconds, "cpu_s": timer.cpu_seconds},
                                                              indent=1))


if __name__ == "__main__":
    main()
