#!/usr/bin/env python3
"""Makes the fixtures of `decay-tutor inspect` with the real libraries.

Needs torch, transformers, accelerate and safetensors:

    pip install torch transformers accelerate safetensors pyyaml
    python3 Tests/DecayInspectTests/Fixtures/make_inspect_fixtures.py

It writes, beside this script:

- models/<arch>/: a tiny random model of each architecture saved with
  `save_pretrained` (model.safetensors and config.json), and decay.json with
  the Trainer's own `get_decay_parameter_names` result and the model's
  parameter names. models/llama-sharded/ is a sharded checkpoint with its
  model.safetensors.index.json.
- configs/<name>.json (TrainingArguments, written by `to_json_string`) and
  configs/<name>.yml (Axolotl), with expected/<name>.json: the number of
  optimizer steps and the warm-up a real `Trainer` ran on a data set of the
  given size, every learning rate it used (read from the optimizer at each
  step), and the weight left after stepping a float64 `torch.optim.AdamW`
  with zero gradients under `transformers.get_scheduler` (so the weight left
  is exactly the product of (1 - lr_t * weight_decay) as the optimizer
  multiplies it).
- lists.json: TrainingArguments' fields, OptimizerNames and SchedulerType,
  which the Swift side's key lists are checked against.

Axolotl itself is not run (it needs a GPU stack); its configs are turned into
the TrainingArguments Axolotl 0.19 passes the Trainer (`axolotl_to_trainer`,
from its `calculate_total_num_steps` and `_configure_warmup_and_logging`),
and the Trainer is run with those.
"""
import dataclasses
import json
import math
import os
import shutil
import sys

import torch
import transformers
import yaml
from torch import nn
from transformers import Trainer, TrainerCallback, TrainingArguments, get_scheduler

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)


def tiny(name):
    """A tiny random model of each architecture (a few KB per file)."""
    c = transformers
    small = dict(vocab_size=64)
    if name == "gpt2":
        return c.GPT2LMHeadModel(c.GPT2Config(n_embd=8, n_layer=2, n_head=2, n_positions=16, **small))
    if name == "bert":
        return c.BertForMaskedLM(c.BertConfig(hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                              intermediate_size=16, max_position_embeddings=16, **small))
    if name == "t5":
        return c.T5ForConditionalGeneration(c.T5Config(d_model=8, d_kv=4, d_ff=16, num_layers=1, num_heads=2,
                                                       relative_attention_num_buckets=4, **small))
    if name == "llama":
        return c.LlamaForCausalLM(c.LlamaConfig(hidden_size=8, intermediate_size=16, num_hidden_layers=2,
                                                num_attention_heads=2, num_key_value_heads=1,
                                                max_position_embeddings=16, **small))
    if name == "mistral":
        return c.MistralForCausalLM(c.MistralConfig(hidden_size=8, intermediate_size=16, num_hidden_layers=1,
                                                    num_attention_heads=2, num_key_value_heads=1,
                                                    max_position_embeddings=16, **small))
    if name == "qwen2":
        return c.Qwen2ForCausalLM(c.Qwen2Config(hidden_size=8, intermediate_size=16, num_hidden_layers=1,
                                                num_attention_heads=2, num_key_value_heads=1,
                                                max_position_embeddings=16, **small))
    if name == "opt":
        return c.OPTForCausalLM(c.OPTConfig(hidden_size=8, ffn_dim=16, num_hidden_layers=1, num_attention_heads=2,
                                            word_embed_proj_dim=8, max_position_embeddings=16, **small))
    if name == "gpt_neox":
        return c.GPTNeoXForCausalLM(c.GPTNeoXConfig(hidden_size=8, intermediate_size=16, num_hidden_layers=1,
                                                    num_attention_heads=2, max_position_embeddings=16, **small))
    if name == "distilbert":
        return c.DistilBertForMaskedLM(c.DistilBertConfig(dim=8, hidden_dim=16, n_layers=1, n_heads=2,
                                                          max_position_embeddings=16, **small))
    if name == "gpt_neo":
        return c.GPTNeoForCausalLM(c.GPTNeoConfig(hidden_size=8, num_layers=2, num_heads=2, attention_types=[[["global", "local"], 1]],
                                                  max_position_embeddings=16, **small))
    if name == "falcon":
        return c.FalconForCausalLM(c.FalconConfig(hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                                  new_decoder_architecture=True, num_kv_heads=1, **small))
    raise ValueError(name)


ARCHITECTURES = ["gpt2", "bert", "t5", "llama", "mistral", "qwen2", "opt", "gpt_neox", "distilbert", "gpt_neo", "falcon"]
# Stored in bfloat16, to check the dtype read from the header.
BF16 = {"llama", "qwen2"}


def decay_record(model, folder):
    """The Trainer's decay list, the parameter names, and each saved tensor's
    dtype and shape as the safetensors library reads them."""
    from safetensors import safe_open
    decayed = Trainer.get_decay_parameter_names(None, model)
    tensors = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".safetensors"):
            with safe_open(os.path.join(folder, name), framework="pt") as f:
                for key in f.keys():
                    piece = f.get_slice(key)
                    tensors[key] = {"dtype": piece.get_dtype(), "shape": list(piece.get_shape()), "file": name}
    # save_pretrained may write a parameter under its checkpoint's older name
    # (GPT-NeoX's lm_head as embed_out): find it by its values.
    params = dict(model.named_parameters(remove_duplicate=False))
    for key, info in tensors.items():
        if key in params:
            info["parameter"] = key
            continue
        with safe_open(os.path.join(folder, info["file"]), framework="pt") as f:
            saved = f.get_tensor(key)
        matches = [n for n, p in params.items() if n not in tensors and p.shape == saved.shape and torch.equal(p.detach(), saved)]
        assert len(matches) == 1, (key, matches)
        info["parameter"] = matches[0]
    return {
        "transformers": transformers.__version__,
        "decayed": sorted(decayed),
        "parameters": sorted(params),
        "tensors": tensors,
    }


def make_models():
    root = os.path.join(HERE, "models")
    shutil.rmtree(root, ignore_errors=True)
    for arch in ARCHITECTURES:
        model = tiny(arch)
        if arch in BF16:
            model = model.to(torch.bfloat16)
        out = os.path.join(root, arch)
        model.save_pretrained(out, safe_serialization=True)
        drop_extras(out)
        with open(os.path.join(out, "decay.json"), "w") as f:
            json.dump(decay_record(model, out), f, indent=1, sort_keys=True)
    model = tiny("llama")
    out = os.path.join(root, "llama-sharded")
    model.save_pretrained(out, safe_serialization=True, max_shard_size="4KB")
    drop_extras(out)
    with open(os.path.join(out, "decay.json"), "w") as f:
        json.dump(decay_record(model, out), f, indent=1, sort_keys=True)
    assert os.path.exists(os.path.join(out, "model.safetensors.index.json")), "expected a sharded checkpoint"


def drop_extras(folder):
    for name in os.listdir(folder):
        if name == "generation_config.json":
            os.remove(os.path.join(folder, name))


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


def run_trainer(kwargs, examples, scratch):
    """Runs a real Trainer; returns its step count, warm-up and rates."""
    args = TrainingArguments(output_dir=scratch, report_to=[], save_strategy="no", logging_strategy="no",
                             use_cpu=True, disable_tqdm=True, seed=0, dataloader_num_workers=0, **kwargs)
    record = RecordRates()
    trainer = Trainer(model=Tiny(), args=args, train_dataset=Examples(examples), callbacks=[record])
    trainer.train()
    return trainer.state.global_step, trainer.state.max_steps, args.get_warmup_steps(trainer.state.max_steps), record.rates


def decayed_weight(name, lr, weight_decay, warmup, steps, kwargs):
    """The weight left after `steps` AdamW steps with zero gradients, in float64."""
    p = nn.Parameter(torch.ones(1, dtype=torch.float64))
    opt = torch.optim.AdamW([p], lr=lr, weight_decay=weight_decay, foreach=False)
    sched = get_scheduler(name, opt, num_warmup_steps=warmup, num_training_steps=steps,
                          scheduler_specific_kwargs=kwargs or None)
    rates = []
    for _ in range(steps):
        rates.append(opt.param_groups[0]["lr"])
        p.grad = torch.zeros_like(p)
        opt.step()
        sched.step()
    return p.item(), rates


# (name, format, examples, settings). HF settings are TrainingArguments
# keywords; Axolotl settings are its YAML keys.
CONFIGS = [
    ("hf-linear-warmup", "hf", 200, dict(learning_rate=3e-4, weight_decay=0.1, num_train_epochs=3, per_device_train_batch_size=8,
                                         gradient_accumulation_steps=2, warmup_steps=0.1, lr_scheduler_type="linear")),
    ("hf-cosine", "hf", 157, dict(learning_rate=1e-3, weight_decay=0.05, num_train_epochs=2.5, per_device_train_batch_size=4,
                                  gradient_accumulation_steps=3, warmup_steps=7, lr_scheduler_type="cosine")),
    ("hf-constant-maxsteps", "hf", 50, dict(learning_rate=2e-4, weight_decay=0.01, max_steps=40, per_device_train_batch_size=8,
                                            lr_scheduler_type="constant")),
    ("hf-constant-warmup-droplast", "hf", 101, dict(learning_rate=5e-4, weight_decay=0.3, num_train_epochs=2, per_device_train_batch_size=10,
                                                    dataloader_drop_last=True, warmup_steps=4, lr_scheduler_type="constant_with_warmup")),
    ("hf-restarts", "hf", 96, dict(learning_rate=1e-3, weight_decay=0.1, num_train_epochs=3, per_device_train_batch_size=6,
                                   warmup_steps=0.05, lr_scheduler_type="cosine_with_restarts")),
    ("hf-polynomial", "hf", 120, dict(learning_rate=6e-4, weight_decay=0.2, num_train_epochs=2, per_device_train_batch_size=5,
                                      gradient_accumulation_steps=4, warmup_steps=3, lr_scheduler_type="polynomial")),
    ("hf-polynomial-power", "hf", 64, dict(learning_rate=1e-3, weight_decay=0.1, num_train_epochs=4, per_device_train_batch_size=8,
                                           warmup_steps=2, lr_scheduler_type="polynomial",
                                           lr_scheduler_kwargs={"power": 2.0, "lr_end": 1e-5})),
    ("hf-defaults", "hf", 40, dict()),
    ("axolotl-cosine", "axolotl", 300, {"learning_rate": 2e-4, "weight_decay": 0.01, "num_epochs": 2, "micro_batch_size": 4,
                                        "gradient_accumulation_steps": 4, "lr_scheduler": "cosine", "warmup_ratio": 0.1,
                                        "optimizer": "adamw_torch"}),
    ("axolotl-defaults", "axolotl", 500, {"learning_rate": "1e-4", "weight_decay": 0.1, "micro_batch_size": 2,
                                          "gradient_accumulation_steps": 8}),
    ("axolotl-linear-maxsteps", "axolotl", 80, {"learning_rate": 3e-4, "weight_decay": 0.0, "max_steps": 25, "micro_batch_size": 2,
                                                "lr_scheduler": "linear", "warmup_steps": 5, "num_epochs": 3}),
    ("axolotl-constant", "axolotl", 64, {"learning_rate": 1e-3, "weight_decay": 0.05, "num_epochs": 1.5, "micro_batch_size": 4,
                                         "gradient_accumulation_steps": 2, "lr_scheduler": "constant_with_warmup", "warmup_steps": 1}),
]


def axolotl_to_trainer(cfg, examples):
    """The TrainingArguments keywords Axolotl 0.19 passes for `cfg` on one device."""
    micro = cfg.get("micro_batch_size", 1)
    accum = cfg.get("gradient_accumulation_steps", 1)
    epochs = float(cfg.get("num_epochs", 1.0))
    batch = cfg.get("batch_size") or micro * accum
    total = int(math.ceil(examples * epochs / batch))
    if cfg.get("warmup_steps") is not None:
        warmup = cfg["warmup_steps"]
    elif cfg.get("warmup_ratio") is not None:
        warmup = max(int(cfg["warmup_ratio"] * total), 0)
    else:
        warmup = min(int(0.03 * total), 100)
    if warmup == 1:
        warmup = 2
    return dict(learning_rate=float(cfg["learning_rate"]), weight_decay=cfg.get("weight_decay", 0.0),
                num_train_epochs=epochs, max_steps=cfg.get("max_steps") or total, per_device_train_batch_size=micro,
                gradient_accumulation_steps=accum, warmup_steps=warmup,
                lr_scheduler_type=cfg.get("lr_scheduler", "cosine"), optim=cfg.get("optimizer", "adamw_torch_fused"))


def make_configs():
    configs = os.path.join(HERE, "configs")
    expected = os.path.join(HERE, "expected")
    for d in (configs, expected):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    scratch = os.path.join(HERE, ".scratch")
    for name, fmt, examples, settings in CONFIGS:
        if fmt == "hf":
            args = TrainingArguments(output_dir="runs/" + name, report_to=[], **settings)
            with open(os.path.join(configs, name + ".json"), "w") as f:
                f.write(args.to_json_string())
            kwargs = dict(settings)
        else:
            with open(os.path.join(configs, name + ".yml"), "w") as f:
                f.write("base_model: ./tiny-model\n")
                yaml.safe_dump(settings, f, sort_keys=False)
            kwargs = axolotl_to_trainer(settings, examples)
        kwargs.setdefault("optim", "adamw_torch")
        global_step, max_steps, warmup, trainer_rates = run_trainer(kwargs, examples, scratch)
        lr = kwargs.get("learning_rate", 5e-5)
        wd = kwargs.get("weight_decay", 0.0)
        scheduler = kwargs.get("lr_scheduler_type", "linear")
        left, rates = decayed_weight(scheduler, lr, wd, warmup, max_steps, kwargs.get("lr_scheduler_kwargs"))
        assert rates == trainer_rates, (name, rates[:5], trainer_rates[:5])
        record = {"examples": examples, "steps": max_steps, "global_step": global_step, "warmup_steps": warmup,
                  "lr_scheduler": scheduler, "learning_rate": lr, "weight_decay": wd,
                  "rates": rates, "total_shrink": left, "torch": torch.__version__,
                  "transformers": transformers.__version__}
        with open(os.path.join(expected, name + ".json"), "w") as f:
            json.dump(record, f, indent=1)
    shutil.rmtree(scratch, ignore_errors=True)


def make_lists():
    from transformers.trainer_utils import SchedulerType
    from transformers.training_args import OptimizerNames
    lists = {
        "transformers": transformers.__version__,
        "training_arguments": [f.name for f in dataclasses.fields(TrainingArguments) if f.init],
        "optimizers": [o.value for o in OptimizerNames],
        "schedulers": [s.value for s in SchedulerType],
    }
    with open(os.path.join(HERE, "lists.json"), "w") as f:
        json.dump(lists, f, indent=1)


if __name__ == "__main__":
    make_models()
    make_configs()
    make_lists()
    print("fixtures written under", HERE, file=sys.stderr)
