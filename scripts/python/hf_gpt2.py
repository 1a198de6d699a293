"""Reference GPT2LMHeadModel in plain PyTorch (1.13, no `transformers`), written from Hugging Face's definition
(transformers/models/gpt2/modeling_gpt2.py and configuration_gpt2.py), with the same state_dict names so an HF
folder (config.json + model.safetensors) loads into it directly:
  h = wte(ids) + wpe(pos); per block: h = h + attn(ln_1(h)); h = h + mlp(ln_2(h)); logits = lm_head(ln_f(h)).
Conv1D keeps its weight as [in, out] and computes x @ W + b; c_attn produces q|k|v (split along the last axis,
heads contiguous); attention scores are scaled by 1/sqrt(head_dim) and causally masked; lm_head has no bias and is
tied to wte unless tie_word_embeddings is false."""
import math

import torch
from torch import nn

import hf_folder

ACT = {
    "gelu": lambda x: torch.nn.functional.gelu(x),  # exact erf GELU (HF GELUActivation)
    "gelu_new": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0)))),
    "relu": torch.relu,
}

DEFAULTS = {"n_positions": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12, "n_inner": None,
            "activation_function": "gelu_new", "resid_pdrop": 0.1, "embd_pdrop": 0.1, "attn_pdrop": 0.1,
            "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True, "vocab_size": 50257}


class Conv1D(nn.Module):
    def __init__(self, nf, nx):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(nx, nf).normal_(std=0.02))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.size(-1)), self.weight).view(*x.shape[:-1], -1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["n_embd"]
        self.heads, self.d = c["n_head"], d
        self.c_attn, self.c_proj = Conv1D(3 * d, d), Conv1D(d, d)
        self.attn_dropout, self.resid_dropout = nn.Dropout(c["attn_pdrop"]), nn.Dropout(c["resid_pdrop"])

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.d // self.heads).permute(0, 2, 1, 3)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.c_attn(x).split(self.d, dim=2)
        q, k, v = self.split(q), self.split(k), self.split(v)
        w = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(v.size(-1))
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device))
        w = torch.where(causal, w, torch.tensor(torch.finfo(w.dtype).min, dtype=w.dtype, device=x.device))
        a = torch.matmul(self.attn_dropout(torch.softmax(w, dim=-1)), v)
        return self.resid_dropout(self.c_proj(a.permute(0, 2, 1, 3).reshape(b, t, self.d)))


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        inner = c["n_inner"] or 4 * c["n_embd"]
        self.c_fc, self.c_proj = Conv1D(inner, c["n_embd"]), Conv1D(c["n_embd"], inner)
        self.act, self.dropout = ACT[c["activation_function"]], nn.Dropout(c["resid_pdrop"])

    def forward(self, x):
        return self.dropout(self.c_proj(self.act(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        eps = c["layer_norm_epsilon"]
        self.ln_1, self.attn = nn.LayerNorm(c["n_embd"], eps=eps), Attention(c)
        self.ln_2, self.mlp = nn.LayerNorm(c["n_embd"], eps=eps), MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c["vocab_size"], c["n_embd"])
        self.wpe = nn.Embedding(c["n_positions"], c["n_embd"])
        self.drop = nn.Dropout(c["embd_pdrop"])
        self.h = nn.ModuleList([Block(c) for _ in range(c["n_layer"])])
        self.ln_f = nn.LayerNorm(c["n_embd"], eps=c["layer_norm_epsilon"])

    def forward(self, ids):
        pos = torch.arange(ids.size(1), device=ids.device)
        x = self.drop(self.wte(ids) + self.wpe(pos))
        for block in self.h:
            x = block(x)
        return self.ln_f(x)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = c = {**DEFAULTS, **config}
        self.transformer = Transformer(c)
        self.lm_head = nn.Linear(c["n_embd"], c["vocab_size"], bias=False)
        if c["tie_word_embeddings"]:
            self.lm_head.weight = self.transformer.wte.weight

    def forward(self, ids):
        return self.lm_head(self.transformer(ids))

    def hf_state_dict(self):
        """Tensors as HF stores them: the tied lm_head.weight is not written."""
        return hf_folder.hf_state_dict(self)


def load(folder):
    return hf_folder.load(folder, "gpt2", GPT2LMHeadModel, "transformer.wte.weight", (".attn.bias", ".attn.masked_bias"))


def save(model, folder, vocabulary=None):
    hf_folder.save(model, folder, "GPT2LMHeadModel", "gpt2", DEFAULTS, vocabulary)
