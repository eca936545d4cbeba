"""Shared training helpers: data, batching, schedule, checkpoints, BLEU (sacreBLEU 13a definition)."""
from __future__ import annotations

import json
import math
import os
import random
import re
import time
from collections import Counter
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[4]
DATA = Path(os.environ.get("MULTI30K_DIR", REPO.parent / "shared" / "data" / "multi30k"))
WORK = Path(os.environ.get("GEN_WORK", "/tmp/proj-generative"))
IDS = WORK / "tokenizers" / "ids"


def setup(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)


def load_ids(stem: str, split: str, lang: str):
    with open(IDS / f"{stem}.{split}.{lang}.json", encoding="utf-8") as f:
        return json.load(f)


def read_lines(split: str, lang: str):
    import gzip
    with gzip.open(DATA / f"{split}.{lang}.gz", "rt", encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def token_batches(lengths, max_tokens: int, rng: random.Random):
    """Indices grouped into batches of similar length with at most ``max_tokens`` padded tokens; shuffled."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches, cur, cur_max = [], [], 0
    for i in order:
        m = max(cur_max, lengths[i])
        if cur and m * (len(cur) + 1) > max_tokens:
            batches.append(cur)
            cur, m = [], lengths[i]
        cur.append(i)
        cur_max = m
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def pad(seqs, value: int):
    n = max(len(s) for s in seqs)
    out = torch.full((len(seqs), n), value, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = torch.tensor(s, dtype=torch.long)
    return out


def lr_at(step: int, total: int, warmup: int, peak: float, floor: float = 0.02) -> float:
    """Linear warmup, then cosine decay to ``floor * peak`` at ``total``."""
    if step < warmup:
        return peak * (step + 1) / warmup
    p = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * p)))


def save_checkpoint(path: Path, **state) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


class Timer:
    def __init__(self):
        self.start = time.time()

    def minutes(self) -> float:
        return (time.time() - self.start) / 60


# ------------------------------------------------------------------------------------------------- BLEU
_13A = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
]


def tok13a(line: str) -> list:
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} "
    for r, s in _13A:
        line = r.sub(s, line)
    return line.split()


def corpus_bleu(hyps, refs) -> float:
    """Corpus BLEU-4 with brevity penalty, one reference, 13a tokenization, exp smoothing (sacreBLEU's defaults)."""
    match, total = [0] * 4, [0] * 4
    hl = rl = 0
    for h, r in zip(hyps, refs):
        h, r = tok13a(h), tok13a(r)
        hl += len(h)
        rl += len(r)
        for n in range(1, 5):
            hc = Counter(tuple(h[i:i + n]) for i in range(len(h) - n + 1))
            rc = Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1))
            match[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            total[n - 1] += max(0, len(h) - n + 1)
    prec, smooth = [0.0] * 4, 1.0
    for n in range(4):  # sacreBLEU's default "exp" smoothing
        if total[n] == 0:
            break
        if match[n] == 0:
            smooth *= 2
            prec[n] = 100.0 / (smooth * total[n])
        else:
            prec[n] = 100.0 * match[n] / total[n]
    if min(prec) == 0 or hl == 0:
        return 0.0
    bp = 1.0 if hl >= rl else math.exp(1 - rl / hl)
    return bp * math.exp(sum(math.log(p) for p in prec) / 4)
