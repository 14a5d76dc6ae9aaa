"""Check a backward pass against central differences, in float64 (first and second order)."""
import numpy as np

from .grad_mode import enable_grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """The analytic gradient and the numerical one disagree."""


def _float64_inputs(inputs):
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    return [Tensor(np.array(t.numpy(), dtype=np.float64), requires_grad=t.requires_grad, dtype=np.float64)
            if isinstance(t, Tensor) and t.dtype.kind == "f" else t for t in inputs]


def _compare(fn_scalar, inputs, analytic_of, eps, atol, rtol, what):
    """Central differences of ``fn_scalar()`` against ``analytic_of(i)`` for every checked input."""
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError(f"{what}: no input requires grad, so there is nothing to check")
    for i in checked:
        tensor = inputs[i]
        analytic = analytic_of(i)
        data = tensor.numpy()          # nudged in place, element by element, whatever its memory layout
        for index in np.ndindex(data.shape):
            original = data[index]
            data[index] = original + eps
            plus = fn_scalar()
            data[index] = original - eps
            minus = fn_scalar()
            data[index] = original
            numeric = (plus - minus) / (2 * eps)
            value = analytic[index]
            if not abs(value - numeric) <= atol + rtol * abs(numeric):
                raise GradcheckError(
                    f"{what}: input {i} (shape {tuple(tensor.shape)}), element {tuple(int(k) for k in index)}: "
                    f"backward gives {value:.8g}, central difference gives {numeric:.8g}")
    return True


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0):
    """Compare autograd's gradient of ``fn`` with (f(x + eps) - f(x - eps)) / (2 eps).

    ``inputs`` is a tensor or a sequence of them; those that require grad are checked, each
    element in turn, on float64 copies. ``fn`` may return any shape: it is reduced to one
    number by a fixed random weighting, so every output element is checked at once.
    Returns True, or raises GradcheckError naming the input and the element that disagree.

    >>> x = sinir.tensor(np.random.randn(3), requires_grad=True)
    >>> sinir.gradcheck(lambda t: (t * t).sum(), [x])
    True
    """
    inputs = _float64_inputs(inputs)
    if not any(isinstance(t, Tensor) and t.requires_grad for t in inputs):
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    with enable_grad():
        out = fn(*inputs)
    weights = np.random.default_rng(seed).standard_normal(out.shape)

    def scalar():
        with enable_grad():
            return float((fn(*inputs).numpy().astype(np.float64) * weights).sum())

    with enable_grad():
        out.backward(weights.astype(out.dtype))

    def analytic(i):
        grad = inputs[i].grad
        return np.zeros(inputs[i].shape) if grad is None else grad.numpy()

    return _compare(scalar, inputs, analytic, eps, atol, rtol, "gradcheck")


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0):
    """Check second derivatives: the gradient of (weighted dE/d(inputs)), taken with
    ``create_graph=True`` and differentiated again, against central differences of that gradient.

    >>> sinir.gradgradcheck(lambda t: (t ** 3).sum(), [x])     # d/dx (w . 3x^2) = 6 w x
    True
    """
    from .autograd import grad as autograd_grad
    inputs = _float64_inputs(inputs)
    checked = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    rng = np.random.default_rng(seed)
    with enable_grad():
        out = fn(*inputs)
    out_weights = rng.standard_normal(out.shape)
    grad_weights = [rng.standard_normal(t.shape) for t in checked]

    def first_order(create_graph):
        with enable_grad():
            y = fn(*inputs)
            grads = autograd_grad(y, checked, Tensor(out_weights), create_graph=create_graph, allow_unused=True)
        total = None
        for g, w in zip(grads, grad_weights):
            if g is None:
                continue
            term = (g * Tensor(w)).sum()
            total = term if total is None else total + term
        return total

    def scalar():
        total = first_order(False)
        return 0.0 if total is None else float(total.item())

    with enable_grad():
        total = first_order(True)
    if total is not None and total.requires_grad:
        second = autograd_grad(total, checked, allow_unused=True)
    else:
        second = [None] * len(checked)
    by_index = {id(t): s for t, s in zip(checked, second)}

    def analytic(i):
        g = by_index[id(inputs[i])]
        return np.zeros(inputs[i].shape) if g is None else g.numpy()

    return _compare(scalar, inputs, analytic, eps, atol, rtol, "gradgradcheck")
