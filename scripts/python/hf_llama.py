"""Reference LlamaForCausalLM in plain PyTorch (1.13, no `transformers`), written from Hugging Face's definition
(transformers/models/llama/modeling_llama.py and configuration_llama.py), with the same state_dict names:
  h = embed_tokens(ids); per layer: h = h + self_attn(input_layernorm(h)); h = h + mlp(post_attention_layernorm(h));
  logits = lm_head(norm(h)).
LlamaRMSNorm: w * x * rsqrt(mean(x^2) + eps) in float32. Rotary embedding in HF's convention: inv_freq = 1 / theta^(arange(0,
hd, 2) / hd), emb = cat(freqs, freqs), q' = q cos + rotate_half(q) sin with rotate_half([x1, x2]) = [-x2, x1] over the two
halves of the head. Grouped-query attention: repeat_kv repeats each key/value head num_heads / num_kv_heads times
(head j serves query heads j*g .. j*g+g-1). MLP: down_proj(silu(gate_proj(x)) * up_proj(x)). No biases by default.
lm_head is tied to embed_tokens when tie_word_embeddings (default false for Llama)."""
import math

import torch
from torch import nn

import hf_folder

DEFAULTS = {"vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
            "num_attention_heads": 32, "num_key_value_heads": None, "hidden_act": "silu", "max_position_embeddings": 2048,
            "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "attention_bias": False, "mlp_bias": False,
            "tie_word_embeddings": False, "attention_dropout": 0.0}


class LlamaRMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        dtype = x.dtype
        x = x.to(torch.float32)
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x.to(dtype)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rotary(length, head_dim, theta, device):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float().to(device) / head_dim))
    freqs = torch.outer(torch.arange(length, device=device).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


class LlamaAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, self.heads, self.kv = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
        self.hd, self.theta, bias = c.get("head_dim") or d // self.heads, c["rope_theta"], c["attention_bias"]
        self.q_proj = nn.Linear(d, self.heads * self.hd, bias=bias)
        self.k_proj = nn.Linear(d, self.kv * self.hd, bias=bias)
        self.v_proj = nn.Linear(d, self.kv * self.hd, bias=bias)
        self.o_proj = nn.Linear(self.heads * self.hd, d, bias=bias)
        self.dropout = c["attention_dropout"]

    def forward(self, x):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        cos, sin = rotary(t, self.hd, self.theta, x.device)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        g = self.heads // self.kv  # repeat_kv
        k = k[:, :, None].expand(b, self.kv, g, t, self.hd).reshape(b, self.heads, t, self.hd)
        v = v[:, :, None].expand(b, self.kv, g, t, self.hd).reshape(b, self.heads, t, self.hd)
        w = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd)
        w = w.masked_fill(~torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device)), torch.finfo(w.dtype).min)
        w = nn.functional.dropout(torch.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype), p=self.dropout, training=self.training)
        return self.o_proj(torch.matmul(w, v).transpose(1, 2).reshape(b, t, self.heads * self.hd))


class LlamaMLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, i, bias = c["hidden_size"], c["intermediate_size"], c["mlp_bias"]
        self.gate_proj, self.up_proj, self.down_proj = nn.Linear(d, i, bias=bias), nn.Linear(d, i, bias=bias), nn.Linear(i, d, bias=bias)

    def forward(self, x):
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self_attn, self.mlp = LlamaAttention(c), LlamaMLP(c)
        self.input_layernorm = LlamaRMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.post_attention_layernorm = LlamaRMSNorm(c["hidden_size"], c["rms_norm_eps"])

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([LlamaDecoderLayer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = LlamaRMSNorm(c["hidden_size"], c["rms_norm_eps"])

    def forward(self, ids):
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x)
        return self.norm(x)


class LlamaForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = {**DEFAULTS, **config}
        c["num_key_value_heads"] = c["num_key_value_heads"] or c["num_attention_heads"]
        assert c["hidden_act"] == "silu" and not c.get("rope_scaling"), "reference supports silu and plain RoPE only"
        self.config = c
        self.model = LlamaModel(c)
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
        if c["tie_word_embeddings"]:
            self.lm_head.weight = self.model.embed_tokens.weight

    def forward(self, ids):
        return self.lm_head(self.model(ids))

    def hf_state_dict(self):
        """Tensors as HF stores them: the tied lm_head.weight is not written."""
        return hf_folder.hf_state_dict(self)


def load(folder):
    return hf_folder.load(folder, "llama", LlamaForCausalLM, "model.embed_tokens.weight", (".rotary_emb.inv_freq",))


def save(model, folder, vocabulary=None):
    hf_folder.save(model, folder, "LlamaForCausalLM", "llama", DEFAULTS, vocabulary)
