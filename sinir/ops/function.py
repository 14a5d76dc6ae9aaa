"""The base of every differentiable operation (``Function``) and the helper that undoes
broadcasting. Both live in ``sinir/autograd.py`` with the backward walk; this module keeps the
old import path working."""
from ..autograd import Function, FunctionCtx, unbroadcast, broadcast_error  # noqa: F401
