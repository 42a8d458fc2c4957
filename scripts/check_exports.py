#!/usr/bin/env python3
"""Checks Tracr.Generators exports with Python tools (not run by CI; see docs/export.md).

For every NAME.safetensors / NAME.onnx / NAME.expected.json in a folder (written by
scripts/check-exports.sh through the test GoldenExports_WriteTheFilesThePythonCheckReads):

1. reads the safetensors file with a reader written from the format's spec (numpy only);
2. runs TransformerLens's HookedTransformer forward pass, re-implemented in numpy line by line from
   transformer_lens (HookedTransformer.forward, components Embed, PosEmbed, AbstractAttention, MLP,
   Unembed; normalization_type None, act_fn relu), and compares every residual hook and attention pattern with the
   C# reference forward pass recorded in NAME.expected.json;
3. when transformer_lens is importable, builds the real HookedTransformer from the config in the metadata,
   loads the state dict and compares run_with_cache's hooks the same way;
4. when onnx is importable, runs onnx.checker.check_model (full check) on NAME.onnx.

Prints one line per model and a summary; exit code 1 if anything disagrees.
Usage: python3 scripts/check_exports.py DIR
"""

import json
import os
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    """Returns (metadata, {name: array}) following the safetensors format."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = data[8 + n :]
    tensors = {}
    end = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name}: data not contiguous ({begin} != {end})"
        dtype = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        array = np.frombuffer(body[begin:stop], dtype=dtype).reshape(info["shape"])
        tensors[name] = array.astype(np.float64)
        end = stop
    assert end == len(body), f"tensors cover {end} bytes of {len(body)}"
    return metadata, tensors


def transformer_lens_forward(cfg, w, tokens):
    """HookedTransformer.forward for this configuration, returning the cache of hooks."""
    cache = {}
    n = len(tokens)
    # Embed: W_E[tokens]; PosEmbed: W_pos[:pos]; residual = embed + pos_embed.
    embed = w["embed.W_E"][tokens, :]
    pos_embed = w["pos_embed.W_pos"][:n, :]
    residual = embed + pos_embed
    attn_scale = cfg["attn_scale"] if cfg.get("use_attn_scale", True) else 1.0
    for l in range(cfg["n_layers"]):
        p = f"blocks.{l}."
        cache[p + "hook_resid_pre"] = residual.copy()
        # AbstractAttention: q/k/v = einsum("pos d_model, head d_model d_head -> pos head d_head") + b.
        q = np.einsum("pm,hmd->phd", residual, w[p + "attn.W_Q"]) + w[p + "attn.b_Q"]
        k = np.einsum("pm,hmd->phd", residual, w[p + "attn.W_K"]) + w[p + "attn.b_K"]
        v = np.einsum("pm,hmd->phd", residual, w[p + "attn.W_V"]) + w[p + "attn.b_V"]
        # attn_scores = q . k / attn_scale, [head, query_pos, key_pos].
        scores = np.einsum("qhd,khd->hqk", q, k) / attn_scale
        if cfg["attention_dir"] == "causal":
            # apply_causal_mask: keys after the query get IGNORE (-inf).
            mask = np.tril(np.ones((n, n), dtype=bool))
            scores = np.where(mask[None, :, :], scores, -np.inf)
        scores = scores - scores.max(axis=-1, keepdims=True)
        pattern = np.exp(scores)
        pattern = pattern / pattern.sum(axis=-1, keepdims=True)
        pattern = np.where(np.isnan(pattern), 0.0, pattern)
        cache[p + "attn.hook_pattern"] = pattern
        z = np.einsum("hqk,khd->qhd", pattern, v)
        attn_out = np.einsum("qhd,hdm->qm", z, w[p + "attn.W_O"]) + w[p + "attn.b_O"]
        residual = residual + attn_out
        cache[p + "hook_resid_mid"] = residual.copy()
        # MLP: post = relu(x @ W_in + b_in); out = post @ W_out + b_out.
        pre = residual @ w[p + "mlp.W_in"] + w[p + "mlp.b_in"]
        post = np.maximum(pre, 0.0)
        mlp_out = post @ w[p + "mlp.W_out"] + w[p + "mlp.b_out"]
        residual = residual + mlp_out
        cache[p + "hook_resid_post"] = residual.copy()
    cache["logits"] = residual @ w["unembed.W_U"] + w["unembed.b_U"]
    return cache


def real_transformer_lens(cfg, w):
    """The real HookedTransformer, or None when transformer_lens is not installed."""
    try:
        import torch
        from transformer_lens import HookedTransformer, HookedTransformerConfig
    except ImportError:
        return None
    kwargs = dict(cfg)
    kwargs["dtype"] = torch.float64 if cfg["dtype"] == "float64" else torch.float32
    model = HookedTransformer(HookedTransformerConfig(**kwargs))
    state = {name: torch.tensor(value, dtype=kwargs["dtype"]) for name, value in w.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    # Only TransformerLens's buffers (causal mask, IGNORE) may be missing.
    assert not unexpected, unexpected
    assert all(m.endswith(("mask", "IGNORE")) for m in missing), missing

    def run(tokens):
        _, cache = model.run_with_cache(torch.tensor([tokens]))
        return {name: cache[name][0].detach().numpy() for name in cache.keys()}

    return run


def main(folder):
    names = sorted(f[: -len(".expected.json")] for f in os.listdir(folder) if f.endswith(".expected.json"))
    try:
        import onnx
    except ImportError:
        onnx = None
    failures, numbers, worst, real_checked, onnx_checked = 0, 0, 0.0, 0, 0
    for name in names:
        metadata, w = read_safetensors(os.path.join(folder, name + ".safetensors"))
        cfg = json.loads(metadata["transformer_lens_config"])
        with open(os.path.join(folder, name + ".expected.json")) as f:
            expected = json.load(f)
        real = real_transformer_lens(cfg, w)
        model_worst = 0.0
        for run in expected["runs"]:
            ids = run["input_ids"]
            caches = [transformer_lens_forward(cfg, w, ids)] + ([real(ids)] if real else [])
            for cache in caches:
                for hook, values in run["residuals"].items():
                    diff = np.abs(cache[hook] - np.array(values)).max()
                    numbers += np.size(values)
                    model_worst = max(model_worst, float(diff))
                for hook, heads in run["patterns"].items():
                    # The model's heads come first; TransformerLens's padding heads after them.
                    diff = np.abs(cache[hook][: len(heads)] - np.array(heads)).max()
                    numbers += np.size(heads)
                    model_worst = max(model_worst, float(diff))
        worst = max(worst, model_worst)
        ok = model_worst <= 1e-9
        if real:
            real_checked += 1
        onnx_note = ""
        if onnx is not None:
            onnx.checker.check_model(onnx.load(os.path.join(folder, name + ".onnx")), full_check=True)
            onnx_checked += 1
            onnx_note = ", onnx.checker ok"
        if not ok:
            failures += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {cfg['n_layers']} layers, {cfg['n_heads']} heads, d_model {cfg['d_model']}, "
              f"d_head {cfg['d_head']}, d_mlp {cfg['d_mlp']}, {len(expected['runs'])} inputs, max |diff| {model_worst:.3g}{onnx_note}")
    print(f"{len(names)} models, {numbers} residual and pattern numbers compared (numpy TransformerLens forward"
          f"{', real HookedTransformer on ' + str(real_checked) if real_checked else '; transformer_lens not installed'}), "
          f"max |diff| {worst:.3g}; onnx.checker on {onnx_checked}; {failures} failed")
    return 1 if failures or not names else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
