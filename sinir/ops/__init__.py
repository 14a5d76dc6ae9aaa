"""Every differentiable operation of sinir, one small class each (see Function)."""
from .function import Function, unbroadcast
from .arithmetic import Add, Sub, Mul, Div, Pow, Neg, MatMul, Cast
from .reduction import Sum, Mean, Max, Min
from .shape import Reshape, Transpose, BroadcastTo, Index, Concatenate, Stack, Pad
from .elementwise import Exp, Log, Sqrt, Abs, Clip, ReLU, LeakyReLU, Sigmoid, Tanh, Where
from .softmax import Softmax, LogSoftmax
from .loss import Huber, SmoothL1, BinaryCrossEntropy, BinaryCrossEntropyWithLogits, CrossEntropy
from .linear import Linear
from .conv import Conv2d
from .pool import MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d
from .norm import BatchNorm, LocalResponseNorm
