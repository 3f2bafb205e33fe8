#!/usr/bin/env python3
"""Write the PyTorch reference trajectories the Swift engine tests compare against.

    python3 Tests/DecayEngineTests/Fixtures/make_fixtures.py [CASE ...]

With case names (e.g. `lion lion_embedding`), only those files are written;
the self-checks always run in full.

Each case is an experiment in the export format (decay-tutor.experiment/1)
whose runs carry PyTorch's history and final parameters. The training itself
is Sources/DecayEngine/Export/reproduce.py, the same code users run on an
export, so the fixtures and the export path cannot drift apart.

Before anything is written, the script checks itself (see self_checks and
check_case): closed-form equivalences between decay modes, the optimizers
replayed from their written-out update rules in numpy, an independent numpy
forward pass over the initial and final parameters, float32 against float64
drift, and a round trip through the written JSON. A failed check aborts
without touching the committed files.

Needs torch and numpy, and the `lion-pytorch` package (pip install
lion-pytorch): reproduce.py's own Lion is checked against it op for op.
CI never runs this.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
REPRODUCE_PATH = ROOT / "Sources" / "DecayEngine" / "Export" / "reproduce.py"

# No __pycache__ beside reproduce.py: SwiftPM would flag it as an unhandled
# file in the DecayEngine target.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location("reproduce", REPRODUCE_PATH)
assert _spec is not None and _spec.loader is not None
reproduce = importlib.util.module_from_spec(_spec)
sys.modules["reproduce"] = reproduce  # dataclasses look their module up by name
_spec.loader.exec_module(reproduce)

STEPS = 50
ALL_DECAYED = {g: {"decay": True} for g in ("weights", "biases", "norms", "embeddings")}
# Hugging Face Trainer / nanoGPT practice: no decay for biases and norms.
EXCLUDE_BIAS_NORM = {"weights": {"decay": True}, "biases": {"decay": False},
                     "norms": {"decay": False}, "embeddings": {"decay": True}}

# How far a float32 trajectory may sit from the same run in float64. Well
# below the 1e-4 the engine is held to, so a fixture that passes this is not
# too chaotic to compare against a second float32 implementation.
MAX_FLOAT64_DRIFT = 1e-5


# --------------------------------------------------------------------------
# Numbers in the files
# --------------------------------------------------------------------------


def f32(v: float) -> float:
    """The shortest decimal that reads back as the same float32.

    json writes it with repr, so files stay compact and Swift's Float(string)
    and torch's float32 conversion both land on exactly the same value.
    """
    return float(str(np.float32(v)))


def compact(obj: Any) -> Any:
    if isinstance(obj, float):
        return f32(obj)
    if isinstance(obj, list):
        return [compact(v) for v in obj]
    if isinstance(obj, dict):
        return {k: compact(v) for k, v in obj.items()}
    return obj


def dumps(obj: Any, indent: int = 0) -> str:
    """JSON with one line per short object, row or tensor: small, and diffable."""
    flat = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    scalars = isinstance(obj, list) and all(not isinstance(v, (list, dict)) for v in obj)
    if len(flat) <= 160 or scalars:
        return flat
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k)}:{dumps(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [inner + dumps(v, indent + 1) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


# --------------------------------------------------------------------------
# Data and initial parameters
# --------------------------------------------------------------------------


def classification_data(seed: int, n_train: int = 64, n_val: int = 32) -> Dict[str, Any]:
    """Three classes in 4-D labelled by a random tanh teacher plus noise, so
    the student can fit the training set but not the validation set perfectly."""
    rng = np.random.default_rng(seed)
    n = n_train + n_val
    x = rng.standard_normal((n, 4)).astype(np.float32)
    w1 = rng.standard_normal((4, 8))
    w2 = rng.standard_normal((8, 3))
    logits = np.tanh(x @ w1) @ w2 + 0.7 * rng.standard_normal((n, 3))
    y = logits.argmax(axis=1)
    assert set(y[:n_train]) == {0, 1, 2} and set(y[n_train:]) == {0, 1, 2}
    return {"train": {"x": compact(x[:n_train].tolist()), "y": y[:n_train].tolist()},
            "val": {"x": compact(x[n_train:].tolist()), "y": y[n_train:].tolist()}}


def regression_data(seed: int, n_train: int = 64, n_val: int = 32) -> Dict[str, Any]:
    rng = np.random.default_rng(seed)
    n = n_train + n_val
    x = rng.uniform(-2.0, 2.0, (n, 4)).astype(np.float32)
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] - 0.3 * x[:, 3] + 0.1 * rng.standard_normal(n)
    return {"train": {"x": compact(x[:n_train].tolist()), "y": compact(y[:n_train].tolist())},
            "val": {"x": compact(x[n_train:].tolist()), "y": compact(y[n_train:].tolist())}}


def token_data(seed: int, n_train: int = 64, n_val: int = 32, vocab: int = 50, length: int = 6) -> Dict[str, Any]:
    """Token rows whose class is the 'topic' (ids 0-9, 10-19, 20-29) they hold
    most of; ids 30-49 are filler, so many embeddings are rarely informative."""
    rng = np.random.default_rng(seed)
    n = n_train + n_val
    tokens = rng.integers(0, vocab, (n, length))
    counts = np.stack([((tokens >= 10 * c) & (tokens < 10 * c + 10)).sum(axis=1) for c in range(3)], axis=1)
    y = (counts + 0.6 * rng.standard_normal((n, 3))).argmax(axis=1)
    assert set(y[:n_train]) == {0, 1, 2}
    return {"train": {"x": tokens[:n_train].tolist(), "y": y[:n_train].tolist()},
            "val": {"x": tokens[n_train:].tolist(), "y": y[n_train:].tolist()}}


def linear_layer(module: nn.Linear) -> Dict[str, Any]:
    return {"type": "linear", "in": module.in_features, "out": module.out_features,
            "weight": compact(module.weight.detach().tolist()),
            "bias": compact(module.bias.detach().tolist()) if module.bias is not None else None,
            "weight_group": "weights", "bias_group": "biases"}


def layernorm_layer(module: nn.LayerNorm) -> Dict[str, Any]:
    return {"type": "layernorm", "dim": module.normalized_shape[0], "eps": module.eps,
            "gain": compact(module.weight.detach().tolist()), "shift": compact(module.bias.detach().tolist()),
            "group": "norms"}


def mlp(seed: int, out: int, act1: str = "tanh", act2: str = "gelu", dropout: Optional[float] = None) -> List[Dict[str, Any]]:
    """Linear(4,16) -> LayerNorm(16) -> act1 -> Linear(16,16) -> act2 [-> Dropout] -> Linear(16,out),
    with torch's default initialisation under `seed`."""
    torch.manual_seed(seed)
    l1, ln, l2, l3 = nn.Linear(4, 16), nn.LayerNorm(16), nn.Linear(16, 16), nn.Linear(16, out)
    layers = [linear_layer(l1), layernorm_layer(ln), {"type": act1}, linear_layer(l2), {"type": act2}]
    if dropout is not None:
        layers.append({"type": "dropout", "p": dropout})
    layers.append(linear_layer(l3))
    return layers


def embedding_model(seed: int) -> List[Dict[str, Any]]:
    torch.manual_seed(seed)
    emb, head = nn.Embedding(50, 8), nn.Linear(8, 3)
    return [{"type": "embedding", "num": 50, "dim": 8, "weight": compact(emb.weight.detach().tolist()),
             "pool": "mean", "group": "embeddings"},
            linear_layer(head)]


# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------


def sgd(lr: float, wd: float, decay: str, momentum: float = 0.0, nesterov: bool = False) -> Dict[str, Any]:
    return {"type": "sgd", "lr": lr, "momentum": momentum, "nesterov": nesterov,
            "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": wd, "decay": decay}


def adam(kind: str, lr: float, wd: float, decay: str, betas: Sequence[float] = (0.9, 0.999)) -> Dict[str, Any]:
    return {"type": kind, "lr": lr, "momentum": 0.0, "nesterov": False,
            "betas": list(betas), "eps": 1e-8, "weight_decay": wd, "decay": decay}


def lion(lr: float, wd: float, decay: str, betas: Sequence[float] = (0.9, 0.99)) -> Dict[str, Any]:
    return {"type": "lion", "lr": lr, "momentum": 0.0, "nesterov": False,
            "betas": list(betas), "eps": 1e-8, "weight_decay": wd, "decay": decay}


def constant_lr(lr: float, steps: int = STEPS) -> List[float]:
    return [lr] * steps


def cosine_lr(lr: float, steps: int, floor: float = 0.0) -> List[float]:
    # Stored rounded to float32 so both engines step with the same numbers.
    return [f32(floor + 0.5 * (lr - floor) * (1.0 + math.cos(math.pi * (t - 1) / steps))) for t in range(1, steps + 1)]


def run(name: str, optimizer: Dict[str, Any], groups: Dict[str, Any], lrs: List[float],
        dropout_seed: int = 0, model: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    r: Dict[str, Any] = {"name": name}
    if model is not None:
        r["model"] = model
    r.update({"optimizer": optimizer, "groups": groups, "dropout_seed": dropout_seed,
              "history": [{"step": t, "lr": lr} for t, lr in enumerate(lrs, start=1)]})
    return r


def experiment(loss: str, data: Dict[str, Any], model: List[Dict[str, Any]], runs: List[Dict[str, Any]],
               batch_order: Optional[List[List[int]]] = None) -> Dict[str, Any]:
    return {"format": reproduce.FORMAT, "loss": loss, "data": data, "model": model,
            "batch_order": batch_order, "runs": runs}


def epochs_of_minibatches(seed: int, n: int, batch: int, steps: int) -> List[List[int]]:
    rng = np.random.default_rng(seed)
    order: List[List[int]] = []
    while len(order) < steps:
        perm = rng.permutation(n)
        order.extend(perm[i:i + batch].tolist() for i in range(0, n, batch))
    return order[:steps]


def cases() -> Dict[str, Dict[str, Any]]:
    cls = classification_data(seed=7)
    net = mlp(seed=0, out=3)
    lr01 = constant_lr(0.1)
    lr001 = constant_lr(0.01)

    def single(opt: Dict[str, Any], groups: Dict[str, Any], lrs: List[float], name: str) -> Dict[str, Any]:
        return experiment("cross_entropy", cls, net, [run(name, opt, groups, lrs)])

    out = {
        "sgd_l2": single(sgd(0.1, 0.05, "l2"), ALL_DECAYED, lr01, "sgd l2"),
        "sgd_momentum_l2": single(sgd(0.1, 0.05, "l2", momentum=0.9), ALL_DECAYED, lr01, "sgd momentum l2"),
        # lr 0.05: at 0.1 the first layer's weights wander 1e-4 along the
        # directions LayerNorm cannot see (float32 vs float64), too loose to pin down.
        "sgd_nesterov_l2": single(sgd(0.05, 0.05, "l2", momentum=0.9, nesterov=True), ALL_DECAYED,
                                  constant_lr(0.05), "sgd nesterov l2"),
        "sgd_decoupled": single(sgd(0.1, 0.05, "decoupled"), ALL_DECAYED, lr01, "sgd decoupled"),
        "adam_l2": single(adam("adam", 0.01, 0.05, "l2"), ALL_DECAYED, lr001, "adam l2"),
        "adamw": single(adam("adamw", 0.01, 0.1, "decoupled"), ALL_DECAYED, lr001, "adamw"),
        "adamw_exclude": single(adam("adamw", 0.01, 0.1, "decoupled"), EXCLUDE_BIAS_NORM, lr001,
                                "adamw, biases and norms excluded"),
        "independent": single(sgd(0.1, 0.01, "independent"), ALL_DECAYED, lr01, "sgd independent"),
        # The paper's form under a schedule: the shrink eta_t*wd anneals with the cosine.
        "independent_cosine": single(adam("adam", 0.01, 0.02, "independent"), EXCLUDE_BIAS_NORM,
                                     cosine_lr(0.01, STEPS), "adam independent, cosine"),
        # Decay toward the initial parameters p0 (decay_to "init", L2-SP), one per mode.
        # lambda is large enough that the pull toward p0 shapes the trajectory.
        "adam_l2_init": single(dict(adam("adam", 0.01, 0.5, "l2"), decay_to="init"), ALL_DECAYED, lr001,
                               "adam l2 toward init"),
        "adamw_init": single(dict(adam("adamw", 0.01, 2.0, "decoupled"), decay_to="init"), EXCLUDE_BIAS_NORM,
                             lr001, "adamw toward init"),
        "independent_init": single(dict(sgd(0.1, 0.05, "independent", momentum=0.9), decay_to="init"),
                                   ALL_DECAYED, cosine_lr(0.1, STEPS), "sgd momentum independent toward init, cosine"),
        # Lion's lr is 3-10x AdamW's, its lambda as many times larger.
        "lion": single(lion(0.002, 0.5, "decoupled"), EXCLUDE_BIAS_NORM, constant_lr(0.002), "lion"),
        "lion_l2": single(lion(0.002, 0.05, "l2"), ALL_DECAYED, constant_lr(0.002), "lion l2"),
    }

    out["mse_relu"] = experiment(
        "mse", regression_data(seed=11), mlp(seed=1, out=1, act1="relu", act2="relu"),
        [run("sgd momentum decoupled", sgd(0.05, 0.01, "decoupled", momentum=0.9), ALL_DECAYED, constant_lr(0.05))])

    steps = 48  # 12 epochs of 4 minibatches
    out["minibatch_schedule"] = experiment(
        "cross_entropy", cls, net,
        [run("adamw cosine, minibatch 16", adam("adamw", 0.02, 0.1, "decoupled"), EXCLUDE_BIAS_NORM,
             cosine_lr(0.02, steps))],
        batch_order=epochs_of_minibatches(seed=3, n=64, batch=16, steps=steps))

    dropped = mlp(seed=0, out=3, dropout=0.3)
    heavier = [dict(layer, p=0.5) if layer["type"] == "dropout" else layer for layer in dropped]
    out["dropout"] = experiment(
        "cross_entropy", cls, dropped,
        [run("dropout 0.3", adam("adamw", 0.01, 0.1, "decoupled"), EXCLUDE_BIAS_NORM, lr001, dropout_seed=12345),
         # A second architecture through the per-run "model" override, and a
         # seed with high bits set, so key derivation is exercised beyond small ints.
         run("dropout 0.5", adam("adamw", 0.01, 0.1, "decoupled"), EXCLUDE_BIAS_NORM, lr001,
             dropout_seed=2**53 - 12345, model=heavier)])

    out["embedding"] = experiment(
        "cross_entropy", token_data(seed=5), embedding_model(seed=2),
        [run("adamw, embeddings decayed", adam("adamw", 0.05, 0.1, "decoupled"), EXCLUDE_BIAS_NORM,
             constant_lr(0.05))])
    # Rows of tokens absent from a batch have g = 0; with m = 0 too, sign(0) = 0
    # and only the decay moves them.
    out["lion_embedding"] = experiment(
        "cross_entropy", token_data(seed=5), embedding_model(seed=2),
        [run("lion, embeddings decayed", lion(0.005, 1.0, "decoupled"), EXCLUDE_BIAS_NORM, constant_lr(0.005))],
        batch_order=epochs_of_minibatches(seed=4, n=64, batch=16, steps=STEPS))
    return out


# --------------------------------------------------------------------------
# An independent forward pass, in float64 numpy
# --------------------------------------------------------------------------


_erf = np.vectorize(math.erf)


def numpy_forward(layers: List[Dict[str, Any]], params: List[np.ndarray], x: np.ndarray,
                  seed: Optional[int] = None, step: Optional[int] = None) -> np.ndarray:
    """The model by its written definition, consuming `params` in final_params order.
    Dropout is applied when `step` is given (training mode)."""
    it = iter(params)
    h = x
    for i, layer in enumerate(layers):
        kind = layer["type"]
        if kind == "linear":
            w = next(it).reshape(layer["out"], layer["in"])
            h = h @ w.T + (next(it) if layer["bias"] is not None else 0.0)
        elif kind == "layernorm":
            gain, shift = next(it), next(it)
            mu = h.mean(axis=1, keepdims=True)
            var = ((h - mu) ** 2).mean(axis=1, keepdims=True)  # biased, as LayerNorm defines it
            h = (h - mu) / np.sqrt(var + layer["eps"]) * gain + shift
        elif kind == "embedding":
            table = next(it).reshape(layer["num"], layer["dim"])
            h = table[h].mean(axis=1)
        elif kind == "relu":
            h = np.maximum(h, 0.0)
        elif kind == "tanh":
            h = np.tanh(h)
        elif kind == "gelu":
            h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
        elif kind == "dropout":
            if step is not None and layer["p"] > 0:
                keep = reproduce.dropout_keep(seed, step, i, h.size, layer["p"]).reshape(h.shape)
                scale = float(np.float32(1.0) / np.float32(1.0 - layer["p"]))  # the contract's Float(1)/Float(1-p)
                h = np.where(keep, h * scale, 0.0)
        else:
            raise AssertionError(kind)
    assert next(it, None) is None, "final_params has more tensors than the model"
    return h


def numpy_loss(kind: str, out: np.ndarray, y: Any) -> float:
    if kind == "mse":
        target = np.asarray(y, dtype=np.float64).reshape(out.shape)
        return float(((out - target) ** 2).mean())
    z = out - out.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


def initial_params(layers: List[Dict[str, Any]]) -> List[np.ndarray]:
    ps: List[np.ndarray] = []
    for layer in layers:
        if layer["type"] == "linear":
            ps.append(np.asarray(layer["weight"], dtype=np.float64).ravel())
            if layer["bias"] is not None:
                ps.append(np.asarray(layer["bias"], dtype=np.float64))
        elif layer["type"] == "layernorm":
            ps += [np.asarray(layer["gain"], dtype=np.float64), np.asarray(layer["shift"], dtype=np.float64)]
        elif layer["type"] == "embedding":
            ps.append(np.asarray(layer["weight"], dtype=np.float64).ravel())
    return ps


def param_groups(layers: List[Dict[str, Any]]) -> List[str]:
    gs: List[str] = []
    for layer in layers:
        if layer["type"] == "linear":
            gs += [layer["weight_group"]] + ([layer["bias_group"]] if layer["bias"] is not None else [])
        elif layer["type"] == "layernorm":
            gs += [layer["group"], layer["group"]]
        elif layer["type"] == "embedding":
            gs.append(layer["group"])
    return gs


# --------------------------------------------------------------------------
# An independent optimizer, in float64 numpy
# --------------------------------------------------------------------------


def numpy_trajectory(exp: Dict[str, Any], r: Dict[str, Any], lrs: List[float]) -> List[np.ndarray]:
    """Replay the run with the update rules written out from the formulas
    (PyTorch's documented SGD / Adam / AdamW, decay per group), taking only the
    gradients from autograd. Returns the final parameters in final_params order.

    This shares no code with torch.optim or with reproduce.py's optimizer
    setup, so a mis-wired decay mode, group switch, momentum or schedule in
    either shows up as a different end point.
    """
    layers = r.get("model") or exp["model"]
    net, specs, tokens = reproduce.build_model(layers, torch.float64)
    vocab = layers[0]["num"] if tokens else 0
    train = reproduce._load_split(exp["data"]["train"], "train", exp["loss"], tokens, vocab, torch.float64)
    criterion = nn.CrossEntropyLoss() if exp["loss"] == "cross_entropy" else nn.MSELoss()

    o = r["optimizer"]
    kind, wd, mode = o["type"], o["weight_decay"], o["decay"]
    decayed = [r["groups"][s.group]["decay"] for s in specs]
    p = [s.tensor.detach().numpy().copy() for s in specs]
    # What decay pulls toward: 0, or the initial parameters (decay_to "init").
    toward = [x.copy() if o.get("decay_to", "zero") == "init" else np.zeros_like(x) for x in p]
    buf = [np.zeros_like(x) for x in p]   # SGD momentum buffer / Adam first moment
    sq = [np.zeros_like(x) for x in p]    # Adam second moment
    b1, b2 = o["betas"]

    for t, lr in enumerate(lrs, start=1):
        with torch.no_grad():
            for s, x in zip(specs, p):
                s.tensor.copy_(torch.from_numpy(x))
        rows = exp["batch_order"][t - 1] if exp["batch_order"] is not None else list(range(train.x.shape[0]))
        net.train()
        net.zero_grad(set_to_none=True)
        criterion(net(train.x[rows], r.get("dropout_seed"), t), train.y[rows]).backward()
        grads = [s.tensor.grad.numpy().copy() for s in specs]

        for i, (x, g, d) in enumerate(zip(p, grads, decayed)):
            x0 = toward[i]
            if d and mode == "l2":
                g = g + wd * (x - x0)
            if d and mode == "decoupled":
                x = x - lr * wd * (x - x0)
            if d and mode == "independent":
                # The AdamW paper's eta_t: the schedule's multiplier, lr_t / base lr.
                x = x - (lr / o["lr"]) * wd * (x - x0)
            if kind == "lion":
                c = b1 * buf[i] + (1.0 - b1) * g
                x = x - lr * np.sign(c)
                buf[i] = b2 * buf[i] + (1.0 - b2) * g
            elif kind == "sgd":
                m = o["momentum"]
                if m != 0.0:
                    buf[i] = g.copy() if t == 1 else m * buf[i] + g
                    g = g + m * buf[i] if o["nesterov"] else buf[i]
                x = x - lr * g
            else:
                buf[i] = b1 * buf[i] + (1.0 - b1) * g
                sq[i] = b2 * sq[i] + (1.0 - b2) * g * g
                m_hat = buf[i] / (1.0 - b1 ** t)
                v_hat = sq[i] / (1.0 - b2 ** t)
                x = x - lr * m_hat / (np.sqrt(v_hat) + o["eps"])
            p[i] = x
    return [x.ravel() for x in p]


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------


def close(a: float, b: float, rel: float, what: str) -> None:
    d = abs(a - b) / max(abs(b), 1e-6)
    assert d <= rel, f"{what}: {a!r} vs {b!r} (relative {d:.3e} > {rel:g})"


def history_drift(a: List[Dict[str, Any]], b: List[Dict[str, Any]]) -> float:
    """Largest relative difference over losses and norms of two histories."""
    worst = 0.0
    for ea, eb in zip(a, b):
        assert ea["step"] == eb["step"]
        worst = max(worst, reproduce.compare_step(ea, eb, val_rows=1).max_rel)
    return worst


def params_drift(a: List[List[float]], b: List[List[float]]) -> float:
    """Largest difference between two parameter lists, per tensor relative to
    that tensor's largest entry (entries near zero would otherwise dominate)."""
    worst = 0.0
    for ta, tb in zip(a, b):
        ta_, tb_ = np.asarray(ta), np.asarray(tb)
        worst = max(worst, float(np.abs(ta_ - tb_).max() / max(np.abs(tb_).max(), 1e-6)))
    return worst


def check_case(name: str, exp: Dict[str, Any], r: Dict[str, Any], r64: Any, lrs: List[float]) -> float:
    """Hold one finished run against numbers computed without torch.optim.
    `lrs` is the schedule the case asked for."""
    layers = r.get("model") or exp["model"]
    hist, final = r["history"], [np.asarray(t, dtype=np.float64) for t in r["final_params"]]
    for e in hist:
        values = [e["train_loss"], e["val_loss"], *e["norms"].values()]
        assert all(math.isfinite(v) for v in values), f"{name}: non-finite value at step {e['step']}"

    # Step 1's training loss: initial parameters, first batch, step-1 dropout masks.
    train = exp["data"]["train"]
    rows = exp["batch_order"][0] if exp["batch_order"] is not None else list(range(len(train["y"])))
    x = np.asarray([train["x"][i] for i in rows], dtype=np.int64 if layers[0]["type"] == "embedding" else np.float64)
    y = [train["y"][i] for i in rows]
    out = numpy_forward(layers, initial_params(layers), x, r.get("dropout_seed"), 1)
    close(hist[0]["train_loss"], numpy_loss(exp["loss"], out, y), 1e-5, f"{name}: step-1 train_loss (numpy)")

    # The last step's validation numbers from the written final parameters:
    # ties final_params' layout to the history.
    val = exp["data"]["val"]
    xv = np.asarray(val["x"], dtype=np.int64 if layers[0]["type"] == "embedding" else np.float64)
    out = numpy_forward(layers, final, xv)
    close(hist[-1]["val_loss"], numpy_loss(exp["loss"], out, val["y"]), 1e-5, f"{name}: final val_loss (numpy)")
    if exp["loss"] == "cross_entropy":
        acc = float((out.argmax(axis=1) == np.asarray(val["y"])).mean())
        assert abs(acc - hist[-1]["val_accuracy"]) <= 1.0 / len(val["y"]) + 1e-9, f"{name}: val_accuracy"
    sums: Dict[str, float] = {}
    for g, t in zip(param_groups(layers), final):
        sums[g] = sums.get(g, 0.0) + float((t ** 2).sum())
    assert set(sums) == set(hist[-1]["norms"]), f"{name}: norm groups"
    for g, s in sums.items():
        close(hist[-1]["norms"][g], math.sqrt(s), 1e-6, f"{name}: final norm[{g}]")

    # torch.optim in float64 against the update rules written out in numpy.
    replay = numpy_trajectory(exp, r, lrs)
    d = params_drift([x.tolist() for x in replay], r64.final_params)
    assert d <= 1e-9, f"{name}: torch.optim and the numpy optimizer end {d:.2e} apart"
    assert [e["lr"] for e in hist] == [e["lr"] for e in r64.history] == lrs, f"{name}: lr schedule not followed"

    # The same run in float64: how much of the trajectory is float32 rounding.
    drift = max(history_drift(hist, r64.history), params_drift(r["final_params"], r64.final_params))
    assert drift <= MAX_FLOAT64_DRIFT, f"{name}: float32 vs float64 drift {drift:.2e} > {MAX_FLOAT64_DRIFT:g}"
    return drift


_M64 = (1 << 64) - 1


def _splitmix64_int(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def self_checks(built: Dict[str, Dict[str, Any]]) -> None:
    """Facts that hold whatever torch does, so a broken pipeline cannot pass."""
    # splitmix64's published first output for state 0, then the numpy masks
    # against a plain-int rendering of the contract (no numpy wrapping).
    assert int(reproduce.splitmix64(np.array([0], dtype=np.uint64))[0]) == 0xE220A8397B1DCDAF
    for seed, step, layer, p in ((12345, 3, 5, 0.3), (2**53 - 1, 1000, 2, 0.77)):
        key = _splitmix64_int(seed ^ _splitmix64_int((step * 0x100000001B3 + layer) & _M64))
        ints = [(_splitmix64_int((key + i) & _M64) >> 40) >= math.floor(float(np.float32(p)) * 16777216.0) for i in range(500)]
        assert ints == reproduce.dropout_keep(seed, step, layer, 500, p).tolist(), "dropout mask"
    keep = reproduce.dropout_keep(12345, 1, 5, 200_000, 0.3)
    assert abs(keep.mean() - 0.7) < 0.005, f"dropout keeps {keep.mean():.4f}, expected ~0.7"
    assert reproduce.dropout_keep(1, 1, 0, 1000, 0.0).all()
    assert reproduce.dropout_scale(0.3) == np.float32(1.0) / np.float32(1.0 - 0.3)

    # Every optimizer x decay mode x group table, a few steps each, against the
    # update rules written out in numpy (the cases below cover only some pairs).
    exp = built["sgd_l2"]
    optimizers = {"sgd": sgd(0.1, 0.05, "l2"), "sgd nesterov": sgd(0.1, 0.05, "l2", momentum=0.9, nesterov=True),
                  "adam": adam("adam", 0.01, 0.05, "l2"), "adamw": adam("adamw", 0.01, 0.05, "l2"),
                  "lion": lion(0.002, 0.5, "decoupled")}
    for label, opt in optimizers.items():
        for mode in ("l2", "decoupled", "independent", "none"):
            for groups in (ALL_DECAYED, EXCLUDE_BIAS_NORM):
                for to in ("zero", "init"):
                    lrs = [opt["lr"] * (1.0 - 0.1 * t) for t in range(6)]  # a schedule, so lr is read per step
                    # lambda 20x larger toward init: p - p0 starts at 0, so a small pull shows nothing
                    wd = opt["weight_decay"] * (20.0 if to == "init" else 1.0)
                    variant = run("variant", dict(opt, decay=mode, decay_to=to, weight_decay=wd), groups, lrs)
                    torch_end = reproduce.train_run(exp, variant, dtype=torch.float64).final_params
                    numpy_end = numpy_trajectory(exp, variant, lrs)
                    d = params_drift([x.tolist() for x in numpy_end], torch_end)
                    what = f"{label} {mode} {'all' if groups is ALL_DECAYED else 'excl'} to {to}"
                    assert d <= 1e-12, f"{what}: {d:.2e}"
    print(f"  check: {len(optimizers) * 16} optimizer/decay/group/target variants match the numpy update rules")
    check_lion_against_package()

    # The nudged twin reproduce.py measures float32 noise with starts every
    # parameter exactly one float32 step away (both directions used), and so
    # stays within float32 rounding of the plain run on a calm trajectory.
    exp = built["sgd_l2"]
    plain = reproduce.train_run(exp, exp["runs"][0], steps=1)
    twin = reproduce.train_run(exp, exp["runs"][0], steps=1, nudge=True)
    net, specs, _ = reproduce.build_model(exp["model"], torch.float32)
    before = [p.tensor.detach().clone() for p in specs]
    reproduce._nudge(specs)
    moved = torch.cat([(p.tensor.detach() - b).flatten() for p, b in zip(specs, before)])
    ulp = torch.cat([(torch.nextafter(b, torch.full_like(b, math.inf)) - b).abs().flatten() for b in before])
    down = torch.cat([(b - torch.nextafter(b, torch.full_like(b, -math.inf))).abs().flatten() for b in before])
    assert bool(((moved == ulp) | (-moved == down)).all()), "nudge moves each parameter by one float32 step"
    assert bool((moved > 0).any()) and bool((moved < 0).any()), "nudge goes both ways"
    d = history_drift(plain.history, twin.history)
    assert 0.0 < d <= 1e-5, f"nudged twin after one step: {d:.2e}"
    print(f"  check: nudged float32 twin moves every parameter one float step; after a step it differs by {d:.1e}")

    # Plain SGD: p - lr*(g + wd*p) == (1 - lr*wd)*p - lr*g, so L2 and decoupled
    # decay trace the same trajectory; float32 rounding differs by an ulp or so.
    for dtype, tol in ((torch.float32, 1e-6), (torch.float64, 1e-12)):
        a = reproduce.train_run(built["sgd_l2"], built["sgd_l2"]["runs"][0], dtype=dtype)
        b = reproduce.train_run(built["sgd_decoupled"], built["sgd_decoupled"]["runs"][0], dtype=dtype)
        d = max(history_drift(a.history, b.history), params_drift(a.final_params, b.final_params))
        assert d <= tol, f"sgd l2 vs decoupled ({dtype}): {d:.2e} > {tol:g}"
        print(f"  check: sgd l2 == sgd decoupled in {str(dtype).split('.')[-1]}: max rel diff {d:.1e}")

    # At a constant lr, independent decay with wd' = lr*wd is decoupled decay with wd.
    exp = built["sgd_decoupled"]
    base = exp["runs"][0]
    indep = dict(base, optimizer=dict(base["optimizer"], decay="independent",
                                      weight_decay=base["optimizer"]["lr"] * base["optimizer"]["weight_decay"]))
    a = reproduce.train_run(exp, base, dtype=torch.float64)
    b = reproduce.train_run(exp, indep, dtype=torch.float64)
    assert history_drift(a.history, b.history) == 0.0, "independent(lr*wd) != decoupled(wd)"

    # Under any schedule, independent decay with wd is decoupled decay with
    # wd / base lr: eta_t*wd = (lr_t/lr)*wd = lr_t*(wd/lr). Equal up to the
    # order of two float64 roundings.
    exp = built["independent_cosine"]
    base = exp["runs"][0]
    o = base["optimizer"]
    dec = dict(base, optimizer=dict(o, type="adamw", decay="decoupled", weight_decay=o["weight_decay"] / o["lr"]))
    a = reproduce.train_run(exp, base, dtype=torch.float64)
    b = reproduce.train_run(exp, dec, dtype=torch.float64)
    d = max(history_drift(a.history, b.history), params_drift(a.final_params, b.final_params))
    assert d <= 1e-12, f"independent(wd) vs decoupled(wd/lr) under a cosine: {d:.2e}"
    cos = [e["lr"] for e in base["history"]]
    assert cos[0] == o["lr"] and cos[-1] < 0.01 * o["lr"], "the cosine must anneal, or the check shows nothing"

    # Decay must act where it is switched on and nowhere else. After one step
    # the gradients are still those of the initial parameters, so AdamW with
    # biases and norms excluded leaves those groups exactly where AdamW without
    # decay puts them, and only the weights come out smaller.
    exp = built["adamw_exclude"]
    base = exp["runs"][0]
    off = dict(base, optimizer=dict(base["optimizer"], weight_decay=0.0, decay="none"))
    a = reproduce.train_run(exp, base, steps=1).history[0]["norms"]
    b = reproduce.train_run(exp, off, steps=1).history[0]["norms"]
    assert a["biases"] == b["biases"] and a["norms"] == b["norms"], "decay leaked into an excluded group"
    assert a["weights"] < b["weights"], "decay did not shrink the weights"
    # Toward init, the first step's decay acts on p - p0 = 0: step 1 equals no decay,
    # bit for bit, and from step 2 on the pull shows.
    for name in ("adam_l2_init", "adamw_init", "independent_init"):
        exp = built[name]
        base = exp["runs"][0]
        off = dict(base, optimizer=dict(base["optimizer"], weight_decay=0.0, decay="none"))
        a = reproduce.train_run(exp, base, dtype=torch.float64, steps=2).history
        b = reproduce.train_run(exp, off, dtype=torch.float64, steps=2).history
        assert a[0] == b[0], f"{name}: decay toward init moved step 1"
        assert a[1]["norms"] != b[1]["norms"], f"{name}: decay toward init never acted"
    print("  check: independent == decoupled at lr*wd (constant lr) and at wd/lr (cosine); "
          "excluded groups unmoved by decay after one step")


def check_lion_against_package() -> None:
    """reproduce.py's Lion, with the decoupled shrink applied before step() as
    its training loop does, equals lion_pytorch.Lion to the bit in float32."""
    from lion_pytorch import Lion as PackageLion
    gen = torch.Generator().manual_seed(9)
    for wd in (0.0, 0.3):
        p0 = torch.randn(1000, generator=gen)
        grads = [torch.randn(1000, generator=gen) for _ in range(6)]
        grads[2][::5] = 0.0  # sign(0) = 0 where m is still 0 on the first steps
        a = p0.clone().requires_grad_(True)
        b = p0.clone().requires_grad_(True)
        ours = reproduce.Lion([a], lr=3e-3, betas=(0.9, 0.99))
        theirs = PackageLion([b], lr=3e-3, betas=(0.9, 0.99), weight_decay=wd)
        for g in grads:
            a.grad, b.grad = g.clone(), g.clone()
            with torch.no_grad():
                a.mul_(1.0 - 3e-3 * wd)
            ours.step()
            theirs.step()
            assert torch.equal(a, b), f"Lion differs from lion_pytorch (wd {wd})"
    print("  check: reproduce.py's Lion == lion_pytorch.Lion bit for bit")


def hash_vectors() -> Dict[str, Any]:
    """Known answers for the dropout hash, so the Swift side can test its mask
    generator on its own. uint64 values are hex strings: JSON numbers lose them."""
    cases = []
    for seed, step, layer, p in ((0, 1, 0, 0.5), (12345, 1, 5, 0.3), (12345, 40, 5, 0.3), (2**53 - 12345, 7, 3, 0.1)):
        key = reproduce.dropout_key(seed, step, layer)
        with np.errstate(over="ignore"):
            h = reproduce.splitmix64(key + np.arange(8, dtype=np.uint64))
        keep = reproduce.dropout_keep(seed, step, layer, 64, p)
        cases.append({"seed": seed, "step": step, "layer": layer, "p": p,
                      "key": f"0x{int(key):016x}", "hashes": [f"0x{int(v):016x}" for v in h],
                      "threshold": math.floor(float(np.float32(p)) * 16777216.0),
                      "keep": "".join("1" if k else "0" for k in keep),
                      "scale": f32(float(reproduce.dropout_scale(p)))})
    return {"format": "decay-tutor.dropout-hash/1",
            "splitmix64": [{"z": f"0x{z:016x}", "out": f"0x{int(reproduce.splitmix64(np.array([z], dtype=np.uint64))[0]):016x}"}
                           for z in (0, 1, 0xFFFFFFFFFFFFFFFF)],
            "cases": cases}


def main() -> int:
    torch.set_num_threads(1)
    built = cases()
    wanted = sys.argv[1:]
    unknown = [w for w in wanted if w not in built and w != "dropout_hash"]
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}; cases are {', '.join(built)}", file=sys.stderr)
        return 2
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    self_checks(built)

    texts: Dict[str, str] = {}
    for name, exp in built.items():
        if wanted and name not in wanted:
            continue
        drifts = []
        for r in exp["runs"]:
            lrs = [e["lr"] for e in r["history"]]
            res = reproduce.train_run(exp, r)
            r["history"] = compact(res.history)
            r["final_params"] = compact(res.final_params)
            r64 = reproduce.train_run(exp, r, dtype=torch.float64)
            drifts.append(check_case(f"{name}/{r['name']}", exp, r, r64, lrs))
        exp["reference"] = {"generator": "Tests/DecayEngineTests/Fixtures/make_fixtures.py",
                            "torch": torch.__version__.split("+")[0], "numpy": np.__version__,
                            "float64_max_rel_diff": float(f"{max(drifts):.2e}")}
        text = dumps(exp) + "\n"

        # Read back what would be written and train again: the file alone must
        # reproduce its own history exactly.
        again = json.loads(text)
        for r, h in zip(again["runs"], reproduce.run_experiment(again)):
            assert compact(h) == r["history"], f"{name}: the written file does not reproduce itself"
        assert len(text) < 200_000, f"{name}: {len(text)} bytes"
        texts[name] = text
        last = exp["runs"][0]["history"][-1]
        print(f"  {name + '.json':<24} {len(text) / 1024:6.1f} KB  steps {len(exp['runs'][0]['history'])}  "
              f"val_loss {last['val_loss']:.4f}  float64 drift {max(drifts):.1e}")

    texts["dropout_hash"] = dumps(hash_vectors()) + "\n"
    if wanted:
        texts = {name: text for name, text in texts.items() if name in wanted}
    for name, text in texts.items():
        (HERE / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(texts)} files to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
