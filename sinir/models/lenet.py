"""LeNet-5 (LeCun et al., 1998), the network the lecture starts its architectures with."""
import math

import numpy as np

from .. import nn
from ..functions import concatenate
from ..nn import functional as F
from ..tensor import Tensor


def lenet5(num_classes=10, in_channels=1, classic=False):
    """LeNet-5. Modern form (default): padded 5x5 convolutions, ReLU, max-pooling, 120-84-10:
    61,706 parameters for MNIST. ``classic=True``: the 1998 paper's network (see LeNet5Classic).

    >>> lenet5()(sinir.randn(8, 1, 28, 28)).shape
    (8, 10)
    """
    if classic:
        return LeNet5Classic(num_classes, in_channels)
    return LeNet5(num_classes, in_channels)


class LeNet5(nn.Module):
    """conv 5x5 (6) - pool - conv 5x5 (16) - pool - 400 - 120 - 84 - classes, ReLU and max-pooling."""

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, num_classes))

    def forward(self, x):
        x = self.features(x)
        if x.shape[2:] != (5, 5):  # other image sizes than 28x28: bring the maps to 5x5
            x = F.adaptive_max_pool2d(x, 5)
        return self.classifier(x)


class ScaledTanh(nn.Module):
    """The paper's squashing function: f(a) = A tanh(S a) with A = 1.7159, S = 2/3."""

    def forward(self, x):
        return (x * (2 / 3)).tanh() * 1.7159


class Subsampling(nn.Module):
    """The paper's S-layers: each map's 2x2 sums times a trainable coefficient plus a trainable
    bias (2 parameters per map), then a sigmoid."""

    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(np.full(channels, 0.25))
        self.bias = nn.Parameter(np.zeros(channels))

    def forward(self, x):
        sums = F.avg_pool2d(x, 2) * 4
        return (sums * self.weight.reshape(1, -1, 1, 1) + self.bias.reshape(1, -1, 1, 1)).sigmoid()


# The paper's Table I: which S2 maps each C3 map sees (6 x 3 contiguous, 6 x 4 contiguous,
# 3 x 4 non-contiguous, 1 x all six), so that maps learn different, complementary features.
C3_CONNECTIONS = ([[i, (i + 1) % 6, (i + 2) % 6] for i in range(6)] +
                  [[i, (i + 1) % 6, (i + 2) % 6, (i + 3) % 6] for i in range(6)] +
                  [[0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5]] + [list(range(6))])


class PartialConv2d(nn.Module):
    """C3: 16 maps, each a 5x5 convolution over its own subset of the 6 input maps (1,516 parameters)."""

    def __init__(self, connections=C3_CONNECTIONS, kernel_size=5):
        super().__init__()
        self.connections = [list(c) for c in connections]
        self.maps = nn.ModuleList(nn.Conv2d(len(c), 1, kernel_size) for c in self.connections)

    def forward(self, x):
        return concatenate([conv(x[:, inputs]) for conv, inputs in zip(self.maps, self.connections)], axis=1)


class EuclideanRBF(nn.Module):
    """The paper's output layer: class k scores -||x - c_k||^2 against a fixed code c_k in {-1, +1}^84.

    The codes are not learned (the paper drew them by hand as 7x12 bitmaps; here they are a fixed
    seeded pattern), so they are a buffer, not parameters.
    """

    def __init__(self, in_features=84, num_classes=10):
        super().__init__()
        codes = np.where(np.random.default_rng(1998).random((num_classes, in_features)) < 0.5, -1.0, 1.0)
        self.register_buffer("centers", codes.astype(np.float32))

    def forward(self, x):
        difference = x.unsqueeze(1) - Tensor._make(self.centers.astype(x.dtype))
        return -(difference * difference).sum(axis=2)


class LeNet5Classic(nn.Module):
    """LeNet-5 as in the 1998 paper: 32x32 input (28x28 images padded by 2), C1 conv 6@5x5,
    S2 trainable subsampling, C3 partially connected conv 16@5x5, S4 subsampling, C5 conv 120@5x5,
    F6 84 units, scaled tanh after C and F layers, sigmoid after S layers, and an RBF output.
    60,000 trainable parameters, the paper's count."""

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.c1 = nn.Conv2d(in_channels, 6, 5)
        self.s2 = Subsampling(6)
        self.c3 = PartialConv2d()
        self.s4 = Subsampling(16)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, 84)
        self.output = EuclideanRBF(84, num_classes)
        self.squash = ScaledTanh()
        for module in (self.c1, self.c5, self.f6, *self.c3.maps):
            bound = 2.4 / math.sqrt(module.weight[0].numel())   # the paper's U(-2.4/F_in, 2.4/F_in), on sqrt
            nn.init.uniform_(module.weight, -bound, bound)

    def forward(self, x):
        if x.shape[2:] == (28, 28):
            x = F.pad(x, (2, 2, 2, 2))          # the paper centres MNIST's 28x28 in 32x32
        x = self.s2(self.squash(self.c1(x)))
        x = self.s4(self.squash(self.c3(x)))
        if x.shape[2:] != (5, 5):
            x = F.adaptive_avg_pool2d(x, 5)
        x = self.squash(self.c5(x)).flatten(1)
        return self.output(self.squash(self.f6(x)))
