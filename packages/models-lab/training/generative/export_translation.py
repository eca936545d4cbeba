"""Export the trained translator to the Optimum layout (builder's exporters), int8 variant, Python BLEU check.

    /usr/bin/python3 packages/models-lab/training/generative/export_translation.py [--ckpt PATH]

Writes
  $GEN_WORK/translation-en-de-fp32/   full fp32 export: encoder_model, decoder_model, decoder_with_past_model,
                                      decoder_model_merged (+ configs, tokenizer): the reference for scoring
  packages/models/models/translation-en-de/
                                      what ships: configs, tokenizer, onnx/encoder_model_quantized.onnx and
                                      onnx/decoder_model_merged_quantized.onnx (int8 weights, see quantize.py)
Prints greedy BLEU on val and test_2016_flickr in torch for fp32 and for the int8 rounding of the weights.
The reported scores come from packages/models-lab/eval/translation.mjs (Node, @proj/seq2seq).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import modules  # noqa: E402  (puts packages/testing/builder on sys.path)
import seq2seq_models  # noqa: E402
from common import onnx_io_summary, print_sizes, write_json  # noqa: E402
from common_train import IDS, REPO, WORK, corpus_bleu, read_lines  # noqa: E402
from quantize import fake_quantize_state_dict, quantize_model  # noqa: E402
from train_translation import ByteDecoder, pairs, translate_split  # noqa: E402

SHIP = REPO / "packages" / "models" / "models" / "translation-en-de"
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]


def write_files(out: Path, c: dict) -> None:
    shutil.copyfile(IDS.parent / "en-de.tokenizer.json", out / "tokenizer.json")
    specials = dict(bos_token="<s>", eos_token="</s>", unk_token="<unk>", sep_token="</s>", pad_token="<pad>",
                    cls_token="<s>")
    write_json(out / "special_tokens_map.json", specials)
    write_json(out / "tokenizer_config.json", {
        **specials,
        "added_tokens_decoder": {str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                                          "single_word": False, "special": True} for i, t in enumerate(SPECIALS)},
        "add_prefix_space": False, "clean_up_tokenization_spaces": False, "errors": "replace",
        "model_max_length": c["max_position_embeddings"], "tokenizer_class": "BartTokenizer", "trim_offsets": True,
        "source_lang": "en", "target_lang": "de",  # read by @proj/seq2seq (single-pair scheme), as Marian's
    })
    write_json(out / "config.json", {
        "_name_or_path": "proj/translation-en-de (Multi30k)", "activation_dropout": 0.0, "activation_function": "gelu",
        "add_bias_logits": False, "add_final_layer_norm": False, "architectures": ["BartForConditionalGeneration"],
        "attention_dropout": 0.0, "bos_token_id": c["bos_token_id"], "classifier_dropout": 0.0,
        "d_model": c["d_model"], "decoder_attention_heads": c["decoder_attention_heads"],
        "decoder_ffn_dim": c["decoder_ffn_dim"], "decoder_layerdrop": 0.0, "decoder_layers": c["decoder_layers"],
        "decoder_start_token_id": c["decoder_start_token_id"], "dropout": 0.1,
        "encoder_attention_heads": c["encoder_attention_heads"], "encoder_ffn_dim": c["encoder_ffn_dim"],
        "encoder_layerdrop": 0.0, "encoder_layers": c["encoder_layers"], "eos_token_id": c["eos_token_id"],
        "forced_eos_token_id": c["eos_token_id"], "init_std": 0.02, "is_encoder_decoder": True,
        "max_position_embeddings": c["max_position_embeddings"], "model_type": "bart", "normalize_before": False,
        "num_hidden_layers": c["encoder_layers"], "pad_token_id": c["pad_token_id"], "scale_embedding": False,
        "tie_word_embeddings": True, "torch_dtype": "float32", "transformers_version": "4.46.0", "use_cache": True,
        "vocab_size": c["vocab_size"],
    })
    write_json(out / "generation_config.json", {
        "bos_token_id": c["bos_token_id"], "decoder_start_token_id": c["decoder_start_token_id"],
        "early_stopping": True, "eos_token_id": c["eos_token_id"], "forced_eos_token_id": c["eos_token_id"],
        "length_penalty": 1.0, "max_length": 128, "num_beams": 4, "pad_token_id": c["pad_token_id"],
        "transformers_version": "4.46.0",
    })


def score(model, cfg, split, dec):
    src, _ = pairs(split)
    refs = read_lines(split, "de")
    hyps = [dec(h) for h in translate_split(model, cfg, src)]
    return corpus_bleu(hyps, refs), hyps


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ckpt", default=str(WORK / "translation" / "last.pt"))
    p.add_argument("--fp32-out", default=str(WORK / "translation-en-de-fp32"))
    p.add_argument("--ship", default=str(SHIP))
    p.add_argument("--no-score", action="store_true")
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    ck = torch.load(a.ckpt)
    cfg = ck["cfg"]
    print("checkpoint", a.ckpt, "state", {k: v for k, v in ck["state"].items() if k != "epoch_rng"})
    train_model = modules.BartTrain(cfg, 0.0)
    train_model.load_state_dict(ck["model"])
    train_model.eval()
    exp = modules.export_bart(train_model, cfg)
    g = torch.Generator().manual_seed(5)
    src = torch.randint(4, cfg["vocab_size"], (3, 9), generator=g)
    mask = torch.ones_like(src)
    mask[2, -3:] = 0
    print("train/export max |diff|", modules.check_same_bart(train_model, exp, src, mask,
                                                             torch.randint(4, cfg["vocab_size"], (3, 6), generator=g)))
    print("torch greedy (cache == no cache):", seq2seq_models.check_torch_cache(exp, cfg["decoder_layers"],
                                                                               cfg["decoder_start_token_id"]))

    out = Path(a.fp32_out)
    if out.exists():
        shutil.rmtree(out)
    (out / "onnx").mkdir(parents=True)
    heads = cfg["decoder_attention_heads"]
    seq2seq_models.export_family(exp, out / "onnx", cfg["decoder_layers"], heads, cfg["d_model"] // heads,
                                 cfg["vocab_size"])
    write_files(out, cfg)

    ship = Path(a.ship)
    readme = (ship / "README.md").read_text() if (ship / "README.md").exists() else None
    if ship.exists():
        shutil.rmtree(ship)
    (ship / "onnx").mkdir(parents=True)
    write_files(ship, cfg)
    if readme is not None:
        (ship / "README.md").write_text(readme)
    report = {}
    for graph in ("encoder_model", "decoder_model_merged"):
        report[graph] = quantize_model(out / "onnx" / f"{graph}.onnx", ship / "onnx" / f"{graph}_quantized.onnx")
        print(graph, report[graph])
        print(onnx_io_summary(ship / "onnx" / f"{graph}_quantized.onnx"))
    print_sizes([out, ship])

    if not a.no_score:
        dec = ByteDecoder(IDS.parent / "en-de.tokenizer.json")
        q_model = modules.BartTrain(cfg, 0.0)
        q_model.load_state_dict(fake_quantize_state_dict(ck["model"]))
        q_model.eval()
        res = {}
        for split in ("val", "test_2016_flickr"):
            b32, hyps = score(train_model, cfg, split, dec)
            b8, _ = score(q_model, cfg, split, dec)
            res[split] = dict(greedy_bleu_fp32=b32, greedy_bleu_int8_weights=b8)
            print(f"{split}: greedy BLEU fp32 {b32:.2f}, int8 weights {b8:.2f}; e.g. {hyps[0]}")
        (Path(a.fp32_out) / "python_scores.json").write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
