"""Module, the base of every layer and model, and Parameter, a tensor that a module learns."""
from collections import OrderedDict, namedtuple

import numpy as np

from ..grad_mode import _GradMode
from ..ops.function import Function
from ..tensor import Tensor, _as_array, get_default_dtype


class Parameter(Tensor):
    """A tensor that is a learnable part of a module: it requires grad and appears in
    ``parameters()`` and ``state_dict()``.

    >>> self.weight = Parameter(np.zeros((10, 784)))
    """

    __slots__ = ()

    def __init__(self, data, requires_grad=True):
        # a Tensor keeps its dtype; other data follows Tensor's rule
        array = np.asarray(data) if isinstance(data, Tensor) else _as_array(data)
        super().__init__(array, requires_grad=requires_grad, dtype=array.dtype)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _array_of(value):
    """The ndarray inside a sinir Tensor, a torch tensor (anything with .numpy()) or array-like data."""
    if isinstance(value, Tensor):
        return np.asarray(value)
    if hasattr(value, "detach") and hasattr(value, "numpy"):     # a torch tensor
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        return np.asarray(value.numpy())
    return np.asarray(value)


def _replace_array(tensor, array):
    """Give ``tensor`` new storage (module.to(dtype)), whichever attribute holds its ndarray."""
    if "_data" in Tensor.__slots__:
        tensor._data = array
    else:
        tensor.data = array


def _parse_to_arguments(args, kwargs):
    """module.to(device), .to(dtype), .to(device, dtype), .to(dtype=..., device=...) -> a dtype or None."""
    device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
    if kwargs:
        raise ValueError(f"Module.to: unexpected keyword arguments {sorted(kwargs)}")
    for arg in args:
        name = str(getattr(arg, "type", arg)) if isinstance(arg, str) or hasattr(arg, "type") else None
        if name is not None and name.split(":")[0] in ("cpu", "cuda", "mps", "meta", "xpu"):
            device = arg
        else:
            dtype = arg
    if device is not None:
        name = str(getattr(device, "type", device)).split(":")[0]
        if name != "cpu":
            raise ValueError(f"Module.to: device {str(device)!r} is not available; sinir runs on the CPU here "
                             "(use device='cpu')")
    if dtype is not None:
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            raise ValueError(f"Module.to: {dtype!r} is neither a device nor a dtype") from None
        if dtype.kind != "f":
            raise ValueError(f"Module.to: only floating dtypes are accepted, got {dtype}")
    return dtype


def layer_dtype(layer, device=None, dtype=None):
    """The dtype of a new layer's parameters: ``dtype`` if given (floating only), else the default.
    ``device`` may be None or 'cpu'."""
    if device is not None and str(getattr(device, "type", device)).split(":")[0] != "cpu":
        raise ValueError(f"{layer}: device {str(device)!r} is not available; sinir runs on the CPU here")
    if dtype is None:
        return get_default_dtype()
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"{layer}: dtype must be a NumPy floating dtype, got {dtype!r}") from None
    if dtype.kind != "f":
        raise ValueError(f"{layer}: dtype must be a floating dtype, got {dtype}")
    return dtype


def parameter_of(array):
    """A Parameter holding ``array`` with its own dtype (Parameter(array) would apply the default)."""
    return Parameter(Tensor(array, dtype=array.dtype))


class Module:
    """Base class of layers and models, as in PyTorch.

    A subclass creates its parameters and sub-modules in ``__init__`` (assigning them as
    attributes registers them) and computes its output in ``forward``. Calling the module
    calls ``forward``, with the hooks registered around it.

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
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_backward_hooks", OrderedDict())

    # ----- registration --------------------------------------------------------------------
    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() before assigning "
                                 f"attributes (assigning {name!r})")
        if name in self._buffers and not isinstance(value, (Parameter, Module)):
            self._buffers[name] = value          # a buffer stays a buffer when reassigned
            return
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
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
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, parameter):
        """Register ``parameter`` (a Parameter or None) under ``name``."""
        if parameter is not None and not isinstance(parameter, Parameter):
            raise ValueError(f"register_parameter: {name!r} must be a Parameter or None, "
                             f"got {type(parameter).__name__}")
        if parameter is None:
            self.__dict__.pop(name, None)
            self._parameters[name] = None
        else:
            setattr(self, name, parameter)

    def register_buffer(self, name, tensor, persistent=True):
        """A non-learnable tensor of the module (BatchNorm's running mean, say): moved by ``to()``
        and, when ``persistent``, saved in ``state_dict``. An ndarray is kept as it is given."""
        if not isinstance(name, str) or not name or "." in name:
            raise ValueError(f"register_buffer: the name must be a non-empty string without dots, got {name!r}")
        if name in self._parameters or name in self._modules:
            raise ValueError(f"register_buffer: {name!r} is already a parameter or a sub-module")
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name, module):
        if not isinstance(module, Module) and module is not None:
            raise ValueError(f"add_module: {name!r} is a {type(module).__name__}, not a Module")
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target):
        """The module at a dotted path such as ``'layer1.0.conv1'``."""
        module = self
        for part in target.split(".") if target else ():
            if part not in module._modules:
                raise AttributeError(f"{type(module).__name__} has no sub-module {part!r} (looking for {target!r})")
            module = module._modules[part]
        return module

    # ----- calling -------------------------------------------------------------------------
    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} has no forward method")

    def __call__(self, *inputs, **kwargs):
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks):
            return self.forward(*inputs, **kwargs)                   # no hooks: the common case, quickly
        return self._call_with_hooks(inputs, kwargs)

    def _call_with_hooks(self, inputs, kwargs):
        for hook in list(self._forward_pre_hooks.values()):
            result = hook(self, inputs)
            if result is not None:
                inputs = result if isinstance(result, tuple) else (result,)
        call = _BackwardHookCall(self) if self._backward_hooks and _GradMode.enabled else None
        if call is not None:
            inputs = call.wrap_inputs(inputs)
        output = self.forward(*inputs, **kwargs)
        for hook in list(self._forward_hooks.values()):
            result = hook(self, inputs, output)
            if result is not None:
                output = result
        if call is not None:
            output = call.wrap_outputs(output)
        return output

    def register_forward_hook(self, hook):
        """Call ``hook(module, inputs, output)`` after every forward (to look at feature maps, say);
        a hook that returns something replaces the output. Returns a handle with ``remove()``."""
        return _HookHandle(self._forward_hooks, hook)

    def register_forward_pre_hook(self, hook):
        """Call ``hook(module, inputs)`` before every forward; a hook that returns something
        replaces the inputs (a tuple, or one value). Returns a handle with ``remove()``."""
        return _HookHandle(self._forward_pre_hooks, hook)

    def register_full_backward_hook(self, hook):
        """Call ``hook(module, grad_input, grad_output)`` when the gradients with respect to the
        module's inputs have been computed (tuples, None for inputs without gradient). A hook that
        returns a tuple replaces grad_input (for modules with one tensor input).
        Returns a handle with ``remove()``."""
        return _HookHandle(self._backward_hooks, hook)

    # ----- walking the module tree ----------------------------------------------------------
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(dotted name, module) for this module and every module inside it, depth first."""
        if isinstance(memo, str):                   # named_modules("prefix"), the old call
            memo, prefix = None, memo
        stack = [(prefix, self)]
        seen = set() if memo is None else memo
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
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

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, parameter) pairs: ``0.weight``, ``0.bias``, ... as PyTorch names them."""
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, parameter in module._parameters.items():
                if parameter is None or (remove_duplicate and id(parameter) in seen):
                    continue
                seen.add(id(parameter))
                yield (f"{module_name}.{name}" if module_name else name), parameter

    def parameters(self, recurse=True):
        for _, parameter in self.named_parameters(recurse=recurse):
            yield parameter

    def named_buffers(self, prefix="", recurse=True):
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self, recurse=True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def num_parameters(self, trainable_only=False):
        """How many numbers the module learns."""
        return sum(p.size for p in self.parameters() if p.requires_grad or not trainable_only)

    # ----- modes and gradients ---------------------------------------------------------------
    def train(self, mode=True):
        """Training mode (dropout active, batch statistics); returns self."""
        if not isinstance(mode, bool):
            raise ValueError(f"train: mode must be True or False, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self):
        """Evaluation mode (dropout off, running statistics); returns self."""
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        """Forget the parameters' gradients: set them to None (the default) or to zeros."""
        for parameter in self.parameters():
            if set_to_none or parameter.grad is None:
                parameter.grad = None
            else:
                np.asarray(parameter.grad)[...] = 0

    def requires_grad_(self, requires_grad=True):
        """Switch gradient tracking of every parameter on or off (to freeze layers); returns self."""
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    def apply(self, fn):
        """Call ``fn(module)`` on every sub-module, children before parents, as PyTorch does; returns self.

        >>> model.apply(lambda m: init.zeros_(m.bias) if isinstance(m, Linear) else None)
        """
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to('cpu')`` or both: convert every floating parameter and buffer in
        place (the Parameter objects stay the same, so an optimizer keeps working); returns self.
        sinir runs on the CPU: any other device is a ValueError."""
        dtype = _parse_to_arguments(args, dict(kwargs))
        if dtype is None:
            return self
        for module in self.modules():
            for parameter in module._parameters.values():
                if parameter is not None and parameter.dtype.kind == "f" and parameter.dtype != dtype:
                    _replace_array(parameter, np.asarray(parameter).astype(dtype))
                    parameter.grad = None
            for name, buffer in module._buffers.items():
                if buffer is not None and np.asarray(buffer).dtype.kind == "f":
                    converted = np.asarray(buffer).astype(dtype)
                    if isinstance(buffer, Tensor):
                        _replace_array(buffer, converted)
                    else:
                        module._buffers[name] = converted
        return self

    def cpu(self):
        return self

    def cuda(self, device=None):
        return self.to("cuda")

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    # ----- saving and loading ----------------------------------------------------------------
    def _state_targets(self):
        """{dotted key: (module, name, is_parameter)} for every entry of state_dict."""
        targets = OrderedDict()
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, parameter in module._parameters.items():
                if parameter is not None:
                    targets[prefix + name] = (module, name, True)
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent_buffers:
                    targets[prefix + name] = (module, name, False)
        return targets

    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """Every parameter and persistent buffer under its dotted name (PyTorch's keys), as
        Tensors that share memory with the module: copy them to keep a snapshot.

        >>> list(nn.Linear(2, 1).state_dict())
        ['weight', 'bias']
        """
        state = OrderedDict() if destination is None else destination
        for key, (module, name, is_parameter) in self._state_targets().items():
            value = module._parameters[name] if is_parameter else module._buffers[name]
            if isinstance(value, Tensor):
                state[prefix + key] = value if keep_vars else value.detach()
            else:
                array = np.asarray(value)
                state[prefix + key] = Tensor(array, dtype=array.dtype)     # shares the buffer's memory
        return state

    def load_state_dict(self, state_dict, strict=True):
        """Copy values (sinir Tensors, ndarrays, torch tensors, anything ``np.asarray`` reads)
        into the parameters and buffers with the same names, in place. With ``strict``, missing
        or unexpected keys are a ValueError; a shape mismatch always is.
        Returns (missing_keys, unexpected_keys), as PyTorch does."""
        targets = self._state_targets()
        missing = [key for key in targets if key not in state_dict]
        unexpected = [key for key in state_dict if key not in targets]
        if strict and (missing or unexpected):
            raise ValueError(f"load_state_dict into {type(self).__name__}: missing keys {missing}, "
                             f"unexpected keys {unexpected}")
        for key, value in state_dict.items():
            if key not in targets:
                continue
            module, name, is_parameter = targets[key]
            value = _array_of(value)
            current = np.asarray(module._parameters[name] if is_parameter else module._buffers[name])
            if value.shape != current.shape:
                raise ValueError(f"load_state_dict: {key!r} has shape {tuple(value.shape)} in the state dict "
                                 f"but {tuple(current.shape)} in the model")
            current[...] = value
        return IncompatibleKeys(missing, unexpected)

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
    """What ``register_*_hook`` returns: ``remove()`` takes the hook off."""

    def __init__(self, hooks, hook):
        self.hooks, self.key = hooks, object()
        hooks[self.key] = hook

    def remove(self):
        self.hooks.pop(self.key, None)


class _Identity(Function):
    """y = x, calling ``on_grad(grad)`` in backward: how a full backward hook sees gradients."""

    def __init__(self, on_grad):
        self.on_grad = on_grad

    def forward(self, x):
        return x

    def backward(self, grad):
        return (self.on_grad(grad),)      # dE/dx = dE/dy (or what a hook makes of it)


class _BackwardHookCall:
    """One call of a module with full backward hooks.

    Its tensor inputs and outputs pass through identity operations. In backward, the outputs'
    identities run first (they are later in the graph) and record grad_output; the inputs'
    identities then record grad_input, and when the last of them has its gradient the hooks run.
    When no input needs a gradient, the hooks run once every output has its gradient.
    """

    def __init__(self, module):
        self.module = module
        self.grad_outputs, self.grad_inputs = [], []
        self.waiting_inputs = self.waiting_outputs = 0

    def wrap_inputs(self, inputs):
        wrapped = list(inputs)
        self.grad_inputs = [None] * len(inputs)
        for i, value in enumerate(inputs):
            if isinstance(value, Tensor) and value.requires_grad:
                wrapped[i] = _Identity(lambda grad, i=i: self._input_grad(i, grad))(value)
                self.waiting_inputs += 1
        self.input_count = self.waiting_inputs
        return tuple(wrapped)

    def wrap_outputs(self, output):
        single = not isinstance(output, tuple)
        outputs = [output] if single else list(output)
        self.grad_outputs = [None] * len(outputs)
        for i, value in enumerate(outputs):
            if isinstance(value, Tensor) and value.requires_grad:
                outputs[i] = _Identity(lambda grad, i=i: self._output_grad(i, grad))(value)
                self.waiting_outputs += 1
        return outputs[0] if single else tuple(outputs)

    def _output_grad(self, i, grad):
        self.grad_outputs[i] = Tensor._make(grad)
        self.waiting_outputs -= 1
        if self.input_count == 0 and self.waiting_outputs == 0:
            self._run_hooks()
        return grad

    def _input_grad(self, i, grad):
        self.grad_inputs[i] = Tensor._make(grad)
        self.waiting_inputs -= 1
        if self.waiting_inputs == 0:
            self._run_hooks()
        return np.asarray(self.grad_inputs[i])

    def _run_hooks(self):
        for hook in list(self.module._backward_hooks.values()):
            result = hook(self.module, tuple(self.grad_inputs), tuple(self.grad_outputs))
            if result is None:
                continue
            result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
            if self.input_count > 1:
                raise RuntimeError(f"{type(self.module).__name__}: a full backward hook may replace "
                                   "grad_input only for modules with one tensor input")
            if len(result) != len(self.grad_inputs):
                raise ValueError(f"{type(self.module).__name__}: the backward hook returned {len(result)} "
                                 f"gradients for {len(self.grad_inputs)} inputs")
            self.grad_inputs = [None if g is None else Tensor._make(np.asarray(g)) for g in result]
