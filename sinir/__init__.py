"""sinir: a deep-learning library in pure NumPy, written to be read.

>>> import sinir
>>> from sinir import nn
>>> sinir.manual_seed(0)
>>> model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
>>> loss = nn.CrossEntropyLoss()(model(sinir.randn(32, 784)), sinir.tensor(labels))
>>> loss.backward()
"""
import numpy as np

from .tensor import Tensor, get_default_dtype, set_default_dtype  # first: everything builds on it
from .grad_mode import no_grad, enable_grad, set_grad_enabled, is_grad_enabled
from .random import manual_seed, default_generator, get_rng_state, set_rng_state
from .functions import (tensor, zeros, ones, full, zeros_like, ones_like, randn, rand, arange, eye,
                        from_numpy, where, concatenate, cat, stack, pad)
from .gradcheck import gradcheck, GradcheckError
from . import ops, nn, optim, data, training, datasets, models, checkpoint, linear_model, preprocessing

float32 = np.float32
float64 = np.float64
int64 = np.int64

__version__ = "0.1.0"
