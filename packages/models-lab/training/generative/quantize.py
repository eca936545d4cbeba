"""Weight-only int8 variants of exported ONNX graphs (``*_quantized.onnx``, the file name transformers.js and
@proj/core use for ``dtype: "q8"``).

Every float32 initializer with two dimensions and at least ``min_elements`` values (embeddings, linear weights)
is stored as int8 with one float32 scale per row (symmetric, zero point 0) and restored by a
``DequantizeLinear`` node (opset >= 13, ``axis=0``) placed first in the graph, under the initializer's old name,
so every consumer is unchanged. Biases, norms and small tensors stay float32; inputs, outputs and the math stay
float32 (the cache tensors too). Row-wise scales suit both uses of the tied embedding: a Gather of rows
(token embedding) and a MatMul against its transpose (LM head: one scale per vocabulary entry).
In a merged decoder the shared weights are initializers of the outer graph (Optimum's merge moves them there),
so the DequantizeLinear nodes sit before the ``If`` and both branches read the restored tensors.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_rows(w: np.ndarray):
    scale = np.abs(w).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def dequantize_rows(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return q.astype(np.float32) * scale[:, None]


def quantize_model(src: Path, dst: Path, min_elements: int = 4096) -> dict:
    m = onnx.load(str(src))
    g = m.graph
    opset = max(o.version for o in m.opset_import if o.domain in ("", "ai.onnx"))
    assert opset >= 13, f"per-axis DequantizeLinear needs opset 13, graph has {opset}"
    keep, added, nodes = [], [], []
    before = after = 0
    for init in g.initializer:
        n = int(np.prod(init.dims)) if init.dims else 1
        if init.data_type != TensorProto.FLOAT or len(init.dims) != 2 or n < min_elements:
            keep.append(init)
            continue
        w = numpy_helper.to_array(init)
        q, scale = quantize_rows(w)
        base = init.name
        added += [numpy_helper.from_array(q, f"{base}_int8"), numpy_helper.from_array(scale, f"{base}_scale"),
                  numpy_helper.from_array(np.zeros(q.shape[0], np.int8), f"{base}_zero_point")]
        nodes.append(helper.make_node("DequantizeLinear", [f"{base}_int8", f"{base}_scale", f"{base}_zero_point"],
                                      [base], name=f"dq_{base}", axis=0))
        before += w.nbytes
        after += q.nbytes + scale.nbytes
    for node in g.node:  # weights inside subgraphs would not be reached by the outer DequantizeLinear nodes
        for a in node.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                for init in a.g.initializer:
                    assert not (init.data_type == TensorProto.FLOAT and len(init.dims) == 2
                                and int(np.prod(init.dims)) >= min_elements), f"large initializer {init.name} in subgraph"
    del g.initializer[:]
    g.initializer.extend(keep + added)
    old = list(g.node)
    del g.node[:]
    g.node.extend(nodes + old)
    onnx.checker.check_model(m)
    dst.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(m, str(dst))
    return dict(tensors=len(nodes), fp32_bytes=before, int8_bytes=after, file_bytes=dst.stat().st_size)


def fake_quantize_state_dict(sd: dict, min_elements: int = 4096) -> dict:
    """The same rounding applied to torch weights, to score the int8 variant in Python."""
    import torch

    out = {}
    for k, v in sd.items():
        if v.dtype == torch.float32 and v.dim() == 2 and v.numel() >= min_elements:
            q, s = quantize_rows(v.numpy())
            out[k] = torch.from_numpy(dequantize_rows(q, s))
        else:
            out[k] = v
    return out
