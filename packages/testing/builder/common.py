"""Shared helpers for the tiny random-weight ONNX fixture builders.

Used by ``encoder_models.py`` (BERT), ``decoder_models.py`` (GPT-2, LLaMA) and the
seq2seq builders (BART, T5). Everything here is model-agnostic.

Run the builders with Debian's interpreter, which has torch 1.13 + onnx 1.12::

    /usr/bin/python3 packages/testing/builder/<builder>.py

Public API (names are stable; other builders import them):

* ``BUILDER_DIR``, ``TESTING_DIR``, ``FIXTURES_DIR``, ``TOKENIZERS_DIR`` -- paths.
* ``seed_everything(seed)``            -- seed python/numpy/torch, force deterministic CPU math.
* ``fixture_dir(name, clean=True)``    -- ``fixtures/<name>`` (wiped + recreated when ``clean``).
* ``write_json(path, obj)``            -- deterministic pretty JSON (sorted keys, trailing newline).
* ``init_normal_(module, std, seed)``  -- re-initialise every parameter of a module from N(0, std).
* ``export_onnx(...)``                 -- ``torch.onnx.export`` wrapper (opset 14, no constant folding,
                                          eval mode, no_grad) + ``onnx.checker`` + dedup check.
* ``copy_tokenizer_files(src, dst, files)`` -- copy public tokenizer files into a fixture.
* ``load_json(path)``                  -- read a JSON file.
* ``onnx_io_summary(path)``            -- human-readable list of graph inputs/outputs with dims.
* ``dir_size(path)`` / ``print_sizes(paths)`` -- size reporting.
"""
from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Union

import numpy as np
import torch

PathLike = Union[str, os.PathLike]

BUILDER_DIR = Path(__file__).resolve().parent
TESTING_DIR = BUILDER_DIR.parent
FIXTURES_DIR = TESTING_DIR / "fixtures"
# Public tokenizer files (bert-base-uncased, gpt2, t5). Override with $FIXTURE_TOKENIZERS_DIR.
TOKENIZERS_DIR = Path(os.environ.get("FIXTURE_TOKENIZERS_DIR", "/work/shared/data/tokenizers"))

DEFAULT_OPSET = 14


def seed_everything(seed: int) -> None:
    """Seed python, numpy and torch RNGs and make CPU torch deterministic.

    Call this immediately before constructing a model so its initial weights are reproducible.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    try:
        torch.use_deterministic_algorithms(True, warn_only=True)
    except Exception:  # pragma: no cover - older torch
        pass


def fixture_dir(name: str, clean: bool = True) -> Path:
    """Return ``FIXTURES_DIR / name``; when ``clean`` the folder is removed and recreated."""
    path = FIXTURES_DIR / name
    if clean and path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_json(path: PathLike, obj) -> Path:
    """Write ``obj`` as indented JSON with sorted keys (byte-stable) and a trailing newline."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    return path


def load_json(path: PathLike):
    """Read a JSON file."""
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f)


@torch.no_grad()
def init_normal_(module: torch.nn.Module, std: float = 0.02, seed: Optional[int] = None,
                 skip: Iterable[str] = ()) -> torch.nn.Module:
    """Re-initialise every parameter of ``module`` in-place from N(0, std).

    Parameters whose qualified name contains any substring in ``skip`` are left untouched
    (e.g. ``skip=("norm",)`` to keep LayerNorm/RMSNorm weights at 1 / biases at 0).
    When ``seed`` is given a private generator is used, so results do not depend on prior RNG use.
    Parameters are visited in ``named_parameters()`` order (deterministic).
    """
    gen = None
    if seed is not None:
        gen = torch.Generator().manual_seed(seed)
    skip = tuple(skip)
    for name, p in module.named_parameters():
        if any(s in name for s in skip):
            continue
        p.copy_(torch.randn(p.shape, generator=gen, dtype=p.dtype) * std)
    return module


def export_onnx(
    model: torch.nn.Module,
    args: Sequence[torch.Tensor],
    path: PathLike,
    input_names: List[str],
    output_names: List[str],
    dynamic_axes: Mapping[str, Mapping[int, str]],
    opset: int = DEFAULT_OPSET,
    do_constant_folding: bool = False,
    max_duplicate_bytes: int = 64 * 1024,
) -> Path:
    """Export ``model(*args)`` to ONNX at ``path`` and validate it.

    * The model is put in eval mode and exported under ``torch.no_grad()``.
    * ``do_constant_folding`` defaults to False: with folding on, torch duplicates tied
      parameters (e.g. word embeddings reused as LM head through a transpose), doubling the size.
    * ``dynamic_axes`` follows torch's format: ``{"input_ids": {0: "batch_size", 1: "sequence_length"}}``.
    * After export the model is checked with ``onnx.checker`` and the initializers are scanned for
      byte-identical duplicates larger than ``max_duplicate_bytes`` (raises ``RuntimeError``).
    * Initializers/graph are embedded in the single ``.onnx`` file (no external data).
    """
    import onnx

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    with torch.no_grad():
        torch.onnx.export(
            model,
            tuple(args),
            str(path),
            input_names=list(input_names),
            output_names=list(output_names),
            dynamic_axes={k: dict(v) for k, v in dynamic_axes.items()},
            opset_version=opset,
            do_constant_folding=do_constant_folding,
            export_params=True,
        )
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    _check_no_duplicate_initializers(m, max_duplicate_bytes)
    return path


def _check_no_duplicate_initializers(m, max_duplicate_bytes: int) -> None:
    import hashlib

    seen: Dict[str, str] = {}
    for init in m.graph.initializer:
        raw = init.raw_data
        if len(raw) <= max_duplicate_bytes:
            continue
        h = hashlib.sha256(raw).hexdigest()
        if h in seen:
            raise RuntimeError(
                f"duplicated initializer ({len(raw)} bytes): {init.name} == {seen[h]}; "
                "tied weights were stored twice (disable constant folding / reuse the parameter)")
        seen[h] = init.name
    # A transposed copy is not byte-identical: only warn about same-size large tensors
    # (they may legitimately be distinct, e.g. an untied LM head).
    sizes: Dict[int, List[str]] = {}
    for init in m.graph.initializer:
        n = len(init.raw_data)
        if n > max_duplicate_bytes:
            sizes.setdefault(n, []).append(init.name)
    for n, names in sizes.items():
        if len(names) > 1 and n > 1024 * 1024:
            print(f"WARNING: several large initializers of {n} bytes {names}: possible tied-weight copy")


def copy_tokenizer_files(src: PathLike, dst: PathLike,
                         files: Iterable[str] = ("tokenizer.json",)) -> List[Path]:
    """Copy the named files from tokenizer folder ``src`` (absolute, or relative to
    ``TOKENIZERS_DIR``) into ``dst``. Missing files raise ``FileNotFoundError``."""
    src = Path(src)
    if not src.is_absolute():
        src = TOKENIZERS_DIR / src
    dst = Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    out = []
    for name in files:
        s = src / name
        if not s.exists():
            raise FileNotFoundError(s)
        shutil.copyfile(s, dst / name)
        out.append(dst / name)
    return out


def onnx_io_summary(path: PathLike) -> str:
    """Return a multi-line description of an ONNX graph's inputs and outputs."""
    import onnx

    m = onnx.load(str(path), load_external_data=False)

    def fmt(vi):
        t = vi.type.tensor_type
        dims = [d.dim_param if d.dim_param else str(d.dim_value) for d in t.shape.dim]
        return f"  {vi.name}: {onnx.TensorProto.DataType.Name(t.elem_type)} [{', '.join(dims)}]"

    lines = [f"{path}", " inputs:"] + [fmt(v) for v in m.graph.input]
    lines += [" outputs:"] + [fmt(v) for v in m.graph.output]
    return "\n".join(lines)


def dir_size(path: PathLike) -> int:
    """Total size in bytes of all files below ``path`` (or of the file itself)."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.2f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KiB"


def print_sizes(paths: Iterable[PathLike]) -> int:
    """Print per-file and per-folder sizes for each path; return the grand total in bytes."""
    total = 0
    for p in paths:
        p = Path(p)
        size = dir_size(p)
        total += size
        print(f"{_human(size):>12}  {p}")
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                print(f"{_human(f.stat().st_size):>12}    {f.relative_to(p)}")
    print(f"{_human(total):>12}  TOTAL")
    return total
