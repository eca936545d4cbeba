"""Checks that ``embed()`` on an exported/shipped int8 model folder gives the torch checkpoint's embeddings.

    /usr/bin/python3 packages/models-lab/training/embedding/verify.py --ckpt bilingual [--model packages/models/models/embedding]

Embeds 64 Multi30k val captions (32 English, 32 German) and a few hand-written sentences with ``embed()`` of the
built ``@proj/encoder`` (through ``verify.mjs``: the SDK's tokenizer and onnxruntime-node, int8 graph) and with the
torch body of the checkpoint (fp32, mean pooling, normalized, on the ids of the folder's ``tokenizer.json``); prints
the largest absolute difference of any component and the smallest cosine between the two vectors of a text.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F

from embedding_common import CKPT_DIR, DATA_DIR, HERE, MODELS_DIR, mean_pool, pad
from modules import Body


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="bilingual")
    ap.add_argument("--model", default=str(MODELS_DIR / "embedding"))
    args = ap.parse_args(argv)
    import gzip
    shared = HERE.parents[3].parent / "shared" / "data" / "multi30k"
    texts = [l.strip() for l in gzip.open(shared / "val.en.gz", "rt", encoding="utf-8")][:32]
    texts += [l.strip() for l in gzip.open(shared / "val.de.gz", "rt", encoding="utf-8")][32:64]
    texts += ["A dog runs in the grass.", "Ein Hund rennt über die Wiese.", "ok", "Zwei Kinder bauen eine Sandburg."]
    with tempfile.TemporaryDirectory() as tmp:
        Path(f"{tmp}/req.json").write_text(json.dumps({"texts": texts}))
        subprocess.run(["node", str(HERE / "verify.mjs"), args.model, f"{tmp}/req.json", f"{tmp}/res.json"], check=True)
        res = json.loads(Path(f"{tmp}/res.json").read_text())
    ck = torch.load(CKPT_DIR / f"{args.ckpt}.pt", map_location="cpu")
    body = Body(ck["config"], 0.0, 0.0).eval()
    body.load_state_dict(ck["state_dict"])
    ids = pad(res["ids"])
    mask = (ids != 0).long()
    with torch.no_grad():
        want = F.normalize(mean_pool(body(ids, mask), mask), dim=-1)
    got = torch.tensor(res["vectors"])
    diff = (got - want).abs().max().item()
    cos = (got * want).sum(-1).min().item()
    print(f"{len(texts)} texts: embed() on {args.model} (int8) vs torch {args.ckpt} (fp32): max |diff| {diff:.2e}, "
          f"min cosine {cos:.5f}")
    return 0 if cos > 0.99 else 1


if __name__ == "__main__":
    raise SystemExit(main())
