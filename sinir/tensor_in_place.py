"""The in-place methods of Tensor (``add_``, ``+=``, ``x[i] = v``, ``zero_``, ``normal_``, ...).

``Tensor`` (``sinir/tensor.py``) inherits them from ``InPlaceMethods``. An in-place method writes
its result into the tensor's own memory, so every view of it and its ``.data`` see the change,
and returns the tensor itself. sinir follows PyTorch's rules for this:

* **dtype.** The result is computed with the usual promotion rules and must fit the tensor
  (no floating result into an integer tensor, nothing but bool into bool):
  ``int_tensor.add_(0.5)`` raises "result type Float can't be cast to the desired output type Long".
* **The leaf error.** While gradients are recorded, a leaf that requires grad (a parameter)
  cannot change in place, nor can a view of it: its gradient is about the value it has, and an
  in-place change would silently make that value another. Update parameters under
  ``sinir.no_grad()`` (as the optimizers do) or through ``p.data``.
* **Version counters.** Every in-place change adds 1 to the tensor's counter (``t._version``,
  shared with its views and ``detach()``). An operation that saves a tensor for its backward
  notes the version it saw; if the tensor has changed since, backward refuses with PyTorch's
  "modified by an inplace operation" error instead of using the wrong value.
* **Recorded in-place operations.** When the tensor, or the other operand, requires grad and
  gradients are on, ``_record_in_place`` keeps the graph correct: the old value moves into a
  new tensor that takes the tensor's old place in the graph, the operation is recorded on
  (old value, other operands) as usual, and the tensor itself becomes that operation's output,
  its memory overwritten with the result. A view of a tensor that requires grad is refused here
  (PyTorch rewrites the base's history; sinir does not).

>>> h = x * 2                   # not a leaf: may change in place
>>> h.relu_()                   # h is now the output of ReLU applied to the old h
>>> with sinir.no_grad():
...     w -= 0.1 * w.grad       # a parameter: only outside the recorded graph
"""
import numpy as np

from .grad_mode import _GradMode
from . import random as _random
# tensor.py imports this file before it defines Tensor, so its names (Tensor, result_type, the
# operations _ops, ...) are read from the module when a method runs, not imported here.
from . import tensor as _tensor


class InPlaceMethods:
    """The methods of Tensor that change the tensor itself (PyTorch's ``*_`` methods)."""

    __slots__ = ()  # Tensor keeps its __slots__ (no per-tensor __dict__)

    # ----- Python's operators: +=, -=, *=, /=, **=, @= ------------------------------------
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __ipow__(self, exponent):
        return self.pow_(exponent)

    def __imatmul__(self, other):
        result = self @ other
        if result.shape != self.shape:
            raise RuntimeError(f"@=: the product has shape {tuple(result.shape)}, the tensor {tuple(self.shape)}")
        return self.copy_(result)

    def __setitem__(self, key, value):
        """``x[key] = value`` changes x in place (recorded in the graph when gradients are on)."""
        key = _tensor._raw_key(key)
        value_tensor = value if isinstance(value, _tensor.Tensor) else None
        if _GradMode.enabled and (self.requires_grad or (value_tensor is not None and value_tensor.requires_grad)):
            self._check_in_place()
            if value_tensor is None:
                value_tensor = _tensor.Tensor._make(np.asarray(value, dtype=self._data.dtype))
            elif value_tensor.dtype != self.dtype:
                value_tensor = value_tensor.to(self.dtype)
            return self._record_in_place(_tensor._ops.IndexPut(key), value_tensor)
        self._check_in_place()
        raw = value._data if value_tensor is not None else value
        if value_tensor is not None and not _can_cast(raw.dtype, self._data.dtype):
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{_tensor._dtype_name(self._data.dtype)} for the destination and "
                               f"{_tensor._dtype_name(raw.dtype)} for the source.")
        self._data[key] = raw
        self._counter[0] += 1

    # ----- the machinery: checks, the update, the graph ---------------------------------------
    def _check_in_place(self):
        if _GradMode.enabled and self.requires_grad and self._ctx is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        if _GradMode.enabled and self._base is not None and self._base.requires_grad and \
                self._base._ctx is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place "
                               "operation.")

    def _in_place(self, function, *others, floating=False):
        """Run ``function`` (an operation from sinir.ops) on (self, *others) and store the result in
        self's own memory, as PyTorch's ``add_`` and ``+=`` do.

        The result's dtype follows the promotion rules and must fit self's (no float into an
        integer tensor). Outside a recorded graph this is the plain NumPy update. When gradients
        are recorded, self becomes the output of ``function`` applied to its previous value, and
        its version counter goes up, so that an operation that saved the old value refuses to
        backpropagate with the new.
        """
        self._check_in_place()
        dtype = _tensor.result_type(self, *others)
        if floating and dtype.kind != "f":
            dtype = _tensor.get_default_dtype()
        if not _can_cast(dtype, self._data.dtype):
            raise RuntimeError(f"result type {_tensor._dtype_name(dtype)} can't be cast to the desired output "
                               f"type {_tensor._dtype_name(self._data.dtype)}")
        others = [_tensor._cast(o, dtype) for o in others]
        if _GradMode.enabled and (self.requires_grad or any(o.requires_grad for o in others)):
            return self._record_in_place(function, *others, dtype=dtype)
        result = function.forward(self._data.astype(dtype, copy=False), *[o._data for o in others])
        self._store(result)
        return self

    def _store(self, result):
        """Write ``result`` (broadcast, cast) into self's memory and count the change."""
        result = np.asarray(result)
        if not _can_cast(result.dtype, self._data.dtype):
            raise RuntimeError(f"result type {_tensor._dtype_name(result.dtype)} can't be cast to the desired "
                               f"output type {_tensor._dtype_name(self._data.dtype)}")
        if result.shape != self._data.shape:
            try:
                result = np.broadcast_to(result, self._data.shape)
            except ValueError:
                raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the broadcast "
                                   f"shape {list(result.shape)}") from None
        np.copyto(self._data, result, casting="unsafe")
        self._counter[0] += 1

    def _record_in_place(self, function, *others, dtype=None):
        """Record ``function`` on (old self, *others) and make self its output (see the module docstring)."""
        if self._base is not None and self._base.requires_grad:
            raise RuntimeError("sinir cannot record an in-place operation on a view of a tensor that "
                               "requires grad (PyTorch rewrites the base's history; sinir does not): use the "
                               "out-of-place form, e.g. y = x.clone(); y[...] = ...")
        # the old value takes self's place in the graph; a copy of it only if backward reads it
        # (ReLU's reads its output instead, so relu_ copies nothing)
        old_value = self._data if function.saved_inputs == () else self._data.copy()
        previous = _tensor.Tensor._make(old_value, self._ctx)
        previous.requires_grad = self.requires_grad
        output = function(previous if dtype is None else _tensor._cast(previous, dtype), *others)
        if not _can_cast(output._data.dtype, self._data.dtype):
            raise RuntimeError(f"result type {_tensor._dtype_name(output._data.dtype)} can't be cast to the "
                               f"desired output type {_tensor._dtype_name(self._data.dtype)}")
        self._store(output._data)
        # the node checks the versions of what it saved: its output is now self, at self's new version
        node = output._ctx
        node._versions = [(self._counter, self._counter[0]) if counter is output._counter else (counter, v)
                          for counter, v in node._versions]
        node.replaced = previous      # operations that read self before this one read previous (see _as_read_by)
        self._ctx, self.requires_grad = node, True
        return self

    # ----- arithmetic and element-wise functions ---------------------------------------------
    def add_(self, other, *, alpha=1):
        other = other * alpha if alpha != 1 else other
        return self._in_place(_tensor._ops.Add(), _operand_like(self, other))

    def sub_(self, other, *, alpha=1):
        other = other * alpha if alpha != 1 else other
        return self._in_place(_tensor._ops.Sub(), _operand_like(self, other))

    def mul_(self, other):
        return self._in_place(_tensor._ops.Mul(), _operand_like(self, other))

    def div_(self, other):
        return self._in_place(_tensor._ops.Div(), _operand_like(self, other), floating=True)

    def pow_(self, exponent):
        return self._in_place(_tensor._ops.Pow(), _operand_like(self, exponent))

    def neg_(self):
        return self._in_place(_tensor._ops.Neg())

    def exp_(self):
        return self._in_place(_tensor._ops.Exp(), floating=True)

    def log_(self):
        return self._in_place(_tensor._ops.Log(), floating=True)

    def sqrt_(self):
        return self._in_place(_tensor._ops.Sqrt(), floating=True)

    def abs_(self):
        return self._in_place(_tensor._ops.Abs())

    def sigmoid_(self):
        return self._in_place(_tensor._ops.Sigmoid(), floating=True)

    def tanh_(self):
        return self._in_place(_tensor._ops.Tanh(), floating=True)

    def relu_(self):
        return self._in_place(_tensor._ops.ReLU())

    def clamp_(self, min=None, max=None):
        _tensor._check_clamp(min, max)
        return self._in_place(_tensor._ops.Clip(_tensor._raw(min), _tensor._raw(max)))

    clip_ = clamp_

    def addcmul_(self, tensor1, tensor2, *, value=1):
        return self.add_(tensor1 * tensor2 * value)

    def addcdiv_(self, tensor1, tensor2, *, value=1):
        return self.add_(tensor1 / tensor2 * value)

    def lerp_(self, end, weight):
        return self.add_((end - self) * weight)

    # ----- copies and fills ------------------------------------------------------------------
    def copy_(self, source, non_blocking=False):
        """Copy ``source``'s values (broadcast, converted to self's dtype) into self."""
        source = _operand_like(self, source)
        if source._data.dtype != self._data.dtype:
            source = source.to(self._data.dtype)
        return self._in_place(_tensor._ops.CopyFrom(), source)

    def zero_(self):
        """Set every element to 0 (in place)."""
        return self.fill_(0)

    def fill_(self, value):
        self._check_in_place()
        if isinstance(value, _tensor.Tensor) and value.requires_grad and _GradMode.enabled:
            return self.copy_(value.expand(self.shape))
        if _GradMode.enabled and self.requires_grad:
            filled = np.full(self._data.shape, _tensor._raw(value), dtype=self._data.dtype)
            return self._record_in_place(_tensor._ops.CopyFrom(), _tensor.Tensor._make(filled))
        self._data[...] = _tensor._raw(value)
        self._counter[0] += 1
        return self

    def masked_fill_(self, mask, value):
        mask = np.asarray(_tensor._raw(mask), dtype=bool)
        filled = _tensor.Tensor._make(np.where(mask, np.asarray(_tensor._raw(value), dtype=self._data.dtype),
                                               self._data))
        if _GradMode.enabled and self.requires_grad:
            return self._in_place(_tensor._ops.Where(~mask), _tensor.Tensor._make(filled._data))
        return self._in_place(_tensor._ops.CopyFrom(), filled)

    # ----- random fills, from sinir's seeded generator (sinir/random.py) ----------------------
    def _fill_random(self, values):
        self._check_in_place()
        self._data[...] = values
        self._counter[0] += 1
        return self

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with samples of N(mean, std^2) from sinir's seeded generator."""
        rng = generator if generator is not None else _random.default_generator()
        return self._fill_random(rng.normal(mean, std, self._data.shape))

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        """Fill with samples of U(a, b) from sinir's seeded generator."""
        rng = generator if generator is not None else _random.default_generator()
        return self._fill_random(rng.uniform(a, b, self._data.shape))

    def bernoulli_(self, p=0.5, *, generator=None):
        """Fill with 1 with probability p (a number or a tensor of probabilities), else 0."""
        rng = generator if generator is not None else _random.default_generator()
        return self._fill_random(rng.random(self._data.shape) < np.asarray(_tensor._raw(p)))

    def random_(self, low=0, high=None, *, generator=None):
        rng = generator if generator is not None else _random.default_generator()
        if high is None:
            low, high = 0, low if low else 2 ** 24
        return self._fill_random(rng.integers(low, high, self._data.shape))

    def exponential_(self, lambd=1.0, *, generator=None):
        rng = generator if generator is not None else _random.default_generator()
        return self._fill_random(rng.exponential(1 / lambd, self._data.shape))


# ----- helpers: only the in-place methods use them ----------------------------------------------

def _can_cast(source, target):
    """PyTorch's in-place rule: no floating result into an integer tensor, nothing but bool into bool."""
    return _tensor._CATEGORY[np.dtype(source).kind] <= _tensor._CATEGORY[np.dtype(target).kind]


def _operand_like(tensor, other):
    """The second operand of an in-place operation on ``tensor``."""
    if isinstance(other, _tensor.Tensor):
        return other
    if isinstance(other, (np.ndarray, list, tuple)):
        return _tensor.Tensor(other)
    dtype = _tensor.result_type(tensor, other)
    return _tensor.Tensor._make(np.asarray(other, dtype=dtype))
