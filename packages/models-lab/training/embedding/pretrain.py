"""Masked-language-model training of the bilingual embedding model's BERT body.

    /usr/bin/python3 packages/models-lab/training/embedding/pretrain.py --out bilingual-body [--minutes 20]

Starts from the English ``fill-mask`` model (its shipped int8 graph, dequantized: body and MLM head) with the word
embeddings carried over to the bilingual vocabulary (``vocab_map.mjs``: an entry the old vocabulary has keeps its
vector, any other starts as the mean of the old pieces its text splits into); ``--scratch`` starts from random
weights instead.

The encoder models' MLM recipe (``../encoder/pretrain.py``: whole-word masking of 15% of the words, AdamW, linear
warm-up and decay, sentences batched by length), on ``.cache/data/mlm.json`` (``encode_data.mjs``: Multi30k train
en + de, SST-2 glue_train phrases, STS-B train sentences, CoNLL-2003 train; 150k sentences) with the bilingual
vocabulary. The schedule is set by ``--epochs``; ``--minutes`` stops earlier if the machine is slow. A checkpoint
with the optimizer state is written every ``--save-every`` steps and at the end (``.cache/checkpoints/<out>.pt``);
``--resume`` continues an interrupted run from it with the same schedule (and the batch order it would have had).
Whole-word masked-token accuracy on 300 Multi30k val captions of each language is printed at every save.
"""
from __future__ import annotations

import argparse
import json
import random
import sys

import torch
import torch.nn.functional as F

from embedding_common import (CKPT_DIR, DATA_DIR, FILL_MASK, WORK_DIR, Timer, load_json,  # noqa: F401
                              read_int8_body)  # (embedding_common puts ../encoder on the path)

import pretrain as mlm  # noqa: E402  (../encoder/pretrain.py: masking and the masked-accuracy probe)
from modules import MaskedLM, adamw, body_config, clip, init_bert_, length_batches, setup, warmup_linear  # noqa: E402


def vocab_tables(tokenizer_file):
    vocab = load_json(tokenizer_file)["model"]["vocab"]
    n = len(vocab)
    cont = torch.zeros(n, dtype=torch.bool)
    letters = torch.zeros(n, dtype=torch.bool)
    for tok, i in vocab.items():
        cont[i] = tok.startswith("##")
        letters[i] = i >= 5 and any(ch.isalpha() for ch in tok)
    return n, cont, letters


def from_fill_mask(model: MaskedLM, vocab_map) -> MaskedLM:
    """Loads the fill-mask model's weights (int8 x per-row scale) into ``model``, whose vocabulary is the bilingual
    one: word embeddings and decoder bias of every new entry = mean over the old pieces ``vocab_map`` lists."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(FILL_MASK / "onnx" / "model_quantized.onnx"))
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.graph.initializer}
    head = {}
    for name in ("transform.weight", "transform.bias", "transform_norm.weight", "transform_norm.bias", "decoder_bias"):
        if name + "_int8" in arrays:
            w = arrays[name + "_int8"].astype("float32") * arrays[name + "_scale"].astype("float32")[:, None]
        else:
            w = arrays[name].astype("float32")
        head[name] = torch.from_numpy(w.copy())
    body = read_int8_body()
    old_words = body.pop("embeddings.word_embeddings.weight")
    old_bias = head.pop("decoder_bias")
    with torch.no_grad():
        words = torch.stack([old_words[ids].mean(0) for ids in vocab_map])
        bias = torch.stack([old_bias[ids].mean(0) for ids in vocab_map])
        state = {f"bert.{k}": v for k, v in body.items()}
        state.update(head)
        state["bert.embeddings.word_embeddings.weight"] = words
        state["decoder_bias"] = bias
        missing, unexpected = model.load_state_dict(state, strict=False)
        assert not unexpected, unexpected
        assert all(k.startswith("bert.pooler") for k in missing), missing
        model.bert.pooler.weight.zero_()
        model.bert.pooler.bias.zero_()
    return model


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bilingual-body")
    ap.add_argument("--tokenizer", default=str(WORK_DIR / "tokenizer" / "bilingual.tokenizer.json"))
    ap.add_argument("--epochs", type=float, default=2)
    ap.add_argument("--minutes", type=float, default=25.0, help="wall-clock cap of this invocation")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--warmup", type=float, default=0.05)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=512)
    ap.add_argument("--max-len", type=int, default=64, help="pieces per training sentence")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--scratch", action="store_true", help="random initialization instead of the fill-mask model")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    setup(args.seed)
    torch.set_num_threads(args.threads)
    vocab_size, cont, letters = vocab_tables(args.tokenizer)

    rows = [clip(r, args.max_len) for r in load_json(DATA_DIR / "mlm.json")["ids"]]
    val = load_json(DATA_DIR / "pairs-val.json")
    val_en, val_de = val["en"][:300], val["de"][:300]
    if args.scratch:
        config = body_config(vocab_size, args.hidden, args.layers, args.heads, args.intermediate)
        model = init_bert_(MaskedLM(config, 0.1))
    else:
        config = dict(load_json(FILL_MASK / "config.json"), vocab_size=vocab_size)
        model = from_fill_mask(MaskedLM(config, 0.1), load_json(DATA_DIR / "vocab-map.json")["map"])
    lengths = [len(r) for r in rows]
    steps_per_epoch = len(length_batches(lengths, args.batch, random.Random(0)))
    total = int(steps_per_epoch * args.epochs)
    opt = adamw(model, args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: warmup_linear(s, total, int(args.warmup * total)))
    step, spent_s, spent_cpu = 0, 0.0, 0.0
    if not args.resume:
        acc_en = mlm.masked_accuracy(model, val_en, cont, letters_only_ids=letters)[1]
        acc_de = mlm.masked_accuracy(model, val_de, cont, letters_only_ids=letters)[1]
        model.train()
        print(f"at the start: val300 masked-word accuracy en {acc_en:.3f} de {acc_de:.3f}", flush=True)
    path = CKPT_DIR / f"{args.out}.pt"
    if args.resume and path.exists():
        ck = torch.load(path, map_location="cpu")
        model.load_state_dict(ck["state_dict"])
        opt.load_state_dict(ck["optimizer"])
        sched.load_state_dict(ck["scheduler"])
        step, spent_s, spent_cpu = ck["step"], ck["wall_s"], ck["cpu_s"]
        print(f"resumed at step {step}")
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{args.out}: {n_params / 1e6:.2f}M parameters, {len(rows)} sentences, {steps_per_epoch} steps per epoch, "
          f"{total} steps; h{args.hidden} L{args.layers} A{args.heads} I{args.intermediate} V{vocab_size}", flush=True)
    timer = Timer()
    CKPT_DIR.mkdir(parents=True, exist_ok=True)

    def save(final=False):
        acc_en = mlm.masked_accuracy(model, val_en, cont, letters_only_ids=letters)[1]
        acc_de = mlm.masked_accuracy(model, val_de, cont, letters_only_ids=letters)[1]
        torch.save({"state_dict": model.bert.state_dict(), "mlm_state_dict": model.state_dict(), "config": config,
                    "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "step": step,
                    "wall_s": spent_s + timer.seconds, "cpu_s": spent_cpu + timer.cpu_seconds, "args": vars(args),
                    "val_masked_accuracy": {"en": acc_en, "de": acc_de}, "final": final}, path)
        print(f"step {step}/{total} saved; val300 masked-word accuracy en {acc_en:.3f} de {acc_de:.3f} "
              f"(this run {timer}; total wall {(spent_s + timer.seconds) / 60:.1f} min)", flush=True)

    # The batch order of every epoch comes from a generator seeded by the epoch, so a resumed run sees the same order.
    model.train()
    loss_sum = n = 0
    while step < total:
        epoch = step // steps_per_epoch
        rng = random.Random(args.seed * 1000 + epoch)
        batches = length_batches(lengths, args.batch, rng)
        for batch in batches[step - epoch * steps_per_epoch:]:
            inputs, attn, labels = mlm.mask_batch([rows[i] for i in batch], cont, rng, vocab_size)
            sel = labels != -100
            loss = F.cross_entropy(model(inputs, attn, sel), labels[sel])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            loss_sum += loss.item()
            n += 1
            if step % 50 == 0:
                print(f"step {step}/{total} loss {loss_sum / n:.3f} lr {sched.get_last_lr()[0]:.2e} {timer}", flush=True)
                loss_sum = n = 0
            if step % args.save_every == 0:
                save()
            if step >= total or timer.seconds > args.minutes * 60:
                break
        if timer.seconds > args.minutes * 60:
            print(f"time cap of {args.minutes} min reached at step {step}/{total}")
            break
    save(final=step >= total)


if __name__ == "__main__":
    sys.exit(main())
