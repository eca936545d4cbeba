"""Shared helpers of the embedding model's scripts: paths, the fill-mask body's weights read from its shipped int8 ONNX
file, mean pooling, Spearman correlation.

Run with Debian's interpreter (``/usr/bin/python3``: python3-torch 1.13, python3-onnx 1.12).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "encoder"))
from modules import (REPO_ROOT, Body, builder_common, encoder_models, pad, setup, Timer)  # noqa: E402,F401

WORK_DIR = Path(os.environ.get("EMBEDDING_WORK_DIR", HERE / ".cache"))
DATA_DIR = WORK_DIR / "data"
CKPT_DIR = WORK_DIR / "checkpoints"
MODELS_DIR = REPO_ROOT / "packages" / "models" / "models"
FILL_MASK = MODELS_DIR / "fill-mask"


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_int8_body(onnx_path: Path = FILL_MASK / "onnx" / "model_quantized.onnx") -> dict:
    """The body's weights from the shipped int8 graph: ``w = int8 * scale[row]`` (zero point 0), biases/norms fp32.

    Returns a state dict in ``modules.Body``'s names (the graph's ``bert.`` prefix dropped); the MLM head
    (transform, decoder bias) is left out, and the pooler, which the MLM graph does not have, is absent.
    """
    import onnx
    from onnx import numpy_helper

    m = onnx.load(str(onnx_path))
    arrays = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    state = {}
    for name, a in arrays.items():
        if not name.startswith("bert."):
            continue
        if name.endswith("_int8"):
            base = name[: -len("_int8")]
            assert not arrays[base + "_zero"].any(), base
            w = a.astype(np.float32) * arrays[base + "_scale"].astype(np.float32)[:, None]
            state[base[len("bert."):]] = torch.from_numpy(w)
        elif name.endswith("_scale") or name.endswith("_zero"):
            continue
        else:
            state[name[len("bert."):]] = torch.from_numpy(a.astype(np.float32).copy())
    return state


def mean_pool(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def rank(x: np.ndarray) -> np.ndarray:
    """Ranks with ties averaged (as scipy.stats.rankdata)."""
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x), dtype=np.float64)
    xs = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and xs[j + 1] == xs[i]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    return r


def spearman(a, b) -> float:
    ra, rb = rank(np.asarray(a, dtype=np.float64)), rank(np.asarray(b, dtype=np.float64))
    return float(np.corrcoef(ra, rb)[0, 1])
