"""The 60-minute blitz's training programs, run unchanged on sinir and on PyTorch from the same
state_dict in float64: printed values and final weights agree to 1e-6."""
import numpy as np
import pytest
import torch

import sinir

from tests.programs import blitz_programs as programs


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """PyTorch's many small operations here are slower with threads fighting over a busy CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _state(shapes, seed):
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(-1, 1, shape) / np.sqrt(np.prod(shape[1:]) if len(shape) > 1 else shape[0])
            for name, shape in shapes.items()}


LENET_SHAPES = {"conv1.weight": (6, 1, 5, 5), "conv1.bias": (6,), "conv2.weight": (16, 6, 5, 5),
                "conv2.bias": (16,), "fc1.weight": (120, 400), "fc1.bias": (120,), "fc2.weight": (84, 120),
                "fc2.bias": (84,), "fc3.weight": (10, 84), "fc3.bias": (10,)}


def test_neural_networks_page():
    state = _state(LENET_SHAPES, 0)
    rng = np.random.default_rng(1)
    arrays = rng.standard_normal((1, 1, 32, 32)), rng.standard_normal((1, 10)), rng.standard_normal((1, 10))
    results = [programs.neural_networks(library, {k: library.tensor(v) for k, v in state.items()},
                                        *[library.tensor(a) for a in arrays])
               for library in (sinir, torch)]
    ours, theirs = results
    assert ours["len(params)"] == theirs["len(params)"] == 10
    assert ours["params[0].size()"] == theirs["params[0].size()"] == (6, 1, 5, 5)
    assert ours["conv1.bias.grad before backward"] is None is theirs["conv1.bias.grad before backward"]
    # sinir builds MSE from smaller operations, so its node names differ (MeanBackward0, ...)
    assert theirs["grad_fn"][0] == "MseLossBackward0" and all(n.endswith("Backward0") for n in ours["grad_fn"])
    for key in ("out", "loss", "conv1.bias.grad after backward", "losses"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-6, err_msg=key)
    assert ours["losses"][-1] < ours["losses"][0]


def test_cifar10_training_loop():
    shapes = dict(LENET_SHAPES, **{"conv1.weight": (6, 3, 5, 5)})
    state = _state(shapes, 2)
    rng = np.random.default_rng(3)
    images = rng.standard_normal((40, 3, 32, 32))
    labels = rng.integers(0, 10, 40)
    images[np.arange(40), labels % 3] += 1.0        # something to learn
    results = []
    for library in (sinir, torch):
        batches = [(library.tensor(images[i:i + 4]), library.tensor(labels[i:i + 4])) for i in range(0, 32, 4)]
        test = [(library.tensor(images[i:i + 4]), library.tensor(labels[i:i + 4])) for i in range(32, 40, 4)]
        results.append(programs.cifar10(library, {k: library.tensor(v) for k, v in state.items()}, batches, test))
    (ours_printed, ours_weights), (theirs_printed, theirs_weights) = results
    assert ours_printed == theirs_printed
    assert len(ours_printed) == 4 + 1 + 10
    for a, b in zip(ours_weights, theirs_weights):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
