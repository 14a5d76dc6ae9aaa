"""Every differentiable operation of sinir, one small class each (see Function)."""
from .function import Function, unbroadcast
from .arithmetic import Add, Sub, Mul, Div, Pow, Neg, MatMul, Cast, Clone, CopyFrom
from .reduction import Sum, Mean, Max, Min, TakeAlongAxis, PutAlongAxis, CumSum
from .shape import Reshape, Transpose, BroadcastTo, Index, IndexGrad, IndexPut, Concatenate, Stack, Pad
from .elementwise import Exp, Log, Sqrt, Abs, Clip, ReLU, LeakyReLU, Sigmoid, Tanh, Where, Maximum, Minimum, Sin, Cos
from .softmax import Softmax, LogSoftmax
from .loss import Huber, SmoothL1, BinaryCrossEntropy, BinaryCrossEntropyWithLogits, CrossEntropy
from .linear import Linear
from .conv import Conv2d
from .pool import MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d
from .norm import BatchNorm, LocalResponseNorm
from .activation import GELU, SiLU, ELU, Softplus, Hardtanh, PReLU
from .more_elementwise import Log1p, Tan
from .statistics import Var, Std, Prod
from .indexing import Gather, Scatter, ScatterAdd, IndexSelect, MaskedSelect, Repeat
from .products import Bmm, Outer, Einsum
from .normalization import LayerNorm, GroupNorm
from .embedding import Embedding
from .divergence import KLDivergence
from .conv_transpose import ConvTranspose2d
from .interpolate import Resize2d
from .recurrent import RNNLayer, LSTMLayer, GRULayer
