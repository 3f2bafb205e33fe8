#!/usr/bin/env python3
"""Write the peft reference numbers the engine's LoRA layer is tested against.

    python3 Tests/DecayEngineTests/Fixtures/make_lora_fixtures.py

Two kinds of file:

- LoRA/layer_*.json: one peft `LoraLayer` (peft.inject_adapter_in_model on a
  module holding one nn.Linear) with its forward output, the gradients of
  A, B and the input for a fixed output gradient, the factors after one
  torch.optim.AdamW step with decay, and the singular values of
  dW = s*B*A after the step from numpy's SVD in float64. Cases: r = 1, 4, 8;
  r = 8 with lora_dropout; r = 4 with use_rslora; r = 4 as peft
  initializes it (B = 0, so dA = 0 and only B moves on the first step).
- lora_mlp.json: an experiment in the export format (see README.md) whose
  model carries LoRA layers, trained by Export/reproduce.py with peft,
  picked up by PyTorchReferenceTests like every trajectory fixture.

Dropout masks come from the engine's counter-based hash (reproduce.py's
HashDropout, swapped in for peft's nn.Dropout), since the engine cannot
share torch's RNG. Before anything is written the script checks itself:
peft's own initialization (A ~ U(-1/sqrt(in), 1/sqrt(in)), B = 0), the
base weight untouched by backward and by the step, the layer against a
float64 numpy forward and backward, the optimizer step against AdamW's
written-out update, reproduce.py's own LoRALinear (used without peft)
against peft to the last bit, and the SVD against dW's Frobenius norm.

Needs torch, numpy and peft. CI never runs this.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import peft
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import make_fixtures as mf  # noqa: E402  (helpers: number formats, data, runs)

reproduce = mf.reproduce
LAYER_DIR = HERE / "LoRA"
IN, OUT, ROWS = 20, 24, 7          # column tails of 16-wide kernels on both sides
DROPOUT_KEY = {"seed": 987654321, "step": 3, "layer": 2}
ADAMW = {"lr": 0.01, "weight_decay": 0.1, "betas": [0.9, 0.999], "eps": 1e-8}


class Holder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(IN, OUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x)


def rows(t: torch.Tensor) -> List[Any]:
    return mf.compact(t.detach().double().tolist())


def layer_case(name: str, rank: int, alpha: float, dropout: float = 0.0, rslora: bool = False,
               fresh: bool = False) -> Dict[str, Any]:
    torch.manual_seed(100 + rank + (7 if dropout else 0) + (13 if rslora else 0) + (29 if fresh else 0))
    model = Holder()
    config = peft.LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=dropout, use_rslora=rslora,
                             target_modules=["fc"], bias="none")
    peft.inject_adapter_in_model(config, model)
    layer = model.fc
    a, b = layer.lora_A["default"].weight, layer.lora_B["default"].weight
    # peft's own initialization: Kaiming-uniform with a = sqrt(5), i.e. U(±1/sqrt(in)), and B = 0.
    bound = 1 / math.sqrt(IN)
    assert float(a.detach().abs().max()) <= bound and float(a.detach().abs().max()) > 0.8 * bound, "A is not U(±1/sqrt(in))"
    assert float(b.abs().max()) == 0.0, "B does not start at zero"
    assert not layer.base_layer.weight.requires_grad and not layer.base_layer.bias.requires_grad
    scaling = alpha / (math.sqrt(rank) if rslora else rank)
    assert layer.scaling["default"] == scaling
    if not fresh:
        with torch.no_grad():
            b.copy_(0.3 * torch.randn_like(b))  # as after some training, so dA is not zero
    context = reproduce.StepContext()
    context.seed, context.step = DROPOUT_KEY["seed"], DROPOUT_KEY["step"]
    if dropout > 0:
        layer.lora_dropout["default"] = reproduce.ContextDropout(dropout, DROPOUT_KEY["layer"], context)
    w0, b0 = layer.base_layer.weight.detach().clone(), layer.base_layer.bias.detach().clone()
    initial = {"weight": rows(w0), "bias": mf.compact(b0.tolist()), "lora_A": rows(a), "lora_B": rows(b)}

    x = torch.randn(ROWS, IN, requires_grad=True)
    g = torch.randn(ROWS, OUT)
    model.train()
    y = model(x)
    (y * g).sum().backward()
    assert layer.base_layer.weight.grad is None and layer.base_layer.bias.grad is None, "the base took a gradient"
    grads = {"output": rows(y), "input_gradient": rows(x.grad), "grad_A": rows(a.grad), "grad_B": rows(b.grad)}
    if fresh:
        assert float(a.grad.abs().max()) == 0.0 and float(b.grad.abs().max()) > 0, "B = 0 must leave dA = 0"
    check_against_numpy(initial, x, g, grads, scaling, dropout)
    check_own_layer(initial, x, g, grads, rank, scaling, dropout)

    optimizer = torch.optim.AdamW([a, b], lr=ADAMW["lr"], betas=tuple(ADAMW["betas"]), eps=ADAMW["eps"],
                                  weight_decay=ADAMW["weight_decay"], foreach=False)
    a_before, b_before = a.detach().double().clone(), b.detach().double().clone()
    a_grad, b_grad = a.grad.double().clone(), b.grad.double().clone()
    optimizer.step()
    for before, grad, after in ((a_before, a_grad, a), (b_before, b_grad, b)):
        # AdamW's first step written out: p(1 - lr*wd) - lr*g/(|g| + eps) (bias-corrected m/sqrt(v) = g/|g|)
        want = before * (1 - ADAMW["lr"] * ADAMW["weight_decay"]) - ADAMW["lr"] * grad / (grad.abs() + ADAMW["eps"])
        assert float((after.detach().double() - want).abs().max()) < 1e-6, "AdamW's step is not the written-out update"
    assert torch.equal(layer.base_layer.weight, w0) and torch.equal(layer.base_layer.bias, b0), "the step moved the base"

    delta = scaling * b.detach().double().numpy() @ a.detach().double().numpy()
    sigma = np.linalg.svd(delta, compute_uv=False)[:rank]
    assert abs(math.sqrt(float((sigma ** 2).sum())) - float(np.linalg.norm(delta))) < 1e-9 * max(1.0, float(np.linalg.norm(delta)))
    return {
        "format": "decay-tutor.lora-layer/1", "case": name,
        "in": IN, "out": OUT, "rank": rank, "alpha": alpha, "rslora": rslora, "lora_dropout": dropout,
        "scaling": scaling, "dropout_key": DROPOUT_KEY, **initial,
        "x": rows(x), "output_gradient": rows(g), **grads,
        "adamw": ADAMW, "after_step": {"lora_A": rows(a), "lora_B": rows(b)},
        "delta_w": {"singular_values": [float(v) for v in sigma], "frobenius": float(np.linalg.norm(delta))},
        "reference": {"generator": "Tests/DecayEngineTests/Fixtures/make_lora_fixtures.py",
                      "torch": torch.__version__.split("+")[0], "peft": peft.__version__, "numpy": np.__version__},
    }


def mask(dropout: float, count: int) -> np.ndarray:
    if dropout == 0:
        return np.ones(count)
    keep = reproduce.dropout_keep(DROPOUT_KEY["seed"], DROPOUT_KEY["step"], DROPOUT_KEY["layer"], count, dropout)
    return np.where(keep, float(reproduce.dropout_scale(dropout)), 0.0)


def check_against_numpy(initial: Dict[str, Any], x: torch.Tensor, g: torch.Tensor, got: Dict[str, Any],
                        s: float, dropout: float) -> None:
    """The layer by its definition in float64: y = x W0^T + b + s (m*x) A^T B^T."""
    w0, b0 = np.array(initial["weight"]), np.array(initial["bias"])
    a, b = np.array(initial["lora_A"]), np.array(initial["lora_B"])
    xn, gn = x.detach().double().numpy(), g.double().numpy()
    m = mask(dropout, xn.size).reshape(xn.shape)
    xd = xn * m
    h = xd @ a.T
    y = xn @ w0.T + b0 + s * h @ b.T
    dz = s * gn
    want = {"output": y, "grad_B": dz.T @ h, "grad_A": (dz @ b).T @ xd, "input_gradient": gn @ w0 + ((dz @ b) @ a) * m}
    for key, value in want.items():
        err = float(np.abs(np.array(got[key]) - value).max()) / max(1.0, float(np.abs(value).max()))
        assert err < 1e-5, f"{key}: peft and the float64 definition differ by {err:.1e}"


def check_own_layer(initial: Dict[str, Any], x: torch.Tensor, g: torch.Tensor, got: Dict[str, Any],
                    rank: int, s: float, dropout: float) -> None:
    """reproduce.py's LoRALinear (its path without peft) gives peft's numbers bit for bit."""
    base = nn.Linear(IN, OUT)
    context = reproduce.StepContext()
    context.seed, context.step = DROPOUT_KEY["seed"], DROPOUT_KEY["step"]
    drop = reproduce.ContextDropout(dropout, DROPOUT_KEY["layer"], context) if dropout > 0 else nn.Identity()
    layer = reproduce.LoRALinear(base, rank, s, drop)
    with torch.no_grad():
        base.weight.copy_(torch.tensor(initial["weight"]))
        base.bias.copy_(torch.tensor(initial["bias"]))
        layer.lora_A.weight.copy_(torch.tensor(initial["lora_A"]))
        layer.lora_B.weight.copy_(torch.tensor(initial["lora_B"]))
    base.requires_grad_(False)
    xx = x.detach().clone().requires_grad_(True)
    y = layer(xx)
    (y * g).sum().backward()
    for key, value in (("output", y), ("input_gradient", xx.grad), ("grad_A", layer.lora_A.weight.grad),
                       ("grad_B", layer.lora_B.weight.grad)):
        assert rows(value) == got[key], f"reproduce.LoRALinear's {key} is not peft's"


# --------------------------------------------------------------------------
# A trajectory through reproduce.py
# --------------------------------------------------------------------------


def lora_model(seed: int, rank: int, alpha: float, dropout: float, rslora: bool = False) -> List[Dict[str, Any]]:
    """mf.mlp's model with LoRA on both hidden linear layers (A as peft draws
    it, B = 0) and everything else frozen, as the engine attaches an adapter."""
    layers = mf.mlp(seed=seed, out=3)
    torch.manual_seed(seed + 1000)
    out = []
    for i, layer in enumerate(layers):
        layer = dict(layer)
        if layer["type"] == "linear" and i < len(layers) - 1:
            bound = 1 / math.sqrt(layer["in"])
            a = torch.empty(rank, layer["in"]).uniform_(-bound, bound)
            layer.update({"type": "lora", "rank": rank, "alpha": alpha, "rslora": rslora, "lora_dropout": dropout,
                          "lora_A": mf.compact(a.tolist()), "lora_B": [[0.0] * rank for _ in range(layer["out"])],
                          "group": "adapters"})
            layer.pop("weight_group")
            layer.pop("bias_group")
        elif layer["type"] in ("linear", "layernorm"):
            layer["frozen"] = True
        out.append(layer)
    return out


def trajectory() -> Dict[str, Any]:
    cls = mf.classification_data(seed=7)
    adapters = {"adapters": {"decay": True}}
    steps = 50
    exp = mf.experiment("cross_entropy", cls, lora_model(seed=0, rank=4, alpha=8, dropout=0.1), [
        mf.run("lora r4, adamw", mf.adam("adamw", 0.02, 0.1, "decoupled"), adapters, mf.constant_lr(0.02, steps),
               dropout_seed=4242),
        mf.run("lora r2 rslora, adam l2", mf.adam("adam", 0.02, 0.05, "l2"), adapters, mf.constant_lr(0.02, steps),
               dropout_seed=4242, model=lora_model(seed=0, rank=2, alpha=4, dropout=0.0, rslora=True)),
        mf.run("lora r4, adamw toward init", dict(mf.adam("adamw", 0.02, 1.0, "decoupled"), decay_to="init"), adapters,
               mf.constant_lr(0.02, steps), dropout_seed=4242),
    ])
    for r in exp["runs"]:
        with_peft = reproduce.train_run(exp, r, use_peft=True)
        assert with_peft.lora_backend.startswith("peft"), with_peft.lora_backend
        own = reproduce.train_run(exp, r, use_peft=False)
        assert own.history == with_peft.history and own.final_params == with_peft.final_params, \
            f"{r['name']}: reproduce.py without peft differs from peft"
        r64 = reproduce.train_run(exp, r, dtype=torch.float64, use_peft=True)
        drift = max(abs(p - q) / max(abs(q), 1e-6) for a, b in zip(with_peft.final_params, r64.final_params)
                    for p, q in zip(a, b))
        assert drift < mf.MAX_FLOAT64_DRIFT * 10, f"{r['name']}: float32 drifts {drift:.1e} from float64"
        assert len(with_peft.final_params) == 4, "final_params must list the four factors only"
        r["history"] = mf.compact(with_peft.history)
        r["final_params"] = mf.compact(with_peft.final_params)
    exp["reference"] = {"generator": "Tests/DecayEngineTests/Fixtures/make_lora_fixtures.py",
                        "torch": torch.__version__.split("+")[0], "peft": peft.__version__, "numpy": np.__version__}
    return exp


def main() -> int:
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, peft {peft.__version__}, numpy {np.__version__}")
    cases = {
        "layer_r1": layer_case("r = 1", 1, 2.0),
        "layer_r4": layer_case("r = 4", 4, 8.0),
        "layer_r8": layer_case("r = 8", 8, 16.0),
        "layer_r8_dropout": layer_case("r = 8, lora_dropout 0.25", 8, 16.0, dropout=0.25),
        "layer_r4_rslora": layer_case("r = 4, use_rslora", 4, 8.0, rslora=True),
        "layer_r4_fresh": layer_case("r = 4 as initialized (B = 0)", 4, 8.0, fresh=True),
    }
    LAYER_DIR.mkdir(exist_ok=True)
    for name, case in cases.items():
        (LAYER_DIR / f"{name}.json").write_text(mf.dumps(case) + "\n", encoding="utf-8")
        print(f"  LoRA/{name}.json")
    exp = trajectory()
    text = mf.dumps(exp) + "\n"
    again = json.loads(text)
    for r, h in zip(again["runs"], reproduce.run_experiment(again)):
        assert mf.compact(h) == r["history"], "lora_mlp.json does not reproduce itself"
    (HERE / "lora_mlp.json").write_text(text, encoding="utf-8")
    print(f"  lora_mlp.json  {len(text) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
