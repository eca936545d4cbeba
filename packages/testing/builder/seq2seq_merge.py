"""Merge an encoder-decoder ``decoder_model.onnx`` and ``decoder_with_past_model.onnx`` into a
``decoder_model_merged.onnx`` the way Optimum's ``optimum.onnx.merge_decoders(strict=False)`` does.

Layout produced (same as an Optimum export of T5/BART):

* One top-level ``If`` node named ``optimum::if`` on a new bool input ``use_cache_branch`` of shape
  ``[1]``: ``then_branch`` = the with-past graph (name ``with_past``), ``else_branch`` = the no-past graph
  (name ``no_past``). Both subgraphs have no inputs; they read the outer graph's inputs by name.
* Graph inputs = the decoder's inputs followed by the with-past-only inputs (the ``past_key_values.*``),
  then ``use_cache_branch``. Graph outputs = the decoder's outputs (``logits`` + every ``present.*``).
* Initializers that are not scalars / 1-D int32-int64 are deduplicated across both graphs (by dtype,
  dims and a hash of the data) and moved to the outer graph, renamed ``<name>_merged_<n>``; the small
  ones stay inside their branch (as Optimum does: ORT breaks otherwise after optimisation).
* Outputs the with-past graph lacks (``present.{i}.encoder.key/value``: the cross-attention cache is a
  constant of the encoder output, not recomputed when a cache is given) are added to the with-past
  branch as *empty constants* whose shape is the declared output shape with the first dynamic axis set
  to 0, the other dynamic axes set to 1 (i.e. ``[0, num_heads, 1, head_dim]``), exactly as Optimum's
  ``_unify_onnx_outputs(strict=False)``. Runtimes (transformers.js ``getPastKeyValues``, Optimum's
  ORTModelForSeq2SeqLM) therefore keep the encoder cache from the first (no-past) call and ignore these
  outputs when ``use_cache_branch`` is true.
* The output value-infos of the with-past branch are rewritten with the decoder's (no-past) shapes.
"""
from __future__ import annotations

import copy
import hashlib
from collections import defaultdict
from typing import Dict, List, Tuple

import onnx
from onnx import ModelProto, numpy_helper


def _dims(vi: onnx.ValueInfoProto) -> List:
    out = []
    for d in vi.type.tensor_type.shape.dim:
        if d.dim_param:
            out.append(d.dim_param)
        elif d.HasField("dim_value"):
            out.append(d.dim_value)
        else:
            raise ValueError(f"{vi.name}: dimension without dim_param nor dim_value")
    return out


def _unify_outputs(decoder: ModelProto, with_past: ModelProto) -> None:
    """Make ``with_past``'s outputs identical (names, order, types, shapes) to ``decoder``'s."""
    dec_names = [o.name for o in decoder.graph.output]
    wp_by_name = {o.name: o for o in with_past.graph.output}
    if not set(wp_by_name).issubset(dec_names):
        raise ValueError("decoder_with_past has outputs the decoder lacks")
    new_outputs = []
    for out in decoder.graph.output:
        if out.name not in wp_by_name:
            dims = _dims(out)
            dummy, seen_dynamic = [], False
            for d in dims:
                if isinstance(d, str):
                    dummy.append(1 if seen_dynamic else 0)
                    seen_dynamic = True
                else:
                    dummy.append(d)
            if not seen_dynamic:
                raise ValueError(f"{out.name}: expected at least one dynamic axis")
            value = onnx.helper.make_tensor("const_tensor", out.type.tensor_type.elem_type, dummy, vals=[])
            with_past.graph.node.append(
                onnx.helper.make_node("Constant", inputs=[], outputs=[out.name],
                                      name=f"Constant_{len(with_past.graph.node) + 1}", value=value))
        elif wp_by_name[out.name].type.tensor_type.elem_type != out.type.tensor_type.elem_type:
            raise ValueError(f"{out.name}: dtype differs between the two decoders")
        new_outputs.append(copy.deepcopy(out))
    del with_past.graph.output[:]
    with_past.graph.output.extend(new_outputs)


def _is_small(init: onnx.TensorProto) -> bool:
    return len(init.dims) == 0 or (len(init.dims) == 1 and init.data_type in (onnx.TensorProto.INT32,
                                                                               onnx.TensorProto.INT64))


def _dedup_initializers(models: List[ModelProto], suffix: str = "merged") -> List[onnx.TensorProto]:
    """Share byte-identical large initializers across ``models``; return them (renamed) for the outer
    graph and remove them from the models (node inputs are rewritten)."""
    groups: Dict[Tuple, List[Tuple[str, int]]] = defaultdict(list)
    for i, m in enumerate(models):
        for init in m.graph.initializer:
            if _is_small(init):
                continue
            arr = numpy_helper.to_array(init)
            digest = hashlib.sha512(arr.tobytes()).hexdigest()
            groups[(init.data_type, digest, tuple(init.dims))].append((init.name, i))

    rename: Dict[Tuple[str, int], str] = {}
    used: Dict[str, int] = {}
    for members in groups.values():
        common = members[0][0]
        used[common] = used.get(common, -1) + 1
        for key in members:
            rename[key] = f"{common}_{suffix}_{used[common]}"

    outer: List[onnx.TensorProto] = []
    emitted = set()
    for i, m in enumerate(models):
        for node in m.graph.node:
            for j, name in enumerate(node.input):
                if (name, i) in rename:
                    node.input[j] = rename[(name, i)]
        keep = []
        for init in m.graph.initializer:
            key = (init.name, i)
            if key in rename:
                new_name = rename[key]
                if new_name not in emitted:
                    emitted.add(new_name)
                    t = copy.deepcopy(init)
                    t.name = new_name
                    outer.append(t)
            else:
                keep.append(init)
        del m.graph.initializer[:]
        m.graph.initializer.extend(keep)
    return outer


def merge_decoders(decoder: ModelProto, decoder_with_past: ModelProto,
                   graph_name: str = "merged", producer_name: str = "optimum-onnx") -> ModelProto:
    """Return the merged model (inputs are not modified)."""
    decoder = copy.deepcopy(decoder)
    decoder_with_past = copy.deepcopy(decoder_with_past)
    for m in (decoder, decoder_with_past):
        for node in m.graph.node:
            if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for a in node.attribute):
                raise ValueError("nested subgraphs are not supported by this merger")

    _unify_outputs(decoder, decoder_with_past)

    all_inputs, seen = [], set()
    for m in (decoder, decoder_with_past):
        for vi in m.graph.input:
            if vi.name not in seen:
                seen.add(vi.name)
                all_inputs.append(copy.deepcopy(vi))

    outer_inits = _dedup_initializers([decoder, decoder_with_past], suffix=graph_name)

    no_past = onnx.helper.make_graph(nodes=decoder.graph.node, name="no_past", inputs=[],
                                     outputs=decoder.graph.output, initializer=decoder.graph.initializer)
    with_past = onnx.helper.make_graph(nodes=decoder_with_past.graph.node, name="with_past", inputs=[],
                                       outputs=decoder_with_past.graph.output,
                                       initializer=decoder_with_past.graph.initializer)
    use_cache_branch = onnx.helper.make_tensor_value_info("use_cache_branch", onnx.TensorProto.BOOL, [1])
    if_node = onnx.helper.make_node("If", inputs=["use_cache_branch"],
                                    outputs=[o.name for o in decoder.graph.output], name="optimum::if",
                                    then_branch=with_past, else_branch=no_past)
    graph = onnx.helper.make_graph(nodes=[if_node], name=graph_name, inputs=all_inputs + [use_cache_branch],
                                   outputs=copy.deepcopy(decoder.graph.output), initializer=outer_inits)

    opsets, domains = [], set()
    for imp in list(decoder.opset_import) + list(decoder_with_past.opset_import):
        if imp.domain not in domains:
            domains.add(imp.domain)
            opsets.append(imp)
    merged = onnx.helper.make_model(graph, producer_name=producer_name, opset_imports=opsets)
    merged.ir_version = decoder.ir_version
    onnx.checker.check_model(merged)
    return merged
