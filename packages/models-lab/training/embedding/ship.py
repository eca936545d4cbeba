"""Copies the exported embedding model (``export.py``) into ``packages/models/models/embedding``, int8 graph only.

    /usr/bin/python3 packages/models-lab/training/embedding/ship.py [--ckpt bilingual]

The configs, tokenizer and sentence-transformers files are copied; the hand-written model card (``README.md``) in
the destination is kept.
"""
from __future__ import annotations

import argparse
import shutil

from embedding_common import MODELS_DIR, WORK_DIR, builder_common

FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "modules.json",
         "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json"]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="bilingual")
    args = ap.parse_args(argv)
    src = WORK_DIR / "export" / args.ckpt
    dest = MODELS_DIR / "embedding"
    for sub in ("onnx", "1_Pooling"):
        if (dest / sub).exists():
            shutil.rmtree(dest / sub)
        (dest / sub).mkdir(parents=True)
    for f in FILES:
        shutil.copyfile(src / f, dest / f)
    shutil.copyfile(src / "onnx" / "model_quantized.onnx", dest / "onnx" / "model_quantized.onnx")
    print(builder_common.onnx_io_summary(dest / "onnx" / "model_quantized.onnx"))
    builder_common.print_sizes([dest])


if __name__ == "__main__":
    main()
