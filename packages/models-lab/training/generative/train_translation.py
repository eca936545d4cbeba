"""Train the en->de translator (BART-style encoder-decoder) on Multi30k train.{en,de}.

    node packages/models-lab/training/generative/train_tokenizers.mjs        # vocabularies + token ids (once)
    /usr/bin/python3 packages/models-lab/training/generative/train_translation.py [--resume]
    /usr/bin/python3 packages/models-lab/training/generative/export_translation.py

Checkpoints go to $GEN_WORK/translation (default /tmp/proj-generative/translation): ``last.pt`` every 100
steps and at each epoch end (``--resume`` continues from it). Validation (val.{en,de}: loss, greedy BLEU) after
each epoch; the test split is not touched here.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import modules  # noqa: E402
from common_train import (IDS, WORK, Timer, corpus_bleu, load_ids, lr_at, pad, read_lines,  # noqa: E402
                          save_checkpoint, setup, token_batches)

BOS, PAD, EOS = 0, 1, 2
MAX_LEN = 128


def config(a) -> dict:
    return dict(vocab_size=a.vocab, d_model=a.d_model, encoder_layers=a.layers, decoder_layers=a.layers,
                encoder_attention_heads=a.heads, decoder_attention_heads=a.heads, encoder_ffn_dim=a.ffn,
                decoder_ffn_dim=a.ffn, max_position_embeddings=256, pad_token_id=PAD, bos_token_id=BOS,
                eos_token_id=EOS, decoder_start_token_id=EOS)


def pairs(split: str):
    en, de = load_ids("en-de", split, "en"), load_ids("en-de", split, "de")
    assert len(en) == len(de), (split, len(en), len(de))
    src = [[BOS] + s[:MAX_LEN - 2] + [EOS] for s in en]
    tgt = [t[:MAX_LEN - 1] for t in de]
    return src, tgt


def make_batch(src, tgt, idx):
    s = pad([src[i] for i in idx], PAD)
    dec_in = pad([[EOS] + tgt[i] for i in idx], PAD)
    labels = pad([tgt[i] + [EOS] for i in idx], -100)
    return s, (s != PAD).long(), dec_in, labels


def smoothed_loss(logits, labels, eps):
    logp = F.log_softmax(logits.float(), dim=-1).reshape(-1, logits.shape[-1])
    labels = labels.reshape(-1)
    keep = labels != -100
    logp, labels = logp[keep], labels[keep]
    nll = -logp.gather(1, labels[:, None]).squeeze(1)
    smooth = -logp.mean(-1)
    return ((1 - eps) * nll + eps * smooth).sum(), nll.sum(), int(keep.sum())


class ByteDecoder:
    """Byte-level BPE ids -> text (what the tokenizer's ByteLevel decoder does), for validation in Python."""

    def __init__(self, tokenizer_json: Path):
        tok = json.loads(tokenizer_json.read_text(encoding="utf-8"))
        self.inv = {i: t for t, i in tok["model"]["vocab"].items()}
        self.special = {t["id"] for t in tok["added_tokens"]}
        bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
        cs, n = bs[:], 0
        for b in range(256):
            if b not in bs:
                bs.append(b)
                cs.append(256 + n)
                n += 1
        self.byte = {chr(c): b for b, c in zip(bs, cs)}

    def __call__(self, ids) -> str:
        s = "".join(self.inv[i] for i in ids if i not in self.special)
        return bytes(self.byte[ch] for ch in s).decode("utf-8", errors="replace").strip()


@torch.no_grad()
def greedy(export_model, src_batch, max_new=MAX_LEN):
    """Greedy decoding with the KV cache of the export twin (TinyBart)."""
    mask = (src_batch != PAD).long()
    enc = export_model.encode(src_batch, mask)
    cur = torch.full((src_batch.shape[0], 1), EOS, dtype=torch.long)
    out, done, past = [], torch.zeros(src_batch.shape[0], dtype=torch.bool), None
    limit = min(max_new, int(mask.sum(1).max()) * 2 + 10)
    for _ in range(limit):
        logits, past = export_model.decode(cur, enc, mask, past)
        nxt = logits[:, -1].argmax(-1)
        nxt = torch.where(done, torch.full_like(nxt, PAD), nxt)
        out.append(nxt)
        done |= nxt == EOS
        if done.all():
            break
        cur = nxt[:, None]
    seqs = torch.stack(out, 1).tolist()
    return [[t for t in s if t not in (PAD,)][: (s.index(EOS) if EOS in s else len(s))] for s in seqs]


def translate_split(model, cfg, src, batch=64):
    exp = modules.export_bart(model, cfg)
    order = sorted(range(len(src)), key=lambda i: len(src[i]))
    hyps = [None] * len(src)
    for k in range(0, len(order), batch):
        idx = order[k:k + batch]
        for i, h in zip(idx, greedy(exp, pad([src[i] for i in idx], PAD))):
            hyps[i] = h
    return hyps


@torch.no_grad()
def val_loss(model, src, tgt, max_tokens):
    model.eval()
    tot, n = 0.0, 0
    for idx in token_batches([max(len(src[i]), len(tgt[i]) + 1) for i in range(len(src))], max_tokens,
                             random.Random(0)):
        s, m, d, l = make_batch(src, tgt, idx)
        _, nll, k = smoothed_loss(model(s, m, d), l, 0.0)
        tot += float(nll)
        n += k
    model.train()
    return tot / n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vocab", type=int, default=8000)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=1024)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--max-tokens", type=int, default=2500)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=250)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=str(WORK / "translation"))
    p.add_argument("--resume", action="store_true")
    p.add_argument("--bench", type=int, default=0, help="time this many steps and exit")
    p.add_argument("--max-steps", type=int, default=0, help="stop after this step (checkpoint saved), to resume later")
    a = p.parse_args()

    setup(a.seed)
    modules.use_fast_linear(True)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = config(a)
    src, tgt = pairs("train")
    vsrc, vtgt = pairs("val")
    vref = read_lines("val", "de")
    assert len(vref) == len(vsrc)
    dec = ByteDecoder(IDS.parent / "en-de.tokenizer.json")
    lengths = [max(len(s), len(t) + 1) for s, t in zip(src, tgt)]

    model = modules.BartTrain(cfg, a.dropout)
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.01)
    rng = random.Random(a.seed)
    steps_per_epoch = len(token_batches(lengths, a.max_tokens, random.Random(0)))
    total = steps_per_epoch * a.epochs
    state = dict(step=0, epoch=0, batch_in_epoch=0, minutes=0.0, log=[])
    ck = out / "last.pt"
    if a.resume and ck.exists():
        c = torch.load(ck)
        model.load_state_dict(c["model"])
        opt.load_state_dict(c["opt"])
        state = c["state"]
        rng.setstate(c["rng"])
        torch.set_rng_state(c["torch_rng"])
        print(f"resumed at step {state['step']} (epoch {state['epoch']}, batch {state['batch_in_epoch']})", flush=True)
    print(f"params {n_params / 1e6:.2f}M, {len(src)} pairs, {steps_per_epoch} steps/epoch, {total} steps; cfg {cfg}",
          flush=True)
    timer = Timer()
    base_minutes = state["minutes"]
    model.train()
    while state["epoch"] < a.epochs:
        # the epoch's batches depend only on the rng state at the epoch start (saved with checkpoints)
        epoch_rng_state = state.get("epoch_rng") or rng.getstate()
        state["epoch_rng"] = epoch_rng_state
        rng.setstate(epoch_rng_state)
        batches = token_batches(lengths, a.max_tokens, rng)
        after_rng = rng.getstate()
        run_loss = run_tok = 0.0
        for bi in range(state["batch_in_epoch"], len(batches)):
            s, m, d, l = make_batch(src, tgt, batches[bi])
            for g in opt.param_groups:
                g["lr"] = lr_at(state["step"], total, a.warmup, a.lr)
            loss, nll, k = smoothed_loss(model(s, m, d), l, a.label_smoothing)
            opt.zero_grad()
            (loss / k).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            state["batch_in_epoch"] = bi + 1
            run_loss += float(nll)
            run_tok += k
            if state["step"] % 25 == 0:
                mins = base_minutes + timer.minutes()
                print(f"step {state['step']}/{total} ep {state['epoch']} nll {run_loss / run_tok:.3f} "
                      f"lr {opt.param_groups[0]['lr']:.2e} {mins:.1f} min", flush=True)
                run_loss = run_tok = 0.0
            if a.bench and state["step"] >= a.bench:
                mins = timer.minutes()
                print(f"bench: {a.bench} steps in {mins:.2f} min -> epoch ~{mins / a.bench * steps_per_epoch:.1f} min")
                return
            if state["step"] % 100 == 0 or state["step"] == a.max_steps:
                state["minutes"] = base_minutes + timer.minutes()
                save_checkpoint(ck, model=model.state_dict(), opt=opt.state_dict(), state=state, rng=rng.getstate(),
                                torch_rng=torch.get_rng_state(), cfg=cfg)
            if state["step"] == a.max_steps:
                print(f"stopped at step {a.max_steps} (--max-steps); continue with --resume", flush=True)
                return
        state["epoch"] += 1
        state["batch_in_epoch"] = 0
        state["epoch_rng"] = None
        rng.setstate(after_rng)
        vl = val_loss(model, vsrc, vtgt, 4000)
        model.eval()
        hyps = translate_split(model, cfg, vsrc[:500])
        bleu = corpus_bleu([dec(h) for h in hyps], vref[:500])
        model.train()
        state["minutes"] = base_minutes + timer.minutes()
        state["log"].append(dict(epoch=state["epoch"], step=state["step"], val_nll=vl, val500_greedy_bleu=bleu,
                                 minutes=state["minutes"]))
        print(f"== epoch {state['epoch']}: val nll {vl:.3f} (ppl {torch.tensor(vl).exp():.2f}), "
              f"greedy BLEU val[:500] {bleu:.2f}, {state['minutes']:.1f} min", flush=True)
        print("   e.g.", dec(hyps[0]), "|", vref[0], flush=True)
        save_checkpoint(ck, model=model.state_dict(), opt=opt.state_dict(), state=state, rng=rng.getstate(),
                        torch_rng=torch.get_rng_state(), cfg=cfg)
        save_checkpoint(out / f"epoch{state['epoch']}.pt", model=model.state_dict(), state=state, cfg=cfg)
    (out / "train_log.json").write_text(json.dumps(dict(cfg=cfg, args=vars(a), log=state["log"], params=n_params),
                                                   indent=2))
    print("done", flush=True)


if __name__ == "__main__":
    main()
