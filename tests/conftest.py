import os
from pathlib import Path

import numpy as np
import pytest

import sinir


@pytest.fixture(autouse=True)
def _seed():
    """Every test starts from the same random state."""
    sinir.manual_seed(0)
    yield


def tensor64(data, requires_grad=True):
    return sinir.Tensor(np.asarray(data, dtype=np.float64), requires_grad=requires_grad, dtype=np.float64)


def random64(*shape, requires_grad=True, low=None, seed=None):
    rng = np.random.default_rng(seed if seed is not None else sum(shape) + 7)
    data = rng.standard_normal(shape)
    if low is not None:
        data = np.abs(data) + low
    return tensor64(data, requires_grad)


def mnist_dir():
    """Where the full MNIST lies: $SINIR_DATA, else ../shared/data/mnist beside the checkout."""
    candidates = [os.environ.get("SINIR_DATA"), Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "train-images-idx3-ubyte.gz").exists():
            return Path(candidate)
    return None
