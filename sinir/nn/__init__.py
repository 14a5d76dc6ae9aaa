"""Layers, losses and the Module base class, in PyTorch's shape."""
from .module import Module, Parameter
from .containers import Sequential, ModuleList, ModuleDict
from .linear import Linear, Identity, Flatten
from .activation import ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Dropout, Dropout2d
from .conv import Conv2d
from .pooling import MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d
from .normalization import BatchNorm1d, BatchNorm2d, LocalResponseNorm
from .loss import (MSELoss, RMSELoss, L1Loss, MAELoss, HuberLoss, SmoothL1Loss, BCELoss,
                   BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss)
from . import functional, init
