"""Fine-tunes the NER token classifier (CoNLL-2003 eng.train) from the pretrained body.

    /usr/bin/python3 packages/models-lab/training/encoder/finetune_ner.py --init body --out ner

Labels are BIO (CoNLL's IOB1 converted), one per piece: a word's first piece has the word's tag, its later pieces
I-<type> (so both the "first" and the "simple" aggregations of the SDK group them). Augmentation (``MentionAugmenter``):
each mention is replaced by another of its type with probability ``--swap`` (0.3) and by an invented name with
probability ``--synthetic`` (0.15), so that unseen names are recognised from context and shape. Model selection:
1000 sentences of eng.train are held out and the epoch with the best held-out entity F1 is kept; eng.testa is only
scored.

The F1 printed here is the conlleval definition on words (exact typed spans, micro-averaged), with a word's tag
taken from its first piece; the reported score comes from ``packages/models-lab/eval/ner.mjs`` through the SDK.
"""
from __future__ import annotations

import argparse
import random

import torch
import torch.nn.functional as F

from modules import (NER_LABELS, PAD, TokenClassifier, Timer, adamw, clip, init_bert_, length_batches, load_checkpoint,
                     load_data, pad, save_checkpoint, setup, warmup_linear)


def spans(tags):
    """Typed entity spans of a BIO/IOB1 tag sequence, as conlleval chunks them."""
    out = set()
    start = None
    kind = None
    for i, t in enumerate(list(tags) + ["O"]):
        bi, ty = (t[0], t[2:]) if t != "O" else ("O", None)
        ends = start is not None and (bi in ("O", "B") or ty != kind)
        if ends:
            out.add((start, i - 1, kind))
            start = None
        if bi in ("B", "I") and start is None:
            start, kind = i, ty
    return out


def f1_counts(gold_seqs, pred_seqs):
    tp = n_gold = n_pred = 0
    for g, p in zip(gold_seqs, pred_seqs):
        gs, ps = spans(g), spans(p)
        tp += len(gs & ps)
        n_gold += len(gs)
        n_pred += len(ps)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), prec, rec


def _bio_follows(prev, tag) -> bool:
    return not tag.startswith("I-") or (prev is not None and prev != "O" and prev[2:] == tag[2:])


# BIO's transitions as additive scores: 0 where label j may follow label i (or start a sentence), -inf-like where not
# (``I-X`` only after ``B-X`` or ``I-X``). The SDK's ``decoding: "constrained"`` applies the same rule.
BIO_TRANSITIONS = torch.tensor([[0.0 if _bio_follows(a, b) else -1e9 for b in NER_LABELS] for a in NER_LABELS])
BIO_START = torch.tensor([0.0 if _bio_follows(None, b) else -1e9 for b in NER_LABELS])


def viterbi(log_probs: torch.Tensor) -> list[int]:
    """The most probable BIO-legal label sequence of ``log_probs`` ``[words, labels]``."""
    score, back = BIO_START + log_probs[0], []
    for t in range(1, log_probs.shape[0]):
        best, arg = (score[:, None] + BIO_TRANSITIONS).max(0)
        score = best + log_probs[t]
        back.append(arg)
    path = [int(score.argmax())]
    for arg in reversed(back):
        path.append(int(arg[path[-1]]))
    return path[::-1]


@torch.no_grad()
def word_f1(model, data, idx, batch=128, constrained=False):
    model.eval()
    golds, preds = [], []
    order = sorted(idx, key=lambda i: len(data["ids"][i]))
    for k in range(0, len(order), batch):
        b = order[k:k + batch]
        x = pad([clip(data["ids"][i]) for i in b])
        log_probs = torch.log_softmax(model(x, (x != PAD).long()), -1)
        for r, i in enumerate(b):
            words = data["words"][i]
            labels = data["labels"][i]
            firsts = [pos for pos in range(min(len(words), x.shape[1]))
                      if words[pos] >= 0 and (pos == 0 or words[pos - 1] != words[pos])]  # a word's first piece
            golds.append([NER_LABELS[labels[pos]] for pos in firsts])
            if not firsts:
                preds.append([])
                continue
            rows = log_probs[r, firsts]
            path = viterbi(rows) if constrained else rows.argmax(-1).tolist()
            preds.append([NER_LABELS[t] for t in path])
    model.train()
    return f1_counts(golds, preds)


def split_mentions(ids, labels, words):
    """A sentence as segments: ("O", [piece ids]) outside entities, (type, [[piece ids of word] ...]) for mentions."""
    segs = []
    p = 1
    n = len(ids) - 1  # drop [CLS] ... [SEP]
    while p < n:
        w = words[p]
        q = p
        while q < n and words[q] == w:
            q += 1
        tag = NER_LABELS[labels[p]] if labels[p] >= 0 else "O"
        if tag == "O":
            if segs and segs[-1][0] == "O":
                segs[-1][1].extend(ids[p:q])
            else:
                segs.append(("O", list(ids[p:q])))
        elif tag.startswith("B-") or not segs or segs[-1][0] != tag[2:]:
            segs.append((tag[2:], [list(ids[p:q])]))
        else:
            segs[-1][1].append(list(ids[p:q]))
        p = q
    return segs


def join_mentions(segs, cls_id, sep_id):
    ids, labels = [cls_id], [-100]
    for kind, part in segs:
        if kind == "O":
            ids += part
            labels += [0] * len(part)
            continue
        for k, word in enumerate(part):
            ids += word
            labels += [NER_LABELS.index(("B-" if k == 0 else "I-") + kind)] + [NER_LABELS.index("I-" + kind)] * (len(word) - 1)
    return clip(ids + [sep_id]), labels[:127] + [-100] if len(labels) >= 128 else labels + [-100]


class MentionAugmenter:
    """Training-time augmentation for names the data never shows: each mention is, with probability ``swap``,
    replaced by another mention of the same type from the training sentences, and with probability ``synthetic`` by
    an invented name of 1-3 capitalised words made of random vocabulary pieces (so that the context and the shape of
    a name, not the memorised spelling, decide its type). Labels follow the new pieces."""

    def __init__(self, rows, swap, synthetic, rng):
        import json as _json
        from modules import WORK_DIR
        vocab = _json.load(open(WORK_DIR / "tokenizer" / "cased.tokenizer.json", encoding="utf-8"))["model"]["vocab"]
        self.heads = [i for t, i in vocab.items() if len(t) >= 2 and t[0].isupper() and t.isalpha()]
        self.tails = [i for t, i in vocab.items() if t.startswith("##") and t[2:].isalpha() and t[2:].islower()]
        self.inventory = {}
        for segs in rows:
            for kind, part in segs:
                if kind != "O":
                    self.inventory.setdefault(kind, []).append(part)
        self.swap, self.synthetic, self.rng = swap, synthetic, rng

    def invent(self):
        r = self.rng
        return [[r.choice(self.heads)] + [r.choice(self.tails) for _ in range(r.choice((0, 1, 1, 2)))]
                for _ in range(r.choice((1, 1, 2, 2, 3)))]

    def __call__(self, segs):
        out = []
        for kind, part in segs:
            if kind != "O":
                u = self.rng.random()
                if u < self.synthetic:
                    part = self.invent()
                elif u < self.synthetic + self.swap:
                    part = self.rng.choice(self.inventory[kind])
            out.append((kind, part))
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init", default="body", help="pretrained MLM checkpoint, or 'none' for a random start")
    ap.add_argument("--out", default="ner")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--holdout", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--swap", type=float, default=0.3, help="probability of replacing a mention by another of its type")
    ap.add_argument("--synthetic", type=float, default=0.15, help="probability of replacing a mention by an invented name")
    ap.add_argument("--arch", default="bert", choices=["bert", "bilstm"],
                    help="bert: the body + a token head; bilstm: recurrent.BiLSTMTagger from random weights")
    ap.add_argument("--embedding", type=int, default=128, help="bilstm: width of the piece embeddings")
    ap.add_argument("--hidden", type=int, default=128, help="bilstm: units each way")
    ap.add_argument("--layers", type=int, default=2, help="bilstm: stacked BiLSTM layers")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=float, default=0.1, help="share of the steps with a rising learning rate")
    ap.add_argument("--select", default="argmax", choices=["argmax", "constrained"],
                    help="decoding of the held-out F1 that chooses the epoch")
    args = ap.parse_args()
    setup(args.seed)
    rng = random.Random(args.seed)

    train = load_data("ner-train")
    testa = load_data("ner-testa")
    n = len(train["ids"])
    held = set(random.Random(0).sample(range(n), args.holdout))
    train_idx = [i for i in range(n) if i not in held]
    hold_idx = sorted(held)

    if args.arch == "bilstm":
        from modules import WORK_DIR
        from recurrent import BiLSTMTagger
        import json
        assert args.init == "none", "the BiLSTM tagger is trained from random weights (--init none)"
        vocab = json.load(open(WORK_DIR / "tokenizer" / "cased.tokenizer.json", encoding="utf-8"))["model"]["vocab"]
        config = {"arch": "bilstm", "vocab_size": len(vocab), "embedding": args.embedding, "hidden": args.hidden,
                  "layers": args.layers}
        model, body = BiLSTMTagger(len(vocab), args.embedding, args.hidden, args.layers, len(NER_LABELS), args.dropout), None
    elif args.init != "none":
        ck = load_checkpoint(args.init)
        config = ck["config"]
        body = {k[len("bert."):]: v for k, v in ck["state_dict"].items() if k.startswith("bert.")}
    else:
        from modules import WORK_DIR, body_config
        import json
        vocab = json.load(open(WORK_DIR / "tokenizer" / "cased.tokenizer.json", encoding="utf-8"))["model"]["vocab"]
        config, body = body_config(len(vocab), 128, 4, 4, 512), None
    if args.arch == "bert":
        model = init_bert_(TokenClassifier(config, len(NER_LABELS), args.dropout))
    if body is not None:
        missing, unexpected = model.bert.load_state_dict(body, strict=False)
        assert not unexpected and all(m.startswith("pooler") for m in missing), (missing, unexpected)
    config = dict(config, id2label={str(i): l for i, l in enumerate(NER_LABELS)},
                  label2id={l: i for i, l in enumerate(NER_LABELS)})

    ids = [clip(r) for r in train["ids"]]
    labels = [r[:len(x)] if len(r) <= len(x) else r[:len(x) - 1] + [-100] for r, x in zip(train["labels"], ids)]
    segments = [split_mentions(train["ids"][i], train["labels"][i], train["words"][i]) for i in range(n)]
    augment = MentionAugmenter([segments[i] for i in train_idx], args.swap, args.synthetic, random.Random(args.seed + 1))
    lengths = [len(ids[i]) for i in train_idx]
    steps = len(length_batches(lengths, args.batch, random.Random(0))) * args.epochs
    opt = adamw(model, args.lr, args.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: warmup_linear(s, steps, int(steps * args.warmup + 1e-9)))
    timer = Timer()
    best = (-1.0, None, 0)
    for epoch in range(1, args.epochs + 1):
        loss_sum = 0.0
        batches = length_batches(lengths, args.batch, rng)
        for b in batches:
            rows = [train_idx[i] for i in b]
            if args.swap or args.synthetic:
                pairs = [join_mentions(augment(segments[i]), ids[i][0], ids[i][-1]) for i in rows]
                x = pad([p[0] for p in pairs])
                y = pad([p[1] for p in pairs], value=-100)
            else:
                x = pad([ids[i] for i in rows])
                y = pad([labels[i] for i in rows], value=-100)
            logits = model(x, (x != PAD).long())
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            loss_sum += loss.item()
        hold = word_f1(model, train, hold_idx, constrained=args.select == "constrained")[0]
        dev = word_f1(model, testa, range(len(testa["ids"])))
        dev_c = word_f1(model, testa, range(len(testa["ids"])), constrained=True)
        print(f"epoch {epoch} loss {loss_sum / len(batches):.4f} held-out F1 ({args.select}) {hold:.4f} "
              f"testa F1 {dev[0]:.4f} (P {dev[1]:.4f} R {dev[2]:.4f}), constrained {dev_c[0]:.4f} {timer}", flush=True)
        if hold > best[0]:
            best = (hold, {k: v.clone() for k, v in model.state_dict().items()}, epoch)
    model.load_state_dict(best[1])
    dev = word_f1(model, testa, range(len(testa["ids"])))
    dev_c = word_f1(model, testa, range(len(testa["ids"])), constrained=True)
    print(f"kept epoch {best[2]} (held-out F1 {best[0]:.4f}): eng.testa F1 {dev[0]:.4f} "
          f"(P {dev[1]:.4f} R {dev[2]:.4f}), constrained {dev_c[0]:.4f}; trained in {timer}", flush=True)
    save_checkpoint(args.out, model, config, {"testa_f1": dev[0], "heldout_f1": best[0], "epoch": best[2],
                                              "train_seconds": timer.seconds, "train_cpu_seconds": timer.cpu_seconds, "args": vars(args)})


if __name__ == "__main__":
    main()
