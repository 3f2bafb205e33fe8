#!/usr/bin/env python3
"""Redo a decay-tutor experiment in PyTorch and compare it with the tutor's numbers.

Usage:
    python3 reproduce.py [experiment.json] [--rows N]

Without a path, the experiment.json next to this script is used. Every run in
the file is rebuilt from its initial parameters, data, batch order, optimizer
and parameter groups, trained for as many steps as the tutor recorded, and
printed beside the tutor's own history.

Exit status: 0 when every compared number agrees within 1e-4 (relative),
1 when some step differs, 2 when the file cannot be used.

Importable: run_experiment(exp) returns PyTorch's histories for every run in
the same entry format as the file, and train_run(exp, run) also returns the
final parameters.

Needs Python 3.9+, torch and numpy. A model with LoRA adapters ("type":
"lora" layers) is rebuilt with peft's LoRA layers when peft is installed
(pip install peft), and otherwise with this script's own LoRALinear, which
computes what peft's LoraLayer computes; --without-peft forces the latter.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

try:
    import numpy as np
    import torch
except ModuleNotFoundError as missing:  # say how to get it, not a traceback
    sys.exit(
        f"reproduce.py needs {missing.name}, which this Python ({sys.executable}) does not have.\n"
        "Install it with: python3 -m pip install torch numpy\n"
        "(or see https://pytorch.org/get-started/locally/ for a CPU-only build)"
    )
from torch import nn

FORMAT = "decay-tutor.experiment/1"
RELATIVE_TOLERANCE = 1e-4
# Below this magnitude a difference is measured against the floor instead of
# the value, so losses or norms that are legitimately ~0 do not blow up the ratio.
ABSOLUTE_FLOOR = 1e-6
# By default (see --float32-only): differences up to this many times PyTorch's own float32
# noise (its float32 run against its float64 run and against a run started one
# rounding unit away) count as agreement (see float32_noise).
NOISE_MULTIPLE = 10.0
# PyTorch's float32 run and its float64 or nudged twin parting by more than this means the
# training has become chaotic: reported, and compared within that spread.
CHAOS_THRESHOLD = 1e-2
GROUP_ORDER = ("weights", "biases", "norms", "embeddings")


class ExperimentError(ValueError):
    """The file does not describe an experiment this script can rebuild."""


# --------------------------------------------------------------------------
# Dropout masks
#
# The tutor cannot share torch's RNG, so both sides derive each mask from a
# counter-based hash of (seed, step, layer, element). The constants and the
# order of operations are part of the file format: change nothing here without
# changing the Swift engine in the same commit.
# --------------------------------------------------------------------------

_U64 = np.uint64


def splitmix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's output function on a uint64 array (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = z + _U64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
        return z ^ (z >> _U64(31))


def dropout_key(seed: int, step: int, layer: int) -> np.uint64:
    with np.errstate(over="ignore"):
        counter = np.array([step], dtype=np.uint64) * _U64(0x100000001B3) + _U64(layer)
        return splitmix64(np.array([seed], dtype=np.uint64) ^ splitmix64(counter))[0]


def dropout_keep(seed: int, step: int, layer: int, count: int, p: float) -> np.ndarray:
    """Boolean keep-mask for `count` activations, row-major over [batch, features]."""
    key = dropout_key(seed, step, layer)
    with np.errstate(over="ignore"):
        h = splitmix64(key + np.arange(count, dtype=np.uint64))
    # 24 high bits compared against a threshold in integers. The engine holds
    # p as a float32, so the threshold is taken from that value: for p = 0.3
    # the double gives 5033164 and the float32 5033165.
    threshold = _U64(math.floor(float(np.float32(p)) * 16777216.0))
    return (h >> _U64(40)) >= threshold


def dropout_scale(p: float) -> np.float32:
    # Float(1) / (1 - p) on the Swift side, with p a float32 and 1 - p
    # rounded in float32.
    p32 = np.float32(p)
    return np.float32(1.0) / (np.float32(1.0) - p32)


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------


@dataclass
class ParamSpec:
    """One parameter tensor as the file lists it, in model order."""

    layer: int
    name: str  # "weight", "bias", "gain", "shift", "lora_A", "lora_B"
    group: str
    tensor: nn.Parameter
    # Frozen tensors (a LoRA model's base) take no gradient, are in no
    # optimizer group, and are left out of the norms and final_params.
    frozen: bool = False


class HashDropout(nn.Module):
    """Inverted dropout whose mask comes from dropout_keep, not torch's RNG."""

    def __init__(self, p: float, layer: int) -> None:
        super().__init__()
        self.p = p
        self.layer = layer

    def forward(self, x: torch.Tensor, seed: Optional[int], step: Optional[int]) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = dropout_keep(seed, step, self.layer, x.numel(), self.p).reshape(tuple(x.shape))
        mask = np.where(keep, dropout_scale(self.p), np.float32(0.0)).astype(np.float32)
        return x * torch.from_numpy(mask).to(x.dtype)


class MeanPooledEmbedding(nn.Module):
    """Embedding lookup of each row's tokens followed by their mean."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.embedding = nn.Embedding(weight.shape[0], weight.shape[1], dtype=weight.dtype)
        with torch.no_grad():
            self.embedding.weight.copy_(weight)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.embedding(tokens).mean(dim=1)


class StepContext:
    """The dropout seed and step of the current forward pass, for dropout
    modules that are called with x alone (peft calls its lora_dropout so)."""

    def __init__(self) -> None:
        self.seed: Optional[int] = None
        self.step: Optional[int] = None


class ContextDropout(nn.Module):
    """HashDropout that reads the seed and step from a StepContext."""

    def __init__(self, p: float, layer: int, context: StepContext) -> None:
        super().__init__()
        self.dropout = HashDropout(p, layer)
        self.context = context

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.dropout.training = self.training
        return self.dropout(x, self.context.seed, self.context.step)


class Net(nn.Module):
    def __init__(self, layers: List[nn.Module], in_features: Optional[int]) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.in_features = in_features
        self.context = StepContext()
        self.lora_backend: Optional[str] = None  # "peft X.Y" or "LoRALinear", when the model has adapters

    def forward(self, x: torch.Tensor, seed: Optional[int] = None, step: Optional[int] = None) -> torch.Tensor:
        self.context.seed, self.context.step = seed, step
        for layer in self.layers:
            if isinstance(layer, HashDropout):
                x = layer(x, seed, step)
            else:
                x = layer(x)
        return x


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise ExperimentError(message)


def _field(obj: Dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise ExperimentError(f"{where}: missing \"{key}\"")
    return obj[key]


def _matrix(values: Any, rows: int, cols: int, where: str, dtype: torch.dtype) -> torch.Tensor:
    try:
        t = torch.tensor(values, dtype=torch.float64)
    except (TypeError, ValueError) as e:
        raise ExperimentError(f"{where}: not a matrix of numbers ({e})") from None
    _require(tuple(t.shape) == (rows, cols), f"{where}: expected shape [{rows}][{cols}], got {list(t.shape)}")
    return t.to(dtype)


def _vector(values: Any, n: int, where: str, dtype: torch.dtype) -> torch.Tensor:
    try:
        t = torch.tensor(values, dtype=torch.float64)
    except (TypeError, ValueError) as e:
        raise ExperimentError(f"{where}: not a list of numbers ({e})") from None
    _require(tuple(t.shape) == (n,), f"{where}: expected {n} numbers, got shape {list(t.shape)}")
    return t.to(dtype)


def build_model(spec: Sequence[Dict[str, Any]], dtype: torch.dtype,
                use_peft: Optional[bool] = None) -> Tuple[Net, List[ParamSpec], bool]:
    """Build the network from its LAYER list.

    Returns the network, its parameters in file order (the order of
    final_params and of the norms; frozen ones marked), and whether it takes
    token ids. LoRA layers use peft when `use_peft` is True, this script's
    LoRALinear when False, and peft if it imports when None.
    """
    _require(isinstance(spec, list) and len(spec) > 0, "model: expected a non-empty list of layers")
    # torch's default initialisation runs (and is overwritten) for every layer;
    # forking keeps that from advancing the caller's global RNG.
    with torch.random.fork_rng(devices=[]):
        net, params, takes_tokens, loras = _build_model(spec, dtype)
        if loras:
            params = attach_lora(net, params, loras, dtype, use_peft)
    for p in params:
        p.tensor.requires_grad_(not p.frozen)
    return net, params, takes_tokens


def _build_model(spec: Sequence[Dict[str, Any]],
                 dtype: torch.dtype) -> Tuple[Net, List[ParamSpec], bool, List["LoraRecord"]]:
    modules: List[nn.Module] = []
    params: List[ParamSpec] = []
    loras: List[LoraRecord] = []
    width: Optional[int] = None  # feature count flowing into the next layer; None = unknown yet
    in_features: Optional[int] = None  # row width the first sized layer expects of the data
    takes_tokens = False
    for i, layer in enumerate(spec):
        where = f"model[{i}]"
        kind = _field(layer, "type", where)
        if kind in ("linear", "lora"):
            n_in, n_out = int(_field(layer, "in", where)), int(_field(layer, "out", where))
            _require(width is None or width == n_in, f"{where}: linear expects {n_in} inputs but receives {width}")
            if width is None:
                in_features = n_in
            lin = nn.Linear(n_in, n_out, bias=layer.get("bias") is not None, dtype=dtype)
            with torch.no_grad():
                lin.weight.copy_(_matrix(_field(layer, "weight", where), n_out, n_in, where + ".weight", dtype))
                if lin.bias is not None:
                    lin.bias.copy_(_vector(layer["bias"], n_out, where + ".bias", dtype))
            frozen = kind == "lora" or bool(layer.get("frozen", False))
            params.append(ParamSpec(i, "weight", layer.get("weight_group", "weights"), lin.weight, frozen))
            if lin.bias is not None:
                params.append(ParamSpec(i, "bias", layer.get("bias_group", "biases"), lin.bias, frozen))
            if kind == "lora":
                loras.append(LoraRecord.read(layer, i, n_in, n_out, where, dtype))
            modules.append(lin)
            width = n_out
        elif kind in ("relu", "tanh", "gelu"):
            # gelu: the exact erf form, which is torch's default
            modules.append({"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}[kind]())
        elif kind == "layernorm":
            dim = int(_field(layer, "dim", where))
            _require(width is None or width == dim, f"{where}: layernorm over {dim} features but receives {width}")
            if width is None:
                in_features = dim
            ln = nn.LayerNorm(dim, eps=float(layer.get("eps", 1e-5)), dtype=dtype)
            with torch.no_grad():
                ln.weight.copy_(_vector(_field(layer, "gain", where), dim, where + ".gain", dtype))
                ln.bias.copy_(_vector(_field(layer, "shift", where), dim, where + ".shift", dtype))
            group = layer.get("group", "norms")
            frozen = bool(layer.get("frozen", False))
            params.append(ParamSpec(i, "gain", group, ln.weight, frozen))
            params.append(ParamSpec(i, "shift", group, ln.bias, frozen))
            modules.append(ln)
            width = dim
        elif kind == "embedding":
            _require(i == 0, f"{where}: an embedding must be the first layer (it consumes token ids)")
            _require(layer.get("pool", "mean") == "mean", f"{where}: only pool \"mean\" is supported")
            num, dim = int(_field(layer, "num", where)), int(_field(layer, "dim", where))
            emb = MeanPooledEmbedding(_matrix(_field(layer, "weight", where), num, dim, where + ".weight", dtype))
            params.append(ParamSpec(i, "weight", layer.get("group", "embeddings"), emb.embedding.weight,
                                    bool(layer.get("frozen", False))))
            modules.append(emb)
            takes_tokens = True
            width = dim
        elif kind == "dropout":
            p = float(_field(layer, "p", where))
            _require(0.0 <= p < 1.0, f"{where}: dropout p must be in [0, 1), got {p}")
            modules.append(HashDropout(p, i))
        else:
            raise ExperimentError(f"{where}: unknown layer type {kind!r}")
    return Net(modules, in_features), params, takes_tokens, loras


# --------------------------------------------------------------------------
# LoRA adapters
#
# A "lora" layer is a linear layer whose weight W0 and bias are frozen, plus
# trainable factors A (rank x in) and B (out x rank):
#     y = x W0^T + b + s * B(A(dropout(x))),  s = alpha/rank (alpha/sqrt(rank) with rslora)
# exactly peft's LoraLayer.forward. With peft installed the adapter is peft's
# own (inject_adapter_in_model); without it, LoRALinear below.
# --------------------------------------------------------------------------


@dataclass
class LoraRecord:
    layer: int
    rank: int
    alpha: float
    rslora: bool
    dropout: float
    group: str
    a: torch.Tensor  # rank x in
    b: torch.Tensor  # out x rank

    @staticmethod
    def read(layer: Dict[str, Any], i: int, n_in: int, n_out: int, where: str, dtype: torch.dtype) -> "LoraRecord":
        rank = _field(layer, "rank", where)
        _require(isinstance(rank, int) and not isinstance(rank, bool) and rank >= 1, f"{where}: rank must be a whole number >= 1")
        alpha = float(_field(layer, "alpha", where))
        _require(math.isfinite(alpha) and alpha > 0, f"{where}: alpha must be > 0")
        p = float(layer.get("lora_dropout", 0.0))
        _require(0.0 <= p < 1.0, f"{where}: lora_dropout must be in [0, 1), got {p}")
        return LoraRecord(i, rank, alpha, bool(layer.get("rslora", False)), p, layer.get("group", "adapters"),
                          _matrix(_field(layer, "lora_A", where), rank, n_in, where + ".lora_A", dtype),
                          _matrix(_field(layer, "lora_B", where), n_out, rank, where + ".lora_B", dtype))

    @property
    def scaling(self) -> float:
        # peft: lora_alpha / r, or lora_alpha / math.sqrt(r) with use_rslora
        return self.alpha / (math.sqrt(self.rank) if self.rslora else self.rank)


class LoRALinear(nn.Module):
    """peft's LoraLayer for one adapter, written out (used without peft):
    the base layer's output plus lora_B(lora_A(dropout(x))) * scaling, in
    that order, with the same module names as peft's."""

    def __init__(self, base: nn.Linear, rank: int, scaling: float, dropout: nn.Module) -> None:
        super().__init__()
        self.base_layer = base
        dtype = base.weight.dtype
        self.lora_A = nn.Linear(base.in_features, rank, bias=False, dtype=dtype)
        self.lora_B = nn.Linear(rank, base.out_features, bias=False, dtype=dtype)
        self.lora_dropout = dropout
        self.scaling = scaling

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base_layer(x) + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling


def peft_version() -> Optional[str]:
    """peft's version when it imports, else None."""
    try:
        import peft  # noqa: F401
    except ImportError:
        return None
    return getattr(peft, "__version__", "?")


def attach_lora(net: Net, params: List[ParamSpec], loras: List[LoraRecord], dtype: torch.dtype,
                use_peft: Optional[bool]) -> List[ParamSpec]:
    """Puts an adapter on each LoRA layer (peft's or LoRALinear), loads A
    and B from the file, and returns the parameters with lora_A and lora_B
    after each adapted layer's weight and bias (the file's order)."""
    version = peft_version()
    if use_peft and version is None:
        raise ExperimentError("--with-peft: peft does not import here (pip install peft)")
    use_peft = version is not None if use_peft is None else use_peft
    factors: Dict[int, Tuple[nn.Parameter, nn.Parameter]] = {}
    if use_peft:
        import peft
        settings = {(r.rank, r.alpha, r.rslora, r.dropout) for r in loras}
        _require(len(settings) == 1, "model: LoRA layers with different rank, alpha, rslora or lora_dropout")
        rank, alpha, rslora, dropout = settings.pop()
        config = peft.LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=dropout, use_rslora=rslora, bias="none",
                                 target_modules=[f"layers.{r.layer}" for r in loras])
        peft.inject_adapter_in_model(config, net)
        net.to(dtype)
        for r in loras:
            module = net.layers[r.layer]
            _require(abs(module.scaling["default"] - r.scaling) <= 1e-12 * r.scaling, "peft's scaling differs from the file's")
            if r.dropout > 0:
                module.lora_dropout["default"] = ContextDropout(r.dropout, r.layer, net.context)
            factors[r.layer] = (module.lora_A["default"].weight, module.lora_B["default"].weight)
        net.lora_backend = f"peft {version}"
    else:
        for r in loras:
            dropout = ContextDropout(r.dropout, r.layer, net.context) if r.dropout > 0 else nn.Identity()
            module = LoRALinear(net.layers[r.layer], r.rank, r.scaling, dropout)
            net.layers[r.layer] = module
            factors[r.layer] = (module.lora_A.weight, module.lora_B.weight)
        net.lora_backend = "LoRALinear (this script's; peft " + ("not used)" if version else "not installed)")
    with torch.no_grad():
        for r in loras:
            factors[r.layer][0].copy_(r.a)
            factors[r.layer][1].copy_(r.b)
    out: List[ParamSpec] = []
    groups = {r.layer: r.group for r in loras}
    for i, p in enumerate(params):
        out.append(p)
        last_of_layer = i + 1 == len(params) or params[i + 1].layer != p.layer
        if p.layer in factors and last_of_layer:
            a, b = factors[p.layer]
            out.append(ParamSpec(p.layer, "lora_A", groups[p.layer], a))
            out.append(ParamSpec(p.layer, "lora_B", groups[p.layer], b))
    return out


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


@dataclass
class Split:
    x: torch.Tensor
    y: torch.Tensor


def _load_split(raw: Dict[str, Any], name: str, loss: str, takes_tokens: bool, vocab: int,
                dtype: torch.dtype) -> Split:
    where = f"data.{name}"
    xs, ys = _field(raw, "x", where), _field(raw, "y", where)
    _require(isinstance(xs, list) and isinstance(ys, list), f"{where}: x and y must be lists")
    _require(len(xs) == len(ys) and len(xs) > 0, f"{where}: x and y need the same, non-zero number of rows")
    try:
        if takes_tokens:
            x = torch.tensor(xs, dtype=torch.int64)
            _require(x.dim() == 2, f"{where}.x: expected equal-length rows of token ids")
            _require(int(x.min()) >= 0 and int(x.max()) < vocab, f"{where}.x: token id outside [0, {vocab})")
        else:
            x = torch.tensor(xs, dtype=torch.float64).to(dtype)
            _require(x.dim() == 2, f"{where}.x: expected equal-length rows of numbers")
        if loss == "cross_entropy":
            _require(all(isinstance(v, int) and not isinstance(v, bool) for v in ys),
                     f"{where}.y: cross_entropy needs integer class ids")
            y = torch.tensor(ys, dtype=torch.int64)
        else:
            y = torch.tensor(ys, dtype=torch.float64).to(dtype)
            if y.dim() == 1:  # one target per row: compare against an output of width 1
                y = y.unsqueeze(1)
            _require(y.dim() == 2, f"{where}.y: expected a number or a row of numbers per example")
    except (TypeError, ValueError, RuntimeError) as e:
        if isinstance(e, ExperimentError):
            raise
        raise ExperimentError(f"{where}: malformed ({e})") from None
    return Split(x, y)


# --------------------------------------------------------------------------
# Optimizer and decay
# --------------------------------------------------------------------------


class Lion(torch.optim.Optimizer):
    """Lion (Chen et al., 2023) without weight decay, op for op as the
    `lion-pytorch` package's update_fn, so this script needs no extra package:
        c = m*beta1 + (1 - beta1)*g;  p -= lr*sign(c);  m = m*beta2 + (1 - beta2)*g
    Decoupled decay p *= 1 - lr*wd, which lion-pytorch applies first, is
    applied before step() by the training loop (DecayPlan.by_hand)."""

    def __init__(self, params: Any, lr: float, betas: Tuple[float, float] = (0.9, 0.99)) -> None:
        super().__init__(params, dict(lr=lr, betas=betas))

    @torch.no_grad()
    def step(self, closure: Any = None) -> None:
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["exp_avg"] = torch.zeros_like(p)
                exp_avg = state["exp_avg"]
                update = exp_avg.clone().mul_(beta1).add(p.grad, alpha=1.0 - beta1).sgn_()
                p.add_(update, alpha=-group["lr"])
                exp_avg.mul_(beta2).add_(p.grad, alpha=1.0 - beta2)


@dataclass
class DecayPlan:
    mode: str            # "l2" | "decoupled" | "independent" | "none"
    weight_decay: float
    by_hand: bool        # True when the shrink is applied here rather than by torch.optim
    decayed: List[torch.Tensor]
    l2_by_hand: bool = False  # True when g += wd*p is added here (Lion has no coupled form)
    # decay_to "init": the decayed tensors' initial values p0, which decay pulls
    # toward instead of zero (then all decay is applied here, by hand).
    anchors: Optional[List[torch.Tensor]] = None


def build_optimizer(opt: Dict[str, Any], groups: Optional[Dict[str, Any]], params: List[ParamSpec],
                    where: str) -> Tuple[torch.optim.Optimizer, DecayPlan]:
    kind = _field(opt, "type", where)
    lr = float(_field(opt, "lr", where))
    wd = float(opt.get("weight_decay", 0.0) or 0.0)
    mode = opt.get("decay", "none" if wd == 0.0 else None)
    _require(mode in ("l2", "decoupled", "independent", "none"),
             f"{where}: \"decay\" must be l2, decoupled, independent or none (got {mode!r})")
    _require(kind in ("sgd", "adam", "adamw", "lion"), f"{where}: unknown optimizer type {kind!r}")
    decay_to = opt.get("decay_to", "zero")
    _require(decay_to in ("zero", "init"), f"{where}: \"decay_to\" must be zero or init (got {decay_to!r})")
    if mode == "none":
        wd = 0.0
    anchored = decay_to == "init" and wd != 0.0

    # Decay is switched per named group; with no "groups" table every tensor
    # is decayed, as torch.optim does with a single parameter group. A group
    # missing from a table that exists is an error: it usually means a typo.
    def decays(group: str) -> bool:
        if groups is None:
            return True
        _require(group in groups, f"parameter group {group!r} is not listed in \"groups\"")
        return bool(_field(groups[group], "decay", f"groups.{group}"))

    trained = [p for p in params if not p.frozen]
    on = [p.tensor for p in trained if decays(p.group)]
    off = [p.tensor for p in trained if not decays(p.group)]

    # Only coupled L2 and AdamW-style decoupled decay are left to torch.optim;
    # the other combinations shrink the parameters by hand before the step
    # (for Lion, L2 is added to the gradients by hand).
    # Decay toward p0 is never torch.optim's: every mode is applied by hand.
    torch_decays = not anchored and ((mode == "l2" and kind != "lion") or (mode == "decoupled" and kind in ("adam", "adamw")))
    torch_groups = [{"params": ts, "weight_decay": wd if (decayed and torch_decays) else 0.0}
                    for ts, decayed in ((on, True), (off, False)) if ts]

    try:
        if kind == "sgd":
            optimizer: torch.optim.Optimizer = torch.optim.SGD(
                torch_groups, lr=lr, momentum=float(opt.get("momentum", 0.0) or 0.0), dampening=0.0,
                nesterov=bool(opt.get("nesterov", False)), foreach=False)
        elif kind == "lion":
            betas = opt.get("betas", [0.9, 0.99])
            _require(isinstance(betas, list) and len(betas) == 2, f"{where}: betas must be [b1, b2]")
            optimizer = Lion(torch_groups, lr=lr, betas=(float(betas[0]), float(betas[1])))
        else:
            betas = opt.get("betas", [0.9, 0.999])
            _require(isinstance(betas, list) and len(betas) == 2, f"{where}: betas must be [b1, b2]")
            # "adam" and "adamw" share Adam's update; "decay" alone decides how
            # lambda enters, so adam+decoupled is AdamW and adamw+l2 is Adam(weight_decay).
            cls = torch.optim.AdamW if mode == "decoupled" else torch.optim.Adam
            optimizer = cls(torch_groups, lr=lr, betas=(float(betas[0]), float(betas[1])),
                            eps=float(opt.get("eps", 1e-8)), foreach=False)
    except ValueError as e:  # torch's own argument checks (e.g. nesterov without momentum)
        raise ExperimentError(f"{where}: {e}") from None
    l2_by_hand = wd != 0.0 and mode == "l2" and not torch_decays
    plan = DecayPlan(mode, wd, by_hand=(wd != 0.0 and not torch_decays and not l2_by_hand), decayed=on,
                     l2_by_hand=l2_by_hand, anchors=[t.detach().clone() for t in on] if anchored else None)
    return optimizer, plan


# --------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------


@dataclass
class RunResult:
    history: List[Dict[str, Any]]
    final_params: List[List[float]]  # one flat list per trained tensor, in model order
    lora_backend: Optional[str] = None  # what built the adapters, if any


def _group_norms(params: List[ParamSpec]) -> Dict[str, float]:
    # Summed in float64: this is the reference value, and the tutor's float32
    # sum will sit well inside the tolerance of it.
    sums: Dict[str, float] = {}
    for p in params:
        if p.frozen:
            continue
        sums[p.group] = sums.get(p.group, 0.0) + float(p.tensor.detach().double().pow(2).sum())
    ordered = sorted(sums, key=lambda g: (GROUP_ORDER.index(g) if g in GROUP_ORDER else len(GROUP_ORDER), g))
    return {g: math.sqrt(sums[g]) for g in ordered}


def _nudge(params: List[ParamSpec]) -> None:
    """Every element one float step up or down, the direction from a fixed
    pseudo-random pattern (so the run is the same each time)."""
    rng = np.random.default_rng(0x5EED)
    with torch.no_grad():
        for p in params:
            if p.frozen:  # given exactly by the file: nothing another implementation would round
                continue
            t = p.tensor
            up = torch.from_numpy(rng.integers(0, 2, size=tuple(t.shape)).astype(bool))
            target = torch.where(up, torch.full_like(t, math.inf), torch.full_like(t, -math.inf))
            t.copy_(torch.nextafter(t, target))


def train_run(exp: Dict[str, Any], run: Dict[str, Any], *, dtype: torch.dtype = torch.float32,
              steps: Optional[int] = None, nudge: bool = False, use_peft: Optional[bool] = None) -> RunResult:
    """Train one run of `exp` in PyTorch.

    The number of steps and each step's learning rate come from the run's
    history (entries need only "lr"); `steps` overrides the count, using the
    optimizer's lr where the history has no entry. `nudge` moves every
    initial parameter by one unit in the last place (up or down, a fixed
    pattern): the run another float32 implementation, rounding differently,
    could have made.
    """
    loss_kind = _field(exp, "loss", "experiment")
    _require(loss_kind in ("mse", "cross_entropy"), f"loss must be mse or cross_entropy, got {loss_kind!r}")

    net, params, takes_tokens = build_model(run.get("model") or _field(exp, "model", "experiment"), dtype, use_peft)
    if nudge:
        _nudge(params)
    vocab = net.layers[0].embedding.num_embeddings if takes_tokens else 0
    data = _field(exp, "data", "experiment")
    train = _load_split(_field(data, "train", "data"), "train", loss_kind, takes_tokens, vocab, dtype)
    val = _load_split(_field(data, "val", "data"), "val", loss_kind, takes_tokens, vocab, dtype)
    if not takes_tokens and net.in_features is not None:
        for split, label in ((train, "train"), (val, "val")):
            _require(split.x.shape[1] == net.in_features,
                     f"data.{label}.x: rows of {split.x.shape[1]} numbers, the model takes {net.in_features}")

    opt_spec = _field(run, "optimizer", "run")
    optimizer, decay = build_optimizer(opt_spec, run.get("groups"), params, "optimizer")
    base_lr = float(opt_spec["lr"])
    criterion: nn.Module = nn.CrossEntropyLoss() if loss_kind == "cross_entropy" else nn.MSELoss()

    history_in = run.get("history") or []
    _require(isinstance(history_in, list), "history must be a list")
    n_steps = len(history_in) if steps is None else steps

    has_dropout = any(isinstance(m, HashDropout) and m.p > 0 for m in net.modules())
    seed = run.get("dropout_seed")
    if has_dropout:
        _require(isinstance(seed, int) and 0 <= seed < 2**64, "dropout needs an integer dropout_seed")

    order = exp.get("batch_order")
    if order is not None:
        _require(isinstance(order, list) and len(order) >= n_steps,
                 f"batch_order lists {len(order) if isinstance(order, list) else 0} batches for {n_steps} steps")

    def check_output(out: torch.Tensor, y: torch.Tensor, label: str) -> None:
        if loss_kind == "cross_entropy":
            _require(out.dim() == 2 and int(y.max()) < out.shape[1] and int(y.min()) >= 0,
                     f"{label}: class ids must lie in [0, {out.shape[1]})")
        else:
            _require(out.shape == y.shape,
                     f"{label}: model output {list(out.shape)} does not match targets {list(y.shape)}")

    history: List[Dict[str, Any]] = []
    for t in range(1, n_steps + 1):
        entry_in = history_in[t - 1] if t <= len(history_in) else {}
        lr = float(entry_in.get("lr", base_lr))
        for g in optimizer.param_groups:
            g["lr"] = lr

        if order is None:
            xb, yb = train.x, train.y
        else:
            try:
                idx = torch.tensor(order[t - 1], dtype=torch.int64)
                _require(idx.dim() == 1 and idx.numel() > 0, "empty")
                xb, yb = train.x[idx], train.y[idx]
            except (TypeError, ValueError, IndexError, RuntimeError):
                raise ExperimentError(f"batch_order[{t - 1}]: not a non-empty list of train row indices") from None

        net.train()
        out = net(xb, seed, t)
        if t == 1:
            check_output(out, yb, "data.train")
        loss = criterion(out, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()

        anchors = decay.anchors
        if decay.l2_by_hand:
            # g += wd*p, or wd*(p - p0) toward the initial parameters
            with torch.no_grad():
                for i, p in enumerate(decay.decayed):
                    p.grad.add_(p if anchors is None else p - anchors[i], alpha=decay.weight_decay)
        if decay.by_hand:
            # "independent" is the AdamW paper's form: scaled by the schedule's
            # multiplier eta_t = lr / base lr, so it anneals with the schedule
            # but not with the base lr (a base lr of 0 shows no schedule: eta 1).
            eta = lr / base_lr if base_lr != 0.0 else 1.0
            pull = eta * decay.weight_decay if decay.mode == "independent" else lr * decay.weight_decay
            with torch.no_grad():
                for i, p in enumerate(decay.decayed):
                    if anchors is None:
                        p.mul_(1.0 - pull)
                    else:  # p -= pull*(p - p0)
                        p.sub_(p - anchors[i], alpha=pull)
        optimizer.step()

        net.eval()
        with torch.no_grad():
            val_out = net(val.x)
            if t == 1:
                check_output(val_out, val.y, "data.val")
            entry: Dict[str, Any] = {"step": t, "lr": lr, "train_loss": float(loss.detach()),
                                     "val_loss": float(criterion(val_out, val.y))}
            if loss_kind == "cross_entropy":
                # argmax takes the first of tied logits; the fraction is not rounded.
                correct = int((val_out.argmax(dim=1) == val.y).sum())
                entry["val_accuracy"] = correct / val.y.shape[0]
            entry["norms"] = _group_norms(params)
        history.append(entry)

    final = [p.tensor.detach().to(torch.float64).flatten().tolist() for p in params if not p.frozen]
    return RunResult(history, final, net.lora_backend)


def validate_header(exp: Any) -> None:
    _require(isinstance(exp, dict), "the file is not a JSON object")
    _require(exp.get("format") == FORMAT, f"format must be {FORMAT!r}, got {exp.get('format')!r}")
    runs = _field(exp, "runs", "experiment")
    _require(isinstance(runs, list) and len(runs) > 0, "runs: expected a non-empty list")


def run_experiment(exp: Dict[str, Any], *, dtype: torch.dtype = torch.float32) -> List[List[Dict[str, Any]]]:
    """PyTorch's history for every run of `exp`, in the file's entry format.

    Raises ExperimentError when `exp` cannot be rebuilt.
    """
    validate_header(exp)
    return [train_run(exp, run, dtype=dtype).history for run in exp["runs"]]


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------


def relative_difference(tutor: float, reference: float, floor: float = ABSOLUTE_FLOOR) -> float:
    if math.isnan(tutor) and math.isnan(reference):
        return 0.0
    if math.isinf(tutor) or math.isinf(reference):
        return 0.0 if tutor == reference else math.inf
    diff = abs(tutor - reference) / max(abs(reference), floor)
    return math.inf if math.isnan(diff) else diff


@dataclass
class StepComparison:
    step: int
    max_rel: float            # over train/val loss and every group norm
    worst: str                # which quantity gave max_rel
    accuracy_ok: bool


def float32_noise(ref: List[Dict[str, Any]], *others: List[Dict[str, Any]]) -> List[Dict[str, float]]:
    """How far PyTorch's own float32 run has strayed from the same run in
    float64, and from itself started one rounding unit away (`nudge`), per
    quantity: the largest absolute difference seen so far. Where float32
    cannot resolve a value — a model that fits its training set drives the
    loss to ~1e-11, pure rounding noise; a single bias crossing zero has a
    norm of ~1e-4 whose last digits are noise — or where training amplifies
    each rounding until runs part (chaos), two correct float32
    implementations stray from each other about as much, so a difference
    within a few times this noise still counts as agreement."""
    out: List[Dict[str, float]] = []
    worst: Dict[str, float] = {}
    for b, *xs in zip(ref, *others):
        for x in xs:
            pairs = [("train_loss", b.get("train_loss"), x.get("train_loss")),
                     ("val_loss", b.get("val_loss"), x.get("val_loss")),
                     ("val_accuracy", b.get("val_accuracy"), x.get("val_accuracy"))]
            pairs += [(f"norm[{g}]", v, x.get("norms", {}).get(g)) for g, v in b.get("norms", {}).items()]
            for label, v32, v64 in pairs:
                if v32 is None or v64 is None:
                    continue
                d = abs(float(v32) - float(v64))
                if math.isfinite(d):
                    worst[label] = max(worst.get(label, 0.0), d)
                    # Relative drift too: once training turns chaotic (PyTorch's
                    # own runs part by percents), every later value is only
                    # known to that spread.
                    rel = d / max(abs(float(v64)), ABSOLUTE_FLOOR)
                    worst["rel:" + label] = max(worst.get("rel:" + label, 0.0), rel)
        out.append(dict(worst))
    return out


def chaotic_from(noise: List[Optional[Dict[str, float]]]) -> Optional[int]:
    """The first step (1-based) at which PyTorch's float32 run and its float64
    or nudged twin differ by more than CHAOS_THRESHOLD relative in a loss or
    norm."""
    for i, z in enumerate(noise):
        if z and any(k.startswith("rel:") and v > CHAOS_THRESHOLD for k, v in z.items()):
            return i + 1
    return None


def compare_step(tutor: Dict[str, Any], ref: Dict[str, Any], val_rows: int,
                 noise: Optional[Dict[str, float]] = None) -> StepComparison:
    pairs: List[Tuple[str, Any, Any]] = [("train_loss", tutor.get("train_loss"), ref["train_loss"]),
                                         ("val_loss", tutor.get("val_loss"), ref["val_loss"])]
    for g, v in ref.get("norms", {}).items():
        pairs.append((f"norm[{g}]", (tutor.get("norms") or {}).get(g), v))
    worst, max_rel = "-", 0.0
    for label, a, b in pairs:
        if a is None:  # not recorded by the tutor: nothing to compare
            continue
        r = relative_difference(float(a), float(b))
        # With the float64 and nudged references, the allowance grows to NOISE_MULTIPLE times PyTorch's
        # own float32 drift, expressed relative to this value; r is scaled
        # so the single tolerance test below still applies.
        z = noise or {}
        # The relative spread is the run's as a whole: when chaos sets in,
        # one quantity may show it a few steps before another.
        spread = max((v for k, v in z.items() if k.startswith("rel:")), default=0.0)
        allowed = NOISE_MULTIPLE * max(z.get(label, 0.0) / max(abs(float(b)), ABSOLUTE_FLOOR), spread)
        if allowed > RELATIVE_TOLERANCE:
            r *= RELATIVE_TOLERANCE / allowed
        if r > max_rel or worst == "-":
            worst, max_rel = label, r
    # Accuracy is a count: a logit tie broken by the last float bit may flip one
    # example legitimately, so one example's worth of difference is accepted.
    acc_ok = True
    if "val_accuracy" in ref and tutor.get("val_accuracy") is not None:
        allowed = max(1.0 / val_rows, NOISE_MULTIPLE * (noise or {}).get("val_accuracy", 0.0))
        acc_ok = abs(float(tutor["val_accuracy"]) - ref["val_accuracy"]) <= allowed + 1e-9
    return StepComparison(int(ref["step"]), max_rel, worst, acc_ok)


def _fmt(v: Any) -> str:
    return f"{float(v):.7e}" if v is not None else "-"


def report_run(run: Dict[str, Any], ref: List[Dict[str, Any]], val_rows: int, max_rows: int,
               exact: Optional[List[Dict[str, Any]]] = None,
               nudged: Optional[List[Dict[str, Any]]] = None) -> bool:
    tutor = run.get("history") or []
    opt = run.get("optimizer", {})
    print(f"run {run.get('name', '?')!r}: {opt.get('type')} decay={opt.get('decay', 'none')} "
          f"weight_decay={opt.get('weight_decay', 0)} steps={len(ref)}")
    noises = float32_noise(ref, *[h for h in (exact, nudged) if h]) if exact else [None] * len(ref)
    comps = [compare_step(a, b, val_rows, z) for a, b, z in zip(tutor, ref, noises)]
    bad = {c.step for c in comps if c.max_rel > RELATIVE_TOLERANCE or not c.accuracy_ok}

    # Long runs get an evenly spaced sample, but a disagreeing step is always shown.
    n = len(comps)
    if max_rows <= 0 or n <= max_rows:
        shown = set(range(1, n + 1))
    else:
        stride = max(1, math.ceil(n / max_rows))
        shown = {s for s in range(1, n + 1) if (s - 1) % stride == 0} | {n}
    shown |= set(sorted(bad)[:20])

    has_acc = any("val_accuracy" in e for e in ref)
    header = (f"{'step':>6} {'lr':>10} {'train (tutor)':>15} {'train (torch)':>15} "
              f"{'val (tutor)':>15} {'val (torch)':>15}" + (f" {'acc tutor/pt':>13}" if has_acc else "")
              + f" {'max rel diff':>13}")
    print(header)
    for c, a, b in zip(comps, tutor, ref):
        if c.step not in shown:
            continue
        line = (f"{c.step:>6} {b['lr']:>10.3e} {_fmt(a.get('train_loss')):>15} {_fmt(b['train_loss']):>15} "
                f"{_fmt(a.get('val_loss')):>15} {_fmt(b['val_loss']):>15}")
        if has_acc:
            ta = a.get("val_accuracy")
            line += f" {('-' if ta is None else f'{ta:.4f}') + '/' + format(b['val_accuracy'], '.4f'):>13}"
        line += f" {c.max_rel:>13.2e}"
        if c.step in bad:
            line += f"  <- {c.worst}" if c.max_rel > RELATIVE_TOLERANCE else "  <- val_accuracy"
        print(line)
    if len(shown & set(range(1, n + 1))) < n:
        print(f"   ({len(shown)} of {n} steps shown; --rows 0 shows all)")

    chaos = chaotic_from(noises) if exact else None
    if chaos is not None:
        print(f"   note: from step {chaos} PyTorch's own float32 run and its float64 run, or its run "
              f"started one rounding unit away, differ by more than {CHAOS_THRESHOLD:.0%}: the training "
              f"is chaotic there, so later steps can only agree within that spread")
    ok = not bad and len(tutor) == len(ref)
    worst = max(comps, key=lambda c: c.max_rel) if comps else None
    if ok:
        print(f"agrees: max relative difference {worst.max_rel:.2e} ({worst.worst}, step {worst.step})"
              if worst else "agrees: no steps recorded")
    else:
        first = min(bad) if bad else None
        print(f"DIFFERS: {len(bad)} of {n} steps outside {RELATIVE_TOLERANCE:g}"
              + (f", first at step {first}" if first else "")
              + ("" if len(tutor) == len(ref) else f"; tutor has {len(tutor)} steps, torch {len(ref)}"))
    print()
    return ok


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Redo a decay-tutor experiment in PyTorch and compare.")
    parser.add_argument("experiment", nargs="?", default=str(Path(__file__).resolve().with_name("experiment.json")),
                        help="experiment.json written by `decay-tutor export` (default: the one beside this script)")
    parser.add_argument("--rows", type=int, default=40, help="table rows per run (0 = every step)")
    parser.add_argument("--float32-only", dest="exact", action="store_false",
                        help="skip the float64 and nudged reference runs: compare at 1e-4 relative only (faster, but fails "
                             "where float32 cannot resolve a value, e.g. a training loss of 1e-11)")
    parser.add_argument("--exact", action="store_true", help=argparse.SUPPRESS)  # the default; kept for scripts
    parser.add_argument("--without-peft", dest="use_peft", action="store_const", const=False, default=None,
                        help="build LoRA adapters with this script's LoRALinear even when peft is installed")
    args = parser.parse_args(argv)

    try:
        with open(args.experiment, encoding="utf-8") as f:
            exp = json.load(f)
        validate_header(exp)
    except (OSError, json.JSONDecodeError, ExperimentError) as e:
        print(f"reproduce.py: {args.experiment}: {e}", file=sys.stderr)
        return 2

    # One thread keeps float reductions in a fixed order from run to run.
    torch.set_num_threads(1)
    # Train everything before printing, so a bad file gives an error, not half a report.
    refs, exacts, nudges = [], [], []
    backends = set()
    for i, run in enumerate(exp["runs"]):
        name = run.get("name", i) if isinstance(run, dict) else i
        try:
            _require(isinstance(run, dict), "not an object")
            result = train_run(exp, run, use_peft=args.use_peft)
            refs.append(result.history)
            if result.lora_backend:
                backends.add(result.lora_backend)
            exacts.append(train_run(exp, run, dtype=torch.float64, use_peft=args.use_peft).history if args.exact else None)
            nudges.append(train_run(exp, run, nudge=True, use_peft=args.use_peft).history if args.exact else None)
        except (ExperimentError, TypeError, ValueError, KeyError, IndexError, RuntimeError) as e:
            # Anything else that breaks while reading fields is also a malformed file.
            print(f"reproduce.py: {args.experiment}: run {name!r}: {e}", file=sys.stderr)
            return 2

    print(f"{args.experiment}: {len(exp['runs'])} run(s), loss {exp.get('loss')}, "
          f"PyTorch {torch.__version__}, tolerance {RELATIVE_TOLERANCE:g} relative"
          + (f" or {NOISE_MULTIPLE:g}x how far PyTorch's float32 run strays from its float64 run"
             " and from itself started one rounding unit away" if args.exact else "")
          + "".join(f"\nLoRA adapters built with {b}" for b in sorted(backends)) + "\n")
    val_rows = len(exp["data"]["val"]["y"])
    all_ok = True
    for run, ref, exact, nudged in zip(exp["runs"], refs, exacts, nudges):
        all_ok = report_run(run, ref, val_rows, args.rows, exact, nudged) and all_ok
    print("all runs agree with PyTorch" if all_ok else "some runs differ from PyTorch")
    return 0 if all_ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into `head`: not an error worth a traceback
        sys.stderr.close()
        sys.exit(1)
