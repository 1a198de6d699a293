"""Picks the reference module of a Hugging Face folder by its config.json model_type: gpt2 -> hf_gpt2, llama -> hf_llama."""
import json
import os

import hf_gpt2
import hf_llama

FAMILIES = {"gpt2": hf_gpt2, "llama": hf_llama}


def family_of(folder):
    with open(os.path.join(folder, "config.json")) as f:
        model_type = json.load(f)["model_type"]
    if model_type not in FAMILIES:
        raise SystemExit(f"{folder}/config.json: model_type {model_type!r} is not one of {sorted(FAMILIES)}")
    return FAMILIES[model_type]


def load(folder):
    return family_of(folder).load(folder)


def save(model, folder, vocabulary=None):
    (hf_llama if isinstance(model, hf_llama.LlamaForCausalLM) else hf_gpt2).save(model, folder, vocabulary)


def context_length(model):
    c = model.config
    return c["max_position_embeddings"] if isinstance(model, hf_llama.LlamaForCausalLM) else c["n_positions"]


def vocab_size(model):
    return model.config["vocab_size"]
