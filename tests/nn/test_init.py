import math

import numpy as np
import pytest

import sinir
from sinir import nn
from sinir.nn import init


def test_fans_and_gains():
    assert init.calculate_fan_in_and_fan_out(sinir.zeros(20, 10)) == (10, 20)
    assert init.calculate_fan_in_and_fan_out(sinir.zeros(6, 3, 5, 5)) == (75, 150)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.calculate_fan_in_and_fan_out(sinir.zeros(3))


@pytest.mark.parametrize("fill, expected_std", [
    (lambda w: init.xavier_uniform_(w), math.sqrt(2 / (400 + 300))),
    (lambda w: init.xavier_normal_(w), math.sqrt(2 / (400 + 300))),
    (lambda w: init.kaiming_uniform_(w, nonlinearity="relu"), math.sqrt(2 / 400)),
    (lambda w: init.kaiming_normal_(w, nonlinearity="relu"), math.sqrt(2 / 400)),
    (lambda w: init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu"), math.sqrt(2 / 300)),
])
def test_initialisers_have_the_documented_spread(fill, expected_std):
    weight = nn.Parameter(np.zeros((300, 400)))
    fill(weight)
    assert weight.numpy().std() == pytest.approx(expected_std, rel=0.03)
    assert abs(weight.numpy().mean()) < 0.05 * expected_std * 10


def test_constant_zeros_and_reproducibility():
    weight = nn.Parameter(np.ones((3, 3)))
    init.zeros_(weight)
    assert not weight.numpy().any()
    init.constant_(weight, 0.25)
    assert (weight.numpy() == 0.25).all()
    sinir.manual_seed(1)
    a = nn.Linear(10, 10).weight.numpy().copy()
    sinir.manual_seed(1)
    np.testing.assert_array_equal(a, nn.Linear(10, 10).weight.numpy())
