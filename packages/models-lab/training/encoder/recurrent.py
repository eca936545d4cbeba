"""Recurrent encoders: bidirectional LSTMs over word pieces for sentiment (``BiLSTMClassifier``) and NER
(``BiLSTMTagger``), and their ONNX graph.

Trained from random weights, a one-layer BiLSTM classifier (max- and mean-pooled over the pieces) scores 2-3 points
above the 4-layer BERT of the same size on the GLUE SST-2 phrases, and a two-layer BiLSTM tagger scores above the BERT
token classifier on CoNLL-2003 even though the BERT body was pretrained (see the README's tables). The graph is
written by hand with the ``onnx`` API rather than traced, because
``torch.onnx`` drops the per-row lengths that keep the backward direction from reading the right padding: ONNX's
``LSTM`` takes them as ``sequence_lens`` (the sum of ``attention_mask``), so padded rows give the unpadded answer.

It keeps the I/O of ``BertForSequenceClassification`` / ``BertForTokenClassification`` (``input_ids`` and
``attention_mask`` int64 ``[batch_size, sequence_length]`` -> ``logits`` ``[batch_size, labels]`` /
``[batch_size, sequence_length, labels]``); ``token_type_ids`` is not an input, which both the SDK and transformers.js
handle (they feed what the session declares). Several trained models can be written into one graph as an ensemble:
each member's softmax is computed, the probabilities are averaged, and the graph returns their logarithm as
``logits``, so a softmax over ``logits`` gives the averaged probabilities.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn

from modules import PAD, UNK


class BiLSTMClassifier(nn.Module):
    """Embeddings -> one bidirectional LSTM layer -> [max-pool ; mean-pool] over the real pieces -> linear."""

    def __init__(self, vocab_size: int, embedding: int = 128, hidden: int = 128, num_labels: int = 2,
                 dropout: float = 0.5, word_dropout: float = 0.0):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, embedding, padding_idx=PAD)
        self.lstm = nn.LSTM(embedding, hidden, bidirectional=True, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(4 * hidden, num_labels)
        self.word_dropout = word_dropout

    def forward(self, input_ids, attention_mask):
        if self.training and self.word_dropout > 0:
            # a share of the ordinary pieces (not [CLS]/[SEP]/padding) is read as [UNK], so no single word decides
            hide = (torch.rand(input_ids.shape) < self.word_dropout) & (attention_mask > 0) & (input_ids > 4)
            input_ids = input_ids.masked_fill(hide, UNK)
        e = self.drop(self.emb(input_ids))
        packed = nn.utils.rnn.pack_padded_sequence(e, attention_mask.sum(1).cpu(), batch_first=True,
                                                   enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=input_ids.shape[1])
        keep = attention_mask.unsqueeze(-1).float()
        top = (h + (keep - 1) * 1e4).max(1).values
        mean = (h * keep).sum(1) / keep.sum(1)
        return self.out(self.drop(torch.cat([top, mean], -1)))


class BiLSTMTagger(nn.Module):
    """Embeddings -> ``layers`` bidirectional LSTM layers -> a linear layer per piece (token classification)."""

    def __init__(self, vocab_size: int, embedding: int = 128, hidden: int = 128, layers: int = 2, num_labels: int = 9,
                 dropout: float = 0.3):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, embedding, padding_idx=PAD)
        self.lstm = nn.LSTM(embedding, hidden, num_layers=layers, bidirectional=True, batch_first=True,
                            dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden, num_labels)

    def forward(self, input_ids, attention_mask):
        e = self.drop(self.emb(input_ids))
        packed = nn.utils.rnn.pack_padded_sequence(e, attention_mask.sum(1).cpu(), batch_first=True,
                                                   enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=input_ids.shape[1])
        return self.out(self.drop(h))


def _onnx_gate_order(w: np.ndarray) -> np.ndarray:
    """torch stacks an LSTM's gates (input, forget, cell, output); ONNX wants (input, output, forget, cell)."""
    i, f, g, o = np.split(w, 4, axis=0)
    return np.concatenate([i, o, f, g], axis=0)


def bilstm_graph(states: list[dict], hidden: int, layers: int, head: str, path) -> None:
    """Writes one ONNX graph (opset 14) for trained state dicts of ``BiLSTMClassifier`` (``head="sequence"``:
    ``logits [batch_size, labels]``) or ``BiLSTMTagger`` (``head="token"``: ``logits [batch_size, sequence_length,
    labels]``): one member, or an ensemble averaging their probabilities. Weight matrices are 2-D initializers
    (reshaped in the graph) so that ``export.quantize_int8`` stores them as int8 with one scale per gate row."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inits, nodes = [], []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op, inputs, output=None, **attrs):
        output = output or f"{op.lower()}_{len(nodes)}"
        nodes.append(helper.make_node(op, inputs, [output], name=f"{op}_{len(nodes)}", **attrs))
        return output

    axis1 = const("axis_1", np.array([1], np.int64))
    lens = node("Cast", [node("ReduceSum", ["attention_mask", axis1], keepdims=0)], to=TensorProto.INT32)
    if head == "sequence":  # pooling over the real pieces: a mask, a large negative for the padding, the counts
        keep = node("Cast", [node("Unsqueeze", ["attention_mask", const("axis_2", np.array([2], np.int64))])],
                    to=TensorProto.FLOAT)  # [B,S,1]
        minus = node("Mul", [node("Sub", [keep, const("one", np.array(1.0, np.float32))]),
                             const("big", np.array(1e4, np.float32))])
        count = node("ReduceSum", [keep, axis1], keepdims=0)  # [B,1]
    probs = []
    for k, state in enumerate(states):
        p = f"member{k}." if len(states) > 1 else ""
        s = {n: t.detach().numpy().astype(np.float32) for n, t in state.items()}
        x = node("Transpose", [node("Gather", [const(p + "embeddings.word_embeddings.weight", s["emb.weight"]),
                                               "input_ids"])], perm=[1, 0, 2])  # [S,B,E]
        shape = lambda name, dims: const(p + name, np.array(dims, np.int64))
        for layer in range(layers):
            w, r, b = [], [], []
            for d in ("", "_reverse"):
                w.append(_onnx_gate_order(s[f"lstm.weight_ih_l{layer}{d}"]))
                r.append(_onnx_gate_order(s[f"lstm.weight_hh_l{layer}{d}"]))
                b.append(np.concatenate([_onnx_gate_order(s[f"lstm.bias_ih_l{layer}{d}"]),
                                         _onnx_gate_order(s[f"lstm.bias_hh_l{layer}{d}"])]))
            w, r, b = np.stack(w), np.stack(r), np.stack(b)
            q = f"lstm.{layer}." if layers > 1 else "lstm."
            y = node("LSTM", [x,
                              node("Reshape", [const(p + q + "W", w.reshape(-1, w.shape[2])), shape(q + "W_shape", w.shape)]),
                              node("Reshape", [const(p + q + "R", r.reshape(-1, hidden)), shape(q + "R_shape", r.shape)]),
                              node("Reshape", [const(p + q + "B", b.reshape(-1)), shape(q + "B_shape", b.shape)]),
                              lens], hidden_size=hidden, direction="bidirectional")  # [S,2,B,H]; zeros past a row's end
            x = node("Reshape", [node("Transpose", [y], perm=[0, 2, 1, 3]), shape(q + "concat_shape", [0, 0, 2 * hidden])])
        h = node("Transpose", [x], perm=[1, 0, 2])  # [B,S,2H]
        if head == "token":
            feats = h
        else:
            top = node("ReduceMax", [node("Add", [h, minus])], axes=[1], keepdims=0)
            mean = node("Div", [node("ReduceSum", [node("Mul", [h, keep]), axis1], keepdims=0), count])
            feats = node("Concat", [top, mean], axis=1)
        logits = node("Add", [node("MatMul", [feats, const(p + "classifier.weight", s["out.weight"].T)]),
                              const(p + "classifier.bias", s["out.bias"])],
                      "logits" if len(states) == 1 else None)
        probs.append(logits)
    if len(states) > 1:
        soft = [node("Softmax", [l], axis=-1) for l in probs]
        node("Log", [node("Mean", soft)], "logits")
    labels = states[0]["out.bias"].shape[0]
    dims = ["batch_size", "sequence_length"]
    out_dims = dims + [labels] if head == "token" else ["batch_size", labels]
    graph = helper.make_graph(
        nodes, f"bilstm_{head}_classifier",
        [helper.make_tensor_value_info(n, TensorProto.INT64, dims) for n in ("input_ids", "attention_mask")],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, out_dims)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="proj-models-lab")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
