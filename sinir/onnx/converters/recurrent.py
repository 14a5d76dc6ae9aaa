"""The recurrent layers (RNN, LSTM, GRU: one layer and direction per sinir operation) as ONNX's own."""
import numpy as np


# PyTorch's gate blocks, in the order ONNX's operator wants them
GATE_ORDER = {"LSTMLayer": [0, 3, 1, 2],    # i f g o -> i o f c
              "GRULayer": [1, 0, 2],        # r z n -> z r h
              "RNNLayer": [0]}


def recurrent_layer(g, step, inputs):
    """RNNLayer, LSTMLayer, GRULayer (one layer, one direction) as ONNX's RNN, LSTM, GRU, whose
    outputs are put together as sinir's: every step's h, then h_n (and c_n), along axis 0."""
    fn, op = step.fn, step.op
    states = 2 if op == "LSTMLayer" else 1
    x, initial, (w_ih, w_hh, *biases) = inputs[0], inputs[1:1 + states], inputs[1 + states:]
    hidden = step.input_shapes[2 + states][1]
    if len(step.input_shapes[0]) == 2:           # one step (the cells): a sequence of length 1
        x = g.unsqueeze(x, [0], step.path)
    elif fn.batch_first:
        x = g.node("Transpose", [x], step.path, perm=[1, 0, 2])
    order = g.ints(np.concatenate([np.arange(k * hidden, (k + 1) * hidden) for k in GATE_ORDER[op]]), "gate_order")

    def gates(name):             # reorder the gate blocks and add ONNX's direction axis
        return g.unsqueeze(g.node("Gather", [name, order], step.path, axis=0), [0], step.path)

    bias = g.node("Concat", [gates(b) for b in biases], step.path, axis=1) if biases else ""
    initial = ["" if g.is_zero_fill(s) else g.unsqueeze(s, [0], step.path) for s in initial]
    attributes = {"hidden_size": int(hidden), "direction": "reverse" if fn.reverse else "forward"}
    if op == "GRULayer":
        attributes["linear_before_reset"] = 1
    if op == "RNNLayer":
        attributes["activations"] = ["Relu" if fn.relu else "Tanh"]
    onnx_op = {"LSTMLayer": "LSTM", "GRULayer": "GRU", "RNNLayer": "RNN"}[op]
    outputs = g.node(onnx_op, [x, gates(w_ih), gates(w_hh), bias, ""] + initial, step.path, outputs=1 + states,
                     **attributes)
    every_step = g.squeeze(outputs[0], [1], step.path)                  # (T, 1, N, H) -> (T, N, H)
    return g.node("Concat", [every_step] + outputs[1:], step.path, axis=0)
