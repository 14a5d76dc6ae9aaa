"""Second oracle for the layer functions of layer_cases.py: PyTorch's values and gradients, float64."""
import numpy as np
import pytest

import sinir
from sinir.nn import functional as F

from layer_cases import CASES, TORCH_ONLY, make_inputs, sinir_tensor

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # PyTorch's notes on padding="same" and kl_div


def _torch_tensor(array, requires_grad):
    return torch.tensor(np.asarray(array), requires_grad=requires_grad)


@pytest.mark.parametrize("name", sorted(CASES) + sorted(TORCH_ONLY))
def test_layer_function_matches_torch(name):
    fn, specs = CASES.get(name) or TORCH_ONLY[name]
    ours, differentiated = make_inputs(specs, sinir_tensor)
    theirs, _ = make_inputs(specs, _torch_tensor)
    y, z = fn(F, *ours), fn(torch.nn.functional, *theirs)
    np.testing.assert_allclose(np.asarray(y), z.detach().numpy(), rtol=1e-6, atol=1e-6)
    weights = np.random.default_rng(99).standard_normal(tuple(y.shape))
    y.backward(sinir.Tensor(weights, dtype=np.float64))
    z.backward(torch.tensor(weights))
    for i in differentiated:
        np.testing.assert_allclose(np.asarray(ours[i].grad), theirs[i].grad.numpy(), rtol=1e-6, atol=1e-6,
                                   err_msg=f"input {i}")
