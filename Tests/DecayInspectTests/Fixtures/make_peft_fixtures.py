#!/usr/bin/env python3
"""What peft trains, on the committed tiny checkpoints, for `inspect`'s
adapter counts.

    pip install torch transformers peft safetensors pyyaml
    python3 Tests/DecayInspectTests/Fixtures/make_peft_fixtures.py

For each tiny model in models/ (made by make_inspect_fixtures.py) and each
LoRA setting below, it builds the model with `from_pretrained`, wraps it
with `peft.get_peft_model`, and writes configs/peft-<arch>-<case>.yml (the
same setting as Axolotl keys) and expected/peft-<arch>-<case>.json:

- `get_nb_trainable_parameters()`: the trainable and all counts that
  `print_trainable_parameters()` prints;
- the trainable parameters the Trainer decays
  (`Trainer.get_decay_parameter_names` on the peft model);
- the modules peft adapted, and the scale of their update.

Axolotl's `lora_target_linear` is resolved by Axolotl's own
`find_all_linear_names` and `get_linear_embedding_layers`, lifted out of its
wheel (axolotl_support.py; bitsandbytes' layer classes are stubs: none are
in these models).

It also saves two PEFT output folders under adapters/ with
`save_pretrained` (adapter_config.json + adapter_model.safetensors) and
their expected counts, for `inspect --model ADAPTER`.
"""

import json
import os
import shutil
import sys
import types
from pathlib import Path

import peft
import torch
import transformers
import yaml
from peft import LoraConfig, get_peft_model
from peft.tuners.lora import LoraLayer
from transformers import AutoModelForCausalLM, Trainer

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE))
import axolotl_support  # noqa: E402

SITE = axolotl_support.load_axolotl(REPO / ".build/config-schemas")


def axolotl_linear_names(model):
    """Axolotl's find_all_linear_names, as written in loaders/adapter.py."""
    bnb = types.SimpleNamespace(nn=types.SimpleNamespace(Linear4bit=type("Linear4bit", (), {}),
                                                         Linear8bitLt=type("Linear8bitLt", (), {})))
    utils = (SITE / "axolotl/loaders/utils.py").read_text()
    namespace = {}
    import ast
    tree = ast.parse(utils)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "get_linear_embedding_layers":
            exec(compile(ast.Module(body=[node], type_ignores=[]), "loaders/utils.py", "exec"), namespace)
    source = (SITE / "axolotl/loaders/adapter.py").read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "find_all_linear_names":
            namespace.update(bnb=bnb, torch=torch)
            exec(compile(ast.Module(body=[node], type_ignores=[]), "loaders/adapter.py", "exec"), namespace)
    return sorted(namespace["find_all_linear_names"](model))


# Per architecture: a list of explicit targets, and modules to save in full.
ARCHITECTURES = {
    "llama": (["q_proj", "v_proj"], ["lm_head"]),
    "qwen2": (["q_proj", "k_proj", "v_proj", "o_proj"], ["embed_tokens"]),
    "mistral": (["gate_proj", "up_proj", "down_proj"], ["lm_head"]),
    "gpt_neox": (["query_key_value"], ["embed_out"]),
    "opt": (["q_proj", "v_proj"], ["lm_head"]),
    "falcon": (["query_key_value", "dense"], ["lm_head"]),
    "gpt2": (["c_attn"], ["lm_head"]),
}

CASES = {
    "targets": dict(r=8, lora_alpha=16),
    "linear": dict(r=4, lora_alpha=8, axolotl_linear=True),
    "dora": dict(r=8, lora_alpha=8, use_dora=True),
    "rslora-saved": dict(r=16, lora_alpha=32, use_rslora=True, save=True),
    "default-targets": dict(r=8, lora_alpha=16, default=True),
}


def build(arch, case):
    model = AutoModelForCausalLM.from_pretrained(f"models/{arch}", dtype=torch.float32)
    targets, saved = ARCHITECTURES[arch]
    settings = CASES[case]
    kwargs = dict(r=settings["r"], lora_alpha=settings["lora_alpha"], lora_dropout=0.0,
                  use_dora=settings.get("use_dora", False), use_rslora=settings.get("use_rslora", False))
    axolotl = {"adapter": "lora", "lora_r": settings["r"], "lora_alpha": settings["lora_alpha"], "lora_dropout": 0.0}
    if settings.get("axolotl_linear"):
        kwargs["target_modules"] = axolotl_linear_names(model)
        axolotl["lora_target_linear"] = True
    elif not settings.get("default"):
        kwargs["target_modules"] = targets
        axolotl["lora_target_modules"] = targets
    if settings.get("save"):
        kwargs["modules_to_save"] = saved
        axolotl["lora_modules_to_save"] = saved
    if settings.get("use_dora"):
        axolotl["peft_use_dora"] = True
    if settings.get("use_rslora"):
        axolotl["peft_use_rslora"] = True
    return model, LoraConfig(**kwargs), axolotl


def record(model, config):
    wrapped = get_peft_model(model, config)
    trainable, total = wrapped.get_nb_trainable_parameters()
    decay_names = set(Trainer.get_decay_parameter_names(None, wrapped))
    decayed = sum(p.numel() for n, p in wrapped.named_parameters() if p.requires_grad and n in decay_names)
    prefix = "base_model.model."
    layers = sorted(n[len(prefix):] if n.startswith(prefix) else n for n, m in wrapped.named_modules() if isinstance(m, LoraLayer))
    scaling = next(m.scaling["default"] for m in wrapped.modules() if isinstance(m, LoraLayer))
    return wrapped, {"trainable": trainable, "all": total, "decayed": decayed, "adapted_modules": layers, "scaling": scaling,
                     "peft": peft.__version__, "transformers": transformers.__version__, "torch": torch.__version__}


def main():
    # Relative model paths, so the adapters' base_model_name_or_path is too.
    os.chdir(HERE)
    for folder in ("configs", "expected"):
        for path in (HERE / folder).glob("peft-*"):
            path.unlink()
    for arch in ARCHITECTURES:
        for case in CASES:
            model, config, axolotl = build(arch, case)
            try:
                _, result = record(model, config)
            except ValueError as error:
                # peft refuses a config that adapts nothing (GPT-2's Conv1D is not nn.Linear for Axolotl).
                result = {"peft_refuses": str(error).split("\n")[0][:200], "peft": peft.__version__}
            result["model"] = f"models/{arch}"
            settings = {"base_model": f"./models/{arch}", "datasets": [{"path": "./data.jsonl", "type": "alpaca"}],
                        "learning_rate": 2e-4, "weight_decay": 0.01, "micro_batch_size": 4, **axolotl}
            with open(HERE / "configs" / f"peft-{arch}-{case}.yml", "w") as f:
                yaml.safe_dump(settings, f, sort_keys=False)
            with open(HERE / "expected" / f"peft-{arch}-{case}.json", "w") as f:
                json.dump(result, f, indent=1)
            print(f"peft-{arch}-{case}: {result.get('trainable')} of {result.get('all')}", file=sys.stderr)
    save_adapters()


def save_adapters():
    """Two PEFT output folders, as save_pretrained writes them."""
    root = HERE / "adapters"
    shutil.rmtree(root, ignore_errors=True)
    for name, arch, kwargs in [
        ("llama-lora", "llama", dict(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"], modules_to_save=["lm_head"])),
        ("gpt2-dora", "gpt2", dict(r=4, lora_alpha=4, target_modules=["c_attn", "c_proj"], use_dora=True)),
    ]:
        model = AutoModelForCausalLM.from_pretrained(f"models/{arch}", dtype=torch.float32)
        wrapped, result = record(model, LoraConfig(lora_dropout=0.0, **kwargs))
        wrapped.save_pretrained(root / name, safe_serialization=True)
        (root / name / "README.md").unlink(missing_ok=True)
        result["model"] = f"models/{arch}"
        with open(root / name / "expected.json", "w") as f:
            json.dump(result, f, indent=1)
        print(f"adapters/{name}: {result['trainable']} trainable", file=sys.stderr)


if __name__ == "__main__":
    main()
