"""A multilayer perceptron for images: flatten, then fully connected layers with ReLU."""
from .. import nn


def mlp(num_classes=10, in_channels=1, image_size=28, hidden=(256, 128)):
    """in_channels * image_size^2 -> hidden... -> num_classes. The default is 784-256-128-10.

    >>> mlp()(sinir.randn(8, 1, 28, 28)).shape
    (8, 10)
    """
    sizes = [in_channels * image_size * image_size, *hidden]
    layers = [nn.Flatten()]
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    layers.append(nn.Linear(sizes[-1], num_classes))
    return nn.Sequential(*layers)
