#!/usr/bin/env python3
"""Expected numbers for `inspect` on Axolotl configs, from Axolotl's own code.

Run it in an environment with the versions Axolotl 0.19 pins:

    python3 -m venv /tmp/venv-axolotl
    /tmp/venv-axolotl/bin/pip install torch transformers==5.16.1 trl==1.9.0 peft==0.20.0 \\
        datasets==4.8.4 accelerate==1.13.0 pyyaml pydantic
    /tmp/venv-axolotl/bin/python Tests/DecayInspectTests/Fixtures/make_axolotl_fixtures.py

For each config in CONFIGS it writes configs/ax-<name>.yml and
expected/ax-<name>.json, made by Axolotl 0.19's own functions (its wheel,
see axolotl_support.py):

- the config is validated by AxolotlInputConfig (its defaults and
  validators), and `normalize_config`'s batch arithmetic is applied;
- `val_set_size` is held out by Axolotl's create_train_validation_split
  (datasets' train_test_split);
- the step count is `calculate_total_num_steps` (supervised, with or without
  sample packing) or the expression of `load_preference_datasets` (RL),
  min(that, max_steps) as `_prepare_standard_dataset` takes it, max_steps for
  streaming, none for GRPO;
- warm-up and the schedule's name come from TrainerBuilderBase's
  `_configure_warmup_and_logging` and `_configure_scheduler`, lifted out of
  its file;
- a real Trainer with Axolotl's SchedulerMixin (its own cosine variants,
  RexLR, OneCycleLR, JaggedLRRestartScheduler) trains a one-weight model on
  a data set of the configured size: its step count, its warm-up
  (`get_warmup_steps`), the rate of every step, and the dataloader's length;
- a float64 weight is stepped with zero gradients under a second scheduler
  from the same `create_scheduler`, by torch's AdamW (or Axolotl's AdamC,
  or torch's SGD), for the fraction decay leaves.
"""

import json
import math
import os
import shutil
import sys
import types
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE))
warnings.simplefilter("ignore")
os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")

import axolotl_support  # noqa: E402

SITE = axolotl_support.load_axolotl(REPO / ".build/config-schemas")

import torch  # noqa: E402
import transformers  # noqa: E402
import yaml  # noqa: E402
from datasets import Dataset  # noqa: E402
from torch import nn  # noqa: E402
from transformers import Trainer, TrainerCallback  # noqa: E402

from axolotl.core.trainers.mixins.scheduler import SchedulerMixin  # noqa: E402
from axolotl.core.training_args import AxolotlTrainingArguments  # noqa: E402
create_train_validation_split = axolotl_support.import_alone(SITE, "axolotl.utils.data.shared").create_train_validation_split
from axolotl.utils.dict import DictDefault  # noqa: E402
from axolotl.utils.schemas.config import AxolotlInputConfig  # noqa: E402
from axolotl.utils.trainer import calculate_total_num_steps  # noqa: E402

WARMUP = axolotl_support.warmup_function(SITE)
SCHEDULER = axolotl_support.scheduler_function(SITE)
EVAL_STRATEGY = axolotl_support.eval_strategy_function(SITE)
BASE = {"base_model": "./tiny-model", "datasets": [{"path": "./data.jsonl", "type": "alpaca"}]}
SCRATCH = HERE / ".scratch-axolotl"


class Examples(torch.utils.data.Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": torch.tensor([float(i % 7)]), "labels": torch.tensor([0.0])}


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x, labels=None):
        y = self.linear(x)
        return {"loss": ((y - labels) ** 2).mean(), "logits": y}


class RecordRates(TrainerCallback):
    def __init__(self):
        self.rates = []

    def on_step_begin(self, args, state, control, optimizer=None, **kwargs):
        self.rates.append(optimizer.param_groups[0]["lr"])


class AxolotlSchedulerTrainer(SchedulerMixin, Trainer):
    """A Trainer with Axolotl's create_scheduler, as its AxolotlTrainer has."""


class GroupedTrainer(AxolotlSchedulerTrainer):
    """TRL's GRPOTrainer dataloader: RepeatSampler, batch = per-device × steps_per_generation."""

    grouped = None

    def get_train_dataloader(self):
        from trl.trainer.utils import RepeatSampler
        g = self.grouped
        sampler = RepeatSampler(data_source=self.train_dataset, mini_repeat_count=g.num_generations,
                                batch_size=g.generation_batch_size // g.num_generations,
                                repeat_count=g.num_iterations * g.steps_per_generation, shuffle=False, seed=0)
        return torch.utils.data.DataLoader(self.train_dataset, batch_size=self._train_batch_size * g.steps_per_generation,
                                           sampler=sampler)


def validated(raw):
    """AxolotlInputConfig's defaults and validators, then normalize_config's batch lines."""
    cfg = DictDefault(AxolotlInputConfig.model_validate(raw).model_dump(exclude_none=True))
    # axolotl/utils/config/__init__.py normalize_config (one process, no ray):
    cfg.gradient_accumulation_steps = cfg.gradient_accumulation_steps or (cfg.batch_size // cfg.micro_batch_size)
    cfg.batch_size = cfg.batch_size or cfg.micro_batch_size * cfg.gradient_accumulation_steps
    return cfg


def token_dataset(n, length=16):
    ids = [[1] * length for _ in range(n)]
    return Dataset.from_dict({"input_ids": ids, "labels": ids, "length": [length] * n})


def axolotl_total(cfg, train):
    """Axolotl's total_num_steps for this config (utils/data/sft.py, common/datasets.py)."""
    if cfg.streaming or cfg.pretraining_dataset:
        return cfg.max_steps if cfg.max_steps else -1
    if cfg.rl in ("grpo", "ebft"):
        return None
    if cfg.rl:
        return int(math.ceil(len(train) * cfg.num_epochs / cfg.batch_size))
    if cfg.max_steps:
        return min(calculate_total_num_steps(cfg, train), cfg.max_steps)
    return calculate_total_num_steps(cfg, train)


def training_arguments(cfg, total, output_dir):
    """The TrainingArguments Axolotl's builder makes, for the keys that change the schedule."""
    kwargs = {}
    builder = types.SimpleNamespace(cfg=cfg, eval_dataset=None)
    WARMUP(builder, total, kwargs)
    SCHEDULER(builder, kwargs)
    EVAL_STRATEGY(builder, kwargs)
    for key in ("cosine_min_lr_ratio", "cosine_constant_lr_ratio", "lr_quadratic_warmup", "jagged_restart_steps",
                "jagged_restart_warmup_steps", "jagged_restart_anneal_steps"):
        if cfg.get(key) is not None:
            kwargs[key] = cfg[key]
    kwargs.update(output_dir=str(output_dir), report_to=[], logging_strategy="no", use_cpu=True,
                  disable_tqdm=True, seed=0, dataloader_num_workers=0, optim="adamw_torch",
                  learning_rate=float(cfg.learning_rate), weight_decay=cfg.weight_decay,
                  per_device_train_batch_size=cfg.micro_batch_size,
                  gradient_accumulation_steps=cfg.gradient_accumulation_steps,
                  max_steps=cfg.max_steps or total or -1, num_train_epochs=cfg.num_epochs)
    return AxolotlTrainingArguments(**kwargs), kwargs["warmup_steps"]


def decay_optimizer(cfg, param):
    """The optimizer whose zero-gradient steps give the fraction decay leaves:
    Axolotl's AdamC, torch's SGD, or torch's AdamW for every decoupled rule
    (bitsandbytes' Lion and 8-bit AdamW decay p·(1 − lr·λ) too; their kernels
    need a GPU). polora's factory drops weight_decay, so its AdamW gets 0."""
    name = cfg.optimizer
    lr, wd = float(cfg.learning_rate), cfg.weight_decay
    if name == "adamc":
        from axolotl.utils.optimizers.adamc import AdamC
        return AdamC([param], lr=lr, weight_decay=wd)
    if name == "polora":
        return torch.optim.AdamW([param], lr=lr, weight_decay=0.0, foreach=False)  # its factory drops weight_decay
    if name == "sgd":
        return torch.optim.SGD([param], lr=lr, weight_decay=wd)
    return torch.optim.AdamW([param], lr=lr, weight_decay=wd, foreach=False)


def zero_gradient_run(cfg, args, steps):
    """A float64 weight stepped with zero gradients under Axolotl's scheduler."""
    p = nn.Parameter(torch.ones(1, dtype=torch.float64))
    optimizer = decay_optimizer(cfg, p)
    fake = AxolotlSchedulerTrainer.__new__(AxolotlSchedulerTrainer)
    fake.args, fake.optimizer, fake.lr_scheduler = args, optimizer, None
    scheduler = fake.create_scheduler(steps, optimizer)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        p.grad = torch.zeros_like(p)
        optimizer.step()
        scheduler.step()
    return p.item(), rates, type(scheduler).__name__


def run(name, settings, examples=None, tokens=None):
    raw = {**BASE, **settings}
    cfg = validated(raw)
    record = {"examples": examples, "tokens": tokens, "axolotl": axolotl_support.AXOLOTL_VERSION,
              "transformers": transformers.__version__, "torch": torch.__version__}
    train = None
    if examples is not None:
        data = token_dataset(examples)
        v = cfg.val_set_size
        if v and not (cfg.streaming or cfg.pretraining_dataset):
            size = int(v) if v > 1 else float(v)
            train, held = create_train_validation_split(data, cfg, size)
            record["val_examples"] = len(held)
        else:
            train = data
        record["train_examples"] = len(train)
    if tokens is not None:
        cfg.total_num_tokens = tokens
    total = axolotl_total(cfg, train)
    record["axolotl_total_num_steps"] = total
    args, warmup_argument = training_arguments(cfg, total, SCRATCH / name)
    record["warmup_argument"] = warmup_argument
    trainer_class = AxolotlSchedulerTrainer
    if cfg.rl == "grpo":
        from trl import GRPOConfig
        trl = cfg.trl or {}
        grouped = GRPOConfig(output_dir=str(SCRATCH / name), per_device_train_batch_size=cfg.micro_batch_size,
                             gradient_accumulation_steps=cfg.gradient_accumulation_steps, use_cpu=True, report_to=[],
                             num_generations=trl.get("num_generations") or 8,
                             generation_batch_size=trl.get("generation_batch_size"),
                             num_iterations=trl.get("num_iterations") or 1)
        GroupedTrainer.grouped = grouped
        trainer_class = GroupedTrainer
    args.save_strategy = "no"
    if cfg.lr_scheduler == "reduce_lr_on_plateau":
        # Its rates follow the evaluation loss; only the count and warm-up are recorded.
        record.update(steps=args.max_steps, warmup_steps=args.get_warmup_steps(args.max_steps), scheduler="ReduceLROnPlateau",
                      eval_strategy=str(args.eval_strategy))
        write(name, raw, record)
        return
    args.eval_strategy = "no"
    size = len(train) if train is not None else (args.max_steps * cfg.batch_size)
    recorder = RecordRates()
    trainer = trainer_class(model=Tiny(), args=args, train_dataset=Examples(size), callbacks=[recorder])
    try:
        trainer.train()
    except TypeError as error:
        record["tool_error"] = f"TypeError: {error}"
    if "tool_error" not in record:
        steps = trainer.state.max_steps
        record["steps"] = steps
        record["global_step"] = trainer.state.global_step
        record["warmup_steps"] = args.get_warmup_steps(steps)
        if not (cfg.streaming or cfg.pretraining_dataset or cfg.sample_packing):
            batches = len(trainer.get_train_dataloader())
            record["updates_per_epoch"] = max(batches // args.gradient_accumulation_steps
                                              + int(batches % args.gradient_accumulation_steps > 0), 1)
        elif cfg.sample_packing:
            one = DictDefault(dict(cfg))
            one.num_epochs = 1
            record["updates_per_epoch"] = int(calculate_total_num_steps(one, train))
        left, rates, scheduler = zero_gradient_run(cfg, args, steps)
        assert rates == recorder.rates, (name, rates[:4], recorder.rates[:4])
        record.update(rates=rates, scheduler=scheduler, total_shrink=left, optimizer=cfg.optimizer)
        if cfg.optimizer == "rmsprop":
            # Its L2 term passes through the adaptive step: no fixed fraction per step.
            record["total_shrink"] = None
    write(name, raw, record)


def write(name, raw, record):
    with open(HERE / "configs" / f"ax-{name}.yml", "w") as f:
        yaml.safe_dump(raw, f, sort_keys=False)
    with open(HERE / "expected" / f"ax-{name}.json", "w") as f:
        json.dump(record, f, indent=1)
    print(f"ax-{name}: {record.get('steps', record.get('tool_error'))} steps, warm-up {record.get('warmup_steps')}", file=sys.stderr)


LORA = {"adapter": "lora", "lora_r": 16, "lora_alpha": 32, "lora_dropout": 0.05, "lora_target_linear": True}

# (name, settings, examples, tokens). Every key family inspect reads.
CONFIGS = [
    # Supervised fine-tuning: batch, epochs, validation split, warm-up paths.
    ("sft-defaults", {"learning_rate": 2e-4, "weight_decay": 0.01, "micro_batch_size": 2, "gradient_accumulation_steps": 4}, 500, None),
    ("sft-val-fraction", {"learning_rate": 1e-4, "weight_decay": 0.05, "num_epochs": 3, "micro_batch_size": 4,
                          "gradient_accumulation_steps": 2, "val_set_size": 0.05, "warmup_ratio": 0.1}, 803, None),
    ("sft-val-count", {"learning_rate": 3e-4, "weight_decay": 0.1, "num_epochs": 2, "micro_batch_size": 8,
                       "val_set_size": 50, "lr_scheduler": "linear", "warmup_steps": 10}, 420, None),
    ("sft-max-steps-warmup", {"learning_rate": 2e-4, "weight_decay": 0.01, "max_steps": 10, "micro_batch_size": 4,
                              "warmup_ratio": 0.1}, 1000, None),
    ("sft-max-steps-default-warmup", {"learning_rate": 2e-4, "weight_decay": 0.01, "max_steps": 400, "micro_batch_size": 4,
                                      "num_epochs": 3}, 1000, None),
    ("sft-warmup-one", {"learning_rate": 5e-4, "weight_decay": 0.02, "num_epochs": 1, "micro_batch_size": 4,
                        "warmup_steps": 1, "lr_scheduler": "constant_with_warmup"}, 64, None),
    ("sft-ratio-one", {"learning_rate": 5e-4, "weight_decay": 0.02, "num_epochs": 1, "micro_batch_size": 4,
                       "warmup_ratio": 0.05}, 100, None),
    ("sft-batch-size", {"learning_rate": 2e-4, "weight_decay": 0.01, "batch_size": 32, "micro_batch_size": 4}, 640, None),
    ("sft-fractional-epochs", {"learning_rate": 1e-3, "weight_decay": 0.05, "num_epochs": 1.5, "micro_batch_size": 4,
                               "gradient_accumulation_steps": 2, "lr_scheduler": "linear", "warmup_steps": 5}, 250, None),
    ("sft-seeds-lora", {**LORA, "learning_rate": 2e-4, "weight_decay": 0.01, "num_epochs": 3, "micro_batch_size": 4,
                        "gradient_accumulation_steps": 4, "optimizer": "adamw_torch_fused"}, 800, None),
    ("sft-qlora", {**LORA, "adapter": "qlora", "load_in_4bit": True, "learning_rate": 2e-4, "weight_decay": 0.0,
                   "num_epochs": 2, "micro_batch_size": 2, "gradient_accumulation_steps": 8, "optimizer": "paged_adamw_8bit"}, 600, None),
    # Sample packing, streaming, pretraining data.
    ("packing-max-steps", {"learning_rate": 2e-4, "weight_decay": 0.01, "sample_packing": True, "sample_packing_eff_est": 0.95,
                           "sequence_len": 2048, "micro_batch_size": 2, "gradient_accumulation_steps": 4, "max_steps": 200}, 5000, 2_000_000),
    ("packing-float-steps", {"learning_rate": 2e-4, "weight_decay": 0.01, "sample_packing": True, "sample_packing_eff_est": 0.9,
                             "sequence_len": 1024, "micro_batch_size": 1, "gradient_accumulation_steps": 8}, 3000, 1_500_000),
    ("streaming", {"learning_rate": 1e-4, "weight_decay": 0.1, "streaming": True, "max_steps": 50, "warmup_ratio": 0.1,
                   "micro_batch_size": 4}, None, None),
    ("pretraining", {"learning_rate": 3e-4, "weight_decay": 0.1, "pretraining_dataset": [{"path": "./corpus", "type": "pretrain"}],
                     "streaming": True, "max_steps": 40, "micro_batch_size": 2}, None, None),
    # RL trainers.
    ("dpo", {"learning_rate": 5e-6, "weight_decay": 0.01, "rl": "dpo", "num_epochs": 2, "micro_batch_size": 2,
             "gradient_accumulation_steps": 2, "max_steps": 30}, 300, None),
    ("kto", {"learning_rate": 5e-6, "weight_decay": 0.0, "rl": "kto", "num_epochs": 1, "micro_batch_size": 4,
             "remove_unused_columns": False, "warmup_ratio": 0.1}, 250, None),
    ("orpo", {"learning_rate": 8e-6, "weight_decay": 0.05, "rl": "orpo", "num_epochs": 3, "micro_batch_size": 2,
              "gradient_accumulation_steps": 4, "lr_scheduler": "linear"}, 180, None),
    ("simpo", {"learning_rate": 1e-6, "weight_decay": 0.01, "rl": "simpo", "num_epochs": 1, "micro_batch_size": 4,
               "warmup_steps": 3}, 100, None),
    ("grpo", {"learning_rate": 1e-6, "weight_decay": 0.1, "rl": "grpo", "num_epochs": 1, "micro_batch_size": 4,
              "gradient_accumulation_steps": 2, "trl": {"num_generations": 4}}, 100, None),
    # Axolotl's own schedules.
    ("cosine-min-lr", {"learning_rate": 2e-4, "weight_decay": 0.05, "num_epochs": 2, "micro_batch_size": 4,
                       "cosine_min_lr_ratio": 0.1, "warmup_steps": 6}, 300, None),
    ("cosine-constant", {"learning_rate": 2e-4, "weight_decay": 0.05, "num_epochs": 2, "micro_batch_size": 4,
                         "cosine_min_lr_ratio": 0.1, "cosine_constant_lr_ratio": 0.8, "warmup_steps": 6}, 300, None),
    ("quadratic-warmup", {"learning_rate": 1e-4, "weight_decay": 0.1, "num_epochs": 1, "micro_batch_size": 2,
                          "lr_quadratic_warmup": True, "warmup_steps": 20}, 400, None),
    ("one-cycle", {"learning_rate": 1e-3, "weight_decay": 0.01, "num_epochs": 3, "micro_batch_size": 8,
                   "lr_scheduler": "one_cycle", "warmup_steps": 12}, 320, None),
    ("one-cycle-linear", {"learning_rate": 1e-3, "weight_decay": 0.01, "num_epochs": 2, "micro_batch_size": 8,
                          "lr_scheduler": "one_cycle", "lr_scheduler_kwargs": {"anneal_strategy": "linear", "div_factor": 10.0},
                          "warmup_ratio": 0.2}, 320, None),
    ("rex", {"learning_rate": 5e-4, "weight_decay": 0.05, "num_epochs": 2, "micro_batch_size": 4, "lr_scheduler": "rex",
             "cosine_min_lr_ratio": 0.05, "warmup_steps": 8}, 240, None),
    ("jagged-restarts", {"learning_rate": 2e-4, "weight_decay": 0.01, "num_epochs": 3, "micro_batch_size": 4,
                         "jagged_restart_steps": 20, "jagged_restart_warmup_steps": 5, "jagged_restart_anneal_steps": 3,
                         "warmup_steps": 4}, 200, None),
    ("min-lr-ignored-by-linear", {"learning_rate": 2e-4, "weight_decay": 0.01, "num_epochs": 1, "micro_batch_size": 4,
                                  "lr_scheduler": "linear", "cosine_min_lr_ratio": 0.1}, 200, None),
    # transformers' schedules through Axolotl.
    ("cosine-with-min-lr", {"learning_rate": 2e-4, "weight_decay": 0.05, "num_epochs": 2, "micro_batch_size": 4,
                            "lr_scheduler": "cosine_with_min_lr", "lr_scheduler_kwargs": {"min_lr_rate": 0.1}}, 300, None),
    ("cosine-warmup-with-min-lr", {"learning_rate": 2e-4, "weight_decay": 0.05, "num_epochs": 2, "micro_batch_size": 4,
                                   "lr_scheduler": "cosine_warmup_with_min_lr", "lr_scheduler_kwargs": {"min_lr": 2e-5},
                                   "warmup_steps": 10}, 300, None),
    ("warmup-stable-decay", {"learning_rate": 3e-4, "weight_decay": 0.1, "num_epochs": 2, "micro_batch_size": 4,
                             "lr_scheduler": "warmup_stable_decay", "warmup_steps": 10,
                             "lr_scheduler_kwargs": {"num_decay_steps": 40, "decay_type": "linear", "min_lr_ratio": 0.05}}, 400, None),
    ("inverse-sqrt", {"learning_rate": 1e-3, "weight_decay": 0.01, "num_epochs": 2, "micro_batch_size": 4,
                      "lr_scheduler": "inverse_sqrt", "warmup_steps": 10}, 200, None),
    ("polynomial", {"learning_rate": 6e-4, "weight_decay": 0.1, "num_epochs": 2, "micro_batch_size": 4,
                    "lr_scheduler": "polynomial", "lr_scheduler_kwargs": {"power": 2.0, "lr_end": 1e-6}, "warmup_steps": 5}, 200, None),
    ("reduce-on-plateau", {"learning_rate": 1e-4, "weight_decay": 0.01, "num_epochs": 1, "micro_batch_size": 4,
                           "lr_scheduler": "reduce_lr_on_plateau", "max_steps": 25,
                           "val_set_size": 0.1, "eval_steps": 5}, 200, None),
    # Optimizers by decay rule.
    ("adamc", {"learning_rate": 3e-4, "weight_decay": 0.1, "num_epochs": 2, "micro_batch_size": 4, "optimizer": "adamc",
               "warmup_steps": 5}, 200, None),
    ("polora", {**LORA, "learning_rate": 2e-4, "weight_decay": 0.1, "num_epochs": 1, "micro_batch_size": 4, "optimizer": "polora"}, 200, None),
    ("sgd", {"learning_rate": 1e-2, "weight_decay": 0.001, "num_epochs": 1, "micro_batch_size": 4, "optimizer": "sgd",
             "lr_scheduler": "linear"}, 200, None),
    ("lion", {"learning_rate": 3e-5, "weight_decay": 0.3, "num_epochs": 1, "micro_batch_size": 4, "optimizer": "lion_8bit"}, 200, None),
    ("rmsprop", {"learning_rate": 1e-3, "weight_decay": 0.01, "num_epochs": 1, "micro_batch_size": 4, "optimizer": "rmsprop"}, 200, None),
    # From scratch, aliases, plugins, keys Axolotl ignores.
    ("from-scratch", {"learning_rate": 3e-4, "weight_decay": 0.1, "num_epochs": 20, "micro_batch_size": 8, "reinit_weights": True,
                      "warmup_steps": 50}, 1000, None),
    ("aliases-and-plugins", {"learning_rate": 2e-4, "weight_decay": 0.01, "micro_batch_size": 4, "model_type": "AutoModelForCausalLM",
                             "plugins": ["axolotl.integrations.liger.LigerPlugin", "axolotl.integrations.kernels.KernelsPlugin"],
                             "liger_rms_norm": True, "liger_glu_activation": True, "use_scattermoe": True}, 200, None),
    ("plugin-keys-unlisted", {"learning_rate": 2e-4, "weight_decay": 0.01, "micro_batch_size": 4, "liger_rms_norm": True,
                              "cut_cross_entropy": True, "lerning_rate_warmup": 3}, 200, None),
]


def main():
    for folder in ("configs", "expected"):
        for path in (HERE / folder).glob("ax-*"):
            path.unlink()
    for name, settings, examples, tokens in CONFIGS:
        run(name, settings, examples, tokens)
    shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
