"""Recurrent layers over a whole sequence, one Function per layer and direction: RNN, LSTM, GRU.

A recurrent layer applies the same cell at every time step t, from the input x_t and the
previous hidden state h_(t-1). The part of the cell that depends only on x_t is computed for
all steps at once, ``x W_ih^T + b_ih`` as one matrix product of (T N, I) by (I, G H) (G gates);
only ``h_(t-1) W_hh^T`` has to wait for the previous step. Backward runs the steps in reverse
(backpropagation through time), then gets dE/dx, dE/dW_ih and dE/dW_hh as three matrix
products over all steps.

Inputs: x (T, N, I) (or (N, T, I) with ``batch_first``; (N, I) for one step, as the cells use),
the initial state(s) h0 (and c0 for LSTM) (N, H), W_ih (G H, I), W_hh (G H, H) and, with
``has_bias``, b_ih and b_hh (G H,). PyTorch's gate order and formulas.

Output: one array (T + S, N, H) holding the hidden state of every step in time order
(rows 0..T-1), then the final state(s) (h_n, and c_n for LSTM): one Function has one
output, and the layer slices these apart. With ``reverse`` the steps run from t = T-1 down
to 0 (the second direction of a bidirectional layer); rows stay in time order, and the
final state is the one after t = 0.
"""
import functools

import numpy as np

from .function import Function


class _Recurrence(Function):
    """The time loop and the batched products; subclasses give one step forward and back."""

    gates = 1          # G: how many blocks of H the weights have
    states = 1         # S: h, or h and c
    shared_gate_grads = True    # dE/d(input part) = dE/d(hidden part) of the gates (not so in a GRU)

    def __init__(self, has_bias=True, reverse=False, batch_first=False):
        self.has_bias, self.reverse, self.batch_first = has_bias, reverse, batch_first

    def _steps(self, a):
        """``a`` (time-major) in the order the steps run: reversed for the backward direction."""
        return a[::-1] if self.reverse else a

    def forward(self, x, *rest):
        states, (w_ih, w_hh, *biases) = rest[:self.states], rest[self.states:]
        self.one_step = x.ndim == 2
        if self.one_step:
            x = x[None]
        elif self.batch_first:
            x = x.swapaxes(0, 1)
        T, N, I = x.shape
        H = w_hh.shape[1]
        xs = self._steps(x)
        # the input's share of every gate at every step, one product: (T N, I) . (I, G H)
        from_input = (xs.reshape(T * N, I) @ w_ih.T).reshape(T, N, -1)
        if biases:
            from_input += biases[0]
        self.w_ih, self.w_hh, self.xs, self.x_shape = w_ih, w_hh, xs, x.shape
        self.h_before = np.empty((T, N, H), dtype=x.dtype)      # h_(t-1) of each step, in step order
        hs = np.empty((T, N, H), dtype=x.dtype)
        self.start(T, N, H, x.dtype)
        state = states
        for k in range(T):
            self.h_before[k] = state[0]
            state = self.step_forward(k, from_input[k], state, biases)
            hs[k] = state[0]
        out = np.empty((T + self.states, N, H), dtype=x.dtype)
        out[:T] = self._steps(hs)
        for s, value in enumerate(state):
            out[T + s] = value
        return out

    def backward(self, grad):
        T = self.x_shape[0]
        grad_hs = self._steps(grad[:T])
        grad_state = [grad[T + s].copy() for s in range(self.states)]
        grad_from_input = np.empty((T,) + self.gate_shape, dtype=grad.dtype)     # dE/d(x W_ih^T + b_ih)
        grad_from_hidden = (grad_from_input if self.shared_gate_grads             # dE/d(h W_hh^T + b_hh)
                            else np.empty_like(grad_from_input))
        for k in reversed(range(T)):
            grad_state[0] += grad_hs[k]
            grad_state = self.step_backward(k, grad_state, grad_from_input, grad_from_hidden)
        H, I = self.w_hh.shape[1], self.w_ih.shape[1]
        rows_in = grad_from_input.reshape(-1, self.gate_shape[1])
        rows_hidden = grad_from_hidden.reshape(-1, self.gate_shape[1])
        grad_x = None
        if self.needs_input_grad[0]:
            grad_x = self._steps((rows_in @ self.w_ih).reshape(self.x_shape))    # dE/dx = dE/dgates . W_ih
            grad_x = grad_x[0] if self.one_step else (grad_x.swapaxes(0, 1) if self.batch_first else grad_x)
        grad_w_ih = rows_in.T @ self.xs.reshape(-1, I)                           # dE/dW_ih = dE/dgates^T . x
        grad_w_hh = rows_hidden.T @ self.h_before.reshape(-1, H)                 # dE/dW_hh = dE/dgates^T . h_(t-1)
        grads = [grad_x, *grad_state, grad_w_ih, grad_w_hh]
        if self.has_bias:
            grads += [rows_in.sum(axis=0), rows_hidden.sum(axis=0)]              # dE/db = sum of dE/dgates
        return tuple(grads)


class RNNLayer(_Recurrence):
    """h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (or ReLU for ``nonlinearity='relu'``)."""

    def __init__(self, has_bias=True, reverse=False, batch_first=False, nonlinearity="tanh"):
        super().__init__(has_bias, reverse, batch_first)
        self.relu = nonlinearity == "relu"

    def start(self, T, N, H, dtype):
        self.gate_shape = (N, H)
        self.h_after = np.empty((T, N, H), dtype=dtype)

    def step_forward(self, k, from_input, state, biases):
        a = from_input + state[0] @ self.w_hh.T
        if biases:
            a += biases[1]
        h = np.maximum(a, 0) if self.relu else np.tanh(a)
        self.h_after[k] = h
        return (h,)

    def step_backward(self, k, grad_state, grad_from_input, grad_from_hidden):
        h = self.h_after[k]
        # dE/da = dE/dh * f'(a): (1 - h^2) for tanh, 1 where h > 0 for ReLU
        grad_a = grad_state[0] * (h > 0) if self.relu else grad_state[0] * (1 - h * h)
        grad_from_input[k] = grad_a
        return [grad_a @ self.w_hh]                                  # dE/dh_(t-1) = dE/da . W_hh


# sigmoid(a) = (1 + tanh(a / 2)) / 2: with these per-gate factors, one tanh gives all four
# LSTM gates (i, f, o sigmoid; g tanh) without overflow: act = tanh(a * scale) * scale + shift
@functools.lru_cache(maxsize=32)
def _lstm_factors(H, dtype):
    scale = np.concatenate([np.full(2 * H, 0.5), np.ones(H), np.full(H, 0.5)]).astype(dtype)
    shift = np.concatenate([np.full(2 * H, 0.5), np.zeros(H), np.full(H, 0.5)]).astype(dtype)
    return scale, shift


class LSTMLayer(_Recurrence):
    """Long short-term memory (Hochreiter and Schmidhuber, 1997), PyTorch's gate order i, f, g, o:

        [i, f, g, o] = [sigmoid, sigmoid, tanh, sigmoid](x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)
        c_t = f * c_(t-1) + i * g
        h_t = o * tanh(c_t)
    """

    gates, states = 4, 2

    def start(self, T, N, H, dtype):
        self.gate_shape = (N, 4 * H)
        self.H = H
        self.scale, self.shift = _lstm_factors(H, np.dtype(dtype))
        self.acts = np.empty((T, N, 4 * H), dtype=dtype)       # i, f, g, o of each step
        self.c_before = np.empty((T, N, H), dtype=dtype)
        self.tanh_c = np.empty((T, N, H), dtype=dtype)

    def step_forward(self, k, from_input, state, biases):
        h, c = state
        H = self.H
        a = from_input + h @ self.w_hh.T
        if biases:
            a += biases[1]
        act = self.acts[k]
        np.multiply(np.tanh(a * self.scale), self.scale, out=act)
        act += self.shift
        i, f, g, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
        self.c_before[k] = c
        c = f * c + i * g
        tanh_c = self.tanh_c[k]
        np.tanh(c, out=tanh_c)
        return o * tanh_c, c

    def step_backward(self, k, grad_state, grad_from_input, grad_from_hidden):
        grad_h, grad_c = grad_state
        H, act, tanh_c = self.H, self.acts[k], self.tanh_c[k]
        i, f, g, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
        grad_c = grad_c + grad_h * o * (1 - tanh_c * tanh_c)       # dE/dc_t += dE/dh_t o (1 - tanh^2 c_t)
        d = grad_from_input[k]
        d[:, :H] = grad_c * g * i * (1 - i)                         # dE/da_i = dE/dc g * i (1 - i)
        d[:, H:2 * H] = grad_c * self.c_before[k] * f * (1 - f)     # dE/da_f = dE/dc c_(t-1) * f (1 - f)
        d[:, 2 * H:3 * H] = grad_c * i * (1 - g * g)                # dE/da_g = dE/dc i * (1 - g^2)
        d[:, 3 * H:] = grad_h * tanh_c * o * (1 - o)                # dE/da_o = dE/dh tanh(c_t) * o (1 - o)
        return [d @ self.w_hh, grad_c * f]                          # dE/dh_(t-1) = dE/da . W_hh; dE/dc_(t-1) = dE/dc f


class GRULayer(_Recurrence):
    """Gated recurrent unit (Cho et al., 2014), PyTorch's formulas and gate order r, z, n:

        r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)
        z = sigmoid(x W_iz^T + b_iz + h W_hz^T + b_hz)
        n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))
        h_t = (1 - z) * n + z * h_(t-1)
    """

    gates = 3
    shared_gate_grads = False

    def start(self, T, N, H, dtype):
        self.gate_shape = (N, 3 * H)
        self.H = H
        self.r = np.empty((T, N, H), dtype=dtype)
        self.z = np.empty((T, N, H), dtype=dtype)
        self.n = np.empty((T, N, H), dtype=dtype)
        self.hidden_n = np.empty((T, N, H), dtype=dtype)            # h W_hn^T + b_hn

    def step_forward(self, k, from_input, state, biases):
        h, H = state[0], self.H
        from_hidden = h @ self.w_hh.T
        if biases:
            from_hidden += biases[1]
        rz = from_input[:, :2 * H] + from_hidden[:, :2 * H]
        rz = 0.5 * np.tanh(0.5 * rz) + 0.5                           # sigmoid, without overflow
        r, z = self.r[k], self.z[k]
        r[...], z[...] = rz[:, :H], rz[:, H:]
        self.hidden_n[k] = from_hidden[:, 2 * H:]
        n = self.n[k]
        np.tanh(from_input[:, 2 * H:] + r * self.hidden_n[k], out=n)
        return (n + z * (h - n),)

    def step_backward(self, k, grad_state, grad_from_input, grad_from_hidden):
        grad_h, H = grad_state[0], self.H
        r, z, n, h = self.r[k], self.z[k], self.n[k], self.h_before[k]
        grad_n = grad_h * (1 - z) * (1 - n * n)                     # dE/da_n = dE/dh (1 - z) (1 - n^2)
        grad_z = grad_h * (h - n) * z * (1 - z)                     # dE/da_z = dE/dh (h_(t-1) - n) z (1 - z)
        grad_r = grad_n * self.hidden_n[k] * r * (1 - r)            # dE/da_r = dE/da_n (h W_hn^T + b_hn) r (1 - r)
        di, dh = grad_from_input[k], grad_from_hidden[k]
        di[:, :H] = dh[:, :H] = grad_r
        di[:, H:2 * H] = dh[:, H:2 * H] = grad_z
        di[:, 2 * H:] = grad_n
        dh[:, 2 * H:] = grad_n * r                                  # n sees h W_hn^T + b_hn through r
        return [grad_h * z + dh @ self.w_hh]                        # dE/dh_(t-1) = dE/dh z + dE/dgates_h . W_hh
