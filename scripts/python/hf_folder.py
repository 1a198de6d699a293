"""A Hugging Face model folder as both reference modules read and write it: model.safetensors (numpy I/O, no
safetensors package), config.json and an optional vocab.json. A tied lm_head.weight is not stored (HF's convention) and
is re-tied to the input embedding on load."""
import json
import os

import numpy as np
import torch

import safetensors_np


def hf_state_dict(model):
    """Tensors as HF stores them (float32 numpy): the tied lm_head.weight is not written."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    if model.config["tie_word_embeddings"]:
        sd.pop("lm_head.weight")
    return sd


def load(folder, model_type, build, embedding_key, ignored_suffixes=()):
    """Builds the model with build(config) from folder/config.json (whose model_type must match) and loads its
    tensors strictly, skipping buffers HF may store (ignored_suffixes) and re-tying lm_head to embedding_key."""
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    assert config["model_type"] == model_type, config["model_type"]
    model = build(config)
    tensors, _ = safetensors_np.load(os.path.join(folder, "model.safetensors"))
    state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items() if not k.endswith(tuple(ignored_suffixes))}
    if model.config["tie_word_embeddings"]:
        state["lm_head.weight"] = state[embedding_key]
    model.load_state_dict(state, strict=True)
    return model


def save(model, folder, architecture, model_type, config_keys, vocabulary=None):
    """Writes model.safetensors, config.json (architecture, model_type and config_keys of model.config) and, given a
    vocabulary (symbols in id order), vocab.json."""
    os.makedirs(folder, exist_ok=True)
    safetensors_np.save(os.path.join(folder, "model.safetensors"), hf_state_dict(model), {"format": "pt"})
    config = {"architectures": [architecture], "model_type": model_type, **{k: model.config[k] for k in config_keys}}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    if vocabulary is not None:
        with open(os.path.join(folder, "vocab.json"), "w") as f:
            json.dump({s: i for i, s in enumerate(vocabulary)}, f, indent=2)
