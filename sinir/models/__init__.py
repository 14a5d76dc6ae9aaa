"""The model zoo: the lecture's architectures, torchvision's layer names, any input size.

>>> model = sinir.models.get("resnet18", num_classes=10, in_channels=1)
>>> sinir.models.names()
>>> print(sinir.models.summary(model, (1, 28, 28)))
"""
from .alexnet import AlexNet, alexnet
from .googlenet import GoogLeNet, googlenet
from .lenet import LeNet5, LeNet5Classic, lenet5
from .mlp import mlp
from .resnet import ResNet, resnet18, resnet34, resnet50, resnet101, resnet152
from .summary import summarize, summary
from .vgg import VGG, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn


def _lenet5_classic(num_classes=10, in_channels=1):
    return lenet5(num_classes, in_channels, classic=True)


REGISTRY = {
    "mlp": mlp,
    "lenet5": lenet5,
    "lenet5-classic": _lenet5_classic,
    "alexnet": alexnet,
    "vgg11": vgg11, "vgg13": vgg13, "vgg16": vgg16, "vgg19": vgg19,
    "vgg11_bn": vgg11_bn, "vgg13_bn": vgg13_bn, "vgg16_bn": vgg16_bn, "vgg19_bn": vgg19_bn,
    "resnet18": resnet18, "resnet34": resnet34, "resnet50": resnet50, "resnet101": resnet101,
    "resnet152": resnet152,
    "googlenet": googlenet,
}

# models that need small_input=True to work well on 28x28 and 32x32 images
SMALL_INPUT_OPTION = {name for name in REGISTRY if name.startswith(("alexnet", "vgg", "resnet"))}


def names():
    """The registered model names."""
    return sorted(REGISTRY)


def get(name, **kwargs):
    """Build a registered model by name: ``get("vgg16_bn", num_classes=10, in_channels=1)``."""
    if name not in REGISTRY:
        raise ValueError(f"unknown model {name!r}; the models are: {', '.join(names())}")
    return REGISTRY[name](**kwargs)
