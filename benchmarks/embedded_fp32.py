"""Float32 graphs of the embedded models, for ``benchmarks/quantize.mjs``.

The embedded models ship only ``*_quantized.onnx``: weight-only int8 (``packages/models-lab/training/generative/
quantize.py``: int8 initializers restored by ``DequantizeLinear`` nodes at the top of the graph). This folds every
``DequantizeLinear`` of initializers back into a float32 initializer under the node's output name, which gives the
float32 graph that computes exactly what the shipped model computes (re-exporting from the training checkpoints would
give the weights before rounding; those checkpoints are not in the repository).

    /usr/bin/python3 benchmarks/embedded_fp32.py SRC.onnx DST.onnx
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def fold(src: str, dst: str) -> int:
    m = onnx.load(src)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    folded, drop, keep_nodes = [], set(), []
    for node in g.node:
        if node.op_type == "DequantizeLinear" and all(i in inits for i in node.input if i):
            q = numpy_helper.to_array(inits[node.input[0]]).astype(np.float32)
            scale = numpy_helper.to_array(inits[node.input[1]]).astype(np.float32)
            zero = numpy_helper.to_array(inits[node.input[2]]).astype(np.float32) if len(node.input) > 2 and node.input[2] else 0
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            if np.ndim(scale) == 1:
                shape = [1] * q.ndim
                shape[axis] = -1
                scale = scale.reshape(shape)
                zero = np.reshape(zero, shape) if np.ndim(zero) == 1 else zero
            folded.append(numpy_helper.from_array(((q - zero) * scale).astype(np.float32), node.output[0]))
            drop.update(i for i in node.input if i)
        else:
            keep_nodes.append(node)
    still_read = {i for n in keep_nodes for i in n.input}
    for n in keep_nodes:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                still_read.update(i for sub in a.g.node for i in sub.input)
    kept = [t for t in g.initializer if t.name not in drop or t.name in still_read]
    del g.initializer[:]
    g.initializer.extend(kept + folded)
    del g.node[:]
    g.node.extend(keep_nodes)
    onnx.save(m, dst)
    return len(folded)


if __name__ == "__main__":
    print(fold(sys.argv[1], sys.argv[2]))
