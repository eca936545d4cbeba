"""Rebuilds every fixture model under packages/testing/fixtures, with fixed seeds.

Run with Debian's interpreter, which has python3-torch and python3-onnx::

    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 packages/testing/builder/build_all.py

Each builder can also run alone (``encoder_models.py``, ``embedding_models.py``, ``decoder_models.py``, ``seq2seq_models.py``),
optionally with fixture names as arguments.
"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for builder in ("encoder_models.py", "embedding_models.py", "decoder_models.py", "seq2seq_models.py"):
    print(f"== {builder}", flush=True)
    subprocess.run([sys.executable, str(HERE / builder)], check=True)
