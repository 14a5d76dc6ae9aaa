"""The Optimizer base class: parameter groups, per-parameter state, zero_grad, state_dict."""
import copy

import numpy as np

from ..tensor import Tensor


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
        """Raise ValueError for a negative learning rate and the like (subclasses add checks)."""
        for name in ("lr", "momentum", "weight_decay", "eps", "dampening", "lr_decay"):
            if name in group and group[name] < 0:
                raise ValueError(f"{type(self).__name__}: {name} must be non-negative, got {group[name]}")
        for i, beta in enumerate(group.get("betas", ())):
            if not 0 <= beta < 1:
                raise ValueError(f"{type(self).__name__}: betas[{i}] must be in [0, 1), got {beta}")

    def zero_grad(self, set_to_none=True):
        """Forget the gradients of the last backward (they would add up otherwise)."""
        for group in self.param_groups:
            for parameter in group["params"]:
                if set_to_none or parameter.grad is None:
                    parameter.grad = None
                else:
                    parameter.grad[...] = 0

    def step(self):
        """Update every parameter that has a gradient, group by group."""
        for group in self.param_groups:
            for parameter in group["params"]:
                if parameter.grad is not None:
                    state = self.state.setdefault(id(parameter), {})
                    self.update(parameter.data, parameter.grad, state, group)

    def update(self, weight, grad, state, group):
        """Change ``weight`` in place from its ``grad``, using and updating ``state``."""
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
