"""Recurrent layers (RNN, LSTM, GRU) and their single-step cells, PyTorch's parameters and shapes.

A layer runs a whole sequence: input (T, N, input_size), or (N, T, input_size) with
``batch_first``, or (T, input_size) unbatched; output (T, N, D * hidden_size) (D = 2 when
bidirectional), and the last hidden state h_n (num_layers * D, N, hidden_size) (LSTM: (h_n, c_n)).
Each layer and direction is one operation of sinir.ops.recurrent; the layers stack, and with
``dropout`` the output of every layer but the last is dropped out in training.

>>> lstm = LSTM(28, 64, batch_first=True)
>>> output, (h_n, c_n) = lstm(sinir.randn(32, 28, 28))     # 32 images read row by row
>>> output.shape, h_n.shape
((32, 28, 64), (1, 32, 64))
"""
import math

import numpy as np

from ..functions import concatenate, stack
from ..ops import recurrent
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module, layer_dtype, parameter_of

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _positive_int(layer, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{layer}: {name} must be a positive integer, got {value!r}")
    return int(value)


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the parameters of every layer and direction, and the loop
    over layers. Parameter names are PyTorch's: weight_ih_l0, weight_hh_l0, bias_ih_l0,
    bias_hh_l0, then ``_reverse`` ones for the second direction, then layer 1, ..."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        name = type(self).__name__
        self.mode = mode
        self.input_size = _positive_int(name, "input_size", input_size)
        self.hidden_size = _positive_int(name, "hidden_size", hidden_size)
        self.num_layers = _positive_int(name, "num_layers", num_layers)
        if not (isinstance(dropout, (int, float)) and 0 <= dropout <= 1):
            raise ValueError(f"{name}: dropout must be a number in [0, 1], got {dropout!r}")
        if proj_size:
            raise ValueError(f"{name}: proj_size is not supported")
        self.bias, self.batch_first, self.dropout = bool(bias), bool(batch_first), float(dropout)
        self.bidirectional, self.proj_size = bool(bidirectional), 0
        dtype = layer_dtype(name, device, dtype)
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * directions
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = [("weight_ih", (gate_size, layer_input)), ("weight_hh", (gate_size, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                for kind, shape in shapes:
                    setattr(self, kind + suffix, parameter_of(np.empty(shape, dtype=dtype)))
                    self._flat_weights_names.append(kind + suffix)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's default: every weight and bias U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        bound = 1 / math.sqrt(self.hidden_size)
        for parameter in self.parameters():
            init.uniform_(parameter, -bound, bound)

    def _layer_parameters(self, layer, direction):
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        kinds = ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if self.bias else ())
        return [getattr(self, kind + suffix) for kind in kinds]

    def _operation(self, reverse, batch_first):
        if self.mode == "LSTM":
            return recurrent.LSTMLayer(self.bias, reverse, batch_first)
        if self.mode == "GRU":
            return recurrent.GRULayer(self.bias, reverse, batch_first)
        nonlinearity = "relu" if self.mode == "RNN_RELU" else "tanh"
        return recurrent.RNNLayer(self.bias, reverse, batch_first, nonlinearity)

    def _check_state(self, state, batch, batched, what="hx"):
        directions = 2 if self.bidirectional else 1
        expected = (self.num_layers * directions, batch, self.hidden_size) if batched else \
            (self.num_layers * directions, self.hidden_size)
        if tuple(state.shape) != expected:
            raise ValueError(f"{type(self).__name__}: {what} must have shape {expected}, got {tuple(state.shape)}")
        return state if batched else state.unsqueeze(1)

    def forward(self, input, hx=None):
        name = type(self).__name__
        if input.ndim not in (2, 3) or input.shape[-1] != self.input_size:
            raise ValueError(f"{name}({self.input_size}, {self.hidden_size}): expected input of shape "
                             f"({'N, T' if self.batch_first else 'T, N'}, {self.input_size}) or (T, {self.input_size}), "
                             f"got {tuple(input.shape)}")
        batched = input.ndim == 3
        batch_first = self.batch_first and batched
        x = input if batched else input.unsqueeze(1)
        steps, batch = (x.shape[1], x.shape[0]) if batch_first else (x.shape[0], x.shape[1])
        directions = 2 if self.bidirectional else 1
        state_count = 2 if self.mode == "LSTM" else 1
        if hx is None:
            zeros = np.zeros((batch, self.hidden_size), dtype=input.dtype)
            initial = [[Tensor._make(zeros)] * (self.num_layers * directions) for _ in range(state_count)]
        else:
            states = tuple(hx) if self.mode == "LSTM" else (hx,)
            if len(states) != state_count:
                raise ValueError(f"{name}: hx must be {'a tuple (h_0, c_0)' if state_count == 2 else 'one tensor'}")
            initial = [self._check_state(s, batch, batched, what) for s, what in zip(states, ("h_0", "c_0"))]
        finals = [[] for _ in range(state_count)]
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                op = self._operation(direction == 1, batch_first and layer == 0)
                y = op(x, *[state[index] for state in initial], *self._layer_parameters(layer, direction))
                outputs.append(y[:steps])
                for s in range(state_count):
                    finals[s].append(y[steps + s])
            x = outputs[0] if directions == 1 else concatenate(outputs, axis=2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        if batch_first:
            x = x.permute(1, 0, 2)
        states = [stack(final) for final in finals]
        if not batched:
            x = x.squeeze(1)
            states = [s.squeeze(1) for s in states]
        return x, (tuple(states) if self.mode == "LSTM" else states[0])

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if not self.bias:
            text += ", bias=False"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if self.bidirectional:
            text += ", bidirectional=True"
        return text


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (``nonlinearity='relu'``: ReLU)."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, 0, device, dtype)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory: gates i, f, g, o from x_t and h_(t-1); c_t = f c_(t-1) + i g;
    h_t = o tanh(c_t). forward(input, (h_0, c_0)) -> output, (h_n, c_n)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit: gates r, z and candidate n; h_t = (1 - z) n + z h_(t-1)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         0, device, dtype)


class RNNCellBase(Module):
    """One time step: input (N, input_size) or (input_size,), state (N, hidden_size)."""

    gates = 1

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__()
        name = type(self).__name__
        self.input_size = _positive_int(name, "input_size", input_size)
        self.hidden_size = _positive_int(name, "hidden_size", hidden_size)
        self.bias = bool(bias)
        dtype = layer_dtype(name, device, dtype)
        gate_size = self.gates * hidden_size
        self.weight_ih = parameter_of(np.empty((gate_size, input_size), dtype=dtype))
        self.weight_hh = parameter_of(np.empty((gate_size, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = parameter_of(np.empty(gate_size, dtype=dtype))
            self.bias_hh = parameter_of(np.empty(gate_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters

    def _step(self, op, input, states):
        name = type(self).__name__
        if input.ndim not in (1, 2) or input.shape[-1] != self.input_size:
            raise ValueError(f"{name}({self.input_size}, {self.hidden_size}): expected input of shape "
                             f"(N, {self.input_size}) or ({self.input_size},), got {tuple(input.shape)}")
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        expected = (x.shape[0], self.hidden_size)
        if states is None:
            zeros = Tensor._make(np.zeros(expected, dtype=input.dtype))
            states = (zeros,) * op.states
        else:
            states = tuple(s if batched else s.unsqueeze(0) for s in states)
            for s in states:
                if tuple(s.shape) != expected:
                    raise ValueError(f"{name}: the hidden state must have shape {expected}, got {tuple(s.shape)}")
        params = [self.weight_ih, self.weight_hh] + ([self.bias_ih, self.bias_hh] if self.bias else [])
        y = op(x, *states, *params)
        out = tuple(y[1 + s] for s in range(op.states))     # row 0 is the output, rows 1.. the new state
        return out if batched else tuple(o.squeeze(0) for o in out)

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or ReLU)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        op = recurrent.RNNLayer(self.bias, nonlinearity=self.nonlinearity)
        return self._step(op, input, None if hx is None else (hx,))[0]


class LSTMCell(RNNCellBase):
    """One LSTM step: forward(input, (h, c)) -> (h', c')."""

    gates = 4

    def forward(self, input, hx=None):
        return self._step(recurrent.LSTMLayer(self.bias), input, hx)


class GRUCell(RNNCellBase):
    """One GRU step: forward(input, h) -> h'."""

    gates = 3

    def forward(self, input, hx=None):
        return self._step(recurrent.GRULayer(self.bias), input, None if hx is None else (hx,))[0]
