import numpy as np
import pytest

import sinir
from tests.conftest import tensor64


def test_float32_by_default_float64_and_integers_on_request():
    assert sinir.tensor([1.0, 2.0]).dtype == np.float32
    assert sinir.Tensor(np.zeros(3)).dtype == np.float64                # an array keeps its dtype
    assert sinir.Tensor(np.zeros(3, dtype=np.float32)).dtype == np.float32
    assert sinir.tensor([1.0], dtype=np.float64).dtype == np.float64
    assert sinir.tensor([1, 2]).dtype.kind == "i"
    assert (sinir.tensor([1.0, 2.0]) * 2.5).dtype == np.float32      # Python numbers do not promote
    assert (sinir.tensor([1, 2]) * 0.5).dtype == np.float32
    assert (sinir.tensor([1, 2]) * 0.5).tolist() == [0.5, 1.0]


def test_set_default_dtype():
    sinir.set_default_dtype(np.float64)
    try:
        assert sinir.tensor([1.0]).dtype == np.float64
    finally:
        sinir.set_default_dtype(np.float32)
    with pytest.raises(ValueError, match="float32 and float64"):
        sinir.set_default_dtype(np.int32)


def test_integer_tensors_cannot_require_grad():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype"):
        sinir.tensor([1, 2], requires_grad=True)


def test_attributes():
    t = sinir.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.ndim == 2 and t.numel() == 6 and len(t) == 2
    assert t.size() == (2, 3) and t.size(1) == 3 and t.size == 6   # t.size alone: NumPy's count
    assert t.T.shape == (3, 2)
    assert sinir.tensor([3.5]).item() == 3.5
    assert isinstance(t.numpy(), np.ndarray)
    with pytest.raises(RuntimeError, match="a Tensor with 6 elements cannot be converted to Scalar"):
        t.item()


def test_gradient_of_the_course_graph():
    # the forum tutorial's graph: y = (x + w1) * w2 with x = 10, w1 = -2, w2 = 3
    x = sinir.tensor(10.0)
    w1 = sinir.tensor(-2.0, requires_grad=True)
    w2 = sinir.tensor(3.0, requires_grad=True)
    y = (x + w1) * w2
    y.backward()
    assert y.item() == 24.0
    assert w1.grad == 3.0       # dy/dw1 = w2
    assert w2.grad == 8.0       # dy/dw2 = x + w1
    assert x.grad is None       # no gradient was asked for x


def test_gradients_accumulate_until_zeroed():
    w = sinir.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    (w * 3).sum().backward()
    np.testing.assert_allclose(w.grad, [2 + 3, 4 + 3])
    w.grad = None
    (w * 3).sum().backward()
    np.testing.assert_allclose(w.grad, [3, 3])


def test_a_tensor_used_twice_gets_both_gradients():
    x = tensor64([2.0])
    y = x * x + x * 3
    y.backward(np.ones(1))
    np.testing.assert_allclose(x.grad, [2 * 2 + 3])


def test_ten_thousand_operation_chain_backpropagates():
    x = sinir.tensor(1.0, requires_grad=True, dtype=np.float64)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad, 1.0001 ** 10_000, rtol=1e-9)


def test_backward_errors():
    x = sinir.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"implicitly created only for scalar outputs; the output has shape \(2,\)"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        sinir.tensor([1.0]).sum().backward()
    with pytest.raises(RuntimeError, match=r"gradient has shape \(3,\), the output has shape \(2,\)"):
        (x * 2).backward(np.ones(3))


def test_second_backward_needs_retain_graph():
    x = sinir.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad, [4.0, 8.0])
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_retain_grad_keeps_an_intermediate_gradient():
    x = sinir.tensor([1.0, -2.0], requires_grad=True)
    hidden = (x * 3).retain_grad()
    (hidden.relu() * 2).sum().backward()
    np.testing.assert_allclose(hidden.grad, [2.0, 0.0])
    np.testing.assert_allclose(x.grad, [6.0, 0.0])


def test_no_grad_builds_no_graph_and_detach_cuts():
    w = sinir.tensor([1.0], requires_grad=True)
    with sinir.no_grad():
        y = w * 2
    assert not y.requires_grad and y.grad_fn is None
    z = w.detach() * 2
    assert not z.requires_grad

    @sinir.no_grad()
    def double(t):
        return t * 2

    assert not double(w).requires_grad
    assert (w * 2).requires_grad


def test_comparisons_give_boolean_tensors():
    t = sinir.tensor([1.0, 2.0, 3.0])
    assert (t > 1.5).tolist() == [False, True, True]
    assert (t == 2.0).tolist() == [False, True, False]
    assert (t <= sinir.tensor([1.0, 1.0, 5.0])).tolist() == [True, False, True]


def test_shape_errors_name_the_operation_and_shapes():
    a, b = sinir.randn(2, 3), sinir.randn(4, 5)
    with pytest.raises(ValueError, match=r"matmul: shapes \(2, 3\) and \(4, 5\)"):
        a @ b
    with pytest.raises(ValueError, match=r"add: shapes \(2, 3\) and \(4, 5\) cannot be broadcast"):
        a + b
    with pytest.raises(ValueError, match=r"multiply: shapes"):
        a * b
    with pytest.raises(RuntimeError, match=r"shape '\[4, 2\]' is invalid for input of size 6"):
        a.reshape(4, 2)
    with pytest.raises(ValueError, match="permute"):
        a.permute(0, 0)


def test_transpose_follows_pytorch_for_two_axes_and_numpy_for_all():
    t = sinir.randn(2, 3, 4)
    assert t.transpose(0, 2).shape == (4, 3, 2)
    assert t.transpose(1, 2, 0).shape == (3, 4, 2)
    assert t.transpose().shape == (4, 3, 2)


def test_numpy_scalars_on_the_left_give_tensors():
    t = sinir.tensor([1.0, 2.0], requires_grad=True)
    y = np.float32(2.0) * t
    assert isinstance(y, sinir.Tensor) and y.requires_grad


def test_manual_seed_makes_random_tensors_reproducible():
    sinir.manual_seed(3)
    a = sinir.randn(5)
    sinir.manual_seed(3)
    b = sinir.randn(5)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    state = sinir.get_rng_state()
    c = sinir.rand(3)
    sinir.set_rng_state(state)
    np.testing.assert_array_equal(c.numpy(), sinir.rand(3).data)
    with pytest.raises(ValueError, match="non-negative integer"):
        sinir.manual_seed(-1)


def test_repr_is_readable():
    text = repr(sinir.tensor([1.0, 2.0], requires_grad=True) * 2)
    assert text == "tensor([2., 4.], grad_fn=<MulBackward0>)"
