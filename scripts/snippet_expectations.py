"""What each lesson's snippets must do, in the library: the lesson's
teaching as assertions on the optimizer, Trainer or config they produce."""

import warnings

import torch

from snippet_runners import ONE_D, TWO_D, Optimizer, trainer_for


def two_d_rule(check, opt, wd, decayed=TWO_D, spared=ONE_D):
    check.that(opt.decayed() == set(decayed), f"decayed exactly {sorted(decayed)}")
    for name in sorted(decayed):
        check.close(opt.decay[name], wd, f"{name} weight_decay = {wd:g}")
    check.that(all(opt.decay[n] == 0 for n in spared), f"weight_decay 0 for {sorted(spared)}")


def pytorch_optimizer(check, ns, cls):
    check.that("optimizer" in ns, "defines `optimizer`")
    opt = Optimizer(ns["optimizer"], ns["model"])
    check.that(opt.cls == cls, f"optimizer is torch.optim.{cls}")
    return opt


def hf_trainer(check, ns, cls, wd, lr=None):
    args = ns["args"]
    trainer, model = trainer_for(args)
    opt = Optimizer(trainer.optimizer, model)
    check.that(opt.cls == cls, f"the Trainer builds torch.optim.{cls}")
    check.close(args.weight_decay, wd, f"TrainingArguments.weight_decay = {wd:g}")
    if lr is not None:
        check.close(args.learning_rate, lr, f"learning_rate = {lr:g}")
    # The Trainer's rule: biases and norm weights spared, embeddings decayed.
    two_d_rule(check, opt, wd)
    return trainer, opt


def shrink_profile(check, optimizer, scheduler, total, warmup, peak):
    """lr_t·λ over a run: rises through the warm-up to lr·λ, then only falls,
    ending near zero (the decay anneals with the learning rate)."""
    shrinks = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # scheduler.step() with no optimizer.step()
        for _ in range(total):
            shrinks.append(max(g["lr"] * g["weight_decay"] for g in optimizer.param_groups))
            scheduler.step()
    top = max(range(total), key=shrinks.__getitem__)
    check.close(shrinks[top], peak, f"peak shrink per step lr·λ = {peak:g}", rel=1e-3)
    check.that(warmup - 1 <= top <= warmup, f"the shrink peaks at the end of the {warmup}-step warm-up (step {top})")
    check.that(shrinks[0] <= peak / warmup * 1.01, f"the first step's shrink is ≤ lr·λ/{warmup}")
    after = shrinks[top:]
    check.that(all(b <= a * (1 + 1e-9) for a, b in zip(after, after[1:])), "after the warm-up the shrink only falls")
    check.that(shrinks[-1] < 0.01 * peak, f"the last step's shrink is under 1 % of the peak ({shrinks[-1]:.3g})")


def tau_epochs(lr, wd, steps_per_epoch):
    return 1 / (lr * wd) / steps_per_epoch


# --- per lesson --------------------------------------------------------------

def overfitting_pt(check, ns):
    opt = pytorch_optimizer(check, ns, "SGD")
    two_d_rule(check, opt, 0.01)
    check.close(opt.first["lr"], 0.003, "lr = 0.003")


def overfitting_hf(check, ns):
    hf_trainer(check, ns, "SGD", 0.01, lr=0.003)
    check.that(str(ns["args"].eval_strategy.value) == "epoch", "evaluates every epoch")


def overfitting_ax(check, cfg):
    check.that(cfg.optimizer == "sgd", "optimizer sgd")
    check.close(cfg.weight_decay, 0.01, "weight_decay = 0.01")
    check.that(cfg.val_set_size and cfg.val_set_size > 0, "holds out a validation set")


def l2_sgd_pt(check, ns):
    opt = pytorch_optimizer(check, ns, "SGD")
    check.close(ns["paper_lambda"] * 2, 1e-3, "weight_decay = 2 × the paper's λ = 0.001")
    two_d_rule(check, opt, 2 * ns["paper_lambda"])
    check.close(opt.first["momentum"], 0.9, "momentum = 0.9 (L2 goes through it)")


def l2_sgd_hf(check, ns):
    _, opt = hf_trainer(check, ns, "SGD", 2 * ns["paper_lambda"], lr=0.1)
    check.close(opt.first["momentum"], 0.9, "optim_args reach SGD: momentum = 0.9")


def l2_sgd_ax(check, cfg):
    check.that(cfg.optimizer == "sgd", "optimizer sgd")
    check.that(cfg.optim_args == {"momentum": 0.9}, "optim_args momentum 0.9")
    check.close(cfg.weight_decay, 2 * 5e-4, "weight_decay = 2 × 5e-4")


def adamw_pt(check, ns):
    opt = pytorch_optimizer(check, ns, "AdamW")
    two_d_rule(check, opt, 0.01)


def adamw_hf(check, ns):
    hf_trainer(check, ns, "AdamW", 0.01, lr=1e-3)


def adamw_ax(check, cfg):
    check.that("adamw" in cfg.optimizer, f"an AdamW optimizer ({cfg.optimizer})")
    check.close(cfg.weight_decay, 0.01, "weight_decay = 0.01")


def dropout_pt(check, ns):
    model = ns["model"]
    drops = [m.p for m in model.modules() if isinstance(m, torch.nn.Dropout)]
    check.that(drops == [0.3], "the model has one Dropout(p=0.3)")
    opt = pytorch_optimizer(check, ns, "AdamW")
    weights = {n for n, p in model.named_parameters() if n.endswith("weight")}
    biases = {n for n, p in model.named_parameters() if n.endswith("bias")}
    two_d_rule(check, opt, 0.01, decayed=weights, spared=biases)


def dropout_hf(check, ns):
    config = ns["config"]
    check.that(config.model_type == "gpt2", "a GPT-2 config")
    for key in ("resid_pdrop", "embd_pdrop", "attn_pdrop"):
        check.close(getattr(config, key), 0.1, f"config.{key} = 0.1")
    hf_trainer(check, ns, "AdamW", 0.01)


def dropout_ax(check, cfg):
    overrides = cfg.overrides_of_model_config or {}
    check.that(all(overrides.get(k) == 0.1 for k in ("resid_pdrop", "embd_pdrop", "attn_pdrop")),
               "the model config's three dropouts are overridden to 0.1")
    check.close(cfg.weight_decay, 0.01, "weight_decay = 0.01")


def exclusion_pt(check, ns):
    opt = pytorch_optimizer(check, ns, "AdamW")
    two_d_rule(check, opt, 0.1)
    check.that(tuple(opt.first["betas"]) == (0.9, 0.95), "betas = (0.9, 0.95)")


def exclusion_hf(check, ns):
    trainer, opt = hf_trainer(check, ns, "AdamW", 0.1, lr=6e-4)
    names = set(trainer.get_decay_parameter_names(trainer.model))
    check.that(names == TWO_D, "get_decay_parameter_names lists the same tensors")
    check.that(tuple(opt.first["betas"]) == (0.9, 0.95), "adam_beta2 reaches AdamW: betas = (0.9, 0.95)")


def exclusion_ax(check, cfg):
    check.close(cfg.weight_decay, 0.1, "weight_decay = 0.1")
    check.close(cfg.adam_beta2, 0.95, "adam_beta2 = 0.95")


def sweep_pt(check, ns):
    wds = ns["weight_decays"]
    check.that(min(wds) > 0 and max(wds) / min(wds) >= 1e4, f"λ spans at least four decades: {wds}")
    from snippet_runners import CheckModel

    for wd in wds:
        model = CheckModel()
        two_d_rule(check, Optimizer(ns["make_optimizer"](model, wd), model), wd)


def sweep_hf(check, ns):
    sweep = ns["sweep"]
    wds = [a.weight_decay for a in sweep]
    check.that(min(wds) > 0 and max(wds) / min(wds) >= 1e4, f"λ spans at least four decades: {wds}")
    check.that(len({a.output_dir for a in sweep}) == len(sweep), "every run has its own output_dir")
    for args in sweep:
        hf_trainer(check, {"args": args}, "AdamW", args.weight_decay)


def sweep_ax(check, cfg):
    check.close(cfg.weight_decay, 0.01, "weight_decay = 0.01")
    check.that(cfg.val_set_size and cfg.val_set_size > 0, "holds out a validation set")


def schedule_pt(check, ns):
    opt = pytorch_optimizer(check, ns, "AdamW")
    two_d_rule(check, opt, 0.1)
    shrink_profile(check, ns["optimizer"], ns["scheduler"], ns["total"], ns["warmup"], 6e-4 * 0.1)


def schedule_hf(check, ns):
    trainer, _ = hf_trainer(check, ns, "AdamW", 0.1, lr=6e-4)
    check.that(ns["args"].lr_scheduler_type.value == "cosine", "lr_scheduler_type cosine")
    shrink_profile(check, trainer.optimizer, trainer.lr_scheduler, 10_000, 100, 6e-4 * 0.1)


def schedule_ax(check, cfg):
    check.that(cfg.lr_scheduler == "cosine", "lr_scheduler cosine")
    check.that(cfg.warmup_steps == 100 and cfg.max_steps == 10000, "100 warm-up steps of 10,000")
    check.close(cfg.weight_decay, 0.1, "weight_decay = 0.1")


def timescale_pt(check, ns):
    opt = pytorch_optimizer(check, ns, "AdamW")
    two_d_rule(check, opt, ns["weight_decay"])
    tau = tau_epochs(ns["lr"], ns["weight_decay"], ns["steps_per_epoch"])
    check.close(tau, 5, "τ = 1/(lr·λ) is 5 epochs")


def timescale_hf(check, ns):
    args = ns["args"]
    hf_trainer(check, ns, "AdamW", args.weight_decay, lr=3e-4)
    tau = tau_epochs(args.learning_rate, args.weight_decay, 1000)
    check.close(tau, 5, "τ = 1/(lr·λ) is 5 epochs of 1000 steps")
    check.that(1 <= tau <= args.num_train_epochs, "τ lies between one epoch and the run")


def timescale_ax(check, cfg):
    # λ from τ is for a model trained from scratch; on a pretrained one it
    # would pull what pretraining learned toward zero (lesson 9).
    check.that(cfg.reinit_weights is True, "trains from scratch (reinit_weights: true), where the τ guideline applies")
    tau = tau_epochs(cfg.learning_rate, cfg.weight_decay, 1000)
    check.close(tau, 5, "τ = 1/(lr·λ) is 5 epochs of 1000 steps, to 1 %", rel=0.01)
    check.that(1 <= tau <= cfg.num_epochs, "τ lies between one epoch and the run")


def recipe_pt(check, ns):
    timescale_pt(check, ns)
    shrink_profile(check, ns["optimizer"], ns["scheduler"], ns["total"], ns["warmup"], 3e-4 * ns["weight_decay"])


def recipe_hf(check, ns):
    timescale_hf(check, ns)
    args = ns["args"]
    check.that(args.lr_scheduler_type.value == "cosine" and args.warmup_steps == 500, "cosine after 500 warm-up steps")
    trainer, _ = trainer_for(args)
    check.that(trainer.lr_scheduler is not None, "the Trainer builds the scheduler")


def recipe_ax(check, cfg):
    timescale_ax(check, cfg)
    check.that("adamw" in cfg.optimizer and cfg.lr_scheduler == "cosine", "AdamW with a cosine schedule")
    check.that(cfg.warmup_steps == 500 and cfg.val_set_size > 0, "500 warm-up steps and a validation set")


def finetune_pt(check, ns):
    opt = pytorch_optimizer(check, ns, "AdamW")
    check.that(all(wd == 0 for wd in opt.decay.values()), "AdamW's own decay is off for every parameter")
    model, pretrained, lam = ns["model"], ns["pretrained"], ns["lam"]
    lr = opt.first["lr"]
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    ns["decay_toward_pretrained"]()
    for n, p in model.named_parameters():
        gap = (p - pretrained[n]).detach()
        check.that(torch.allclose(gap, torch.full_like(gap, 1 - lr * lam), rtol=1e-5), f"{n}: p − p₀ shrinks by 1 − lr·λ")
    check.close(1 - lr * lam, 0.997, "one step keeps 1 − 3e-3·1 = 0.997 of p − p₀")


def finetune_hf(check, ns):
    args = ns["args"]
    hf_trainer(check, ns, "AdamW", 0.01, lr=5e-5)
    check.that(args.lr_scheduler_type.value == "linear", "a linear schedule")
    check.that(args.load_best_model_at_end and args.metric_for_best_model == "eval_loss",
               "keeps the epoch with the lowest validation loss")
    check.that(str(args.eval_strategy.value) == "epoch" and str(args.save_strategy.value) == "epoch",
               "evaluates and saves every epoch")
    rates = [5e-5 * (1 - t / 300) for t in range(300)]
    kept = 1.0
    for r in rates:
        kept *= 1 - r * args.weight_decay
    check.close(1 - kept, 0.000075, "300 linear steps from 5e-5 shrink a weight by 0.0075 %", rel=0.01)


def finetune_ax(check, cfg):
    check.close(cfg.weight_decay, 0.01, "weight_decay = 0.01")
    check.that(cfg.lr_scheduler == "linear" and cfg.val_set_size > 0, "a linear schedule and a validation set")
    check.that(cfg.early_stopping_patience == 2 and cfg.load_best_model_at_end, "early stopping, best model kept")
    check.that(cfg.save_steps % cfg.eval_steps == 0, "a checkpoint at every evaluation it may stop at")


def adapters_pt(check, ns):
    """The PEFT adapter: only the LoRA factors are trained and decayed, the
    model starts as the base model, AdamW's decay shrinks A and B by
    1 − lr·λ, and 300 linear steps from 2e-4 keep 0.999699 of them."""
    model = ns["model"]
    opt = pytorch_optimizer(check, ns, "AdamW")
    factors = {n for n, _ in model.named_parameters() if ".lora_A." in n or ".lora_B." in n}
    check.that(len(factors) == 4, "an A and a B on each of the two linear layers")
    check.that(set(opt.decay) == factors, "the optimizer holds the LoRA factors and nothing else")
    check.that(opt.decayed() == factors and all(wd == 0.01 for wd in opt.decay.values()), "weight_decay 0.01 on A and B")
    check.that(all(not p.requires_grad for n, p in model.named_parameters() if n not in factors),
               "the base weights, biases, norm and embedding are frozen")
    layers = [m for m in model.modules() if hasattr(m, "lora_A") and "default" in getattr(m, "scaling", {})]
    check.that(len(layers) == 2 and all(m.scaling["default"] == 2.0 for m in layers), "scale α/r = 16/8 = 2")
    check.that(all(m.lora_dropout["default"].p == 0.05 for m in layers), "lora_dropout 0.05 on the adapter's input")
    tokens = torch.randint(0, 50, (4, 6))
    model.eval()
    with torch.no_grad():
        adapted = model(tokens)
        with model.disable_adapter():
            base = model(tokens)
    check.that(torch.equal(adapted, base), "B = 0: the adapted model starts as the base model")
    named = {n: p for n, p in model.named_parameters() if n in factors}
    before = {n: p.detach().clone() for n, p in named.items()}
    for p in named.values():
        p.grad = torch.zeros_like(p)
    ns["optimizer"].step()
    check.that(all(torch.allclose(named[n], before[n] * (1 - 2e-4 * 0.01), rtol=0, atol=1e-9) for n in named),
               "a step with no gradient multiplies A and B by 1 − lr·λ (decoupled)")
    kept = 1.0
    for _ in range(300):
        kept *= 1 - opt.first["lr"] * opt.first["weight_decay"]
        ns["scheduler"].step()
    check.that(round(kept, 6) == 0.999699, f"300 linear steps from 2e-4 keep Π(1 − lr_t·λ) = 0.999699 of A and B (got {kept:.7f})")
    check.that(round(kept * kept, 6) == 0.999398, "and 0.999398 of ΔW = s·B·A")


def adapters_hf(check, ns):
    """The Trainer on a PEFT model: its AdamW holds only the LoRA factors,
    decayed at 0.01; a linear schedule over 300 steps keeps 0.999699."""
    from peft import LoraConfig, get_peft_model
    from transformers import get_scheduler

    from snippet_runners import CheckModel

    args = ns["args"]
    check.close(args.learning_rate, 2e-4, "learning_rate = 2e-4")
    check.close(args.weight_decay, 0.01, "TrainingArguments.weight_decay = 0.01")
    check.that(args.lr_scheduler_type.value == "linear", "a linear schedule")
    check.that(args.load_best_model_at_end and str(args.eval_strategy.value) == "epoch",
               "evaluates every epoch and keeps the best")
    model = get_peft_model(CheckModel(), LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05,
                                                    target_modules=["hidden", "out"]))
    trainer, _ = trainer_for(args, model)
    opt = Optimizer(trainer.optimizer, model)
    factors = {n for n, _ in model.named_parameters() if ".lora_A." in n or ".lora_B." in n}
    check.that(opt.cls == "AdamW", "the Trainer builds torch.optim.AdamW")
    check.that(set(opt.decay) == factors and opt.decayed() == factors, "its optimizer holds and decays A and B only")
    check.that(all(wd == 0.01 for wd in opt.decay.values()), "weight_decay 0.01 on A and B")
    scheduler = get_scheduler(args.lr_scheduler_type, trainer.optimizer, num_warmup_steps=0, num_training_steps=300)
    kept = 1.0
    for _ in range(300):
        kept *= 1 - opt.first["lr"] * opt.first["weight_decay"]
        scheduler.step()
    check.that(round(kept, 6) == 0.999699, f"300 linear steps keep Π(1 − lr_t·λ) = 0.999699 of A and B (got {kept:.7f})")


def adapters_ax(check, cfg):
    check.that(cfg.adapter == "lora" and cfg.lora_r == 8 and cfg.lora_alpha == 16, "a LoRA adapter, r 8, α 16")
    check.close(cfg.lora_dropout, 0.05, "lora_dropout = 0.05")
    check.that(cfg.lora_target_linear, "on every linear layer")
    check.close(cfg.weight_decay, 0.01, "weight_decay = 0.01")
    check.close(cfg.learning_rate, 2e-4, "learning_rate = 2e-4")
    check.that(cfg.lr_scheduler == "linear" and cfg.val_set_size > 0, "a linear schedule and a validation set")
    check.that(cfg.early_stopping_patience == 2 and cfg.load_best_model_at_end, "early stopping, best evaluation kept")
    check.that(cfg.save_steps % cfg.eval_steps == 0, "a checkpoint at every evaluation it may stop at")


EXPECTATIONS = {
    "overfitting": (overfitting_pt, overfitting_hf, overfitting_ax),
    "l2-vs-decoupled-sgd": (l2_sgd_pt, l2_sgd_hf, l2_sgd_ax),
    "adam-l2-vs-adamw": (adamw_pt, adamw_hf, adamw_ax),
    "dropout-vs-decay": (dropout_pt, dropout_hf, dropout_ax),
    "what-to-decay": (exclusion_pt, exclusion_hf, exclusion_ax),
    "tuning-lambda": (sweep_pt, sweep_hf, sweep_ax),
    "decay-and-schedules": (schedule_pt, schedule_hf, schedule_ax),
    "timescale": (timescale_pt, timescale_hf, timescale_ax),
    "fine-tuning": (finetune_pt, finetune_hf, finetune_ax),
    "adapters": (adapters_pt, adapters_hf, adapters_ax),
    "final-quiz": (recipe_pt, recipe_hf, recipe_ax),
}
