"""Runs one snippet against the real library and hands its result to the
lesson's expectations (snippet_expectations.py):

- pytorch: the code runs with `model` bound to CheckModel (an embedding,
  a LayerNorm and two linear layers); the optimizer it builds is read back
  as {parameter name: weight_decay}, with its class, lr, betas, momentum.
- transformers: the code runs; every TrainingArguments it makes goes to a
  real Trainer on CheckModel, which builds its optimizer and scheduler (the
  Trainer's own decay rule, optimizer class and lr schedule).
- axolotl: the YAML is parsed, every top-level key must be a field (or
  alias) of Axolotl's AxolotlInputConfig, the config must validate against
  that pydantic model without a warning from Axolotl, and the validated
  values go to the expectations.
"""

import logging
import os
import tempfile
import warnings

import torch
from torch import nn


class CheckModel(nn.Module):
    """What the groups are checked on: 2-D embed.weight, hidden.weight,
    out.weight; 1-D norm.weight, norm.bias, hidden.bias, out.bias."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(50, 8)
        self.norm = nn.LayerNorm(8)
        self.hidden = nn.Linear(8, 16)
        self.out = nn.Linear(16, 3)

    def forward(self, tokens):
        return self.out(torch.relu(self.hidden(self.norm(self.embed(tokens)))))


TWO_D = {"embed.weight", "hidden.weight", "out.weight"}
ONE_D = {"norm.weight", "norm.bias", "hidden.bias", "out.bias"}


class Check:
    """Collects what was verified; a failed expectation raises."""

    def __init__(self):
        self.checked = []

    def that(self, condition, claim):
        if not condition:
            raise AssertionError(claim)
        self.checked.append(claim)

    def close(self, actual, expected, claim, rel=1e-6):
        self.that(abs(actual - expected) <= rel * max(abs(expected), 1e-30), f"{claim} (got {actual:.6g})")


class Optimizer:
    """An optimizer read back: class, per-name weight decay, hyperparameters."""

    def __init__(self, optimizer, model):
        names = {id(p): n for n, p in model.named_parameters()}
        self.cls = type(optimizer).__name__
        self.decay = {}
        self.groups = optimizer.param_groups
        for group in optimizer.param_groups:
            for p in group["params"]:
                self.decay[names[id(p)]] = group["weight_decay"]
        self.first = optimizer.param_groups[0]

    def decayed(self):
        return {n for n, wd in self.decay.items() if wd > 0}

    def shrink(self):
        """lr_t · λ of the decayed parameters at the optimizer's current lr."""
        return max(g["lr"] * g["weight_decay"] for g in self.groups)


def run_pytorch(code):
    model = CheckModel()
    namespace = {"model": model}
    exec(compile(code, "<pytorch snippet>", "exec"), namespace)
    return namespace


def trainer_for(args, model=None):
    from transformers import Trainer

    model = model or CheckModel()
    eval_data = [0] if str(args.eval_strategy) not in ("no", "IntervalStrategy.NO") else None
    trainer = Trainer(model=model, args=args, eval_dataset=eval_data)
    steps = args.max_steps if args.max_steps and args.max_steps > 0 else 1000
    trainer.create_optimizer_and_scheduler(num_training_steps=steps)
    return trainer, model


def run_transformers(code):
    workdir = tempfile.mkdtemp(prefix="snippet-hf-")
    here = os.getcwd()
    os.chdir(workdir)
    try:
        namespace = {}
        exec(compile(code, "<transformers snippet>", "exec"), namespace)
        return namespace
    finally:
        os.chdir(here)


def axolotl_schema():
    from axolotl.utils.schemas.config import AxolotlInputConfig

    keys = set()
    for name, field in AxolotlInputConfig.model_fields.items():
        keys.add(name)
        if field.alias:
            keys.add(field.alias)
    return AxolotlInputConfig, keys


class WarningCatcher(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        if record.name.startswith("axolotl"):
            self.messages.append(record.getMessage())


def run_axolotl(code, check):
    import yaml

    raw = yaml.safe_load(code)
    check.that(isinstance(raw, dict), "the YAML is a mapping")
    schema, keys = axolotl_schema()
    unknown = sorted(set(raw) - keys)
    check.that(not unknown, "every key is an AxolotlInputConfig field" + (f" (unknown: {unknown})" if unknown else ""))
    catcher = WarningCatcher()
    logging.getLogger().addHandler(catcher)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = schema.model_validate(raw)
    finally:
        logging.getLogger().removeHandler(catcher)
    check.that(True, "validates against AxolotlInputConfig")
    check.that(not catcher.messages, "Axolotl's validators warn of nothing" + (f" ({catcher.messages})" if catcher.messages else ""))
    from transformers.training_args import OptimizerNames

    if "optimizer" in raw:
        known = {o.value for o in OptimizerNames}
        check.that(config.optimizer in known, f"optimizer {config.optimizer} is a transformers OptimizerNames value")
    if "lr_scheduler" in raw:
        from transformers import SchedulerType

        check.that(config.lr_scheduler in {s.value for s in SchedulerType},
                   f"lr_scheduler {config.lr_scheduler} is a transformers SchedulerType")
    return config
