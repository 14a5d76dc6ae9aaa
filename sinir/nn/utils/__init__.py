"""Gradient clipping and flat parameter vectors, PyTorch's ``torch.nn.utils``."""
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
