"""Axolotl's own code, loaded from its wheel without installing it.

Axolotl pins an old torch and GPU libraries, so its wheel is fetched with
`pip download --no-deps` and put on sys.path. The few modules its
step-count and scheduler code imports but never calls on this path are
stubbed: `addict` (its DictDefault's base, replaced by a small attribute
dict) and `numba` (the sample packer's JIT, whose decorators become
no-ops). Functions that live inside classes too large to import (the
trainer builder) are lifted out of the file with `ast` and executed on
their own, as they are written.
"""

import ast
import math
import subprocess
import sys
import types
import zipfile
from pathlib import Path

AXOLOTL_VERSION = "0.19.0"


class Stub:
    """Stands for anything a stubbed module exports: a decorator returns
    what it decorates, a class can be subclassed, a call returns a Stub."""

    def __new__(cls, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return Stub()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub()


def stub_module(name):
    module = types.ModuleType(name)
    module.__path__ = []

    def attribute(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return type(attr, (Stub,), {})

    module.__getattr__ = attribute
    sys.modules[name] = module


class AttributeDict(dict):
    """addict.Dict as DictDefault uses it: keys as attributes."""

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        return self[key]

    def __setattr__(self, key, value):
        self[key] = value

    def __missing__(self, key):
        return AttributeDict()


def load_axolotl(cache):
    """Puts Axolotl's wheel on sys.path (fetching it once) and stubs what it
    imports but this fixture never runs."""
    site = cache / f"axolotl-{AXOLOTL_VERSION}"
    # Axolotl's config schema imports Pillow (PIL); its wheel goes beside Axolotl's.
    if not (site / "axolotl").is_dir() or not (site / "PIL").is_dir():
        wheels = cache / "wheels"
        wheels.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
                        "-d", str(wheels), f"axolotl=={AXOLOTL_VERSION}", "pillow"], check=True)
        site.mkdir(parents=True, exist_ok=True)
        for wheel in wheels.glob("*.whl"):
            if wheel.name.startswith((f"axolotl-{AXOLOTL_VERSION}-", "pillow-")):
                with zipfile.ZipFile(wheel) as z:
                    z.extractall(site)
    sys.path.insert(0, str(site))
    addict = types.ModuleType("addict")
    addict.Dict = AttributeDict
    sys.modules.setdefault("addict", addict)
    stub_module("numba")
    return site


def lift_method(site, relative_path, class_name, method_name, globals_):
    """A method's source from Axolotl's file, compiled as a plain function."""
    source = (site / relative_path).read_text()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == method_name:
                    module = ast.Module(body=[item], type_ignores=[])
                    namespace = dict(globals_)
                    exec(compile(module, f"{relative_path}:{method_name}", "exec"), namespace)
                    return namespace[method_name]
    raise LookupError(f"{class_name}.{method_name} not in {relative_path}")


def import_alone(site, dotted):
    """Imports one module of Axolotl without running its package's
    __init__ (axolotl.utils.data's pulls in the tokenizer and prompters)."""
    import importlib
    package = dotted.rsplit(".", 1)[0]
    if package not in sys.modules:
        stub = types.ModuleType(package)
        stub.__path__ = [str(site / package.replace(".", "/"))]
        sys.modules[package] = stub
    return importlib.import_module(dotted)


class Logger:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def warmup_function(site):
    """TrainerBuilderBase._configure_warmup_and_logging, as Axolotl wrote it."""
    return lift_method(site, "axolotl/core/builders/base.py", "TrainerBuilderBase",
                       "_configure_warmup_and_logging", {"math": math, "LOG": Logger()})


def scheduler_function(site):
    """TrainerBuilderBase._configure_scheduler: which lr_scheduler_type and
    alternate scheduler Axolotl hands the Trainer."""
    return lift_method(site, "axolotl/core/builders/base.py", "TrainerBuilderBase",
                       "_configure_scheduler", {})


def eval_strategy_function(site):
    """TrainerBuilderBase._configure_save_and_eval_strategy (reduce_lr_on_plateau needs its eval strategy)."""
    return lift_method(site, "axolotl/core/builders/base.py", "TrainerBuilderBase",
                       "_configure_save_and_eval_strategy", {})
