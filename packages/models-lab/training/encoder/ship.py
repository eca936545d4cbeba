"""Copies an exported model (``export.py``) into ``packages/models/models/<kind>``, with only the ONNX variant shipped.

    /usr/bin/python3 packages/models-lab/training/encoder/ship.py sentiment --variant q8

``--variant``: ``q8`` ships ``onnx/model_quantized.onnx`` (int8 weights), ``fp32`` ships ``onnx/model.onnx``,
``fp16`` ships ``onnx/model_fp16.onnx``. The configs and tokenizer files are copied too; the model card
(``README.md``) in the destination is kept (it is written by hand, with the scores of the eval scripts).
"""
from __future__ import annotations

import argparse
import shutil

from modules import MODELS_DIR, WORK_DIR, builder_common

FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
VARIANTS = {"fp32": "model.onnx", "q8": "model_quantized.onnx", "fp16": "model_fp16.onnx"}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["sentiment", "ner", "fill-mask"])
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="q8")
    args = ap.parse_args(argv)
    src = WORK_DIR / "export" / args.kind
    dest = MODELS_DIR / args.kind
    dest.mkdir(parents=True, exist_ok=True)
    if (dest / "onnx").exists():
        shutil.rmtree(dest / "onnx")
    (dest / "onnx").mkdir()
    for f in FILES:
        shutil.copyfile(src / f, dest / f)
    name = VARIANTS[args.variant]
    shutil.copyfile(src / "onnx" / name, dest / "onnx" / name)
    print(builder_common.onnx_io_summary(dest / "onnx" / name))
    builder_common.print_sizes([dest])


if __name__ == "__main__":
    main()
