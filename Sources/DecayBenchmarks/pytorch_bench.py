"""PyTorch's side of `decay-tutor bench --pytorch`.

The tutor starts this script once and keeps it running, so that each of its
training benchmarks can alternate repetitions with PyTorch's in the same
run: whatever else loads the machine loads both, and the per-repetition
ratio is the figure. Protocol, one line each way:

    -> "threads N"       <- "threads N" (torch.set_num_threads)
    -> "info"            <- "torch 2.x.y threads N isa AVX2"
    -> "mlp STEPS"       <- seconds for STEPS training steps (float)
    -> "linreg STEPS"    <- the same for the linear regression
    -> "adamw STEPS"     <- seconds for STEPS torch.optim.AdamW steps alone
    -> "quit"

The workloads are the tutor's bench workloads written as a PyTorch user
would write them, in float32 with PyTorch's default optimizer
implementation, on the number of threads the tutor asks for (one by
default: the engine trains a run on one core):

- mlp: nn.Sequential(Linear(2, 64), ReLU, Linear(64, 64), ReLU,
  Linear(64, 2)), 256 two-moons points as one full batch, CrossEntropyLoss,
  AdamW(lr=1e-3, weight_decay=1e-2), and the loss of 400 validation points
  under no_grad every 100 steps, as the tutor validates;
- linreg: Linear(200, 1), 20 examples as one batch, MSELoss,
  SGD(lr=3e-3, weight_decay=0.1) (coupled L2), validation on 100 every 100;
- mlp256: nn.Sequential(Linear(256, 256), ReLU, Linear(256, 1)), 256 rows
  of 256 inputs as one batch, MSELoss, AdamW(lr=1e-3, weight_decay=1e-2),
  validation on 256 rows every 100 steps;
- adamw: torch.optim.AdamW(lr=1e-3, weight_decay=1e-2) stepping one
  4096-element float32 tensor whose gradient is already set (no model, no
  backward): the optimizer's own cost per parameter, for the engine's
  `adamw_ns_per_param_4096`, with PyTorch's default implementation on CPU
  (the single-tensor loop: sqrt, a division by the bias correction's root,
  then addcdiv's division);
- lora256: the same with a LoRA adapter on the 256 x 256 layer (r 8,
  lora_alpha 16, lora_dropout 0.05) and every other tensor frozen: peft's
  inject_adapter_in_model when peft is installed, else peft's forward
  written out (LoRALinear below); AdamW over the adapter's A and B only.
  `info` says which ("lora peft 0.x" or "lora written out").
"""
import math
import sys
import time

import torch


def moons(n, generator):
    t = torch.rand(n, generator=generator) * math.pi
    label = torch.randint(0, 2, (n,), generator=generator)
    x = torch.stack([torch.cos(t), torch.sin(t)], 1)
    x[label == 1] = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)[label == 1]
    return x + 0.2 * torch.randn(n, 2, generator=generator), label


class Workload:
    def __init__(self, model, optimizer, loss, train, validation):
        self.model, self.optimizer, self.loss = model, optimizer, loss
        self.x, self.y = train
        self.vx, self.vy = validation
        self.step_count = 0

    def run(self, steps):
        start = time.perf_counter()
        for _ in range(steps):
            self.optimizer.zero_grad()
            loss = self.loss(self.model(self.x), self.y)
            loss.backward()
            self.optimizer.step()
            self.step_count += 1
            if self.step_count % 100 == 0:
                with torch.no_grad():
                    self.loss(self.model(self.vx), self.vy).item()
        return time.perf_counter() - start


def mlp():
    g = torch.Generator().manual_seed(3)
    torch.manual_seed(3)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 2))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    return Workload(model, optimizer, torch.nn.CrossEntropyLoss(), moons(256, g), moons(400, g))


def linreg():
    g = torch.Generator().manual_seed(3)
    torch.manual_seed(3)

    def sample(n):
        x = torch.randn(n, 200, generator=g)
        return x, (0.05 + 0.01 * x.sum(1, keepdim=True) + 0.01 * torch.randn(n, 1, generator=g))

    model = torch.nn.Linear(200, 1)
    torch.nn.init.normal_(model.weight, std=1.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=3e-3, weight_decay=0.1)
    return Workload(model, optimizer, torch.nn.MSELoss(), sample(20), sample(100))


def mlp256():
    torch.manual_seed(3)
    model = torch.nn.Sequential(torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    return Workload(model, optimizer, torch.nn.MSELoss(), regression(256), regression(256))


def regression(n):
    x = torch.randn(n, 256)
    return x, x.sum(1, keepdim=True) / 16 + 0.1 * torch.randn(n, 1)


class LoRALinear(torch.nn.Module):
    """peft's LoraLayer.forward for one adapter, for a Python without peft."""

    def __init__(self, base, rank, alpha, dropout):
        super().__init__()
        self.base_layer = base
        self.lora_A = torch.nn.Linear(base.in_features, rank, bias=False)
        self.lora_B = torch.nn.Linear(rank, base.out_features, bias=False)
        torch.nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        torch.nn.init.zeros_(self.lora_B.weight)
        self.lora_dropout = torch.nn.Dropout(dropout)
        self.scaling = alpha / rank

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling


def lora_backend():
    try:
        import peft
        return f"peft {peft.__version__}"
    except ImportError:
        return "written out"


def lora256():
    torch.manual_seed(3)
    model = torch.nn.Sequential(torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 1))
    try:
        import peft
        config = peft.LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules=["0"])
        model = peft.inject_adapter_in_model(config, model)
    except ImportError:
        model[0] = LoRALinear(model[0], 8, 16, 0.05)
    for name, p in model.named_parameters():
        p.requires_grad_("lora_" in name)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=1e-3, weight_decay=1e-2)
    return Workload(model, optimizer, torch.nn.MSELoss(), regression(256), regression(256))


class OptimizerOnly:
    """Steps an optimizer over gradients set once: what the update alone costs."""

    def __init__(self, count):
        g = torch.Generator().manual_seed(3)
        self.p = torch.nn.Parameter(torch.randn(count, generator=g) * 0.1)
        self.p.grad = torch.randn(count, generator=g) * 0.01
        self.optimizer = torch.optim.AdamW([self.p], lr=1e-3, weight_decay=1e-2)

    def run(self, steps):
        start = time.perf_counter()
        for _ in range(steps):
            self.optimizer.step()
        return time.perf_counter() - start


def main():
    makers = {"mlp": mlp, "linreg": linreg, "mlp256": mlp256, "lora256": lora256,
              "adamw": lambda: OptimizerOnly(4096)}
    workloads = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "threads" and len(words) == 2:
            torch.set_num_threads(int(words[1]))
            print(f"threads {torch.get_num_threads()}", flush=True)
            continue
        if words[0] == "info":
            isa = torch.backends.cpu.get_cpu_capability()
            print(f"torch {torch.__version__} threads {torch.get_num_threads()} isa {isa} lora {lora_backend()}", flush=True)
            continue
        if words[0] not in makers or len(words) != 2:
            print(f"error unknown request {line.strip()!r}", flush=True)
            continue
        if words[0] not in workloads:
            workloads[words[0]] = makers[words[0]]()
            workloads[words[0]].run(50)   # warm-up: allocator, kernels, caches
        print(f"{workloads[words[0]].run(int(words[1])):.9f}", flush=True)


if __name__ == "__main__":
    main()
