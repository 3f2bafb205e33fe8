#!/usr/bin/env python3
"""Which values Axolotl's schema accepts, from pydantic itself, for the
value check `inspect` makes (AxolotlValueCheck).

    python3 Tests/DecayInspectTests/Fixtures/make_value_fixtures.py

For each case below, the YAML line is read by PyYAML (as Axolotl reads its
config) and the value is validated by pydantic against the field's
annotation in AxolotlInputConfig (lax mode, as model validation uses). It
writes values.json: [{"yaml", "field", "accepted"}].
"""

import json
import sys
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE))
import axolotl_support  # noqa: E402

axolotl_support.load_axolotl(REPO / ".build/config-schemas")
from axolotl.utils.schemas.config import AxolotlInputConfig  # noqa: E402

CASES = [
    # bool fields
    "sample_packing: true", "sample_packing: yes", "sample_packing: 'yes'", "sample_packing: 'True'", "sample_packing: 1",
    "sample_packing: 0", "sample_packing: 2", "sample_packing: 'yess'", "sample_packing: 1.0", "sample_packing: 0.5",
    "sample_packing: [true]", "lora_target_linear: 'off'", "lora_target_linear: 'n'",
    # int fields
    "micro_batch_size: 4", "micro_batch_size: 4.0", "micro_batch_size: 4.5", "micro_batch_size: '8'", "micro_batch_size: ' 8 '",
    "micro_batch_size: '8.0'", "micro_batch_size: true", "micro_batch_size: eight", "micro_batch_size: [4]", "lora_r: 1e3",
    "max_steps: -1", "warmup_steps: 10",
    # float fields
    "weight_decay: 0.1", "weight_decay: '0.1'", "weight_decay: 1e-2", "weight_decay: abc", "weight_decay: true", "weight_decay: 3",
    "weight_decay: '1e-2'", "num_epochs: 2", "val_set_size: 0.05", "val_set_size: [0.1]",
    # str fields
    "lr_scheduler: cosine", "lr_scheduler: 5", "lr_scheduler: true", "adapter: lora", "adapter: 1",
    # list, dict, choice
    "plugins: [a.b.C]", "plugins: a.b.C", "lora_modules_to_save: [lm_head]", "lora_modules_to_save: lm_head",
    "lr_scheduler_kwargs: {num_cycles: 1}", "lr_scheduler_kwargs: 3", "rl: dpo", "rl: ppo", "rl: DPO",
]


def main():
    fields = AxolotlInputConfig.model_fields
    out = []
    for line in CASES:
        data = yaml.safe_load(line)
        (field, value), = data.items()
        try:
            TypeAdapter(fields[field].annotation).validate_python(value)
            accepted = True
        except ValidationError:
            accepted = False
        out.append({"yaml": line, "field": field, "accepted": accepted})
    with open(HERE / "values.json", "w") as f:
        json.dump({"axolotl": axolotl_support.AXOLOTL_VERSION, "pydantic": __import__("pydantic").VERSION, "cases": out}, f, indent=1)
    print(f"{len(out)} cases, {sum(c['accepted'] for c in out)} accepted", file=sys.stderr)


if __name__ == "__main__":
    main()
