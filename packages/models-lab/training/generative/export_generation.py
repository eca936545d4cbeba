"""Export the trained caption LM to the GPT-2 Optimum layout (builder's exporter) and its int8 variant.

    /usr/bin/python3 packages/models-lab/training/generative/export_generation.py [--ckpt PATH]

Writes
  $GEN_WORK/generation-fp32/            fp32 export (onnx/model.onnx + configs + tokenizer): the reference
  packages/models/models/generation/    what ships: configs, tokenizer, onnx/model_quantized.onnx (int8 weights)
Prints the validation perplexity in torch for fp32 and for the int8 rounding of the weights; the reported
figures come from packages/models-lab/eval/generation.mjs (Node, @proj/core + @proj/decoder).
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import modules  # noqa: E402  (puts packages/testing/builder on sys.path)
import decoder_models  # noqa: E402
from common import onnx_io_summary, print_sizes, write_json  # noqa: E402
from common_train import IDS, REPO, WORK, load_ids, read_lines  # noqa: E402
from quantize import fake_quantize_state_dict, quantize_model  # noqa: E402
from train_generation import EOT, validate  # noqa: E402

SHIP = REPO / "packages" / "models" / "models" / "generation"


def write_files(out: Path, c: dict) -> None:
    shutil.copyfile(IDS.parent / "caption-en.tokenizer.json", out / "tokenizer.json")
    cfg = dict(c)
    cfg["_name_or_path"] = "proj/generation (Multi30k English captions)"
    write_json(out / "config.json", cfg)
    write_json(out / "generation_config.json", dict(
        bos_token_id=EOT, eos_token_id=EOT, pad_token_id=EOT, max_length=64, transformers_version="4.46.0"))
    eot = "<|endoftext|>"
    special = dict(bos_token=eot, eos_token=eot, unk_token=eot, pad_token=eot)
    write_json(out / "special_tokens_map.json", special)
    write_json(out / "tokenizer_config.json", dict(
        special,
        added_tokens_decoder={"0": {"content": eot, "lstrip": False, "normalized": False, "rstrip": False,
                                    "single_word": False, "special": True}},
        tokenizer_class="GPT2Tokenizer", model_max_length=c["n_positions"], add_prefix_space=False,
        add_bos_token=False, padding_side="left", clean_up_tokenization_spaces=False, errors="replace"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ckpt", default=str(WORK / "generation" / "last.pt"))
    p.add_argument("--fp32-out", default=str(WORK / "generation-fp32"))
    p.add_argument("--ship", default=str(SHIP))
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    ck = torch.load(a.ckpt)
    c = ck["cfg"]
    print("checkpoint", a.ckpt, "state", {k: v for k, v in ck["state"].items() if k != "epoch_rng"})
    train_model = modules.GPT2Train(c, 0.0)
    train_model.load_state_dict(ck["model"])
    train_model.eval()
    exp = modules.export_gpt2(train_model, c)
    ids = torch.randint(1, c["vocab_size"], (2, 7), generator=torch.Generator().manual_seed(3))
    print("train/export max |diff|", modules.check_same_gpt2(train_model, exp, ids))
    head_dim = c["n_embd"] // c["n_head"]
    decoder_models.self_check(exp, c["n_layer"], c["n_head"], head_dim, c["vocab_size"])

    out = Path(a.fp32_out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    decoder_models.export_decoder(exp, out, c["n_layer"], c["n_head"], head_dim, c["vocab_size"])
    write_files(out, c)

    ship = Path(a.ship)
    readme = (ship / "README.md").read_text() if (ship / "README.md").exists() else None
    if ship.exists():
        shutil.rmtree(ship)
    (ship / "onnx").mkdir(parents=True)
    write_files(ship, c)
    if readme is not None:
        (ship / "README.md").write_text(readme)
    print(quantize_model(out / "onnx" / "model.onnx", ship / "onnx" / "model_quantized.onnx"))
    print(onnx_io_summary(ship / "onnx" / "model_quantized.onnx"))
    print_sizes([out, ship])

    val = load_ids("caption-en", "val", "en")
    words = sum(len(l.split()) for l in read_lines("val", "en"))
    q_model = modules.GPT2Train(c, 0.0)
    q_model.load_state_dict(fake_quantize_state_dict(ck["model"]))
    res = {}
    for name, m in (("fp32", train_model), ("int8_weights", q_model)):
        tot, n = validate(m, val)
        res[name] = dict(token_ppl=math.exp(tot / n), word_ppl=math.exp(tot / (words + len(val))))
        print(name, res[name])
    (out / "python_scores.json").write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
