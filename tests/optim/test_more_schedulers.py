"""LambdaLR, MultiplicativeLR, LinearLR, ConstantLR, CosineAnnealingWarmRestarts, SequentialLR,
ChainedScheduler and CyclicLR: the learning rates of PyTorch's, step by step."""
import math

import numpy as np
import pytest

from sinir import nn, optim
from sinir.optim import lr_scheduler

torch = pytest.importorskip("torch")


def _pair(optimizer="SGD", **options):
    ours = getattr(optim, optimizer)([nn.Parameter(np.ones(2))], lr=0.1, **options)
    theirs = getattr(torch.optim, optimizer)([torch.ones(2, requires_grad=True)], lr=0.1, **options)
    return ours, theirs


SIMPLE = [
    ("LambdaLR", lambda lib: dict(lr_lambda=lambda e: 1 / (e + 1))),
    ("MultiplicativeLR", lambda lib: dict(lr_lambda=lambda e: 0.9 if e % 2 else 0.7)),
    ("LinearLR", lambda lib: dict(start_factor=0.25, end_factor=0.9, total_iters=6)),
    ("ConstantLR", lambda lib: dict(factor=0.5, total_iters=3)),
    ("CosineAnnealingWarmRestarts", lambda lib: dict(T_0=3, T_mult=2, eta_min=0.01)),
    ("CosineAnnealingWarmRestarts", lambda lib: dict(T_0=4)),
    ("CyclicLR", lambda lib: dict(base_lr=0.01, max_lr=0.1, step_size_up=3)),
    ("CyclicLR", lambda lib: dict(base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=3, mode="triangular2")),
    ("CyclicLR", lambda lib: dict(base_lr=0.01, max_lr=0.1, step_size_up=2, mode="exp_range", gamma=0.9)),
]


def _compare(ours_opt, theirs_opt, ours, theirs, steps=12, key="momentum"):
    for _ in range(steps):
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
        assert np.allclose(np.ravel(ours_opt.param_groups[0].get(key, 0)), np.ravel(theirs_opt.param_groups[0].get(key, 0)))
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()


@pytest.mark.parametrize("name, options", SIMPLE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SIMPLE)])
def test_schedule_matches_pytorch(name, options):
    ours_opt, theirs_opt = _pair(momentum=0.9)
    ours = getattr(lr_scheduler, name)(ours_opt, **options("sinir"))
    theirs = getattr(torch.optim.lr_scheduler, name)(theirs_opt, **options("torch"))
    _compare(ours_opt, theirs_opt, ours, theirs)


def test_cyclic_lr_cycles_adam_beta1_like_pytorch():
    ours_opt, theirs_opt = _pair("Adam")
    ours = lr_scheduler.CyclicLR(ours_opt, 0.001, 0.01, step_size_up=2, base_momentum=0.85, max_momentum=0.95)
    theirs = torch.optim.lr_scheduler.CyclicLR(theirs_opt, 0.001, 0.01, step_size_up=2, base_momentum=0.85,
                                               max_momentum=0.95)
    _compare(ours_opt, theirs_opt, ours, theirs, key="betas")


def test_sequential_lr_matches_pytorch():
    ours_opt, theirs_opt = _pair()
    ours = lr_scheduler.SequentialLR(ours_opt, [lr_scheduler.LinearLR(ours_opt, 0.1, total_iters=3),
                                                lr_scheduler.ExponentialLR(ours_opt, 0.8),
                                                lr_scheduler.CosineAnnealingLR(ours_opt, T_max=4)], milestones=[3, 7])
    theirs = torch.optim.lr_scheduler.SequentialLR(
        theirs_opt, [torch.optim.lr_scheduler.LinearLR(theirs_opt, 0.1, total_iters=3),
                     torch.optim.lr_scheduler.ExponentialLR(theirs_opt, 0.8),
                     torch.optim.lr_scheduler.CosineAnnealingLR(theirs_opt, T_max=4)], milestones=[3, 7])
    _compare(ours_opt, theirs_opt, ours, theirs, steps=14)


def test_chained_scheduler_matches_pytorch():
    ours_opt, theirs_opt = _pair()
    ours = lr_scheduler.ChainedScheduler([lr_scheduler.ConstantLR(ours_opt, factor=0.1, total_iters=2),
                                          lr_scheduler.ExponentialLR(ours_opt, gamma=0.9),
                                          lr_scheduler.StepLR(ours_opt, step_size=3, gamma=0.5)])
    theirs = torch.optim.lr_scheduler.ChainedScheduler(
        [torch.optim.lr_scheduler.ConstantLR(theirs_opt, factor=0.1, total_iters=2),
         torch.optim.lr_scheduler.ExponentialLR(theirs_opt, gamma=0.9),
         torch.optim.lr_scheduler.StepLR(theirs_opt, step_size=3, gamma=0.5)])
    _compare(ours_opt, theirs_opt, ours, theirs)


def test_warm_restarts_with_fractional_epochs_match_pytorch():
    ours_opt, theirs_opt = _pair()
    ours = lr_scheduler.CosineAnnealingWarmRestarts(ours_opt, T_0=2, T_mult=2)
    theirs = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(theirs_opt, T_0=2, T_mult=2)
    for epoch in np.arange(0, 7, 0.25):
        ours.step(float(epoch))
        theirs.step(float(epoch))
        assert ours_opt.param_groups[0]["lr"] == pytest.approx(theirs_opt.param_groups[0]["lr"], rel=1e-12)


@pytest.mark.parametrize("build, message", [
    (lambda o: lr_scheduler.ExponentialLR(o, gamma=math.nan), "ExponentialLR: gamma must be a finite number"),
    (lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=-0.5), "StepLR: gamma must be a finite number"),
    (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=math.inf), "eta_min must be a finite number"),
    (lambda o: lr_scheduler.LinearLR(o, start_factor=0), r"start_factor must be a number in \(0, 1\]"),
    (lambda o: lr_scheduler.ConstantLR(o, factor=math.nan), r"factor must be a number in \[0, 1\]"),
    (lambda o: lr_scheduler.CyclicLR(o, base_lr=math.nan, max_lr=0.1), "CyclicLR: base_lr must be a finite number"),
    (lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=0), "step_size_up must be a finite number > 0"),
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=0), "T_0 must be a positive integer"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=math.nan), r"factor must be in \(0, 1\)"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=-1.0), "min_lr must be a finite number"),
    (lambda o: lr_scheduler.OneCycleLR(o, max_lr=math.inf, total_steps=10), "max_lr must be a finite number"),
    (lambda o: lr_scheduler.LambdaLR(o, lr_lambda=3), "lr_lambda must be a function"),
    (lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.ExponentialLR(o, 0.9)], milestones=[2]),
     "needs 0 milestones for 1 schedulers"),
])
def test_bad_schedule_options_are_refused(build, message):
    opt = optim.SGD([nn.Parameter(np.ones(2))], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=message):
        build(opt)
