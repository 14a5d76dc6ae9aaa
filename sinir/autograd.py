"""Autograd: the ``Function`` protocol and the backward walk, in one file.

**The graph.** Every differentiable operation is a ``Function`` subclass with ``forward`` and
``backward`` on plain NumPy arrays. Calling an instance on tensors runs ``forward``; when a
gradient is wanted it also records itself as the result's ``grad_fn``, with the input tensors in
``inputs``. The graph is these records, from the loss back to the leaves.

**The walk.** ``loss.backward()`` (and ``sinir.autograd.grad``) orders the tensors that need a
gradient so that each comes after everything computed from it (an explicit stack, no recursion),
then goes through them once in reverse: the gradient of a tensor is complete when its turn comes,
its hooks see it, and its ``grad_fn.backward`` turns dE/d(output) into one dE/d(input) per input.
The walk checks what each backward returns: one gradient per input, each of the input's shape and
a floating dtype (a custom op that forgot to undo broadcasting is caught here, named).

**In place.** Each tensor has a version counter, bumped by every in-place change. A Function
remembers the versions of the tensors whose data its backward reads (``saved_inputs``, and the
result when ``saves_output``), and the walk refuses to use data changed since, with PyTorch's
error instead of a wrong gradient. A recorded in-place change makes the tensor the output of a new
node; operations that read the tensor before keep their edge to its earlier history (``_as_read_by``).

**Higher order.** With ``create_graph=True`` the walk runs each Function's ``backward_graph``
instead: the same derivative written with Tensor operations on the input tensors and the
output, so that the gradient is itself a graph that can be differentiated again (gradient
penalties, Hessian-vector products). Ordinary backward keeps the NumPy fast path and never
touches ``backward_graph``. A Function without one (convolution, pooling for now) still gives
first derivatives under ``create_graph``; their gradients carry a node that raises, naming the
operation, if a second backward reaches it.

**Your own operation,** PyTorch's way: subclass ``Function`` with static ``forward(ctx, ...)``
and ``backward(ctx, grad)`` on tensors and call ``MyOp.apply(x)`` (see ``Function.apply``).
"""
import itertools
import sys

import numpy as np

from .grad_mode import _GradMode, enable_grad, no_grad, set_grad_enabled, is_grad_enabled  # noqa: F401
from .tensor import Tensor

__all__ = ["Function", "grad", "backward", "no_grad", "enable_grad", "set_grad_enabled",
           "unbroadcast", "gradcheck", "gradgradcheck", "Variable"]


_recorded = itertools.count()     # numbers the recorded operations (see Function.sequence)


class Function:
    """One differentiable operation.

    A subclass takes its options in ``__init__``, computes the result from plain arrays in
    ``forward`` (saving only what backward needs) and, in ``backward``, turns dE/d(output) into
    one dE/d(input) per input, as a tuple (None where an input needs no gradient).
    Calling the instance on tensors runs forward and, when a gradient is wanted, records it:

    >>> y = Exp()(x)          # the same as x.exp()

    Class attributes tell the walk what backward reads (for the in-place checks):
    ``saved_inputs`` (indices of the inputs whose data backward uses; None means all),
    ``saves_output`` (backward uses the result), ``is_view`` (the result shares memory with
    input 0). ``backward_graph(grad, inputs, output)`` is the same derivative in Tensor
    operations, for ``create_graph=True``.
    """

    inputs = ()
    needs_input_grad = ()
    released = False
    saved_inputs = None
    saves_output = False
    is_view = False
    backward_graph = None
    grad_fn_name = None
    _versions = ()
    sequence = -1           # recorded operations are numbered in the order they ran
    replaced = None         # an in-place operation's: the tensor holding the value it overwrote

    def forward(self, *arrays):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    def release(self):
        """Drop what forward saved once backward has used it (frees memory early), inputs included;
        the node keeps its name. (PyTorch also keeps ``next_functions``; sinir does not, for speed.)"""
        state = self.__dict__
        name = state.get("grad_fn_name")
        state.clear()
        state["released"] = True
        if name is not None:
            state["grad_fn_name"] = name

    def __call__(self, *tensors):
        output = self.forward(*[t._data for t in tensors])
        if type(output) is not np.ndarray:
            output = np.asarray(output)
        if _GradMode.enabled:
            for t in tensors:
                if t.requires_grad:
                    return self._record(tensors, output)
        result = Tensor._make(output)
        if self.is_view:
            result._counter, result._base = tensors[0]._counter, tensors[0]
        return result

    def _record(self, tensors, output):
        self.inputs = tensors
        self.sequence = next(_recorded)
        self.needs_input_grad = tuple([t.requires_grad for t in tensors])
        result = Tensor._make(output, self)
        if self.is_view:
            result._counter, result._base = tensors[0]._counter, tensors[0]
        saved = self.saved_inputs
        if saved is None:
            versions = [(t._counter, t._counter[0]) for t in tensors]
        elif saved:
            versions = [(tensors[i]._counter, tensors[i]._counter[0]) for i in saved if i < len(tensors)]
        else:
            versions = []
        if self.saves_output:
            versions.append((result._counter, result._counter[0]))
        if versions:
            self._versions = versions
        return result

    # ----- the graph as PyTorch shows it ----------------------------------------------------
    def name(self):
        """PyTorch's name for this node (``MulBackward0``), or the class name + 'Backward'."""
        return self.grad_fn_name or f"{type(self).__name__}Backward"

    @property
    def next_functions(self):
        """((node, 0), ...) per input: its grad_fn, AccumulateGrad for a leaf that requires grad,
        None for an input that needs no gradient. Empty once backward has freed the node."""
        return tuple((_node_of(_as_read_by(t, self)), 0) for t in self.inputs)

    def __repr__(self):
        return f"<{self.name()}>"

    # ----- PyTorch-style custom functions ---------------------------------------------------
    @classmethod
    def apply(cls, *args, **kwargs):
        """Run a PyTorch-style Function: static ``forward(ctx, *args)`` and ``backward(ctx, grad)``
        on tensors, ``ctx.save_for_backward(...)`` and ``ctx.saved_tensors`` as in PyTorch.

        >>> class MyReLU(sinir.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x.clamp(min=0)
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         x, = ctx.saved_tensors
        ...         return grad_output * (x > 0)
        >>> y = MyReLU.apply(x)
        """
        node = FunctionCtx(cls, args)
        with no_grad():
            output = cls.forward(node, *args, **kwargs)
        if not isinstance(output, Tensor):
            raise TypeError(f"{cls.__name__}.forward must return one Tensor, got {type(output).__name__}")
        tensors = node.tensor_inputs
        if _GradMode.enabled and any(t.requires_grad for t in tensors):
            return node._record(tensors, output._data)
        return Tensor._make(output._data)


class FunctionCtx(Function):
    """The ``ctx`` of a PyTorch-style Function and, once recorded, its node in the graph."""

    saved_inputs = ()

    def __init__(self, cls, args):
        self.function_class = cls
        self.tensor_positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        self.tensor_inputs = tuple(args[i] for i in self.tensor_positions)
        self.all_needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        self.to_save = ()

    def name(self):
        return f"{self.function_class.__name__}Backward"

    def save_for_backward(self, *tensors):
        self.to_save = tuple((t, t._counter, t._counter[0]) if isinstance(t, Tensor) else (t, None, None)
                             for t in tensors)

    @property
    def saved_tensors(self):
        for t, counter, version in self.to_save:
            if counter is not None and counter[0] != version:
                raise RuntimeError(_modified_message(t, self.name(), counter[0], version))
        return tuple(t for t, _, _ in self.to_save)

    def mark_dirty(self, *tensors):
        """Accepted for PyTorch's API; sinir's in-place bookkeeping needs no marking here."""

    def mark_non_differentiable(self, *tensors):
        """Accepted for PyTorch's API (the outputs' gradients are then ignored by backward)."""

    def set_materialize_grads(self, value):
        """Accepted for PyTorch's API: sinir always passes backward a gradient tensor."""

    @property
    def needs_input_grad(self):
        return self.all_needs_input_grad

    @needs_input_grad.setter
    def needs_input_grad(self, value):
        pass  # Function._record sets it per tensor input; PyTorch's ctx lists every argument

    def _user_backward(self, grad):
        grads = self.function_class.backward(self, grad)
        if not isinstance(grads, tuple):
            grads = (grads,)
        if len(grads) != len(self.all_needs_input_grad):
            raise RuntimeError(f"{self.function_class.__name__}.backward returned {len(grads)} gradients, "
                               f"but forward took {len(self.all_needs_input_grad)} arguments (one each, "
                               "None for arguments that need none)")
        return tuple(grads[i] for i in self.tensor_positions)

    def backward(self, grad):
        with no_grad():
            grads = self._user_backward(Tensor._make(np.asarray(grad)))
        return tuple(None if g is None else np.asarray(g._data if isinstance(g, Tensor) else g) for g in grads)

    def backward_graph(self, grad, inputs, output):
        return self._user_backward(grad)


class AccumulateGrad:
    """The node PyTorch shows for a leaf that requires grad: backward adds into ``variable.grad``."""

    next_functions = ()

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def __repr__(self):
        return "<AccumulateGrad>"


def _node_of(tensor):
    if not tensor.requires_grad:
        return None
    return tensor._ctx if tensor._ctx is not None else AccumulateGrad(tensor)


class _NoDoubleBackward(Function):
    """Stands for the gradient of an operation that has no ``backward_graph``: first derivatives
    are fine, a second backward through it raises, naming the operation."""

    def __init__(self, operation):
        self.operation = operation

    def name(self):
        return f"{self.operation}DoubleBackward"

    def backward(self, grad):
        raise RuntimeError(f"{self.operation} does not support double backward: its gradient cannot be "
                           "differentiated again in sinir (create_graph=True through it gives first "
                           "derivatives only)")


# ----- helpers the operations use ---------------------------------------------------------------

def unbroadcast(grad, shape):
    """Sum a gradient back to the shape of an operand that NumPy broadcast.

    If x of shape (3, 1) was broadcast to (2, 3, 4), each x element was used 2 * 4 times,
    so dE/dx is dE/dy summed over those copies: over the new leading axis and the stretched one.
    Works on arrays and on Tensors (for ``backward_graph``).
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return grad.sum(axes, keepdims=True).reshape(shape) if axes else grad.reshape(shape)


def broadcast_error(name, a, b):
    return ValueError(f"{name}: shapes {a.shape} and {b.shape} cannot be broadcast together")


def _modified_message(tensor, node_name, version, expected):
    return (f"one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{tensor.dtype} tensor of shape {list(tensor.shape)}], used by {node_name}, is at "
            f"version {version}; expected version {expected} instead. Hint: the in-place change "
            "(+=, add_, x[...] = ...) came after the operation saved the tensor; use the out-of-place "
            "form (x = x + ...) or clone() first")


# ----- the backward walk -----------------------------------------------------------------------

def _as_read_by(parent, function):
    """``parent`` as ``function`` read it.

    An in-place operation recorded on a tensor after ``function`` ran made the tensor its own
    output (``h.mul_(3)``: h is now the result of MulBackward). ``function`` read the value before,
    which that operation keeps as ``replaced``; so its gradient goes there, and on to h's earlier
    history. (PyTorch's graph edges point at nodes, not tensors, and never see the change.)
    """
    node = parent._ctx
    while node is not None and node.replaced is not None and node.sequence > function.sequence:
        parent = node.replaced
        node = parent._ctx
    return parent


def _topological_order(roots):
    """Tensors reachable from ``roots`` that need gradients, each after all of its inputs.

    An explicit stack instead of recursion, so that a chain of 10,000 operations is fine. A tensor
    goes on the stack twice: first to push its inputs, then (``inputs_done``) to take its place in
    the order once they all have theirs.
    """
    order, visited = [], set()
    stack = [(root, False) for root in reversed(roots)]
    push, pop, visit = stack.append, stack.pop, visited.add          # bound once: this loop is hot
    while stack:
        tensor, inputs_done = pop()
        if inputs_done:
            order.append(tensor)
            continue
        key = id(tensor)
        if key in visited:
            continue
        visit(key)
        push((tensor, True))
        function = tensor._ctx
        if function is not None:
            for parent in function.inputs:
                if parent._ctx is not None and parent._ctx.replaced is not None:   # changed in place since
                    parent = _as_read_by(parent, function)
                if parent.requires_grad and id(parent) not in visited:
                    push((parent, False))
    return order


def _check_versions(function):
    for counter, version in function._versions:
        if counter[0] != version:
            for t in function.inputs:
                if t._counter is counter:
                    shown = t
                    break
            else:
                shown = None
            shape = "?" if shown is None else list(shown.shape)
            dtype = "" if shown is None else f"{shown.dtype} "
            raise RuntimeError(
                f"one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: [{dtype}tensor of shape {shape}], saved by {function.name()}, is at version "
                f"{counter[0]}; expected version {version} instead. Hint: the in-place change (+=, add_, "
                "x[...] = ...) came after the operation saved the tensor; use the out-of-place form "
                "(x = x + ...) or clone() first")


def _checked_gradient(function, index, parent, grad, create_graph):
    """The slow path of the walk's check: a gradient of another floating dtype is converted (as
    PyTorch's engine does); a wrong shape or a non-floating gradient is an error naming the Function."""
    try:
        usable = grad.shape == parent._data.shape and grad.dtype.kind == "f"
    except AttributeError:
        usable = False
    if not usable:
        raise _bad_gradient(function, index, parent, grad)
    if grad.dtype == parent._data.dtype:
        return grad
    return grad.to(parent._data.dtype) if create_graph else grad.astype(parent._data.dtype)


def _one_per_input(function, grads, count):
    """Extra gradients are fine when they are None (an optional input left out, as PyTorch allows);
    missing ones, or extra ones that are not None, are an error naming the Function."""
    grads = tuple(grads)
    if len(grads) > count and all(g is None for g in grads[count:]):
        return grads[:count]
    raise RuntimeError(f"{type(function).__name__}.backward returned {len(grads)} gradients for {count} inputs; "
                       "it must return one per input (None where an input needs none)")


def _bad_gradient(function, index, parent, grad):
    name = type(function).__name__
    if getattr(grad, "dtype", None) is None or not hasattr(grad, "shape"):
        return RuntimeError(f"{name}.backward returned a {type(grad).__name__} for input {index}; "
                            "expected an array (or None)")
    if grad.shape != parent.shape:
        return RuntimeError(
            f"{name}.backward returned a gradient of shape {tuple(grad.shape)} for input {index}, "
            f"which has shape {tuple(parent.shape)}; a gradient must have its input's shape (sum over "
            "broadcast axes with unbroadcast(grad, shape))")
    return RuntimeError(f"{name}.backward returned a gradient of dtype {grad.dtype} for input {index}; "
                        "gradients must be floating point")


class TensorHooks:
    """What a tensor carries only when asked: hooks before its gradient is used (``pre``), hooks after
    a leaf's ``.grad`` is accumulated (``post``), and whether it keeps ``.grad`` (``retain_grad``)."""

    __slots__ = ("pre", "post", "retains_grad")

    def __init__(self):
        self.pre, self.post, self.retains_grad = {}, {}, False


def _run_hooks(tensor, grad, create_graph):
    for hook in list(tensor._hooks.pre.values()):
        result = hook(grad if create_graph else Tensor._make(np.asarray(grad)))
        if result is not None:
            if not isinstance(result, Tensor):
                raise TypeError(f"a tensor hook must return a Tensor or None, got {type(result).__name__}")
            if tuple(result.shape) != tuple(tensor.shape):
                raise RuntimeError(f"a tensor hook returned a gradient of shape {tuple(result.shape)} for a "
                                   f"tensor of shape {tuple(tensor.shape)}")
            grad = result if create_graph else result._data
    return grad


def _references(array):
    return sys.getrefcount(array)


def _held_by_one_variable():
    array = np.empty(0)
    return _references(array)


# what _references says of an array that one variable alone holds (the count differs across Python versions)
_ONE_HOLDER = _held_by_one_variable()


def _adoptable(grad, alone, dtype):
    """Whether ``.grad`` may take ``grad`` without a copy, as PyTorch's AccumulateGrad steals a
    gradient nobody else holds (VGG-16 copied 550 MB a step before): the walk's variable ``alone``
    holds it, and it is a fresh array of its own (not a view, and no view of it exists: a view holds
    its base), writable, row-major, of the parameter's dtype."""
    return (alone and type(grad) is np.ndarray and grad.base is None and grad.dtype == dtype and
            grad.flags.c_contiguous and grad.flags.writeable)


def _accumulate_into_grad(tensor, grad, create_graph, alone=False):
    """``tensor.grad += grad``: gradients add up across backward calls until zeroed. A first
    gradient that the caller's variable holds ``alone`` may become ``.grad`` itself (``_adoptable``)."""
    existing = tensor._grad
    if create_graph:
        if grad._data.dtype != tensor._data.dtype:
            grad = grad.to(tensor._data.dtype)
        tensor._grad = grad if existing is None else existing + grad
    elif existing is None:
        if _adoptable(grad, alone, tensor._data.dtype):
            tensor._grad = Tensor._make(grad)
        else:
            tensor._grad = Tensor._make(np.array(grad, dtype=tensor._data.dtype, copy=True))
    elif existing.requires_grad:
        tensor._grad = Tensor._make(existing._data + grad)
    else:
        existing._data += grad
    hooks = tensor._hooks
    if hooks is not None and hooks.post:
        for hook in list(hooks.post.values()):
            hook(tensor)


def _graph_backward(function, grad, output):
    """dE/d(inputs) as Tensors recorded in a graph (for create_graph=True)."""
    if function.backward_graph is not None:
        return function.backward_graph(grad, function.inputs, output)
    arrays = function.backward(grad._data)
    node_inputs = (grad,) + tuple(function.inputs)
    needs = any(t.requires_grad for t in node_inputs)
    results = []
    for g in arrays:
        if g is None:
            results.append(None)
        elif needs:
            node = _NoDoubleBackward(function.name())
            node.inputs = node_inputs
            node.needs_input_grad = tuple(t.requires_grad for t in node_inputs)
            results.append(Tensor._make(np.asarray(g), node))
        else:
            results.append(Tensor._make(np.asarray(g)))
    return tuple(results)


def _run_backward(roots, root_grads, retain_graph, create_graph, inputs=None, accumulate=True):
    """The walk: one pass in reverse topological order. Returns the gradients of ``inputs``
    (when given) instead of accumulating into leaves' ``.grad`` (autograd.grad)."""
    pending = {}  # dE/d(tensor), summed over every path that reaches it
    for root, root_grad in zip(roots, root_grads):
        key = id(root)
        pending[key] = root_grad if key not in pending else pending[key] + root_grad
    wanted = None if inputs is None else {id(t): i for i, t in enumerate(inputs)}
    found = [None] * (0 if inputs is None else len(inputs))
    order = _topological_order(roots)
    with set_grad_enabled(create_graph):
        for tensor in reversed(order):
            grad = pending.pop(id(tensor), None)
            if grad is None:
                continue
            hooks = tensor._hooks
            if hooks is not None and hooks.pre:
                grad = _run_hooks(tensor, grad, create_graph)
            function = tensor._ctx
            if wanted is not None and id(tensor) in wanted:
                found[wanted[id(tensor)]] = grad
            if accumulate and (function is None or hooks is not None and hooks.retains_grad):
                # a leaf's first gradient held by nothing else may become its .grad without a copy
                alone = function is None and not create_graph and _references(grad) == _ONE_HOLDER
                _accumulate_into_grad(tensor, grad, create_graph, alone)
            if function is None:
                continue
            if function.released:
                raise RuntimeError("Trying to backward through the graph a second time: an earlier backward "
                                   "already freed this part of it (its saved values). Call the first "
                                   "backward(retain_graph=True) to go through it twice")
            for counter, version in function._versions:
                if counter[0] != version:
                    _check_versions(function)
            if create_graph:
                input_grads = _graph_backward(function, grad, tensor)
            else:
                input_grads = function.backward(grad)
            parents = function.inputs
            if len(input_grads) != len(parents):
                input_grads = _one_per_input(function, input_grads, len(parents))
            for index, (parent, parent_grad) in enumerate(zip(parents, input_grads)):
                if parent_grad is None:
                    continue
                if parent._ctx is not None and parent._ctx.replaced is not None:   # changed in place since
                    parent = _as_read_by(parent, function)
                if not parent.requires_grad:
                    continue
                data = parent._data
                try:
                    fits = parent_grad.dtype is data.dtype and parent_grad.shape == data.shape
                except AttributeError:
                    fits = False
                if not fits:
                    parent_grad = _checked_gradient(function, index, parent, parent_grad, create_graph)
                key = id(parent)
                earlier = pending.get(key)
                pending[key] = parent_grad if earlier is None else earlier + parent_grad
            if not retain_graph:
                function.release()
            input_grads = parent_grad = earlier = None     # let go, so that a leaf may adopt its gradient
    return found


def _root_grads(outputs, grad_outputs, create_graph, caller):
    grads = []
    for i, (output, grad) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(output, Tensor):
            raise TypeError(f"{caller}: outputs must be Tensors, got {type(output).__name__}")
        if not output.requires_grad:
            raise RuntimeError(f"{caller}: element {i} of the outputs does not require grad and has no "
                               "grad_fn; make an input with requires_grad=True (or use a Parameter) before "
                               "the operations")
        if grad is None:
            if output._data.size != 1:
                raise RuntimeError(f"{caller}: grad can be implicitly created only for scalar outputs; the "
                                   f"output has shape {tuple(output.shape)}: pass a gradient of that shape "
                                   "or reduce it to one number first")
            grad = np.ones_like(output._data)
            grads.append(Tensor._make(grad) if create_graph else grad)
            continue
        if isinstance(grad, Tensor):
            if tuple(grad.shape) != tuple(output.shape):
                raise RuntimeError(f"{caller}: the gradient has shape {tuple(grad.shape)}, the output has "
                                   f"shape {tuple(output.shape)}")
            if create_graph:
                grads.append(grad if grad.dtype == output.dtype else grad.to(output.dtype))
            else:
                grads.append(np.asarray(grad._data, dtype=output._data.dtype))
            continue
        array = np.asarray(grad, dtype=output._data.dtype)
        if array.shape != output._data.shape:
            raise RuntimeError(f"{caller}: the gradient has shape {array.shape}, the output has shape "
                               f"{tuple(output.shape)}")
        grads.append(Tensor._make(array) if create_graph else array)
    return grads


def _as_tuple(value):
    if value is None:
        return None
    if isinstance(value, Tensor):
        return (value,)
    return tuple(value)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into ``.grad`` of every leaf that requires grad (PyTorch's
    ``torch.autograd.backward``); ``tensor.backward()`` calls this."""
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) or (None,) * len(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _root_grads(tensors, grad_tensors, create_graph, "backward")
    if inputs is not None:
        inputs = _as_tuple(inputs)
        found = _run_backward(list(tensors), grads, retain_graph, create_graph, inputs, accumulate=False)
        for tensor, g in zip(inputs, found):
            if g is not None:
                _accumulate_into_grad(tensor, g, create_graph)
        return
    _run_backward(list(tensors), grads, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    """d(outputs)/d(inputs) as a tuple of tensors, without touching any ``.grad`` (PyTorch's
    ``torch.autograd.grad``). With ``create_graph=True`` the gradients are graphs themselves and
    can be differentiated again.

    >>> (g,) = sinir.autograd.grad((x ** 3).sum(), x, create_graph=True)     # 3 x^2
    >>> (h,) = sinir.autograd.grad(g.sum(), x)                               # 6 x
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"grad: input {i} does not require grad; every input must be a tensor with "
                               "requires_grad=True")
    grad_outputs = _as_tuple(grad_outputs) or (None,) * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    if retain_graph is None:
        retain_graph = create_graph
    grads = _root_grads(outputs, grad_outputs, create_graph, "grad")
    found = _run_backward(list(outputs), grads, retain_graph, create_graph, inputs, accumulate=False)
    results = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if materialize_grads:
                results.append(Tensor._make(np.zeros_like(t._data)))
                continue
            if not allow_unused:
                raise RuntimeError(f"grad: input {i} was not used to compute the outputs; pass "
                                   "allow_unused=True to get None for it")
            results.append(None)
        elif isinstance(g, Tensor):
            results.append(g)
        else:
            results.append(Tensor._make(np.array(g, dtype=t._data.dtype, copy=True)))
    return tuple(results)


def Variable(data, requires_grad=False, volatile=False):
    """PyTorch's old wrapper (before version 0.4), kept there for old tutorials: the tensor itself."""
    tensor = data if isinstance(data, Tensor) else Tensor(data)
    return tensor.requires_grad_(requires_grad) if requires_grad else tensor


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` takes the hook off."""

    _next_id = 0

    def __init__(self, hooks):
        self.hooks = hooks
        RemovableHandle._next_id += 1
        self.id = RemovableHandle._next_id

    def remove(self):
        self.hooks.pop(self.id, None)


def gradcheck(*args, **kwargs):
    from .gradcheck import gradcheck as check
    return check(*args, **kwargs)


def gradgradcheck(*args, **kwargs):
    from .gradcheck import gradgradcheck as check
    return check(*args, **kwargs)
