"""The autograd graph as PyTorch shows it, hooks, the walk's checks, custom Functions, and
sinir.autograd.grad against torch.autograd.grad (first and second order)."""
import weakref

import numpy as np
import pytest
import torch

import sinir
from sinir import nn
from sinir.ops import Function, unbroadcast


def test_grad_fn_names_and_next_functions_as_in_torch():
    for library in (sinir, torch):
        x = library.ones(2, 3, requires_grad=True)
        w = library.ones(3, 4, requires_grad=True)
        names = {
            "add": (x + 1).grad_fn.name(), "mul": (x * 2).grad_fn.name(), "mm": (x @ w).grad_fn.name(),
            "sum": x.sum().grad_fn.name(), "sum dim": x.sum(1).grad_fn.name(), "mean": x.mean().grad_fn.name(),
            "exp": x.exp().grad_fn.name(), "relu": x.relu().grad_fn.name(), "view": x.view(6).grad_fn.name(),
            "permute": x.permute(1, 0).grad_fn.name(), "expand": x.expand(2, 2, 3).grad_fn.name(),
            "div": (x / 2).grad_fn.name(), "neg": (-x).grad_fn.name(), "tanh": x.tanh().grad_fn.name(),
            "sigmoid": x.sigmoid().grad_fn.name(), "softmax": x.softmax(1).grad_fn.name(),
            "log_softmax": x.log_softmax(1).grad_fn.name(), "cast": x.double().grad_fn.name(),
            "clone": x.clone().grad_fn.name(),
        }
        if library is sinir:
            ours = names
        else:
            theirs = names
    assert ours == theirs
    x = sinir.ones(2, requires_grad=True)
    y = x * 2 + 1
    (add, _), (constant, _) = y.grad_fn.next_functions
    assert add.name() == "MulBackward0" and constant is None
    (leaf, _), (none, _) = add.next_functions
    assert type(leaf).__name__ == "AccumulateGrad" and leaf.variable is x and none is None
    assert x.grad_fn is None and x.is_leaf and not y.is_leaf
    assert repr(y) == "tensor([3., 3.], grad_fn=<AddBackward0>)"


def test_grad_fn_keeps_the_inputs_and_options_until_backward():
    x = sinir.ones(2, 3, requires_grad=True)
    y = x.sum(1)
    assert y.grad_fn.inputs[0] is x and y.grad_fn.axis == 1
    y.sum().backward()
    assert y.grad_fn.name() == "SumBackward1" and y.grad_fn.next_functions == ()   # freed (PyTorch keeps it)


def test_linear_graph_names():
    for library, check in ((sinir, None), (torch, None)):
        layer = library.nn.Linear(3, 2)
        out = layer(library.ones(4, 3))
        if library is sinir:
            ours = out.grad_fn.name()
        else:
            assert out.grad_fn.name() == ours == "AddmmBackward0"


def test_backward_twice_needs_retain_graph_with_pytorchs_message():
    for library in (sinir, torch):
        x = library.ones(2, requires_grad=True)
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        assert x.grad.tolist() == [4.0, 4.0]
        with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
            y.backward()


def test_hooks_see_and_replace_gradients_as_in_torch():
    results = []
    for library in (sinir, torch):
        seen = []
        x = library.tensor([1.0, 2.0], requires_grad=True)
        h = x * 3
        handle = h.register_hook(lambda g: seen.append(g.tolist()) or g * 10)
        x.register_hook(lambda g: seen.append(("x", g.tolist())))
        accumulated = []
        x.register_post_accumulate_grad_hook(lambda t: accumulated.append(t.grad.tolist()))
        (h * h).sum().backward()
        handle.remove()
        (x * 3 * 1).sum().backward()
        results.append((seen, accumulated, x.grad.tolist()))
    assert results[0] == results[1]
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        sinir.ones(2).register_hook(print)


def test_hook_is_called_once_the_gradient_is_complete():
    x = sinir.tensor([1.0], requires_grad=True)
    h = x * 2
    seen = []
    h.register_hook(lambda g: seen.append(g.item()))
    (h * 3 + h * 4).sum().backward()              # two paths into h: one call, with the sum
    assert seen == [7.0]


def test_no_grad_set_grad_enabled_and_inference_mode():
    x = sinir.ones(2, requires_grad=True)
    for context in (sinir.no_grad(), sinir.set_grad_enabled(False), sinir.inference_mode()):
        with context:
            assert not (x * 2).requires_grad
    with sinir.inference_mode():
        assert sinir.is_inference_mode_enabled() and not sinir.is_grad_enabled()
    assert sinir.is_grad_enabled() and not sinir.is_inference_mode_enabled()
    with sinir.set_grad_enabled(True):
        assert (x * 2).requires_grad

    @sinir.inference_mode()
    def predict(t):
        return t * 2

    assert not predict(x).requires_grad


class ForgetsToUnbroadcast(Function):
    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad          # b was broadcast: its gradient should be summed back


class ReturnsOneGradient(Function):
    def forward(self, a, b):
        return a * b

    def backward(self, grad):
        return (grad,)


class ReturnsIntegers(Function):
    def forward(self, a):
        return a * 2

    def backward(self, grad):
        return (np.ones(grad.shape, dtype=np.int64),)


def test_the_walk_checks_what_each_backward_returns():
    a = sinir.ones(2, 3, requires_grad=True)
    b = sinir.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"ForgetsToUnbroadcast.backward returned a gradient of shape "
                                           r"\(2, 3\) for input 1, which has shape \(3,\)"):
        ForgetsToUnbroadcast()(a, b).sum().backward()
    with pytest.raises(RuntimeError, match="ReturnsOneGradient.backward returned 1 gradients for 2 inputs"):
        ReturnsOneGradient()(a, a).sum().backward()
    with pytest.raises(RuntimeError, match="ReturnsIntegers.backward returned a gradient of dtype int64"):
        ReturnsIntegers()(a).sum().backward()


class Fixed(Function):
    """The same op done right: the old protocol (forward/backward on arrays) still works."""

    def forward(self, a, b):
        self.b_shape = b.shape
        return a + b

    def backward(self, grad):
        return grad, unbroadcast(grad, self.b_shape)


def test_array_protocol_functions_still_work():
    a = sinir.ones(2, 3, requires_grad=True, dtype=sinir.float64)
    b = sinir.ones(3, requires_grad=True, dtype=sinir.float64)
    Fixed()(a, b).sum().backward()
    assert b.grad.tolist() == [2.0] * 3
    assert sinir.gradcheck(lambda a, b: Fixed()(a, b), [a, b])


class Cube(sinir.autograd.Function):
    """PyTorch's custom Function style, as in 'Learning PyTorch with Examples'."""

    @staticmethod
    def forward(ctx, x, power):
        ctx.save_for_backward(x)
        ctx.power = power
        return x ** power

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * ctx.power * x ** (ctx.power - 1), None


class TorchCube(torch.autograd.Function):
    forward = Cube.forward
    backward = Cube.backward


def test_custom_function_apply_matches_torch_first_and_second_order():
    x, tx = sinir.tensor([0.5, -2.0], requires_grad=True, dtype=sinir.float64), \
        torch.tensor([0.5, -2.0], requires_grad=True, dtype=torch.float64)
    y, ty = Cube.apply(x, 3), TorchCube.apply(tx, 3)
    assert y.grad_fn.name() == "CubeBackward" and y.tolist() == ty.tolist()
    (g,) = sinir.autograd.grad(y.sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad(ty.sum(), tx, create_graph=True)
    np.testing.assert_allclose(g.numpy(), tg.detach().numpy())
    (h,) = sinir.autograd.grad(g.sum(), x)
    (th,) = torch.autograd.grad(tg.sum(), tx)
    np.testing.assert_allclose(h.numpy(), th.numpy())
    z = Cube.apply(x, 2)
    with sinir.no_grad():
        x.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_autograd_grad_leaves_dot_grad_alone_and_checks_its_arguments():
    x = sinir.tensor([1.0, 2.0], requires_grad=True)
    unused = sinir.tensor([1.0], requires_grad=True)
    (g,) = sinir.autograd.grad((x * x).sum(), x)
    assert g.tolist() == [2.0, 4.0] and x.grad is None
    with pytest.raises(RuntimeError, match="was not used"):
        sinir.autograd.grad((x * 2).sum(), [x, unused])
    assert sinir.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)[1] is None
    g = sinir.autograd.grad(x * 2, x, grad_outputs=sinir.tensor([1.0, 10.0]))[0]
    assert g.tolist() == [2.0, 20.0]


def _second_order_pair(fn, shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) + (1.5 if i == 0 else 0) for i, s in enumerate(shapes)]
    ours = [sinir.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    results = []
    for library, inputs in ((sinir, ours), (torch, theirs)):
        out = fn(library, *inputs)
        grads = library.autograd.grad(out, inputs, create_graph=True)
        weights = [library.tensor(np.cos(np.arange(g.numel())).reshape(tuple(g.shape))) for g in grads]
        total = sum((g * w).sum() for g, w in zip(grads, weights))
        second = library.autograd.grad(total, inputs, allow_unused=True)
        results.append(([g.detach().numpy() for g in grads],
                        [np.zeros(s) if h is None else h.detach().numpy() for h, s in zip(second, shapes)]))
    for a, b in zip(results[0][0] + results[0][1], results[1][0] + results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10)


SECOND_ORDER = {
    "mul add": (lambda L, a, b: (a * b * a + b).sum(), [(3, 4), (4,)]),
    "div": (lambda L, a, b: (b / a).sum(), [(3,), (3,)]),
    "pow": (lambda L, a: (a ** 3).sum(), [(4,)]),
    "pow tensor exponent": (lambda L, a, b: (a ** b).sum(), [(3,), (3,)]),
    "exp log sqrt": (lambda L, a: (a.exp() + a.log() * a.sqrt()).sum(), [(4,)]),
    "tanh sigmoid": (lambda L, a: (a.tanh() * a.sigmoid()).sum(), [(2, 3)]),
    "relu abs clamp": (lambda L, a: (a.relu() * a + a.abs() * a + a.clamp(1.0, 2.0) ** 2).sum(), [(5,)]),
    "matmul": (lambda L, a, b: ((a @ b) ** 2).sum(), [(2, 3), (3, 4)]),
    "matmul vector": (lambda L, a, b: ((a @ b) ** 2).sum(), [(3, 4), (4,)]),
    "sum mean dims": (lambda L, a: (a.sum(1) ** 2).sum() + (a.mean(0) ** 3).sum(), [(3, 4)]),
    "max min": (lambda L, a: (a.amax(1) ** 2).sum() + a.max() ** 2 + (a.min(0).values ** 3).sum(), [(3, 4)]),
    "reshape permute expand": (lambda L, a: (a.reshape(4, 3).permute(1, 0).unsqueeze(0).expand(2, 3, 4) ** 2).sum(),
                               [(3, 4)]),
    "index": (lambda L, a: (a[1:, ::2] ** 3).sum() + (a[L.tensor([0, 0, 2])] ** 2).sum(), [(3, 4)]),
    "cat stack": (lambda L, a, b: (L.cat([a, b], 1) ** 3).sum() + (L.stack([a, a * b[:, :2]]) ** 2).sum(),
                  [(2, 2), (2, 3)]),
    "where": (lambda L, a, b: (L.where(a > 1.5, a * a, b * a) ** 2).sum(), [(5,), (5,)]),
    "softmax": (lambda L, a: (a.softmax(1) ** 2).sum() + (a.log_softmax(0) * a).sum(), [(3, 4)]),
    "linear": (lambda L, x, w, b: (L.nn.functional.linear(x, w, b).tanh() ** 2).sum(), [(4, 3), (2, 3), (2,)]),
    "mse": (lambda L, a, b: L.nn.functional.mse_loss(a * a, b), [(3, 4), (3, 4)]),
    "cross entropy": (lambda L, a: L.nn.functional.cross_entropy(a * a, L.tensor([1, 0, 3])), [(3, 4)]),
    "bce with logits": (lambda L, a, b: L.nn.functional.binary_cross_entropy_with_logits(a * b, b.sigmoid()),
                        [(4,), (4,)]),
    "bce": (lambda L, a: L.nn.functional.binary_cross_entropy((a * 0.3).sigmoid(), L.tensor(np.array([0.0, 1.0, 0.3]))),
            [(3,)]),
    "huber smooth l1": (lambda L, a, b: L.nn.functional.huber_loss(a * a, b, delta=0.5)
                        + L.nn.functional.smooth_l1_loss(a * b, b, beta=0.7), [(6,), (6,)]),
    "maximum": (lambda L, a, b: (L.maximum(a * a, b) ** 2).sum(), [(4,), (4,)]),
    "sort topk": (lambda L, a: (a.sort(1).values ** 2 * L.tensor([1.0, 2.0, 3.0, 4.0])).sum()
                  + (a.topk(2, 0).values ** 3).sum(), [(3, 4)]),
}


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_derivatives_match_torch_autograd_grad_twice(name):
    fn, shapes = SECOND_ORDER[name]
    _second_order_pair(fn, shapes)


@pytest.mark.parametrize("name", ["pow", "exp log sqrt", "tanh sigmoid", "matmul", "softmax", "linear",
                                  "cross entropy", "index"])
def test_gradgradcheck(name):
    fn, shapes = SECOND_ORDER[name]
    rng = np.random.default_rng(3)
    inputs = [sinir.tensor(np.abs(rng.standard_normal(s)) + 0.5 if i == 0 else rng.standard_normal(s),
                           requires_grad=True) for i, s in enumerate(shapes)]
    assert sinir.gradgradcheck(lambda *xs: fn(sinir, *xs), inputs)


def test_gradient_penalty_and_hessian_vector_product():
    """Two uses of create_graph=True: a WGAN-GP style penalty and H v."""
    results = []
    for library in (sinir, torch):
        library.manual_seed(0)
        net = library.nn.Sequential(library.nn.Linear(3, 5), library.nn.Tanh(), library.nn.Linear(5, 1)).double()
        with library.no_grad():
            for i, p in enumerate(net.parameters()):
                p.copy_(library.tensor(np.sin(np.arange(p.numel()) + i).reshape(tuple(p.shape))))
        x = library.tensor(np.linspace(-1, 1, 12).reshape(4, 3), requires_grad=True)
        (g,) = library.autograd.grad(net(x).sum(), x, create_graph=True)
        penalty = ((g.norm(2, dim=1) - 1) ** 2).mean()
        penalty.backward()
        w = net[0].weight
        v = library.ones(tuple(w.shape), dtype=library.float64)
        (gw,) = library.autograd.grad((net(x) ** 2).sum(), w, create_graph=True)
        (hv,) = library.autograd.grad((gw * v).sum(), w)
        results.append([np.zeros(tuple(p.shape)) if p.grad is None else p.grad.numpy().copy()
                        for p in net.parameters()] + [hv.numpy()])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_an_operation_without_double_backward_says_so_when_reached():
    x = sinir.randn(1, 1, 5, 5, dtype=sinir.float64, requires_grad=True)
    y = sinir.nn.functional.max_pool2d(x * x, 2)
    (g,) = sinir.autograd.grad(y.sum(), x, create_graph=True)    # first order is fine
    assert g.requires_grad
    with pytest.raises(RuntimeError, match="does not support double backward"):
        g.sum().backward()


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_create_graph_leaves_a_differentiable_grad():
    for library in (sinir, torch):
        x = library.tensor([2.0], requires_grad=True)
        (x ** 3).sum().backward(create_graph=True)
        assert x.grad.requires_grad and x.grad.item() == 12.0
        (g,) = library.autograd.grad(x.grad.sum(), x)
        assert g.item() == 12.0            # d(3x^2)/dx = 6x


def test_gradcheck_nudges_inputs_whose_memory_is_not_row_major():
    """An input stored transposed (as a convolution's batch-innermost output is) is nudged in
    place too: a wrong backward still fails, a right one passes."""
    memory = np.random.default_rng(1).standard_normal((4, 3))
    x = sinir.Tensor(memory.T, dtype=np.float64, requires_grad=True)     # shape (3, 4), column-major
    assert not x.numpy().flags.c_contiguous
    assert sinir.gradcheck(lambda t: (t * t).sum(1), [x])

    class WrongSquare(sinir.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t * t

        @staticmethod
        def backward(ctx, grad):
            (t,) = ctx.saved_tensors
            return grad * t                       # should be 2 t

    with pytest.raises(sinir.GradcheckError):
        sinir.gradcheck(lambda t: WrongSquare.apply(t), [x])


class _Returns(Function):
    """y = 2x whose backward returns a fresh array, recorded in ``made`` (weakly, or strongly when ``keep``)."""
    made, kept = [], []
    keep = False

    def forward(self, x):
        return 2 * x

    def backward(self, grad):
        array = np.full(grad.shape, 2.0) * grad
        type(self).made.append(weakref.ref(array))
        if self.keep:
            type(self).kept.append(array)
        return (array,)


def test_a_leafs_gradient_that_nothing_else_holds_becomes_its_grad_without_a_copy():
    """As PyTorch's AccumulateGrad steals an unshared gradient (VGG-16 copied 550 MB a step)."""
    x = sinir.tensor(np.ones(3), requires_grad=True)
    _Returns.made.clear()
    _Returns()(x).sum().backward()
    assert x.grad.numpy() is _Returns.made[-1]()


def test_a_gradient_something_else_holds_is_copied_into_grad():
    x = sinir.tensor(np.ones(3), requires_grad=True)
    operation = _Returns()
    operation.keep = True
    operation(x).sum().backward()
    held = _Returns.kept.pop()
    assert x.grad.numpy() is not held
    held += 100                                   # the holder changes its array; .grad does not
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 2.0])


def test_two_leaves_given_the_same_gradient_array_do_not_share_their_grad():
    a, b = (sinir.tensor(np.ones(3), requires_grad=True) for _ in range(2))
    (a + b).sum().backward()                      # Add hands one array to both inputs
    a.grad.add_(1)
    np.testing.assert_array_equal(b.grad.numpy(), [1.0, 1.0, 1.0])
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
