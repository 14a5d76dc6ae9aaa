"""Check a backward pass against central differences, in float64."""
import numpy as np

from .grad_mode import enable_grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """The analytic gradient and the numerical one disagree."""


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0):
    """Compare autograd's gradient of ``fn`` with (f(x + eps) - f(x - eps)) / (2 eps).

    ``inputs`` is a tensor or a sequence of them; those that require grad are checked, each
    element in turn, on float64 copies. ``fn`` may return any shape: it is reduced to one
    number by a fixed random weighting, so every output element is checked at once.
    Returns True, or raises GradcheckError naming the input and the element that disagree.

    >>> x = sinir.Tensor(np.random.randn(3), requires_grad=True, dtype=np.float64)
    >>> sinir.gradcheck(lambda t: (t * t).sum(), [x])
    True
    """
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    inputs = [Tensor(np.array(t.data, dtype=np.float64), requires_grad=t.requires_grad, dtype=np.float64)
              if isinstance(t, Tensor) and t.dtype.kind == "f" else t for t in inputs]
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")

    with enable_grad():
        out = fn(*inputs)
    weights = np.random.default_rng(seed).standard_normal(out.shape)

    def scalar():
        with enable_grad():
            return float((fn(*inputs).data.astype(np.float64) * weights).sum())

    with enable_grad():
        out.backward(weights.astype(out.dtype))
    for i in checked:
        tensor = inputs[i]
        analytic = tensor.grad if tensor.grad is not None else np.zeros_like(tensor.data)
        flat = tensor.data.reshape(-1)
        for j in range(flat.size):
            original = flat[j]
            flat[j] = original + eps
            plus = scalar()
            flat[j] = original - eps
            minus = scalar()
            flat[j] = original
            numeric = (plus - minus) / (2 * eps)
            value = analytic.reshape(-1)[j]
            if not abs(value - numeric) <= atol + rtol * abs(numeric):
                index = np.unravel_index(j, tensor.shape)
                raise GradcheckError(
                    f"gradcheck: input {i} (shape {tensor.shape}), element {tuple(int(k) for k in index)}: "
                    f"backward gives {value:.8g}, central difference gives {numeric:.8g}")
    return True
