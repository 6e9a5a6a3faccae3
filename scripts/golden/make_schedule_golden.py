#!/usr/bin/env python3
"""Golden learning rates from PyTorch's schedulers for nnj's LearningRateScheduleTest.

Writes nn-api/src/test/resources/golden/lr_schedule_golden.json. For every case it builds the scheduler on a
torch.optim.SGD optimizer whose lr is the case's base lr, and records the lr the optimizer holds before each of
`steps` optimizer steps, calling scheduler.step() after each (PyTorch's convention: step t uses the lr after t
scheduler steps). The constructs, exactly:

  step         torch.optim.lr_scheduler.StepLR(opt, step_size, gamma)
  exponential  torch.optim.lr_scheduler.ExponentialLR(opt, gamma)
  warmup_cosine
               SequentialLR(opt, [LinearLR(opt, start_factor, end_factor=1.0, total_iters=warmup),
                                  CosineAnnealingLR(opt, T_max=total - warmup, eta_min)], milestones=[warmup])
               (warmup = 0: CosineAnnealingLR(opt, T_max=total, eta_min) alone)
  one_cycle    OneCycleLR(opt, max_lr, total_steps) with every other argument at its default
               (pct_start=0.3, anneal_strategy='cos', div_factor=25, final_div_factor=1e4, three_phase=False,
               cycle_momentum=True; SGD gets momentum=0.9 so that momentum cycling is allowed)

ReduceLROnPlateau cases feed a fixed sequence of metric values to
ReduceLROnPlateau(opt, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps) and record the
lr after each scheduler.step(value).

Regenerate (tests never run this; they read the committed JSON), from the repository root:

    /usr/bin/python3 scripts/golden/make_schedule_golden.py

with Debian's python3-torch. Commit the JSON together with any change to this script.
"""

import json
import os
import warnings

import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as sched

warnings.filterwarnings("ignore")  # SequentialLR's step(0) at the milestone warns about the epoch argument

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "nn-api", "src", "test", "resources", "golden",
                   "lr_schedule_golden.json")


def optimizer(lr, momentum=0.0):
    return SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, momentum=momentum)


def record(opt, scheduler, steps):
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return lrs


def step_case(base, step_size, gamma, steps):
    opt = optimizer(base)
    return {"kind": "step", "base_lr": base, "step_size": step_size, "gamma": gamma,
            "lr": record(opt, sched.StepLR(opt, step_size, gamma), steps)}


def exponential_case(base, gamma, steps):
    opt = optimizer(base)
    return {"kind": "exponential", "base_lr": base, "gamma": gamma,
            "lr": record(opt, sched.ExponentialLR(opt, gamma), steps)}


def warmup_cosine_case(base, warmup, total, start_factor, eta_min):
    opt = optimizer(base)
    if warmup == 0:
        s = sched.CosineAnnealingLR(opt, T_max=total, eta_min=eta_min)
    else:
        s = sched.SequentialLR(opt, [
            sched.LinearLR(opt, start_factor=start_factor, end_factor=1.0, total_iters=warmup),
            sched.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=eta_min)], milestones=[warmup])
    return {"kind": "warmup_cosine", "base_lr": base, "warmup": warmup, "total": total,
            "start_factor": start_factor, "eta_min": eta_min, "lr": record(opt, s, total)}


def one_cycle_case(max_lr, total):
    opt = optimizer(0.5, momentum=0.9)  # OneCycleLR replaces the lr; 0.5 shows it is ignored
    return {"kind": "one_cycle", "base_lr": 0.5, "max_lr": max_lr, "total": total,
            "lr": record(opt, sched.OneCycleLR(opt, max_lr=max_lr, total_steps=total), total)}


def plateau_case(base, values, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps=1e-8):
    opt = optimizer(base)
    s = sched.ReduceLROnPlateau(opt, mode=mode, factor=factor, patience=patience, threshold=threshold,
                                threshold_mode=threshold_mode, cooldown=cooldown, min_lr=min_lr, eps=eps)
    lrs = []
    for v in values:
        opt.step()
        s.step(v)
        lrs.append(opt.param_groups[0]["lr"])
    return {"kind": "plateau", "base_lr": base, "values": values, "mode": mode, "factor": factor,
            "patience": patience, "threshold": threshold, "threshold_mode": threshold_mode,
            "cooldown": cooldown, "min_lr": min_lr, "eps": eps, "lr": lrs}


def main():
    losses = [1.0, 0.9, 0.85, 0.86, 0.8499, 0.85, 0.84, 0.841, 0.842, 0.843, 0.844, 0.7, 0.71, 0.72, 0.73,
              0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81, 0.82, 0.83]
    accuracies = [0.5, 0.6, 0.6, 0.61, 0.605, 0.62, 0.62, 0.62, 0.7, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69,
                  0.71, 0.7, 0.7, 0.7]
    cases = [
        step_case(0.1, 3, 0.5, 12),
        step_case(0.01, 10, 0.1, 35),
        exponential_case(0.05, 0.9, 25),
        exponential_case(1.0, 0.5, 10),
        warmup_cosine_case(0.1, 5, 30, 0.1, 1e-4),
        warmup_cosine_case(0.02, 3, 10, 0.25, 0.0),
        warmup_cosine_case(0.1, 0, 12, 1.0, 0.001),
        one_cycle_case(0.01, 100),
        one_cycle_case(0.1, 17),
        plateau_case(0.1, losses, "min", 0.1, 2, 1e-4, "rel", 0, 0.0),
        plateau_case(0.1, losses, "min", 0.5, 1, 0.01, "abs", 2, 0.03),
        plateau_case(0.01, accuracies, "max", 0.2, 2, 1e-3, "rel", 1, 1e-4),
        plateau_case(0.01, accuracies, "max", 0.5, 0, 0.005, "abs", 0, 0.0),
        plateau_case(1e-7, losses, "min", 0.1, 0, 1e-4, "rel", 0, 0.0),
    ]
    with open(OUT, "w") as f:
        # One case per line: small diffs when a case changes, and still plain JSON.
        f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    print("wrote", os.path.normpath(OUT), len(cases), "cases")


if __name__ == "__main__":
    main()
