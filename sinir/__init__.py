"""sinir: a deep-learning library in pure NumPy, written to be read.

>>> import sinir
>>> from sinir import nn
>>> sinir.manual_seed(0)
>>> model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
>>> loss = nn.CrossEntropyLoss()(model(sinir.randn(32, 784)), sinir.tensor(labels))
>>> loss.backward()
"""
import numpy as np

from . import allocator        # keeps freed arrays for the next step (see sinir/allocator.py)
from .tensor import (Tensor, get_default_dtype, set_default_dtype, promote_types,  # first: everything builds on it
                     result_type)
from .return_types import Size
from .grad_mode import (no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode,
                        is_inference_mode_enabled)
from .random import manual_seed, seed, initial_seed, default_generator, get_rng_state, set_rng_state
from .device import device
from .functions import (tensor, as_tensor, zeros, ones, empty, full, zeros_like, ones_like, full_like,
                        empty_like, randn, rand, randn_like, rand_like, randint, randperm, arange, linspace, eye,
                        from_numpy, is_tensor, numel, where, concatenate, cat, stack, pad, max, min, maximum,
                        minimum, sort, topk, kthvalue, median, argmax, argmin, sum, mean, softmax, log_softmax,
                        matmul, mm, clamp, clip, exp, log, sqrt, sin, cos, abs, tanh, sigmoid, relu, flatten, reshape,
                        transpose, permute, squeeze, unsqueeze, clone, equal, allclose, norm)
from .tensor_functions import (split, chunk, gather, scatter, scatter_add, index_select, masked_select, masked_fill,
                               nonzero, isnan, isfinite, var, std, prod, cumsum, log1p, tan, eq, ne, lt, le, gt, ge,
                               t, bmm, outer, dot, einsum)
from .gradcheck import gradcheck, gradgradcheck, GradcheckError
from . import autograd, return_types, cuda, accelerator
from . import ops, nn, optim, data, utils, training, datasets, models, checkpoint, linear_model, preprocessing

# dtype names, as PyTorch's (NumPy's scalar types underneath: t.dtype == sinir.float32)
float32 = np.float32
float64 = double = np.float64
float16 = half = np.float16
int64 = long = np.int64
int32 = np.int32
int16 = short = np.int16
int8 = np.int8
uint8 = np.uint8
float = np.float32  # noqa: A001  (shadows the builtin inside this module only, as torch.float does)
int = np.int32  # noqa: A001
bool = np.bool_  # noqa: A001

from .serialization import save, load  # noqa: E402

__version__ = "0.2.0"
