"""The Backprop page's side: one training step of the lecture's 3-3-3-3 network, every number of it.

The network and its starting weights are the lesson's (``sinir.lessons.backprop``): inputs i, a
ReLU layer h1, a sigmoid layer h2, a softmax output O, each fed through ``x . W + b``. The error is
the lecture's: -sum[y ln O + (1 - y) ln(1 - O)] over the three outputs. Everything here is computed
exactly, by sinir's autograd and one SGD step; the slide's own printed numbers are returned beside
them (``"slide"``) when the page shows the lecture's own case (its inputs, weights and rate).

>>> result = step({"phase": "update"})
>>> result["update"]["W_kl"][0]          # the new weights from h2_1 to the three outputs
"""
import numpy as np

from .. import optim
from ..lessons import backprop as lecture
from ..nn import functional as F
from ..tensor import Tensor
from .digits import COMPUTE_LOCK, BadInput

PHASES = ("forward", "error", "backward", "update")
WEIGHT_NAMES = ("W_ij", "W_jk", "W_kl")          # input->h1, h1->h2, h2->output; W[a][b]: from unit a to b
BIAS_NAMES = ("b_j", "b_k", "b_l")                # the biases of h1, h2 and the output
LIMIT = 100.0                                     # inputs and weights are kept within +-LIMIT


def lecture_state():
    """The lecture's starting point: inputs, weights, biases, learning rate, target."""
    weights = {name: matrix.tolist() for name, matrix in zip(WEIGHT_NAMES, (lecture.W_IJ, lecture.W_JK, lecture.W_KL))}
    weights.update({name: [lecture.BIAS] * 3 for name in BIAS_NAMES})
    return {"inputs": lecture.INPUT.tolist(), "weights": weights, "lr": lecture.LR, "target": lecture.TARGET.tolist()}


def _numbers(value, shape, name):
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.shape != shape:
        raise BadInput(f"{name} must be {'a list of 3 numbers' if shape == (3,) else 'a 3x3 list of lists'}, "
                       f"got {str(value)[:60]}")
    if not np.all(np.isfinite(array)) or np.abs(array).max() > LIMIT:
        raise BadInput(f"{name} must hold finite numbers between -{LIMIT:g} and {LIMIT:g}")
    return array


def parse_request(body):
    """The JSON body of POST /api/backprop/step -> (phase, inputs, weights, lr)."""
    if not isinstance(body, dict):
        raise BadInput('the body must be a JSON object such as {"phase": "forward", "lr": 0.01, '
                       '"inputs": [0.1, 0.2, 0.7]}')
    unknown = sorted(set(body) - {"phase", "lr", "inputs", "weights"})
    if unknown:
        raise BadInput(f"unknown field {unknown[0]!r}; the fields are phase, lr, inputs, weights")
    phase = body.get("phase", "update")
    if phase not in PHASES:
        raise BadInput(f"phase must be one of {', '.join(PHASES)}, got {phase!r}")
    lr = body.get("lr", lecture.LR)
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr <= 10:
        raise BadInput(f"lr must be a number in (0, 10], got {lr!r}")
    inputs = _numbers(body.get("inputs", lecture.INPUT), (3,), "inputs")
    given = body.get("weights") or {}
    if not isinstance(given, dict) or set(given) - set(WEIGHT_NAMES + BIAS_NAMES):
        raise BadInput(f"weights must be an object with some of {', '.join(WEIGHT_NAMES + BIAS_NAMES)}")
    start = lecture_state()["weights"]
    weights = {name: _numbers(given.get(name, start[name]), (3, 3) if name.startswith("W") else (3,), name)
               for name in WEIGHT_NAMES + BIAS_NAMES}
    return phase, inputs, weights, float(lr)


def _lists(array):
    return np.asarray(array, dtype=np.float64).tolist()


def exact(inputs, weights, lr, target=lecture.TARGET):
    """Forward pass, error, every gradient by autograd, and one SGD step, on the lecture's network."""
    with COMPUTE_LOCK:
        model = lecture.network().double()       # float64 throughout, whatever the layers were built with
        for index, (w, b) in zip((0, 2, 4), zip(WEIGHT_NAMES, BIAS_NAMES)):
            # x . W + b is Linear with weight W^T (PyTorch's layout)
            model[index].load_state_dict({"weight": weights[w].T, "bias": weights[b]})
        values = {"i": Tensor(np.asarray(inputs, dtype=np.float64), dtype=np.float64)}
        names = ("h1_in", "h1_out", "h2_in", "h2_out", "o_in", "o_out")
        x = values["i"]
        for layer, name in zip(model, names):
            x = values[name] = layer(x).retain_grad()
        error = F.binary_cross_entropy(x, Tensor(np.asarray(target, dtype=np.float64), dtype=np.float64),
                                       reduction="sum")
        model.zero_grad()
        error.backward()
        grad = {name: _lists(np.asarray(values[name].grad)) for name in names}
        parameters = {"W_ij": model[0].weight, "W_jk": model[2].weight, "W_kl": model[4].weight,
                      "b_j": model[0].bias, "b_k": model[2].bias, "b_l": model[4].bias}
        gradients = {name: np.asarray(p.grad) for name, p in parameters.items()}
        optim.SGD(model.parameters(), lr=lr).step()       # w <- w - lr . dE/dw
        updated = {name: np.asarray(p).copy() for name, p in parameters.items()}
    transpose = {name: (lambda a: a.T) if name.startswith("W") else (lambda a: a) for name in parameters}
    return {
        "forward": {name: _lists(np.asarray(values[name])) for name in names},
        "error": {"E": error.item(), "dE_do_out": grad["o_out"]},
        "backward": {"dE_do_in": grad["o_in"], "dE_dh2_out": grad["h2_out"], "dE_dh2_in": grad["h2_in"],
                     "dE_dh1_out": grad["h1_out"], "dE_dh1_in": grad["h1_in"],
                     **{f"dE_d{name}": _lists(transpose[name](g)) for name, g in gradients.items()}},
        "update": {name: _lists(transpose[name](value)) for name, value in updated.items()},
    }


def _slide_value(name):
    value = getattr(lecture, name, None)       # the lesson may drop or rename a printed value
    return None if value is None else _lists(np.array(value, dtype=np.float64))


def slide():
    """The numbers the slides print, under the same keys as ``exact`` (None where it prints none)."""
    return {
        "forward": {"h1_out": _slide_value("H1"), "h2_in": _slide_value("H2_IN"), "h2_out": _slide_value("H2_OUT"),
                    "o_in": _slide_value("O_IN"), "o_out": _slide_value("O_OUT")},
        "error": {"dE_do_out": _slide_value("DE_DOOUT")},
        "backward": {"do_out_do_in": _slide_value("DOOUT_DOIN"), "dE_dh2_out": _slide_value("DE_DH2"),
                     "dh2_out_dh2_in": _slide_value("DH2_DIN"), "dE_dh1_out": _slide_value("DE_DH1"),
                     "dE_dW_ij": _slide_value("DW_IJ"), "dE_dW_jk": _slide_value("DW_JK"),
                     "dE_dW_kl": _slide_value("DW_KL")},
        "update": {"W_ij": _slide_value("NEW_IJ"), "W_jk": _slide_value("NEW_JK"), "W_kl": _slide_value("NEW_KL")},
    }


def is_lecture_case(inputs, weights, lr):
    start = lecture_state()
    return (np.allclose(inputs, start["inputs"], rtol=0, atol=1e-12) and abs(lr - start["lr"]) < 1e-12
            and all(np.allclose(weights[name], start["weights"][name], rtol=0, atol=1e-12) for name in weights))


def step(body=None):
    """Every value and gradient up to the body's phase, exactly and, for the lecture's own case, as
    the slides print them. ``body`` is POST /api/backprop/step's JSON: {"phase": "forward" | "error"
    | "backward" | "update", "lr": 0.01, "inputs": [3 numbers], "weights": {"W_kl": 3x3, ...}}."""
    phase, inputs, weights, lr = parse_request({} if body is None else body)
    computed = exact(inputs, weights, lr)
    if not all(np.all(np.isfinite(np.asarray(value, dtype=np.float64)))
               for group in computed.values() for value in group.values()):
        raise BadInput("the step overflows (a value or gradient is not a finite number); "
                       "try smaller inputs, weights or learning rate")
    shown = PHASES[:PHASES.index(phase) + 1]
    printed = slide() if is_lecture_case(inputs, weights, lr) else None
    return {"phase": phase, "inputs": inputs.tolist(), "lr": lr, "target": lecture.TARGET.tolist(),
            "weights": {name: value.tolist() for name, value in weights.items()},
            **{name: computed[name] for name in shown},
            "slide": None if printed is None else {name: printed[name] for name in shown}}
