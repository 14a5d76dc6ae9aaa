"""pytorch/examples' MNIST program, run unchanged on sinir (its datasets and DataLoader) and on
PyTorch, from the same state_dict, in float64: every printed line agrees (losses to 6 digits)
and so do the final weights. A small run: 64 training and 50 test images, 2 epochs, no dropout
(the two libraries draw different masks)."""
import re
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torch.utils.data

import sinir
from sinir.datasets import MNIST, Compose, Normalize, ToTensor

from tests.programs import mnist_example

ARGS = SimpleNamespace(**{**vars(mnist_example.DEFAULTS), "batch_size": 32, "test_batch_size": 50, "epochs": 2,
                          "log_interval": 1, "dropout": (0.0, 0.0)})


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """PyTorch's many small operations here are slower with threads fighting over a busy CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def float64_default():
    sinir.set_default_dtype(sinir.float64)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    sinir.set_default_dtype(sinir.float32)
    torch.set_default_dtype(previous)


def _numbers(line):
    return [float(n) for n in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", line)]


def test_mnist_example_matches_pytorch(float64_default):
    transform = Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])
    train_set = sinir.data.Subset(MNIST(train=True, transform=transform), list(range(64)))
    test_set = sinir.data.Subset(MNIST(train=False, transform=transform), list(range(50)))
    ours_loaders = (sinir.data.DataLoader(train_set, batch_size=ARGS.batch_size),
                    sinir.data.DataLoader(test_set, batch_size=ARGS.test_batch_size))

    def torch_set(dataset):
        images = np.stack([np.asarray(dataset[i][0], dtype=np.float64) for i in range(len(dataset))])
        labels = np.array([int(dataset[i][1]) for i in range(len(dataset))])
        return torch.utils.data.TensorDataset(torch.tensor(images), torch.tensor(labels))

    theirs_loaders = (torch.utils.data.DataLoader(torch_set(train_set), batch_size=ARGS.batch_size),
                      torch.utils.data.DataLoader(torch_set(test_set), batch_size=ARGS.test_batch_size))

    theirs_printed, ours_printed = [], []
    untrained = mnist_example.main(torch, SimpleNamespace(**{**vars(ARGS), "epochs": 0}), *theirs_loaders)
    initial = {k: v.detach().numpy().copy() for k, v in untrained.state_dict().items()}   # PyTorch's init
    theirs = mnist_example.main(torch, ARGS, *theirs_loaders, {k: torch.tensor(v) for k, v in initial.items()},
                                print=theirs_printed.append)
    ours = mnist_example.main(sinir, ARGS, *ours_loaders, {k: sinir.tensor(v) for k, v in initial.items()},
                              print=ours_printed.append)

    assert len(ours_printed) == len(theirs_printed) == 2 * (2 + 1)
    for mine, reference_line in zip(ours_printed, theirs_printed):
        assert re.sub(r"[-\d.e]+", "#", mine) == re.sub(r"[-\d.e]+", "#", reference_line)
        np.testing.assert_allclose(_numbers(mine), _numbers(reference_line), rtol=1e-5, err_msg=mine)
    for (name, ours_value), (_, theirs_value) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        np.testing.assert_allclose(np.asarray(ours_value), theirs_value.numpy(), rtol=1e-6, atol=1e-9,
                                   err_msg=name)
