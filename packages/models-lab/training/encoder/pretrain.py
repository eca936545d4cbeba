"""Masked-language-model training of the shared BERT body (and of the fill-mask model).

    /usr/bin/python3 packages/models-lab/training/encoder/pretrain.py --data mlm-train --out body --epochs 5
    /usr/bin/python3 packages/models-lab/training/encoder/pretrain.py --data captions-train --init body --out fill-mask \
        --epochs 8 --lr 5e-4

Whole-word masking: 15% of the words of each sentence are chosen (at least one); their pieces become [MASK] 80% of
the time, a random piece 10%, unchanged 10%; the loss is cross-entropy on the chosen pieces. Sentences are batched
by length, one sentence per row (the SDK sees single sentences too). AdamW, linear warm-up and decay.
At the end: whole-word masked-token accuracy on Multi30k val.en (see ``masked_accuracy``).
"""
from __future__ import annotations

import argparse
import json
import random

import torch
import torch.nn.functional as F

from modules import (CLS, clip, MASK, PAD, SEP, WORK_DIR, MaskedLM, Timer, adamw, body_config, init_bert_, length_batches,
                     load_checkpoint, load_data, pad, save_checkpoint, setup, warmup_linear)


def continuation_table(vocab_size: int) -> torch.Tensor:
    vocab = json.load(open(WORK_DIR / "tokenizer" / "cased.tokenizer.json", encoding="utf-8"))["model"]["vocab"]
    cont = torch.zeros(vocab_size, dtype=torch.bool)
    for tok, i in vocab.items():
        if tok.startswith("##"):
            cont[i] = True
    return cont


def mask_batch(rows, cont, rng: random.Random, vocab_size: int, rate=0.15):
    ids = pad(rows)
    labels = torch.full_like(ids, -100)
    inputs = ids.clone()
    for r, row in enumerate(rows):
        words = []  # [start, end) piece ranges of words (special tokens excluded)
        for p in range(1, len(row) - 1):
            if cont[row[p]] and words:
                words[-1][1] = p + 1
            else:
                words.append([p, p + 1])
        k = max(1, round(rate * len(words)))
        for s, e in rng.sample(words, min(k, len(words))):
            for p in range(s, e):
                labels[r, p] = row[p]
                u = rng.random()
                if u < 0.8:
                    inputs[r, p] = MASK
                elif u < 0.9:
                    inputs[r, p] = rng.randrange(5, vocab_size)
    return inputs, (ids != PAD).long(), labels


@torch.no_grad()
def masked_accuracy(model, rows, cont, batch_size=256, letters_only_ids=None):
    """Whole-word masked-token accuracy: every piece that is a word by itself (not the start or the rest of a word
    split into pieces) is masked alone, one copy of the sentence per such piece; top-1 prediction == the piece.
    Returns (accuracy over all such pieces, accuracy over those containing a letter, count, count with letters)."""
    model.eval()
    probes = []
    for row in rows:
        for p in range(1, len(row) - 1):
            nxt = row[p + 1]
            if not cont[row[p]] and not (nxt not in (SEP, CLS) and cont[nxt]):
                probes.append((row, p))
    hits = total = hits_l = total_l = 0
    probes.sort(key=lambda x: len(x[0]))
    for i in range(0, len(probes), batch_size):
        chunk = probes[i:i + batch_size]
        ids = pad([r for r, _ in chunk])
        gold = torch.tensor([r[p] for r, p in chunk])
        pos = torch.tensor([p for _, p in chunk])
        ids[torch.arange(len(chunk)), pos] = MASK
        mask = (ids != PAD).long()
        sel = torch.zeros_like(ids, dtype=torch.bool)
        sel[torch.arange(len(chunk)), pos] = True
        pred = model(ids, mask, sel).argmax(-1)
        ok = pred == gold
        hits += ok.sum().item()
        total += len(chunk)
        if letters_only_ids is not None:
            lm = letters_only_ids[gold]
            hits_l += (ok & lm).sum().item()
            total_l += lm.sum().item()
    model.train()
    return hits / max(1, total), hits_l / max(1, total_l), total, total_l


def letter_table(vocab_size: int) -> torch.Tensor:
    vocab = json.load(open(WORK_DIR / "tokenizer" / "cased.tokenizer.json", encoding="utf-8"))["model"]["vocab"]
    t = torch.zeros(vocab_size, dtype=torch.bool)
    for tok, i in vocab.items():
        if i >= 5 and any(ch.isalpha() for ch in tok):
            t[i] = True
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="mlm-train")
    ap.add_argument("--init", default=None, help="checkpoint to continue from")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=float, default=10)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=float, default=0.05)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=512)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    setup(args.seed)
    rng = random.Random(args.seed)

    rows = [clip(r) for r in load_data(args.data)["ids"]]
    val = [clip(r) for r in load_data("captions-val")["ids"]]
    if args.init:
        ck = load_checkpoint(args.init)
        config = ck["config"]
        model = MaskedLM(config, args.dropout)
        model.load_state_dict(ck["state_dict"])
    else:
        vocab_size = len(json.load(open(WORK_DIR / "tokenizer" / "cased.tokenizer.json", encoding="utf-8"))["model"]["vocab"])
        config = body_config(vocab_size, args.hidden, args.layers, args.heads, args.intermediate)
        model = init_bert_(MaskedLM(config, args.dropout))
    vocab_size = config["vocab_size"]
    cont = continuation_table(vocab_size)
    letters = letter_table(vocab_size)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{args.out}: {n_params / 1e6:.2f}M parameters, {len(rows)} sentences, config "
          f"h{config['hidden_size']} L{config['num_hidden_layers']} A{config['num_attention_heads']} "
          f"I{config['intermediate_size']} V{vocab_size}", flush=True)

    lengths = [len(r) for r in rows]
    steps_per_epoch = len(length_batches(lengths, args.batch, random.Random(0)))
    total = int(steps_per_epoch * args.epochs)
    opt = adamw(model, args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: warmup_linear(s, total, int(args.warmup * total)))
    timer = Timer()
    step = 0
    model.train()
    epoch = 0
    while step < total:
        loss_sum = n = 0
        for batch in length_batches(lengths, args.batch, rng):
            if step >= total:
                break
            inputs, attn, labels = mask_batch([rows[i] for i in batch], cont, rng, vocab_size)
            sel = labels != -100
            logits = model(inputs, attn, sel)
            loss = F.cross_entropy(logits, labels[sel])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            loss_sum += loss.item()
            n += 1
        epoch += 1
        acc, acc_l, _, _ = masked_accuracy(model, val[:200], cont, letters_only_ids=letters)
        print(f"epoch {epoch} step {step}/{total} loss {loss_sum / max(1, n):.3f} val200 acc {acc:.3f} "
              f"(words {acc_l:.3f}) lr {sched.get_last_lr()[0]:.2e} {timer}", flush=True)
    acc, acc_l, count, count_l = masked_accuracy(model, val, cont, letters_only_ids=letters)
    print(f"final: val.en whole-word masked-token accuracy {acc:.4f} over {count} pieces; "
          f"{acc_l:.4f} over the {count_l} with letters; trained in {timer}", flush=True)
    save_checkpoint(args.out, model, config, {"val_masked_accuracy": acc, "val_masked_accuracy_words": acc_l,
                                              "train_seconds": timer.seconds, "train_cpu_seconds": timer.cpu_seconds, "args": vars(args)})


if __name__ == "__main__":
    main()
