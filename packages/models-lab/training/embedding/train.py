"""Contrastive training of the bilingual (English-German) sentence-embedding model, from its MLM-trained body.

    /usr/bin/python3 packages/models-lab/training/embedding/train.py --init bilingual-body --out bilingual [--minutes 26]

1. Initialization: the body written by ``pretrain.py`` (``.cache/checkpoints/<init>.pt``).
2. Data (``encode_data.mjs``): Multi30k train caption pairs (an English caption and its German translation: the
   bilingual positives) and STS-B ``sts-train.csv`` pairs scored >= ``--min-score`` (English paraphrase-level
   positives, ``--stsb-repeat`` copies per epoch), shuffled together into batches.
3. Loss: symmetric InfoNCE with in-batch negatives over mean-pooled, L2-normalized embeddings (temperature 0.05),
   plus (``--cosent-weight``) a CoSENT term (Su 2022) on a batch of scored STS-B train pairs (all scores) per step,
   which teaches graded similarity.
4. Model selection, every ``--eval-every`` steps, on held-out data only: en<->de retrieval recall@1 over Multi30k
   *val* (1,014 pairs, both directions) and Spearman correlation over a held-out slice of STS-B *train* (10% of its
   pairs, seeded, never trained on); the point with the best mean of the two (mean recall@1 and Spearman) is kept.
   Multi30k test_2016 and STS-B dev are never read here.

Writes ``.cache/checkpoints/<out>.pt`` (the best point), ``<out>.last.pt`` (the latest point with the optimizer
state: ``--resume`` continues from it with the same schedule and batch order) and ``<out>.log.json``.
"""
from __future__ import annotations

import argparse
import json
import random
import sys

import torch
import torch.nn.functional as F

from embedding_common import CKPT_DIR, DATA_DIR, Timer, load_json, mean_pool, pad, setup, spearman
from modules import Body  # noqa: E402  (../encoder/modules.py, on the path through embedding_common)

MAX_LEN = 64  # pieces per training sentence (captions and STS-B sentences are far shorter; a guard only)


def clip(row, n=MAX_LEN):
    return row if len(row) <= n else list(row[:n - 1]) + [row[-1]]


def batch(rows):
    ids = pad([clip(r) for r in rows])
    return ids, (ids != 0).long()


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


def retrieval_recall1(body, en, de) -> tuple[float, float]:
    """en->de and de->en recall@1 (ties count against the query, as eval/embedding.mjs)."""
    sim = embed(body, en) @ embed(body, de).t()
    diag = sim.diagonal()
    en_de = ((sim >= diag[:, None]).sum(1) == 1).float().mean().item()
    de_en = ((sim >= diag[None, :]).sum(0) == 1).float().mean().item()
    return en_de, de_en


def cosent(a, b, y, scale=20.0):
    """CoSENT (Su 2022): every pair scored higher must have a higher cosine; log(1 + sum exp(s_j - s_i))."""
    s = (a * b).sum(-1) * scale
    d = s[None, :] - s[:, None]  # [i, j] = s_j - s_i, counted where y_i > y_j
    d = d - (~(y[:, None] > y[None, :])).float() * 1e12
    return torch.logsumexp(torch.cat([torch.zeros(1), d.flatten()]), dim=0)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", default="bilingual-body", help="checkpoint of pretrain.py in .cache/checkpoints")
    ap.add_argument("--out", default="bilingual")
    ap.add_argument("--minutes", type=float, default=26.0, help="wall-clock cap of this invocation")
    ap.add_argument("--epochs", type=float, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--stsb-repeat", type=int, default=2, help="copies of each STS-B positive pair per epoch")
    ap.add_argument("--min-score", type=float, default=4.0)
    ap.add_argument("--heldout", type=float, default=0.1, help="share of STS-B train pairs held out for selection")
    ap.add_argument("--cosent-weight", type=float, default=1.0)
    ap.add_argument("--cosent-batch", type=int, default=32)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args(argv)
    setup(args.seed)
    torch.set_num_threads(args.threads)
    timer = Timer()

    tr = load_json(DATA_DIR / "pairs-train.json")
    va = load_json(DATA_DIR / "pairs-val.json")
    st = load_json(DATA_DIR / "stsb-train.json")
    pairs = list(zip(st["a"], st["b"], st["score"]))
    rng = random.Random(args.seed)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    n_held = int(len(pairs) * args.heldout)
    held = [pairs[i] for i in order[:n_held]]
    positives = [(p[0], p[1]) for i in order[n_held:] for p in [pairs[i]] if p[2] >= args.min_score]
    scored = [pairs[i] for i in order[n_held:]]
    translations = list(zip(tr["en"], tr["de"]))
    print(f"data: {len(translations)} Multi30k train en-de pairs, {len(positives)} STS-B train pairs >= "
          f"{args.min_score} (x{args.stsb_repeat}), {len(scored)} scored STS-B train pairs for CoSENT (weight "
          f"{args.cosent_weight}); selection: {len(va['en'])} Multi30k val pairs, {len(held)} held-out STS-B train "
          f"pairs", flush=True)

    ck = torch.load(CKPT_DIR / f"{args.init}.pt", map_location="cpu")
    config = ck["config"]
    body = Body(config, 0.1, 0.1)
    body.load_state_dict(ck["state_dict"])
    data = translations + positives * args.stsb_repeat
    steps_per_epoch = len(data) // args.batch
    total = int(steps_per_epoch * args.epochs)
    decay, no_decay = [], []
    for name, p in body.named_parameters():
        (no_decay if p.dim() < 2 or "norm" in name.lower() or "position" in name else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr)
    warmup = max(1, int(0.05 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))

    def evaluate():
        en_de, de_en = retrieval_recall1(body, va["en"], va["de"])
        s = heldout_spearman(body, held)
        return {"val_en_de_r1": en_de, "val_de_en_r1": de_en, "heldout_spearman": s, "select": ((en_de + de_en) / 2 + s) / 2}

    step, log, best, spent_s, spent_cpu = 0, [], None, 0.0, 0.0
    last_path = CKPT_DIR / f"{args.out}.last.pt"
    if args.resume and last_path.exists():
        last = torch.load(last_path, map_location="cpu")
        body.load_state_dict(last["state_dict"])
        opt.load_state_dict(last["optimizer"])
        sched.load_state_dict(last["scheduler"])
        step, log, best, spent_s, spent_cpu = last["step"], last["log"], last["best"], last["wall_s"], last["cpu_s"]
        rng.setstate(last["rng"])
        torch.set_rng_state(last["torch_rng"])
        print(f"resumed at step {step}/{total}; best so far {best}")
    else:
        start = evaluate()
        print(f"at the start ({args.init}): {start}", flush=True)
        log.append({"step": 0, **start})
        best = {"step": 0, **start}
        torch.save({"state_dict": body.state_dict(), "config": config, **best}, CKPT_DIR / f"{args.out}.pt")
    print(f"{total} steps ({steps_per_epoch} per epoch), batch {args.batch}, lr {args.lr}", flush=True)

    labels = torch.arange(args.batch)
    while step < total and timer.seconds < args.minutes * 60:
        epoch = step // steps_per_epoch
        epoch_data = list(data)
        random.Random(args.seed * 1000 + epoch).shuffle(epoch_data)
        k = step - epoch * steps_per_epoch
        body.train()
        chunk = epoch_data[k * args.batch:(k + 1) * args.batch]
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
        if step % 25 == 0:
            print(f"step {step}/{total} loss {loss.item():.4f} ({timer})", flush=True)
        if step % args.eval_every == 0 or step == total or timer.seconds >= args.minutes * 60:
            point = {"step": step, "loss": loss.item(), **evaluate(), "wall_s": round(spent_s + timer.seconds),
                     "cpu_s": round(spent_cpu + timer.cpu_seconds)}
            log.append(point)
            flag = ""
            if point["select"] > best["select"]:
                best, flag = point, " *"
                torch.save({"state_dict": body.state_dict(), "config": config, **best, "args": vars(args)},
                           CKPT_DIR / f"{args.out}.pt")
            print(f"step {step}/{total}: val recall@1 en->de {point['val_en_de_r1']:.4f} de->en "
                  f"{point['val_de_en_r1']:.4f}, held-out STS-B train Spearman {point['heldout_spearman']:.4f}{flag} "
                  f"({timer})", flush=True)
            torch.save({"state_dict": body.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                        "step": step, "log": log, "best": best, "rng": rng.getstate(), "torch_rng": torch.get_rng_state(),
                        "wall_s": spent_s + timer.seconds, "cpu_s": spent_cpu + timer.cpu_seconds}, last_path)
    if step < total:
        print(f"time cap of {args.minutes} min reached at step {step}/{total} (continue with --resume)")
    print(f"best: {best}; this run {timer}")
    (CKPT_DIR / f"{args.out}.log.json").write_text(json.dumps({"args": vars(args), "best": best, "log": log,
                                                               "finished": step >= total,
                                                               "wall_s": spent_s + timer.seconds,
                                                               "cpu_s": spent_cpu + timer.cpu_seconds}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
