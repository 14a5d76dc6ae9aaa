"""Real training on the full MNIST set (from $SINIR_DATA or ../shared/data/mnist)."""
import numpy as np
import pytest

import sinir
from sinir import nn, optim
from sinir.data import DataLoader
from sinir.datasets import MNIST, Compose, Flatten, Normalize, ToTensor
from sinir.training import TrainingDivergedError, evaluate, fit
from tests.conftest import mnist_dir

DATA = mnist_dir()
needs_mnist = pytest.mark.skipif(DATA is None, reason="the full MNIST is not at $SINIR_DATA or ../shared/data/mnist")


@needs_mnist
def test_mlp_reaches_96_percent_after_one_epoch():
    transform = Compose([ToTensor(), Normalize(0.1307, 0.3081), Flatten()])
    train = MNIST(DATA, train=True, download=False, transform=transform)
    test = MNIST(DATA, train=False, download=False, transform=transform)
    assert len(train) == 60_000 and len(test) == 10_000 and not train.is_sample
    sinir.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    history = fit(model, DataLoader(train, batch_size=32, shuffle=True, seed=0), nn.CrossEntropyLoss(),
                  optimizer, epochs=1, progress=None)
    accuracy = evaluate(model, DataLoader(test, batch_size=1000))["accuracy"]
    print(f"MLP 784-128-10 after one epoch: test accuracy {accuracy:.4f}, "
          f"{history[0]['images_per_second']:.0f} images/s")
    assert accuracy >= 0.96


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_a_diverging_loss_stops_training_and_names_the_learning_rate():
    x = sinir.randn(64, 3)
    y = x @ sinir.tensor([[1.0], [2.0], [3.0]]) * 1000
    model = nn.Linear(3, 1)
    optimizer = optim.SGD(model.parameters(), lr=10.0)
    loader = DataLoader(sinir.data.TensorDataset(x, y), batch_size=16)
    with pytest.raises(TrainingDivergedError, match=r"training diverged; the likely cause: learning rate 10 is too "
                                                     r"large; try a smaller one, e.g. 1"):
        fit(model, loader, nn.MSELoss(), optimizer, epochs=50, progress=None)


@needs_mnist
def test_lenet5_reaches_96_percent_after_one_epoch_on_20000_images():
    transform = Compose([ToTensor(), Normalize(0.1307, 0.3081)])
    train = sinir.data.Subset(MNIST(DATA, train=True, download=False, transform=transform), np.arange(20_000))
    test = MNIST(DATA, train=False, download=False, transform=transform)
    sinir.manual_seed(0)
    model = sinir.models.lenet5()
    optimizer = optim.Adam(model.parameters(), lr=2e-3)
    history = fit(model, DataLoader(train, batch_size=32, shuffle=True, seed=0), nn.CrossEntropyLoss(),
                  optimizer, epochs=1, progress=None)
    accuracy = evaluate(model, DataLoader(test, batch_size=1000))["accuracy"]
    print(f"LeNet-5 after one epoch on 20,000 images: test accuracy {accuracy:.4f}, "
          f"{history[0]['seconds']:.1f} s")
    assert accuracy >= 0.96
