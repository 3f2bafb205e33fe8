"""PyTorch's side of `decay-tutor bench --pytorch`: the same training steps
the engine times, timed the same way, in the same invocation.

    python3 - WORKLOAD REPS STEPS_PER_SAMPLE < bench_pytorch.py

WORKLOAD is `mlp` (an MLP 256-256-1 trained in full, AdamW) or `lora` (the
same MLP with a LoRA adapter, r 8, alpha 16, lora_dropout 0.05, on its
256 x 256 layer and everything else frozen; peft's LoRA when peft is
installed, else the same computation written out). Both: 256 training rows
of 256 inputs, full batch, MSE, lr 1e-3, weight_decay 0.01, and every 100
steps a no-grad pass over 256 validation rows and the training set, as the
engine's Experiment evaluates. One thread (the engine trains a run on one).
Prints one JSON object: versions and steps/s per repetition, after two
untimed warm-up samples.
"""

import json
import sys
import time

import torch
from torch import nn

ROWS, WIDTH, RANK, ALPHA, LORA_DROPOUT = 256, 256, 8, 16, 0.05


def model(workload):
    net = nn.Sequential(nn.Linear(WIDTH, WIDTH), nn.ReLU(), nn.Linear(WIDTH, 1))
    backend = "full fine-tuning"
    if workload == "lora":
        try:
            import peft
            config = peft.LoraConfig(r=RANK, lora_alpha=ALPHA, lora_dropout=LORA_DROPOUT, target_modules=["0"])
            net = peft.inject_adapter_in_model(config, net)
            backend = f"peft {peft.__version__}"
        except ImportError:
            net[0] = WrittenOutLoRA(net[0])
            backend = "LoRA written out (peft not installed)"
        for name, p in net.named_parameters():
            p.requires_grad_("lora_" in name)
    return net, backend


class WrittenOutLoRA(nn.Module):
    """peft's LoraLayer.forward for one adapter."""

    def __init__(self, base):
        super().__init__()
        self.base_layer = base
        self.lora_A = nn.Linear(WIDTH, RANK, bias=False)
        self.lora_B = nn.Linear(RANK, WIDTH, bias=False)
        nn.init.zeros_(self.lora_B.weight)
        self.lora_dropout = nn.Dropout(LORA_DROPOUT)
        self.scaling = ALPHA / RANK

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling


def main():
    workload, reps, per_sample = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(1)
    torch.manual_seed(0)
    net, backend = model(workload)
    x, y = torch.randn(ROWS, WIDTH), torch.randn(ROWS, 1)
    vx, vy = torch.randn(ROWS, WIDTH), torch.randn(ROWS, 1)
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01)
    loss_fn = nn.MSELoss()
    step = 0

    def steps(n):
        nonlocal step
        for _ in range(n):
            step += 1
            net.train()
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(net(x), y)
            loss.backward()
            optimizer.step()
            if step % 100 == 0:
                net.eval()
                with torch.no_grad():
                    loss_fn(net(vx), vy).item()
                    loss_fn(net(x), y).item()

    for _ in range(2):
        steps(per_sample)
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        steps(per_sample)
        samples.append(per_sample / (time.perf_counter() - start))
    print(json.dumps({"torch": torch.__version__, "backend": backend, "threads": torch.get_num_threads(),
                      "trainable": sum(p.numel() for p in params), "steps_per_s": samples}))


main()
