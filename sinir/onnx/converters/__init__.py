"""One small function per sinir operation, writing the ONNX nodes that compute the same thing.

Each converter is called as ``convert(g, step, inputs)``: ``g`` is the GraphBuilder, ``step`` the
recorded operation (``step.fn`` is the sinir Function, its attributes are the options), ``inputs``
the ONNX names of its input values. It returns the ONNX name of the result.
The table below, CONVERTERS, maps each Function class name to its converter.

Shapes other than the batch are fixed when the model is traced, so converters may read them
from ``step`` (a pooling's output size, a reshape's target). Axes that follow the batch are
marked in ``step.dynamic`` and must not be written into the graph as numbers.
"""
from .elementwise import (same_op, leaky_relu, clip, cast, where, softmax, log_softmax, gelu, silu, elu, softplus,
                          hardtanh, prelu)
from .shape import (reduction, take_along_axis, reshape, transpose, broadcast_to, concatenate, stack, pad, copy_from,
                    index)
from .layers import (linear, conv2d, conv_transpose2d, max_pool2d, avg_pool2d, adaptive_pool, batch_norm,
                     local_response_norm, layer_norm, group_norm, resize2d)
from .recurrent import recurrent_layer

# ----- the table: sinir Function class name -> converter ---------------------------------------------
CONVERTERS = {
    "Add": same_op("Add"), "Sub": same_op("Sub"), "Mul": same_op("Mul"), "Div": same_op("Div"),
    "Pow": same_op("Pow"), "Neg": same_op("Neg"), "MatMul": same_op("MatMul"), "Cast": cast,
    "Exp": same_op("Exp"), "Log": same_op("Log"), "Sqrt": same_op("Sqrt"), "Abs": same_op("Abs"),
    "Clip": clip, "Where": where,
    "ReLU": same_op("Relu"), "LeakyReLU": leaky_relu, "Sigmoid": same_op("Sigmoid"), "Tanh": same_op("Tanh"),
    "Softmax": softmax, "LogSoftmax": log_softmax,
    "Sum": reduction("ReduceSum"), "Mean": reduction("ReduceMean"), "Max": reduction("ReduceMax"),
    "Min": reduction("ReduceMin"),
    "Reshape": reshape, "Transpose": transpose, "BroadcastTo": broadcast_to, "Index": index,
    "Concatenate": concatenate, "Stack": stack, "Pad": pad,
    "Linear": linear, "Conv2d": conv2d, "MaxPool2d": max_pool2d, "AvgPool2d": avg_pool2d,
    "AdaptiveAvgPool2d": adaptive_pool("Average"), "AdaptiveMaxPool2d": adaptive_pool("Max"),
    "BatchNorm": batch_norm, "LocalResponseNorm": local_response_norm,
    "Maximum": same_op("Max"), "Minimum": same_op("Min"), "Clone": same_op("Identity"), "CopyFrom": copy_from,
    "TakeAlongAxis": take_along_axis,
    "GELU": gelu, "SiLU": silu, "ELU": elu, "Softplus": softplus, "Hardtanh": hardtanh, "PReLU": prelu,
    "LayerNorm": layer_norm, "GroupNorm": group_norm,
    "ConvTranspose2d": conv_transpose2d, "Resize2d": resize2d,
    "LSTMLayer": recurrent_layer, "GRULayer": recurrent_layer, "RNNLayer": recurrent_layer,
}
