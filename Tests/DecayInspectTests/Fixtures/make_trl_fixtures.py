#!/usr/bin/env python3
"""Expected numbers for `inspect` on TRL config dumps, HfArgumentParser
files and transformers' newer schedules, from the libraries themselves.

    pip install torch transformers accelerate trl
    python3 Tests/DecayInspectTests/Fixtures/make_trl_fixtures.py

It writes configs/trl-<name>.json and expected/trl-<name>.json:

- a TRL config class (SFTConfig, DPOConfig, GRPOConfig, KTOConfig,
  RewardConfig, RLOOConfig) is built with the settings below and dumped with
  its own `to_json_string()`, as a user's run writes it; the same object
  drives a real Trainer on a data set of the recorded size (for GRPO and
  RLOO with TRL's RepeatSampler and their dataloader batch, as their
  trainers build it): its step count, warm-up and every rate, and a float64
  AdamW stepped with zero gradients under `get_scheduler` for the fraction
  decay leaves;
- an HfArgumentParser file mixes TRL's ModelConfig / ScriptArguments or an
  example script's model and data arguments with the training ones, and is
  parsed by HfArgumentParser.parse_json_file (the record says whether the
  parser accepts it);
- partial files (a few keys, as written by hand) record the class's
  defaults the Trainer then uses.
"""

import dataclasses
import json
import os
import shutil
import sys
import warnings
from pathlib import Path

import torch
import transformers
import trl
from torch import nn
from transformers import HfArgumentParser, Trainer, TrainerCallback, TrainingArguments, get_scheduler

HERE = Path(__file__).resolve().parent
SCRATCH = HERE / ".scratch-trl"
warnings.simplefilter("ignore")
os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")


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

    def gradient_checkpointing_enable(self, **kwargs):
        """TRL's configs turn checkpointing on; one weight has nothing to checkpoint."""


class RecordRates(TrainerCallback):
    def __init__(self):
        self.rates = []

    def on_step_begin(self, args, state, control, optimizer=None, **kwargs):
        self.rates.append(optimizer.param_groups[0]["lr"])


class GroupedTrainer(Trainer):
    """GRPOTrainer/RLOOTrainer's train dataloader: TRL's RepeatSampler and a
    batch of per_device_train_batch_size × steps_per_generation."""

    def get_train_dataloader(self):
        from trl.trainer.utils import RepeatSampler
        a = self.args
        sampler = RepeatSampler(data_source=self.train_dataset, mini_repeat_count=a.num_generations,
                                batch_size=a.generation_batch_size // a.num_generations,
                                repeat_count=a.num_iterations * a.steps_per_generation, shuffle=False, seed=a.seed)
        return torch.utils.data.DataLoader(self.train_dataset, batch_size=self._train_batch_size * a.steps_per_generation,
                                           sampler=sampler, drop_last=a.dataloader_drop_last)


def real_run(args, examples, grouped=False):
    args.report_to, args.save_strategy, args.logging_strategy, args.disable_tqdm = [], "no", "no", True
    recorder = RecordRates()
    trainer_class = GroupedTrainer if grouped else Trainer
    trainer = trainer_class(model=Tiny(), args=args, train_dataset=Examples(examples), callbacks=[recorder])
    trainer.train()
    steps = trainer.state.max_steps
    batches = len(trainer.get_train_dataloader())
    updates = max(batches // args.gradient_accumulation_steps + int(batches % args.gradient_accumulation_steps > 0), 1)
    p = nn.Parameter(torch.ones(1, dtype=torch.float64))
    optimizer = torch.optim.AdamW([p], lr=args.learning_rate, weight_decay=args.weight_decay, foreach=False)
    scheduler = get_scheduler(args.lr_scheduler_type, optimizer, num_warmup_steps=args.get_warmup_steps(steps),
                              num_training_steps=steps, scheduler_specific_kwargs=args.lr_scheduler_kwargs or None)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        p.grad = torch.zeros_like(p)
        optimizer.step()
        scheduler.step()
    assert rates == recorder.rates, (rates[:4], recorder.rates[:4])
    return {"steps": steps, "global_step": trainer.state.global_step, "warmup_steps": args.get_warmup_steps(steps),
            "updates_per_epoch": updates, "rates": rates, "total_shrink": p.item(),
            "learning_rate": args.learning_rate, "weight_decay": args.weight_decay,
            "lr_scheduler": str(args.lr_scheduler_type.value if hasattr(args.lr_scheduler_type, "value") else args.lr_scheduler_type)}


def trl_class(name):
    return getattr(trl, name)


def dump(name, text, record):
    with open(HERE / "configs" / f"trl-{name}.json", "w") as f:
        f.write(text)
    record.update(transformers=transformers.__version__, trl=trl.__version__, torch=torch.__version__)
    with open(HERE / "expected" / f"trl-{name}.json", "w") as f:
        json.dump(record, f, indent=1)
    print(f"trl-{name}: {record.get('steps')} steps, warm-up {record.get('warmup_steps')}", file=sys.stderr)


def full_dump(name, class_name, examples, settings, grouped=False):
    """A TRL config as to_json_string() writes it, and its real run."""
    args = trl_class(class_name)(output_dir=str(SCRATCH / name), use_cpu=True, **settings)
    text = args.to_json_string()
    record = real_run(args, examples, grouped=grouped)
    record.update(examples=examples, config_class=class_name)
    dump(name, text, record)


def partial(name, class_name, examples, settings, grouped=False):
    """A hand-written file of a few keys: the class's defaults fill the rest."""
    text = json.dumps({"output_dir": "out", **settings}, indent=2)
    args = trl_class(class_name)(output_dir=str(SCRATCH / name), use_cpu=True, **settings)
    record = real_run(args, examples, grouped=grouped)
    record.update(examples=examples, config_class=class_name)
    dump(name, text, record)


def parser_file(name, dataclass_types, settings, examples):
    """An HfArgumentParser JSON: parsed by the real parser, run with its training part."""
    path = HERE / "configs" / f"trl-{name}.json"
    # use_cpu: this machine has no GPU, and TRL's bf16 default needs one; it changes no count.
    text = json.dumps({"output_dir": "out", "use_cpu": True, **settings}, indent=2)
    path.write_text(text)
    parser = HfArgumentParser(dataclass_types)
    parsed = parser.parse_json_file(str(path))
    training = next(a for a in parsed if isinstance(a, TrainingArguments))
    training.output_dir = str(SCRATCH / name)
    training.use_cpu = True
    record = real_run(training, examples)
    others = [a for a in parsed if not isinstance(a, TrainingArguments)]
    record.update(examples=examples, parser_accepts=True,
                  dataclasses=[type(a).__name__ for a in parsed],
                  model_config={k: v for k, v in dataclasses.asdict(others[-1]).items()
                                if k in ("use_peft", "lora_r", "lora_alpha", "lora_target_modules", "model_name_or_path")}
                  if others else {})
    dump(name, text, record)


def hf_schedule(name, examples, settings):
    args = TrainingArguments(output_dir=str(SCRATCH / name), use_cpu=True, **settings)
    text = args.to_json_string()
    record = real_run(args, examples)
    record.update(examples=examples, config_class="TrainingArguments")
    dump(name, text, record)


def refused_key(name):
    """An SFTConfig dump with a misspelt key: TrainingArguments(**file) refuses it."""
    args = trl.SFTConfig(output_dir=str(SCRATCH / name), use_cpu=True, learning_rate=2e-5, num_train_epochs=1)
    data = json.loads(args.to_json_string())
    data["lerning_rate"] = 1e-4
    try:
        trl.SFTConfig(**data)
        refused = False
    except TypeError:
        refused = True
    record = real_run(args, 100)
    record.update(examples=100, config_class="SFTConfig", refused_key="lerning_rate", class_refuses_key=refused)
    dump(name, json.dumps(data, indent=2), record)


def main():
    shutil.rmtree(SCRATCH, ignore_errors=True)
    for folder in ("configs", "expected"):
        for path in (HERE / folder).glob("trl-*"):
            path.unlink()
    full_dump("sft", "SFTConfig", 300, dict(num_train_epochs=2, per_device_train_batch_size=4, gradient_accumulation_steps=2,
                                            weight_decay=0.01, warmup_steps=0.1))
    full_dump("sft-packing", "SFTConfig", 120, dict(packing=True, max_length=256, num_train_epochs=3, per_device_train_batch_size=2,
                                                    weight_decay=0.05, lr_scheduler_type="cosine"))
    full_dump("dpo", "DPOConfig", 1000, dict(learning_rate=5e-7, weight_decay=0.01, num_train_epochs=1,
                                             per_device_train_batch_size=2, gradient_accumulation_steps=8, warmup_steps=10))
    full_dump("kto", "KTOConfig", 200, dict(weight_decay=0.0, num_train_epochs=2, per_device_train_batch_size=4))
    full_dump("reward", "RewardConfig", 400, dict(learning_rate=1e-5, weight_decay=0.1, num_train_epochs=1,
                                                  per_device_train_batch_size=8, lr_scheduler_type="cosine", warmup_steps=0.05))
    full_dump("grpo", "GRPOConfig", 64, dict(num_generations=4, per_device_train_batch_size=8, gradient_accumulation_steps=2,
                                             learning_rate=1e-6, weight_decay=0.1, num_train_epochs=1), grouped=True)
    full_dump("grpo-generation-batch", "GRPOConfig", 50, dict(num_generations=8, generation_batch_size=32, per_device_train_batch_size=4,
                                                              num_iterations=2, weight_decay=0.05, num_train_epochs=2), grouped=True)
    full_dump("rloo", "RLOOConfig", 40, dict(per_device_train_batch_size=4, weight_decay=0.01, num_train_epochs=1), grouped=True)
    partial("sft-partial", "SFTConfig", 250, dict(max_length=512, packing=False, dataset_text_field="text",
                                                  num_train_epochs=1, weight_decay=0.01))
    partial("dpo-partial", "DPOConfig", 500, dict(beta=0.1, f_divergence_type="reverse_kl", num_train_epochs=1, weight_decay=0.01))
    parser_file("parser-sft-lora", (trl.ScriptArguments, trl.SFTConfig, trl.ModelConfig),
                dict(model_name_or_path="Qwen/Qwen2-0.5B", dataset_name="trl-lib/Capybara", use_peft=True, lora_r=8,
                     lora_alpha=16, lora_target_modules=["q_proj", "v_proj"], learning_rate=2e-4, weight_decay=0.01,
                     num_train_epochs=3, per_device_train_batch_size=4, gradient_accumulation_steps=4), 800)
    parser_file("parser-full", (trl.ScriptArguments, trl.SFTConfig, trl.ModelConfig),
                dict(model_name_or_path="Qwen/Qwen2-0.5B", dataset_name="trl-lib/Capybara", learning_rate=2e-5,
                     num_train_epochs=1, per_device_train_batch_size=8), 640)
    hf_schedule("hf-cosine-with-min-lr", 200, dict(learning_rate=3e-4, weight_decay=0.1, num_train_epochs=2, per_device_train_batch_size=8,
                                                   lr_scheduler_type="cosine_with_min_lr", lr_scheduler_kwargs={"min_lr_rate": 0.1}, warmup_steps=5))
    hf_schedule("hf-cosine-warmup-with-min-lr", 200, dict(learning_rate=3e-4, weight_decay=0.1, num_train_epochs=2, per_device_train_batch_size=8,
                                                          lr_scheduler_type="cosine_warmup_with_min_lr",
                                                          lr_scheduler_kwargs={"min_lr_rate": 0.05, "warmup_lr_rate": 0.1}, warmup_steps=6))
    hf_schedule("hf-warmup-stable-decay", 400, dict(learning_rate=1e-3, weight_decay=0.05, num_train_epochs=1, per_device_train_batch_size=4,
                                                    lr_scheduler_type="warmup_stable_decay", warmup_steps=10,
                                                    lr_scheduler_kwargs={"num_decay_steps": 30, "num_stable_steps": 50,
                                                                         "warmup_type": "cosine", "decay_type": "1-sqrt", "min_lr_ratio": 0.1}))
    hf_schedule("hf-inverse-sqrt", 160, dict(learning_rate=5e-4, weight_decay=0.01, num_train_epochs=3, per_device_train_batch_size=4,
                                             lr_scheduler_type="inverse_sqrt", lr_scheduler_kwargs={"timescale": 25}, warmup_steps=8))
    refused_key("unknown-key")
    shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
