#!/usr/bin/env python3
"""Writes Sources/DecayInspect/Schema/config-schemas.json: every key the real
training tools accept, which `decay-tutor inspect` reads as data.

    pip install transformers trl peft pydantic   # the versions to describe
    python3 scripts/make_config_schemas.py       # regenerate the JSON

What it reads, and how:

- transformers (installed): `TrainingArguments` and
  `Seq2SeqTrainingArguments` fields with their defaults, `OptimizerNames`,
  `SchedulerType`. Older releases' fields and optimizer names (what an old
  `training_args.json` may hold) come from their wheels, fetched with
  `pip download --no-deps` and read with `ast` (never imported).
- TRL (installed): every config class that extends `TrainingArguments`
  (SFTConfig, DPOConfig, GRPOConfig, KTOConfig, RewardConfig, RLOOConfig,
  and those under `trl.experimental`), with the defaults each changes, and
  the HfArgumentParser dataclasses of its scripts (ModelConfig,
  ScriptArguments, …). Classes an older TRL had and the current one dropped
  (PPOConfig, BCOConfig, XPOConfig, …) come from an older wheel, by `ast`.
- Axolotl: its wheel (`pip download --no-deps axolotl==VERSION`, with
  Pillow's, which its schema imports) is put on sys.path, not installed (it
  pins an old torch). `AxolotlInputConfig`'s fields, aliases and defaults,
  its own optimizer names and RL trainers, and every bundled plugin with
  the arguments its `get_input_args()` class declares. A plugin's args
  module is loaded on its own, with stub modules for what it imports and
  the plugin package's __init__ skipped, since those pull in GPU libraries.
- The argument dataclasses of transformers' example scripts, which are not
  published on PyPI: listed below by hand, from the repository's files.

Downloads are cached under .build/config-schemas/. Options pin versions:
--axolotl, --trl-legacy, --transformers-legacy (comma-separated).
"""

import argparse
import ast
import dataclasses
import enum
import importlib
import importlib.util
import json
import subprocess
import sys
import types
import typing
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = REPO / "Sources/DecayInspect/Schema/config-schemas.json"
CACHE = REPO / ".build/config-schemas"

# transformers' examples (examples/pytorch/*/run_*.py) parse a JSON file with
# HfArgumentParser((ModelArguments, DataTrainingArguments, TrainingArguments)).
# Their dataclasses are not in the wheel; these field names are read from
# run_clm.py, run_glue.py and run_summarization.py in the transformers
# repository (4.57 development branch).
EXAMPLE_ARGUMENTS = {
    "run_clm ModelArguments": [
        "model_name_or_path", "model_type", "config_overrides", "config_name", "tokenizer_name", "cache_dir",
        "use_fast_tokenizer", "model_revision", "token", "trust_remote_code", "dtype"],
    "run_clm DataTrainingArguments": [
        "dataset_name", "dataset_config_name", "train_file", "validation_file", "max_train_samples",
        "max_eval_samples", "streaming", "block_size", "overwrite_cache", "validation_split_percentage",
        "preprocessing_num_workers", "keep_linebreaks"],
    "run_glue ModelArguments": [
        "model_name_or_path", "config_name", "tokenizer_name", "cache_dir", "use_fast_tokenizer", "model_revision",
        "use_auth_token"],
    "run_glue DataTrainingArguments": [
        "task_name", "dataset_name", "dataset_config_name", "max_seq_length", "overwrite_cache", "pad_to_max_length",
        "max_train_samples", "max_eval_samples", "max_predict_samples", "train_file", "validation_file", "test_file"],
    "run_summarization ModelArguments": [
        "model_name_or_path", "config_name", "tokenizer_name", "cache_dir", "use_fast_tokenizer", "model_revision",
        "token", "trust_remote_code", "resize_position_embeddings"],
    "run_summarization DataTrainingArguments": [
        "lang", "dataset_name", "dataset_config_name", "text_column", "summary_column", "train_file",
        "validation_file", "test_file", "overwrite_cache", "preprocessing_num_workers", "max_source_length",
        "max_target_length", "val_max_target_length", "pad_to_max_length", "max_train_samples", "max_eval_samples",
        "max_predict_samples", "num_beams", "ignore_pad_token_for_loss", "source_prefix", "forced_bos_token"],
}


def simple(value):
    """A default as JSON, or None when it is not a plain value."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    return None


def kind(annotation):
    """The JSON kind a field takes: bool, int, float, str, list, dict,
    choice:[…] for an enum or Literal, or any (a union of several kinds)."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        kinds = {kind(a) for a in args}
        if len(kinds) == 1:
            return kinds.pop()
        if kinds == {"int", "float"}:
            return "float"
        return "any"
    if origin is typing.Annotated:
        return kind(args[0])
    if origin is typing.Literal:
        return "choice:" + json.dumps(sorted(str(a) for a in typing.get_args(annotation)))
    if origin in (list, tuple, set) or annotation in (list, tuple, set):
        return "list"
    if origin is dict or annotation is dict:
        return "dict"
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return "choice:" + json.dumps(sorted(str(m.value) for m in annotation))
        for t, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
            if issubclass(annotation, t):
                return name
    return "any"


def fetch(requirement, cache, sdist=False):
    """Downloads one wheel (no dependencies) and unpacks it; returns the folder."""
    name = requirement.replace("==", "-")
    site = cache / name
    if site.is_dir() and any(site.iterdir()):
        return site
    wheels = cache / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
                    "-d", str(wheels), requirement], check=True)
    package, version = requirement.split("==")
    stem = package.replace("-", "_").lower()
    matches = [w for w in wheels.glob("*.whl") if w.name.lower().startswith(f"{stem}-{version}-")]
    assert matches, f"no wheel for {requirement}"
    site.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(matches[0]) as z:
        z.extractall(site)
    return site


# --- ast readers for wheels that are not imported ---------------------------------

def dataclass_fields_ast(tree, class_name):
    """(field, default-or-None) pairs declared in a class body, in order;
    `init=False` fields left out."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            out = []
            for stmt in node.body:
                if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                    continue
                name, value = stmt.target.id, stmt.value
                if name.startswith("_") or (isinstance(stmt.annotation, ast.Name) and stmt.annotation.id == "ClassVar"):
                    continue
                default = None
                if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "field":
                    kw = {k.arg: k.value for k in value.keywords}
                    if isinstance(kw.get("init"), ast.Constant) and kw["init"].value is False:
                        continue
                    value = kw.get("default")
                if isinstance(value, ast.Constant):
                    default = simple(value.value)
                out.append((name, default))
            bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
            return out, bases
    return None, []


def enum_values_ast(tree, class_name):
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return [s.value.value for s in node.body
                    if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)]
    return []


def legacy_transformers(versions, current_fields, current_optimizers):
    fields, optimizers = {}, {}
    for version in versions:
        site = fetch(f"transformers=={version}", CACHE)
        path = site / "transformers/training_args.py"
        tree = ast.parse(path.read_text())
        declared, _ = dataclass_fields_ast(tree, "TrainingArguments")
        seq2seq_path = site / "transformers/training_args_seq2seq.py"
        if seq2seq_path.exists():
            more, _ = dataclass_fields_ast(ast.parse(seq2seq_path.read_text()), "Seq2SeqTrainingArguments")
            declared += more or []
        for name, _ in declared:
            if name not in current_fields:
                fields.setdefault(name, version)
        for name in enum_values_ast(tree, "OptimizerNames"):
            if name not in current_optimizers:
                optimizers.setdefault(name, version)
    return fields, optimizers


def legacy_trl(version, current_classes, training_fields):
    """Config classes of an older TRL that the current one no longer has."""
    site = fetch(f"trl=={version}", CACHE)
    trees = {}
    for path in (site / "trl").rglob("*config.py"):
        trees[path] = ast.parse(path.read_text())
    declared = {}
    for path, tree in trees.items():
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Config"):
                fields, bases = dataclass_fields_ast(tree, node.name)
                module = ".".join(path.relative_to(site).with_suffix("").parts)
                declared[node.name] = (fields or [], bases, module)

    def resolve(name, seen=()):
        if name == "TrainingArguments":
            return {}, True
        if name not in declared or name in seen:
            return {}, False
        fields, bases, _ = declared[name]
        merged, is_training = {}, False
        for base in bases:
            inherited, ok = resolve(base, seen + (name,))
            if ok:
                merged.update(inherited)
                is_training = True
        merged.update(dict(fields))
        return merged, is_training

    out = {}
    for name, (_, _, module) in sorted(declared.items()):
        if name in current_classes or name.startswith(("Base", "_")):
            continue
        fields, is_training = resolve(name)
        if not is_training:
            continue
        own = {k: v for k, v in fields.items() if k not in training_fields}
        overrides = {k: v for k, v in fields.items() if k in training_fields}
        out[name] = {"module": module, "version": version, "fields": own, "overrides": overrides}
    return out


# --- installed libraries -----------------------------------------------------------

def transformers_schema():
    import transformers
    from transformers import Seq2SeqTrainingArguments, TrainingArguments
    from transformers.trainer_utils import SchedulerType
    from transformers.training_args import OptimizerNames

    hints = typing.get_type_hints(TrainingArguments)
    fields = {}
    for f in dataclasses.fields(TrainingArguments):
        if f.init:
            default = f.default if f.default is not dataclasses.MISSING else None
            fields[f.name] = {"default": simple(default), "kind": kind(hints.get(f.name, typing.Any))}
    seq2seq = {f.name: {"default": simple(f.default if f.default is not dataclasses.MISSING else None)}
               for f in dataclasses.fields(Seq2SeqTrainingArguments) if f.init and f.name not in fields}
    # The keyword arguments get_scheduler hands each schedule function
    # (lr_scheduler_kwargs); any other raises a TypeError. It passes none
    # to constant and constant_with_warmup, which ignore them (null here).
    import inspect as pyinspect
    from transformers.optimization import TYPE_TO_SCHEDULER_FUNCTION
    keywords = {}
    for name, function in TYPE_TO_SCHEDULER_FUNCTION.items():
        params = [p for p in pyinspect.signature(function).parameters
                  if p not in ("optimizer", "num_warmup_steps", "num_training_steps", "args", "kwargs")]
        keywords[name.value] = None if name.value in ("constant", "constant_with_warmup") else params
    return {
        "version": transformers.__version__,
        "scheduler_keywords": keywords,
        "training_arguments": fields,
        "seq2seq_training_arguments": seq2seq,
        "optimizers": [o.value for o in OptimizerNames],
        "schedulers": [s.value for s in SchedulerType],
    }


def trl_schema(training_fields):
    """Every TRL config class that extends TrainingArguments, found by walking
    the package; classes whose module cannot be imported here are skipped
    (and listed on stderr)."""
    import pkgutil
    import warnings

    import trl
    from transformers import TrainingArguments

    classes, failed = {}, []
    warnings.simplefilter("ignore")
    for info in pkgutil.walk_packages(trl.__path__, "trl."):
        if any(part in info.name for part in (".cli", ".scripts", "vllm_serve")):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception as error:  # an optional dependency missing
            failed.append(f"{info.name}: {type(error).__name__}")
            continue
        for name, cls in vars(module).items():
            if (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
                    and issubclass(cls, TrainingArguments) and not name.startswith("_")):
                defaults = {f.name: simple(f.default if f.default is not dataclasses.MISSING else None)
                            for f in dataclasses.fields(cls) if f.init}
                own = {k: v for k, v in defaults.items() if k not in training_fields}
                overrides = {k: v for k, v in defaults.items()
                             if k in training_fields and v != training_fields[k]["default"]}
                entry = {"module": cls.__module__, "version": trl.__version__, "fields": own, "overrides": overrides}
                # The same class re-exported from two modules: keep the one it is defined in.
                classes[name] = entry
    if failed:
        print("TRL modules not imported:", *failed, sep="\n  ", file=sys.stderr)
    parser_classes = {}
    for module_name, class_name in (("trl.trainer.model_config", "ModelConfig"), ("trl.scripts.utils", "ScriptArguments"),
                                    ("trl.scripts.grpo", "GRPOScriptArguments"), ("trl.scripts.rloo", "RLOOScriptArguments")):
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except Exception as error:
            print(f"skipped {module_name}.{class_name}: {error}", file=sys.stderr)
            continue
        parser_classes[f"trl {class_name}"] = sorted(f.name for f in dataclasses.fields(cls) if f.init)
    from trl import ModelConfig
    model_config = {f.name: simple(f.default) for f in dataclasses.fields(ModelConfig)
                    if f.init and f.default is not dataclasses.MISSING}
    return trl.__version__, classes, parser_classes, model_config


def peft_schema():
    """peft's default LoRA targets per model type (used when target_modules is None)."""
    import peft
    from peft.utils.constants import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as targets
    return {"version": peft.__version__, "lora_default_targets": {k: list(v) for k, v in sorted(targets.items())}}


class StubFinder:
    """Finds any module under the given top-level names as an empty stub, so
    a plugin's args module can import what it names without the library."""

    def __init__(self, allowed):
        self.allowed = allowed

    def find_spec(self, name, path=None, target=None):
        # Last on sys.meta_path: reached only for modules no real finder has.
        if name.split(".")[0] in self.allowed:
            return None
        return importlib.util.spec_from_loader(name, StubLoader(), is_package=True)


class StubLoader:
    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda attr: type(attr, (), {})
        return module

    def exec_module(self, module):
        pass


def axolotl_schema(version):
    site = fetch(f"axolotl=={version}", CACHE)
    pillow = next((p for p in (CACHE).glob("pillow-*") if p.is_dir()), None)
    if pillow is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
                        "-d", str(CACHE / "wheels"), "pillow"], check=True)
        wheel = next((CACHE / "wheels").glob("pillow-*.whl"))
        pillow = CACHE / wheel.name.split("-py")[0].split("-cp")[0]
        with zipfile.ZipFile(wheel) as z:
            z.extractall(pillow)
    sys.path.insert(0, str(pillow))
    sys.path.insert(0, str(site))
    from axolotl.utils.schemas.config import AxolotlConfigWCapabilities, AxolotlInputConfig
    from axolotl.utils.schemas.enums import CustomSupportedOptimizers, RLType

    fields, aliases = {}, {}
    for model in (AxolotlInputConfig, AxolotlConfigWCapabilities):
        for name, f in model.model_fields.items():
            fields[name] = {"default": None if f.is_required() else simple(f.default),
                            "required": f.is_required(), "kind": kind(f.annotation)}
            if f.alias and f.alias != name:
                aliases[f.alias] = name
    plugins = axolotl_plugins(site)
    return {
        "version": version,
        "fields": fields,
        "aliases": aliases,
        "optimizers": [o.value for o in CustomSupportedOptimizers],
        "schedulers": ["one_cycle", "rex"],
        "rl": [r.value for r in RLType],
        "plugins": plugins,
    }


def axolotl_plugins(site):
    """Each bundled plugin: the names it can be listed under in `plugins:`,
    and its arguments (the fields and aliases of its get_input_args class)."""
    root = site / "axolotl/integrations"
    finder = StubFinder({"axolotl", "pydantic", "typing_extensions"})
    sys.meta_path.append(finder)
    try:
        return plugins_with_stubs(site, root)
    finally:
        sys.meta_path.remove(finder)


def plugins_with_stubs(site, root):
    plugins = {}
    for package in sorted(p for p in root.iterdir() if (p / "__init__.py").exists()):
        dotted = f"axolotl.integrations.{package.name}"
        init_source = (package / "__init__.py").read_text()
        for path in sorted(package.rglob("*.py")):
            tree = ast.parse(path.read_text())
            for node in tree.body:
                if not (isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "BasePlugin" for b in node.bases)):
                    continue
                args_path = input_args_path(node)
                parts = path.relative_to(site).with_suffix("").parts
                module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                names = [f"{module}.{node.name}"]
                if module != dotted and node.name in init_source:
                    names.insert(0, f"{dotted}.{node.name}")
                entry = {"names": names, "args_class": args_path, "fields": [], "aliases": {}}
                if args_path:
                    entry["fields"], entry["aliases"] = plugin_fields(site, package, args_path.rsplit(".", 1)[1])
                plugins[names[0]] = entry
    return plugins


def input_args_path(class_node):
    for item in class_node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "get_input_args":
            for stmt in ast.walk(item):
                if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Constant):
                    return stmt.value.value
    return None


def plugin_fields(site, package, class_name):
    """Loads the module of `package` that defines `class_name` on its own
    (the package's __init__ is replaced by an empty package)."""
    dotted = f"axolotl.integrations.{package.name}"
    if dotted not in sys.modules or not hasattr(sys.modules[dotted], "__file__"):
        stub = types.ModuleType(dotted)
        stub.__path__ = [str(package)]
        sys.modules[dotted] = stub
    for path in sorted(package.rglob("*.py")):
        if f"class {class_name}" not in path.read_text():
            continue
        name = ".".join(path.relative_to(site).with_suffix("").parts)
        module = sys.modules.get(name) or importlib.import_module(name)
        cls = getattr(module, class_name)
        aliases = {f.alias: n for n, f in cls.model_fields.items() if f.alias and f.alias != n}
        return sorted(cls.model_fields), aliases
    raise LookupError(f"{class_name} not found in {package}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--axolotl", default="0.19.0")
    parser.add_argument("--trl-legacy", default="0.29.1")
    parser.add_argument("--transformers-legacy", default="4.57.6,4.36.2,4.26.1")
    options = parser.parse_args()

    hf = transformers_schema()
    legacy_fields, legacy_optimizers = legacy_transformers(
        options.transformers_legacy.split(","), hf["training_arguments"], set(hf["optimizers"]))
    hf["legacy_training_arguments"] = legacy_fields
    hf["legacy_optimizers"] = legacy_optimizers
    trl_version, classes, parser_classes, model_config = trl_schema(hf["training_arguments"])
    for name, entry in legacy_trl(options.trl_legacy, set(classes), hf["training_arguments"]).items():
        classes.setdefault(name, entry)
    document = {
        "generated_by": "scripts/make_config_schemas.py",
        "versions": {"transformers": hf["version"], "trl": trl_version, "axolotl": options.axolotl,
                     "peft": importlib.import_module("peft").__version__,
                     "trl_legacy": options.trl_legacy, "transformers_legacy": options.transformers_legacy},
        "transformers": hf,
        "trl": classes,
        "trl_model_config": model_config,
        "peft": peft_schema(),
        "argument_dataclasses": {**parser_classes, **EXAMPLE_ARGUMENTS},
        "axolotl": axolotl_schema(options.axolotl),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(document, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {OUT.relative_to(REPO)}: {len(hf['training_arguments'])} TrainingArguments fields, "
          f"{len(classes)} TRL configs, {len(document['axolotl']['fields'])} Axolotl fields, "
          f"{len(document['axolotl']['plugins'])} plugins", file=sys.stderr)


if __name__ == "__main__":
    main()
