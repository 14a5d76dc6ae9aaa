"""First oracle for the layer functions of layer_cases.py: central differences in float64."""
import pytest

import sinir
from sinir.nn import functional as F

from layer_cases import CASES, make_inputs, sinir_tensor


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_function_gradcheck(name):
    fn, specs = CASES[name]
    tensors, _ = make_inputs(specs, sinir_tensor)
    assert sinir.gradcheck(lambda *t: fn(F, *t), tensors)
