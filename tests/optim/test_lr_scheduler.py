"""Each schedule gives PyTorch's learning rates, step by step."""
import numpy as np
import pytest

from sinir import nn, optim
from sinir.optim import lr_scheduler

torch = pytest.importorskip("torch")

SCHEDULES = [
    ("StepLR", dict(step_size=3, gamma=0.5), "SGD", 20),
    ("MultiStepLR", dict(milestones=[2, 5, 9], gamma=0.3), "SGD", 20),
    ("ExponentialLR", dict(gamma=0.9), "SGD", 20),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.001), "SGD", 20),
    ("OneCycleLR", dict(max_lr=0.5, total_steps=30), "SGD", 29),
    ("OneCycleLR", dict(max_lr=0.5, total_steps=30, anneal_strategy="linear", three_phase=True), "SGD", 29),
    ("OneCycleLR", dict(max_lr=0.01, epochs=3, steps_per_epoch=10, pct_start=0.25), "Adam", 29),
]


@pytest.mark.parametrize("name, options, optimizer, steps", SCHEDULES,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(SCHEDULES)])
def test_schedule_matches_pytorch(name, options, optimizer, steps):
    ours_opt = getattr(optim, optimizer)([nn.Parameter(np.ones(2))], lr=0.1)
    theirs_opt = getattr(torch.optim, optimizer)([torch.ones(2, requires_grad=True)], lr=0.1)
    ours = getattr(lr_scheduler, name)(ours_opt, **options)
    theirs = getattr(torch.optim.lr_scheduler, name)(theirs_opt, **options)
    for _ in range(steps):
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-9)
        momentum_key = "betas" if optimizer == "Adam" else "momentum"
        assert np.allclose(np.ravel(ours_opt.param_groups[0][momentum_key]),
                           np.ravel(theirs_opt.param_groups[0][momentum_key]))
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()


def test_reduce_on_plateau_matches_pytorch():
    ours_opt = optim.SGD([nn.Parameter(np.ones(2))], lr=1.0)
    theirs_opt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=1.0)
    ours = lr_scheduler.ReduceLROnPlateau(ours_opt, patience=2, cooldown=1, factor=0.5, min_lr=0.05)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs_opt, patience=2, cooldown=1, factor=0.5, min_lr=0.05)
    metrics = [5, 4, 4, 4, 4, 4, 3, 3.9999, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5]
    for value in metrics:
        ours.step(value)
        theirs.step(value)
        assert ours_opt.param_groups[0]["lr"] == pytest.approx(theirs_opt.param_groups[0]["lr"])


def test_bad_schedule_arguments():
    opt = optim.SGD([nn.Parameter(np.ones(2))], lr=0.1)
    with pytest.raises(ValueError, match="step_size must be at least 1"):
        lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="factor must be in"):
        lr_scheduler.ReduceLROnPlateau(opt, factor=2)
    with pytest.raises(ValueError, match="total_steps"):
        lr_scheduler.OneCycleLR(opt, max_lr=1.0)
