"""micrograd's moons demo, unchanged on sinir and on PyTorch from the same weights, float64."""
import re

import numpy as np
import pytest
import torch
from sklearn.datasets import make_moons

import sinir

from tests.programs.micrograd_moons import demo


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """PyTorch's many small operations here are slower with threads fighting over a busy CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_moons_demo_matches_pytorch_and_learns():
    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    y = y * 2 - 1  # make y be -1 or 1
    torch.manual_seed(0)
    reference = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16),
                                    torch.nn.ReLU(), torch.nn.Linear(16, 1))
    state = {k: v.detach().double().numpy() for k, v in reference.state_dict().items()}
    printed = {"sinir": [], "torch": []}
    models = {}
    for name, library in (("sinir", sinir), ("torch", torch)):
        library.set_default_dtype(library.float64)
        try:
            models[name] = demo(library, X, y, {k: library.tensor(v) for k, v in state.items()},
                                print=printed[name].append)
        finally:
            library.set_default_dtype(library.float32)
    assert len(printed["sinir"]) == len(printed["torch"]) == 10
    for ours, theirs in zip(printed["sinir"], printed["torch"]):
        ours_numbers = [float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?|\d+", ours)]
        theirs_numbers = [float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?|\d+", theirs)]
        np.testing.assert_allclose(ours_numbers, theirs_numbers, rtol=1e-6, err_msg=ours)
    assert printed["sinir"][-1].endswith("accuracy 100.0%") or "accuracy 9" in printed["sinir"][-1]
    for (key, ours), (_, theirs) in zip(models["sinir"].state_dict().items(), models["torch"].state_dict().items()):
        np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-6, atol=1e-9, err_msg=key)
