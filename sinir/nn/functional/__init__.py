"""Functions behind the layers and losses, PyTorch's ``torch.nn.functional`` names and signatures.

>>> import sinir.nn.functional as F
>>> loss = F.cross_entropy(logits, labels)

The functions live in files by kind: activations, layers (linear, dropout, embedding, ...),
losses, convolution and pooling, normalisation.
"""
from .activation import (relu, relu_, relu6, leaky_relu, sigmoid, tanh, softmax, log_softmax, gelu, silu, elu,
                         softplus, hardtanh, prelu)
from .layers import linear, dropout, dropout2d, pad, one_hot, embedding
from .loss import (REDUCTIONS, mse_loss, rmse_loss, l1_loss, huber_loss, smooth_l1_loss, binary_cross_entropy,
                   binary_cross_entropy_with_logits, cross_entropy, nll_loss, kl_div, margin_ranking_loss,
                   _check_reduction)
from .conv import (conv1d, conv2d, conv_transpose2d, max_pool2d, avg_pool2d, adaptive_avg_pool2d,
                   adaptive_max_pool2d, interpolate, conv_padding, _int_pair)
from .normalization import batch_norm, layer_norm, group_norm, local_response_norm
