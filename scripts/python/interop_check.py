"""Checks Bus <-> Hugging Face exchange against the reference PyTorch modules hf_gpt2.py (GPT2LMHeadModel) and
hf_llama.py (LlamaForCausalLM); the folder's config.json model_type picks the module.

  verify FOLDER --probe PROBE   load the HF folder into the reference module, run PROBE's tokens and compare with
                                PROBE's logits (written by Bus): passes when max|diff| <= rtol * max|logit| (default 1e-4).
  make FOLDER [--arch llama]    build a GPT-2 (or Llama) with random weights in PyTorch, save it in the HF layout (model.safetensors,
                                config.json, vocab.json) and FOLDER/probe.safetensors with random tokens and PyTorch's logits.
       [--layout hub]           GPT-2 as the Hub's original gpt2 files store it: names without "transformer.", and per block
                                the causal-mask buffers attn.bias ([1, 1, n, n] lower-triangular ones) and attn.masked_bias (-1e4).
       [--layout v5]            Llama config.json as transformers v5 writes it: rope_parameters {rope_theta, rope_type
                                "default"}, no top-level rope_theta, "dtype" for "torch_dtype".
       [--store-tied-head]      also store lm_head.weight (a copy of the embedding) when the head is tied.

A probe file is safetensors with "tokens" (int64 [batch, time]) and "logits" (float32 [batch, time, vocab]).
Run with Debian's interpreter: /usr/bin/python3 scripts/python/interop_check.py ..."""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_gpt2  # noqa: E402
import hf_llama  # noqa: E402
import hf_models  # noqa: E402
import safetensors_np  # noqa: E402

TEXT8 = " abcdefghijklmnopqrstuvwxyz"


def logits_of(model, tokens):
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(tokens.astype(np.int64))).numpy()


def verify(args):
    model = hf_models.load(args.folder)
    probe, _ = safetensors_np.load(args.probe)
    ours = logits_of(model, probe["tokens"]).astype(np.float64)
    theirs = probe["logits"].astype(np.float64)
    if ours.shape != theirs.shape:
        print(f"FAIL shape: PyTorch logits {ours.shape}, probe logits {theirs.shape}")
        return 1
    diff, scale = np.abs(ours - theirs).max(), np.abs(theirs).max()
    ok = diff <= args.rtol * scale
    print(f"{'ok' if ok else 'FAIL'} {args.folder}: max|logit diff| = {diff:.3e}, max|logit| = {scale:.3e}, "
          f"relative = {diff / scale:.3e} (limit {args.rtol:g})")
    return 0 if ok else 1


def make(args):
    torch.manual_seed(args.seed)
    if args.arch == "gpt2":
        config = {"vocab_size": args.vocab_size, "n_positions": args.n_positions, "n_embd": args.n_embd, "n_layer": args.n_layer,
                  "n_head": args.n_head, "n_inner": args.n_inner, "activation_function": args.activation,
                  "resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0, "tie_word_embeddings": not args.untied}
        family = hf_gpt2
        model = hf_gpt2.GPT2LMHeadModel(config)
    else:
        config = {"vocab_size": args.vocab_size, "max_position_embeddings": args.n_positions, "hidden_size": args.n_embd,
                  "num_hidden_layers": args.n_layer, "num_attention_heads": args.n_head, "num_key_value_heads": args.n_kv_head,
                  "intermediate_size": args.n_inner, "rope_theta": args.rope_theta, "tie_word_embeddings": not args.untied}
        family = hf_llama
        model = hf_llama.LlamaForCausalLM(config)
    with torch.no_grad():  # random (not freshly initialised) weights make the comparison non-trivial
        for name, p in model.named_parameters():
            gain = name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight", "layernorm.weight", "norm.weight"))
            p.copy_(torch.randn_like(p) * args.std + (1.0 if gain else 0.0))
    vocabulary = TEXT8 if args.vocab_size == len(TEXT8) else None
    family.save(model, args.folder, vocabulary)
    relayout(args, model)
    tokens = torch.randint(args.vocab_size, (3, args.n_positions), generator=torch.Generator().manual_seed(args.seed + 1)).numpy()
    safetensors_np.save(os.path.join(args.folder, "probe.safetensors"),
                        {"tokens": tokens.astype(np.int64), "logits": logits_of(model, tokens).astype(np.float32)})
    print(f"wrote {args.folder} ({args.arch}, {sum(p.numel() for p in model.parameters())} parameters, tied={not args.untied})")
    return 0


def relayout(args, model):
    """Rewrites the saved folder into the --layout / --store-tied-head forms (see the module docstring)."""
    weights, config_path = os.path.join(args.folder, "model.safetensors"), os.path.join(args.folder, "config.json")
    tensors, metadata = safetensors_np.load(weights)
    if args.store_tied_head and not args.untied:
        embedding = "transformer.wte.weight" if args.arch == "gpt2" else "model.embed_tokens.weight"
        tensors["lm_head.weight"] = tensors[embedding].copy()
    if args.layout == "hub":
        assert args.arch == "gpt2", "--layout hub is GPT-2's"
        tensors = {k[len("transformer."):] if k.startswith("transformer.") else k: v for k, v in tensors.items()}
        mask = np.tril(np.ones((args.n_positions, args.n_positions), dtype=np.float32)).reshape(1, 1, args.n_positions, args.n_positions)
        for i in range(args.n_layer):
            tensors[f"h.{i}.attn.bias"] = mask
            tensors[f"h.{i}.attn.masked_bias"] = np.array(-1e4, dtype=np.float32)
    safetensors_np.save(weights, tensors, metadata)
    if args.layout == "v5":
        assert args.arch == "llama", "--layout v5 is Llama's"
        with open(config_path) as f:
            config = json.load(f)
        config["rope_parameters"] = {"rope_theta": config.pop("rope_theta"), "rope_type": "default"}
        config.pop("rope_scaling", None)
        config["dtype"] = config.pop("torch_dtype", "float32")
        with open(config_path, "w") as f:
            json.dump(config, f, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify")
    v.add_argument("folder")
    v.add_argument("--probe", required=True)
    v.add_argument("--rtol", type=float, default=1e-4)
    m = sub.add_parser("make")
    m.add_argument("folder")
    m.add_argument("--arch", choices=["gpt2", "llama"], default="gpt2")
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--vocab-size", type=int, default=27)
    m.add_argument("--n-positions", type=int, default=8)
    m.add_argument("--n-embd", type=int, default=32)
    m.add_argument("--n-layer", type=int, default=2)
    m.add_argument("--n-head", type=int, default=4)
    m.add_argument("--n-inner", type=int, default=48)
    m.add_argument("--n-kv-head", type=int, default=None, help="Llama: key/value heads (default: --n-head)")
    m.add_argument("--rope-theta", type=float, default=10000.0)
    m.add_argument("--activation", default="gelu")
    m.add_argument("--std", type=float, default=0.3)
    m.add_argument("--untied", action="store_true")
    m.add_argument("--layout", choices=["hf", "hub", "v5"], default="hf")
    m.add_argument("--store-tied-head", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    return verify(args) if args.command == "verify" else make(args)


if __name__ == "__main__":
    sys.exit(main())
