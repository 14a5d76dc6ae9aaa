"""In-place operations with PyTorch's rules: results, the leaf rule, version counters, and
``.grad`` / ``.data`` / ``.numpy()`` as PyTorch has them. Each case runs in sinir and in torch."""
import numpy as np
import pytest
import torch

import sinir

VALUES = np.array([[0.5, -1.5, 2.0], [3.0, -0.25, 1.0]])

IN_PLACE = {
    "+= tensor": lambda x, y: x.__iadd__(y),
    "-= number": lambda x, y: x.__isub__(0.5),
    "*= tensor": lambda x, y: x.__imul__(y),
    "/= number": lambda x, y: x.__itruediv__(4.0),
    "add_ alpha": lambda x, y: x.add_(y, alpha=2),
    "sub_": lambda x, y: x.sub_(y),
    "mul_": lambda x, y: x.mul_(3),
    "div_": lambda x, y: x.div_(y),
    "pow_": lambda x, y: x.pow_(2),
    "zero_": lambda x, y: x.zero_(),
    "fill_": lambda x, y: x.fill_(1.5),
    "copy_ broadcast": lambda x, y: x.copy_(y[0]),
    "clamp_": lambda x, y: x.clamp_(-1, 1),
    "clamp_ min": lambda x, y: x.clamp_(min=0),
    "neg_": lambda x, y: x.neg_(),
    "exp_": lambda x, y: x.exp_(),
    "abs_": lambda x, y: x.abs_(),
    "sqrt_ of abs": lambda x, y: x.abs_().sqrt_(),
    "sigmoid_": lambda x, y: x.sigmoid_(),
    "tanh_": lambda x, y: x.tanh_(),
    "relu_": lambda x, y: x.relu_(),
    "masked_fill_": lambda x, y: x.masked_fill_(y > 1, -7.0),
    "setitem row": lambda x, y: x.__setitem__(0, 9.0),
    "setitem mask": lambda x, y: x.__setitem__(x > 1, 0.0),
}


@pytest.mark.parametrize("name", list(IN_PLACE))
def test_in_place_results_match_torch_and_change_the_tensor_itself(name):
    x, tx = sinir.tensor(VALUES.copy()), torch.tensor(VALUES.copy())
    y, ty = sinir.tensor(VALUES[::-1].copy() + 2), torch.tensor(VALUES[::-1].copy() + 2)
    alias, talias = x.view(-1), tx.view(-1)              # a view sees the change too
    result = IN_PLACE[name](x, y)
    IN_PLACE[name](tx, ty)
    assert result is None or result is x
    np.testing.assert_allclose(x.numpy(), tx.numpy(), rtol=1e-12)
    np.testing.assert_allclose(alias.numpy(), talias.numpy(), rtol=1e-12)
    assert x._version == tx._version, name


def test_matmul_in_place():
    x, tx = sinir.tensor(VALUES[:, :2].copy()), torch.tensor(VALUES[:, :2].copy())
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    x @= sinir.tensor(m)
    tx @= torch.tensor(m)
    np.testing.assert_allclose(x.numpy(), tx.numpy())


def test_a_leaf_that_requires_grad_changes_in_place_only_under_no_grad():
    for library in (sinir, torch):
        w = library.tensor([1.0, 2.0], requires_grad=True)
        for change in (lambda: w.add_(1), lambda: w.__iadd__(1), lambda: w.zero_(), lambda: w.__setitem__(0, 3.0)):
            with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
                change()
        with library.no_grad():
            w -= 0.5 * library.ones(2)
            w.mul_(2)
        assert w.tolist() == [1.0, 3.0] and w.requires_grad and w.is_leaf


def test_manual_sgd_updates_the_parameter():
    """The tutorial loop that trained nothing before: ``w -= lr * w.grad`` under no_grad."""
    x = np.linspace(-1, 1, 20)
    y = 3 * x + 1
    results = []
    for library in (sinir, torch):
        w = library.tensor(0.0, requires_grad=True, dtype=library.float64)
        b = library.tensor(0.0, requires_grad=True, dtype=library.float64)
        xs, ys = library.tensor(x), library.tensor(y)
        for _ in range(50):
            loss = ((w * xs + b - ys) ** 2).mean()
            loss.backward()
            with library.no_grad():
                w -= 0.1 * w.grad
                b -= 0.1 * b.grad
                w.grad.zero_()
                b.grad = None
        results.append((w.item(), b.item()))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)
    assert abs(results[0][0] - 3) < 0.5


def test_data_is_a_detached_tensor_sharing_memory():
    p = sinir.nn.Parameter(sinir.tensor([1.0, 2.0]))
    p.grad = sinir.tensor([1.0, 1.0])
    data = p.data
    assert isinstance(data, sinir.Tensor) and not data.requires_grad and data.grad_fn is None
    p.data -= 0.5 * p.grad                     # the update of the old tutorials, no no_grad needed
    assert p.tolist() == [0.5, 1.5]
    p.data = sinir.tensor([7.0, 8.0])          # replaces the storage
    assert p.tolist() == [7.0, 8.0] and p.requires_grad


def test_grad_is_a_tensor_that_accumulates():
    w = sinir.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    grad = w.grad
    assert isinstance(grad, sinir.Tensor) and not grad.requires_grad
    (w * 3).sum().backward()
    assert w.grad is grad and grad.tolist() == [5.0, 7.0]     # accumulated in place, as PyTorch does
    assert abs(w.grad.norm().item() - np.hypot(5, 7)) < 1e-6
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0]
    w.grad = None
    assert w.grad is None
    with pytest.raises(RuntimeError, match="different size"):
        w.grad = sinir.zeros(3)


def test_numpy_shares_memory():
    x = sinir.zeros(3)
    x.numpy()[1] = 5
    assert x.tolist() == [0.0, 5.0, 0.0]
    tx = torch.zeros(3)
    tx.numpy()[1] = 5
    assert tx.tolist() == x.tolist()


def _no_grad_fill(view):
    with torch.no_grad(), sinir.no_grad():
        view.fill_(0)


VERSION_ERRORS = {
    "exp saves its output": lambda x: (lambda y: (y.add_(1), y))(x.exp())[1],
    "mul saves its inputs": lambda x: (lambda h: (lambda y: (h.mul_(2), y))(h * h)[1])(x * 1),
    "sigmoid saves its output": lambda x: (lambda y: (y.mul_(2), y))(x.sigmoid())[1],
    "a view changed": lambda x: (lambda h: (lambda y: (_no_grad_fill(h[0]), y))(h * h)[1])(x * 1),
    "pow": lambda x: (lambda h: (lambda y: (h.zero_(), y))(h ** 2)[1])(x + 0),
}


@pytest.mark.parametrize("name", VERSION_ERRORS)
def test_changing_a_saved_tensor_raises_pytorchs_error(name):
    for library in (sinir, torch):
        x = library.tensor([1.0, 2.0], requires_grad=True)
        y = VERSION_ERRORS[name](x)
        with pytest.raises(RuntimeError, match="one of the variables needed for gradient computation has "
                                               "been modified by an inplace operation"):
            y.sum().backward()


def test_changes_that_backward_does_not_need_are_fine():
    results = []
    for library in (sinir, torch):
        x = library.tensor([1.0, 2.0], requires_grad=True, dtype=library.float64)
        h = x * 2
        y = h + 1           # add saves nothing
        h.add_(5)
        z = h * x           # the changed h is recorded: h = 2x + 5
        (y.sum() + z.sum()).backward()
        results.append(x.grad.tolist())
    assert results[0] == results[1]


def test_recorded_in_place_chain_matches_torch():
    grads = []
    for library in (sinir, torch):
        x = library.tensor([0.5, -1.0, 2.0], requires_grad=True, dtype=library.float64)
        h = x * 3
        h += x
        h *= x
        h.clamp_(-2, 5)
        h[1] = x[0] * 10
        h.sum().backward()
        grads.append((h.tolist(), x.grad.tolist(), h.grad_fn is not None))
    np.testing.assert_allclose(grads[0][0], grads[1][0])
    np.testing.assert_allclose(grads[0][1], grads[1][1])


def test_optimizer_step_bumps_the_version():
    for library in (sinir, torch):
        w = library.nn.Parameter(library.tensor([1.0, 2.0]))
        y = (w * w).sum()
        w.grad = library.ones(2)
        library.optim.SGD([w], lr=0.1).step()
        assert w._version == 1
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()


def test_recording_in_place_on_a_view_is_refused_clearly():
    """A difference from PyTorch (which rewrites the base's history): sinir says so instead."""
    x = sinir.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    with pytest.raises(RuntimeError, match="in-place operation on a view of a tensor that requires grad"):
        h[0].mul_(2)


def test_random_fills_in_place():
    sinir.manual_seed(0)
    x = sinir.empty(1000)
    assert x.normal_(2.0, 0.5) is x and abs(x.mean().item() - 2.0) < 0.1
    x.uniform_(-1, 1)
    assert -1 <= x.min().item() and x.max().item() <= 1
    x.bernoulli_(0.25)
    assert set(np.unique(x.numpy())) <= {0.0, 1.0} and 0.15 < x.mean().item() < 0.35
    w = sinir.nn.Parameter(sinir.zeros(3))
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w.normal_()
    with sinir.no_grad():
        w.normal_()


def test_requires_grad_and_retain_grad():
    x = sinir.tensor([1.0, 2.0])
    assert x.requires_grad_() is x and x.requires_grad
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    assert h.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        h.requires_grad_(False)
    with pytest.raises(RuntimeError, match="floating point"):
        sinir.tensor([1, 2]).requires_grad_()


def _read_before_and_after_in_place(lib, changes):
    """x -> h = x * 2; y reads h; h is changed in place by each of ``changes``; z reads h after."""
    x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    h = x * 2
    y = h + 0                      # reads h before the change, saves nothing
    for change in changes:
        change(h, x)
    z = h * 1                      # reads h after it
    (y * lib.tensor([1.0, 10.0, 100.0])).sum().add(z.sum() * 1000).backward()
    return x.grad.numpy()


IN_PLACE_CHANGES = {
    "mul_": [lambda h, x: h.mul_(3)],
    "two changes": [lambda h, x: h.mul_(3), lambda h, x: h.add_(x)],
    "+= then item": [lambda h, x: h.__iadd__(x * x), lambda h, x: h.__setitem__(0, 5.0)],
    "relu_": [lambda h, x: h.relu_()],
}


@pytest.mark.parametrize("name", IN_PLACE_CHANGES)
def test_an_operation_that_read_a_tensor_before_it_changed_in_place_gets_the_old_history(name):
    """PyTorch's graph edges point at the history a tensor had when it was read: y's gradient
    reaches x through h = x * 2 alone, not through the in-place change recorded on h after y
    read it (sinir once sent it through the change: x.grad 6 instead of 2)."""
    ours = _read_before_and_after_in_place(sinir, IN_PLACE_CHANGES[name])
    theirs = _read_before_and_after_in_place(torch, IN_PLACE_CHANGES[name])
    np.testing.assert_allclose(ours, theirs)


def test_next_functions_of_an_operation_point_at_the_history_it_read():
    x = sinir.tensor([1.0], requires_grad=True)
    h = x * 2
    y = h + 0
    h.mul_(3)
    assert y.grad_fn.next_functions[0][0].name() == "MulBackward0"
    assert y.grad_fn.next_functions[0][0] is not h.grad_fn
    assert h.grad_fn.next_functions[0][0] is y.grad_fn.next_functions[0][0]


def test_a_product_with_a_constant_does_not_hold_the_other_factor_as_pytorch():
    """h[1] * 3 needs only the 3 for its gradient: changing h afterwards is fine (PyTorch agrees);
    h * h needs h: changing it afterwards is the version-counter error, in both libraries."""
    grads = []
    for lib in (sinir, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        h = x * 2
        y = h[1] * 3
        h[0] = 5.0
        y.backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])
    x = sinir.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = h * h
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
