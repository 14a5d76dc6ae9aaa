"""Module, the base of every layer and model, and Parameter, a tensor that a module learns."""
from collections import OrderedDict

import numpy as np

from ..tensor import Tensor, _as_array


class Parameter(Tensor):
    """A tensor that is a learnable part of a module: it requires grad and appears in
    ``parameters()`` and ``state_dict()``.

    >>> self.weight = Parameter(np.zeros((10, 784)))
    """

    __slots__ = ()

    def __init__(self, data, requires_grad=True):
        # a Tensor keeps its dtype; other data follows the default (float32)
        array = data.data if isinstance(data, Tensor) else _as_array(data)
        super().__init__(array, requires_grad=requires_grad, dtype=array.dtype)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of layers and models, as in PyTorch.

    A subclass creates its parameters and sub-modules in ``__init__`` (assigning them as
    attributes registers them) and computes its output in ``forward``. Calling the module
    calls ``forward``.

    >>> class Net(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = Linear(784, 10)
    ...     def forward(self, x):
    ...         return self.hidden(x).relu()
    """

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_forward_hooks", {})

    # ----- registration --------------------------------------------------------------------
    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() before assigning "
                                 f"attributes (assigning {name!r})")
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        elif name in self.__dict__.get("_buffer_names", ()):
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)
            return
        self.__dict__.pop(name, None)

    def __getattr__(self, name):
        for registry in ("_parameters", "_buffers", "_modules"):
            values = self.__dict__.get(registry)
            if values is not None and name in values:
                return values[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __delattr__(self, name):
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, parameter):
        """Register ``parameter`` (a Parameter or None) under ``name``."""
        if parameter is None:
            self._parameters.pop(name, None)
            object.__setattr__(self, name, None)
        else:
            setattr(self, name, parameter)

    def register_buffer(self, name, value):
        """A non-learnable array saved in ``state_dict`` (BatchNorm's running mean, say)."""
        self.__dict__.setdefault("_buffer_names", set()).add(name)
        self.__dict__.pop(name, None)
        self._buffers[name] = None if value is None else np.asarray(value)

    def add_module(self, name, module):
        if not isinstance(module, Module) and module is not None:
            raise ValueError(f"add_module: {name!r} is a {type(module).__name__}, not a Module")
        self._modules[name] = module

    # ----- calling -------------------------------------------------------------------------
    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} has no forward method")

    def __call__(self, *inputs, **kwargs):
        output = self.forward(*inputs, **kwargs)
        for hook in self._forward_hooks.values():
            hook(self, inputs, output)
        return output

    def register_forward_hook(self, hook):
        """Call ``hook(module, inputs, output)`` after every forward (to look at feature maps, say).
        Returns a handle whose ``remove()`` takes the hook off."""
        key = object()
        self._forward_hooks[key] = hook
        return _HookHandle(self._forward_hooks, key)

    # ----- walking the module tree ----------------------------------------------------------
    def named_modules(self, prefix=""):
        """(dotted name, module) for this module and every module inside it, depth first."""
        stack = [(prefix, self)]
        seen = set()
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child_name}" if name else child_name, child)
                        for child_name, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def named_parameters(self, prefix="", recurse=True):
        """(dotted name, parameter) pairs: ``0.weight``, ``0.bias``, ... as PyTorch names them."""
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, parameter in module._parameters.items():
                if parameter is None or id(parameter) in seen:
                    continue
                seen.add(id(parameter))
                yield (f"{module_name}.{name}" if module_name else name), parameter

    def parameters(self, recurse=True):
        for _, parameter in self.named_parameters(recurse=recurse):
            yield parameter

    def named_buffers(self, prefix=""):
        for module_name, module in self.named_modules(prefix):
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self):
        for _, buffer in self.named_buffers():
            yield buffer

    def num_parameters(self, trainable_only=False):
        """How many numbers the module learns."""
        return sum(p.size for p in self.parameters() if p.requires_grad or not trainable_only)

    # ----- modes and gradients ---------------------------------------------------------------
    def train(self, mode=True):
        """Training mode (dropout active, batch statistics); returns self."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        """Evaluation mode (dropout off, running statistics); returns self."""
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        for parameter in self.parameters():
            if set_to_none or parameter.grad is None:
                parameter.grad = None
            else:
                parameter.grad[...] = 0

    def requires_grad_(self, requires_grad=True):
        for parameter in self.parameters():
            parameter.requires_grad = requires_grad
        return self

    def apply(self, fn):
        """Call ``fn(module)`` on every module (children first), as PyTorch does; returns self."""
        for module in reversed(list(self.modules())):
            fn(module)
        return self

    def to(self, dtype):
        """Convert every floating parameter and buffer to ``dtype``; returns self."""
        dtype = np.dtype(dtype)
        for module in self.modules():
            for parameter in module._parameters.values():
                if parameter is not None and parameter.dtype.kind == "f":
                    parameter.data = parameter.data.astype(dtype)
                    parameter.grad = None
            for name, buffer in module._buffers.items():
                if buffer is not None and buffer.dtype.kind == "f":
                    module._buffers[name] = buffer.astype(dtype)
        return self

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    # ----- saving and loading ----------------------------------------------------------------
    def state_dict(self):
        """Every parameter and buffer as a copied ndarray under its dotted name, PyTorch's keys."""
        state = OrderedDict()
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, parameter in module._parameters.items():
                if parameter is not None:
                    state[prefix + name] = parameter.data.copy()
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    state[prefix + name] = np.array(buffer, copy=True)
        return state

    def load_state_dict(self, state_dict, strict=True):
        """Copy values (ndarrays, Tensors, anything ``np.asarray`` reads) into the parameters
        and buffers with the same names. With ``strict``, missing or unexpected keys are an error;
        a shape mismatch always is.
        """
        targets = {}
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, parameter in module._parameters.items():
                if parameter is not None:
                    targets[prefix + name] = (module, name, True)
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    targets[prefix + name] = (module, name, False)
        missing = [key for key in targets if key not in state_dict]
        unexpected = [key for key in state_dict if key not in targets]
        if strict and (missing or unexpected):
            raise ValueError(f"load_state_dict into {type(self).__name__}: missing keys {missing}, "
                             f"unexpected keys {unexpected}")
        for key, value in state_dict.items():
            if key not in targets:
                continue
            module, name, is_parameter = targets[key]
            value = np.asarray(value.data if isinstance(value, Tensor) else value)
            current = module._parameters[name].data if is_parameter else module._buffers[name]
            if value.shape != current.shape:
                raise ValueError(f"load_state_dict: {key!r} has shape {value.shape} in the state dict "
                                 f"but {current.shape} in the model")
            if is_parameter:
                current[...] = value
            else:
                module._buffers[name] = value.astype(current.dtype, copy=True)
        return self

    # ----- printing --------------------------------------------------------------------------
    def extra_repr(self):
        """The layer's settings, shown inside the parentheses of its repr."""
        return ""

    def __repr__(self):
        lines = []
        for name, module in self._modules.items():
            child = repr(module).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child}")
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        head = f"{type(self).__name__}({self.extra_repr()}"
        return head + "\n" + "\n".join(lines) + "\n)"


class _HookHandle:
    def __init__(self, hooks, key):
        self.hooks, self.key = hooks, key

    def remove(self):
        self.hooks.pop(self.key, None)
