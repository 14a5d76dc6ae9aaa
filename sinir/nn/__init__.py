"""Layers, losses and the Module base class, in PyTorch's shape."""
from .module import Module, Parameter
from .containers import Sequential, ModuleList, ModuleDict
from .linear import Linear, Identity, Flatten, Unflatten
from .activation import (ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, GELU, SiLU, ELU, Softplus, Hardtanh, PReLU,
                         Softmax, LogSoftmax, Softmax2d, Dropout, Dropout2d)
from .conv import Conv1d, Conv2d, ConvTranspose2d
from .pooling import MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, LocalResponseNorm
from .sparse import Embedding
from .rnn import RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell
from .upsampling import Upsample
from .loss import (MSELoss, RMSELoss, L1Loss, MAELoss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss,
                   CrossEntropyLoss, NLLLoss, KLDivLoss, MarginRankingLoss)
from . import functional, init, utils
from . import parallel


def __getattr__(name):
    """``nn.SyncBatchNorm`` lives with the distributed code (importing it here eagerly would be a cycle)."""
    if name == "SyncBatchNorm":
        from ..distributed.sync_batchnorm import SyncBatchNorm
        return SyncBatchNorm
    raise AttributeError(f"module 'sinir.nn' has no attribute {name!r}")
