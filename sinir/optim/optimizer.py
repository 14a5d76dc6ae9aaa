"""The Optimizer base class: parameter groups, per-parameter state, zero_grad, state_dict."""
import copy
import math

import numpy as np

from ..tensor import Tensor


BLOCK = 2 ** 20     # elements: a 4 MiB float32 temporary, reused from the heap block after block


def subtract_scaled(weight, scale, update):
    """``weight -= scale * update`` in place, a block of elements at a time.

    ``scale * update`` is a temporary the size of the parameter. For VGG-16's first fully
    connected layer that is 411 MB, which the C library gets fresh from the kernel every step
    (too large to keep, see sinir.allocator), zeroed page by page: 0.1-1 s a step. In blocks of
    BLOCK elements the temporary is small, reused and in cache; the arithmetic is the same.
    """
    if weight.size <= BLOCK or not (weight.flags.c_contiguous and update.flags.c_contiguous):
        weight -= scale * update
        return
    weight, update = weight.reshape(-1), update.reshape(-1)        # views of the same memory
    for start in range(0, weight.size, BLOCK):
        weight[start:start + BLOCK] -= scale * update[start:start + BLOCK]


def decayed_gradient(weight, grad, group):
    """The gradient an update uses: -g when the group says ``maximize``; with ``weight_decay``
    lambda, g + lambda w (L2), or with ``decoupled_weight_decay`` the weight shrunk in place by
    (1 - lr lambda) instead (AdamW's way), the gradient left as it is."""
    if group.get("maximize"):
        grad = -grad
    decay = group.get("weight_decay", 0)
    if decay and group.get("decoupled_weight_decay"):
        weight *= 1 - group["lr"] * decay
    elif decay:
        grad = grad + decay * weight
    return grad


class Optimizer:
    """Holds parameters in groups, each group with its own hyperparameters (``lr`` and so on).

    >>> optimizer = SGD([{"params": model[0].parameters(), "lr": 0.1},
    ...                  {"params": model[2].parameters()}], lr=0.01)
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self._check_hyperparameters(self.defaults)
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        self.param_groups = []
        self.state = {}
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        group = dict(group)
        parameters = group["params"]
        group["params"] = [parameters] if isinstance(parameters, Tensor) else list(parameters)
        for parameter in group["params"]:
            if not isinstance(parameter, Tensor) or not parameter.requires_grad:
                raise ValueError(f"{type(self).__name__}: can only optimise tensors that require grad")
        for name, value in self.defaults.items():
            group.setdefault(name, value)
        self._check_hyperparameters(group)
        self.param_groups.append(group)

    def _check_hyperparameters(self, group):
        """Raise ValueError for a negative, NaN or infinite learning rate and the like (eps must be
        positive, betas in [0, 1)); subclasses add their own checks."""
        name_of = type(self).__name__
        for name in ("lr", "momentum", "weight_decay", "eps", "dampening", "lr_decay", "alpha", "rho"):
            if name not in group or isinstance(group[name], bool):
                continue
            value = group[name]
            try:
                finite = math.isfinite(float(value))
            except (TypeError, ValueError):
                raise ValueError(f"{name_of}: {name} must be a number, got {value!r}") from None
            if not finite or value < 0 or (name == "eps" and value == 0):
                needed = "positive" if name == "eps" else "non-negative"
                raise ValueError(f"{name_of}: {name} must be a finite, {needed} number, got {value}")
        for i, beta in enumerate(group.get("betas", ())):
            if not (isinstance(beta, (int, float)) and 0 <= beta < 1):
                raise ValueError(f"{name_of}: betas[{i}] must be in [0, 1), got {beta}")

    def zero_grad(self, set_to_none=True):
        """Forget the gradients of the last backward (they would add up otherwise)."""
        for group in self.param_groups:
            for parameter in group["params"]:
                if set_to_none or parameter.grad is None:
                    parameter.grad = None
                else:
                    parameter.grad.zero_()

    def step(self, closure=None):
        """Update every parameter that has a gradient, group by group. ``closure`` (optional)
        re-evaluates the model and returns the loss, as in PyTorch."""
        loss = None
        if closure is not None:
            from ..grad_mode import enable_grad
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for parameter in group["params"]:
                grad = parameter.grad
                if grad is not None:
                    state = self.state.setdefault(id(parameter), {})
                    self.update(parameter.numpy(), grad.numpy(), state, group)
                    parameter._counter[0] += 1   # changed in place, as PyTorch counts it
        return loss

    def update(self, weight, grad, state, group):
        """Change ``weight`` (the parameter's ndarray) in place from ``grad`` (an ndarray),
        using and updating ``state``."""
        raise NotImplementedError

    # ----- saving ---------------------------------------------------------------------------
    def state_dict(self):
        """{'state': {index: {name: value}}, 'param_groups': [...]} with parameters as indices."""
        index_of, groups, index = {}, [], 0
        for group in self.param_groups:
            indices = []
            for parameter in group["params"]:
                index_of.setdefault(id(parameter), index)
                indices.append(index_of[id(parameter)])
                index += 1
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": indices})
        state = {index_of[key]: copy.deepcopy(value) for key, value in self.state.items() if key in index_of}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
                len(saved["params"]) != len(group["params"]) for saved, group in zip(groups, self.param_groups)):
            raise ValueError(f"{type(self).__name__}.load_state_dict: the saved parameter groups do not "
                             "match this optimizer's (different model?)")
        parameters = [p for group in self.param_groups for p in group["params"]]
        self.state = {}
        for index, value in state_dict["state"].items():
            parameter = parameters[int(index)]
            self.state[id(parameter)] = {
                k: np.array(v, dtype=parameter.dtype) if isinstance(v, np.ndarray) else v
                for k, v in value.items()}
        for saved, group in zip(groups, self.param_groups):
            group.update({k: v for k, v in saved.items() if k != "params"})

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"
