"""RNN, LSTM and GRU layers and cells: PyTorch's parameter names, values and gradients (float64),
and central-difference gradient checks of the recurrent operations."""
import numpy as np
import pytest

import sinir
from sinir import nn

torch = pytest.importorskip("torch")

LAYERS = [
    ("LSTM", dict()),
    ("LSTM", dict(num_layers=2, batch_first=True, bidirectional=True)),
    ("LSTM", dict(num_layers=2, bias=False)),
    ("GRU", dict()),
    ("GRU", dict(num_layers=2, batch_first=True, bidirectional=True)),
    ("RNN", dict(num_layers=2, nonlinearity="relu", bidirectional=True)),
    ("RNN", dict(batch_first=True, bias=False)),
]


def _copy_into_torch(ours, theirs):
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})


def _compare_outputs(y, z, ours_inputs, theirs_inputs, rtol=1e-6):
    """Compare forward values, then backpropagate the same random weights through both."""
    flat_y = [y[0]] + (list(y[1]) if isinstance(y[1], tuple) else [y[1]])
    flat_z = [z[0]] + (list(z[1]) if isinstance(z[1], tuple) else [z[1]])
    loss_y, loss_z = 0, 0
    rng = np.random.default_rng(5)
    for a, b in zip(flat_y, flat_z):
        np.testing.assert_allclose(np.asarray(a), b.detach().numpy(), rtol=rtol, atol=1e-8)
        w = rng.standard_normal(tuple(a.shape))
        loss_y = loss_y + (a * sinir.Tensor(w, dtype=np.float64)).sum()
        loss_z = loss_z + (b * torch.tensor(w)).sum()
    loss_y.backward()
    loss_z.backward()
    for a, b in zip(ours_inputs, theirs_inputs):
        np.testing.assert_allclose(np.asarray(a.grad), b.grad.numpy(), rtol=rtol, atol=1e-8)


@pytest.mark.parametrize("kind, options", LAYERS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(LAYERS)])
def test_recurrent_layer_matches_pytorch(kind, options):
    ours = getattr(nn, kind)(3, 4, dtype=np.float64, **options)
    theirs = getattr(torch.nn, kind)(3, 4, dtype=torch.float64, **options)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _copy_into_torch(ours, theirs)
    batch_first = options.get("batch_first", False)
    shape = (2, 5, 3) if batch_first else (5, 2, 3)
    x = np.random.default_rng(0).standard_normal(shape)
    layers = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
    h0 = np.random.default_rng(1).standard_normal((layers, 2, 4))
    xs, xt = sinir.Tensor(x, requires_grad=True, dtype=np.float64), torch.tensor(x, requires_grad=True)
    hs, ht = sinir.Tensor(h0, requires_grad=True, dtype=np.float64), torch.tensor(h0, requires_grad=True)
    if kind == "LSTM":
        c0 = np.random.default_rng(2).standard_normal((layers, 2, 4))
        cs, ct = sinir.Tensor(c0, requires_grad=True, dtype=np.float64), torch.tensor(c0, requires_grad=True)
        y, z = ours(xs, (hs, cs)), theirs(xt, (ht, ct))
        inputs = [(xs, xt), (hs, ht), (cs, ct)]
    else:
        y, z = ours(xs, hs), theirs(xt, ht)
        inputs = [(xs, xt), (hs, ht)]
    params = [(p, q) for p, q in zip(ours.parameters(), theirs.parameters())]
    _compare_outputs(y, z, [a for a, _ in inputs + params], [b for _, b in inputs + params])


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_unbatched_input_and_default_state(kind):
    ours = getattr(nn, kind)(3, 4, dtype=np.float64)
    theirs = getattr(torch.nn, kind)(3, 4, dtype=torch.float64)
    _copy_into_torch(ours, theirs)
    x = np.random.default_rng(3).standard_normal((6, 3))
    y, z = ours(sinir.Tensor(x, dtype=np.float64)), theirs(torch.tensor(x))
    np.testing.assert_allclose(np.asarray(y[0]), z[0].detach().numpy(), rtol=1e-6)
    assert tuple(y[0].shape) == (6, 4)


@pytest.mark.parametrize("kind", ["LSTMCell", "GRUCell", "RNNCell"])
def test_cells_match_pytorch(kind):
    ours = getattr(nn, kind)(3, 4, dtype=np.float64)
    theirs = getattr(torch.nn, kind)(3, 4, dtype=torch.float64)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _copy_into_torch(ours, theirs)
    rng = np.random.default_rng(4)
    x, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    xs, xt = sinir.Tensor(x, requires_grad=True, dtype=np.float64), torch.tensor(x, requires_grad=True)
    hs, ht = sinir.Tensor(h, requires_grad=True, dtype=np.float64), torch.tensor(h, requires_grad=True)
    if kind == "LSTMCell":
        cs, ct = sinir.Tensor(c, requires_grad=True, dtype=np.float64), torch.tensor(c, requires_grad=True)
        (h1, c1), (h2, c2) = ours(xs, (hs, cs)), theirs(xt, (ht, ct))
        y, z, inputs = (h1, (c1,)), (h2, (c2,)), [(xs, xt), (hs, ht), (cs, ct)]
    else:
        y, z, inputs = (ours(xs, hs), ()), (theirs(xt, ht), ()), [(xs, xt), (hs, ht)]
    params = list(zip(ours.parameters(), theirs.parameters()))
    _compare_outputs(y, z, [a for a, _ in inputs + params], [b for _, b in inputs + params])
    assert tuple(ours(sinir.Tensor(x[0], dtype=np.float64))[0].shape if kind == "LSTMCell"
                 else ours(sinir.Tensor(x[0], dtype=np.float64)).shape) == (4,)


@pytest.mark.parametrize("operation, states, gates", [("LSTMLayer", 2, 4), ("GRULayer", 1, 3), ("RNNLayer", 1, 1)])
@pytest.mark.parametrize("reverse, x_shape, batch_first", [(False, (3, 2, 3), False), (True, (3, 2, 3), False),
                                                          (False, (2, 3, 3), True), (False, (2, 3), False)],
                         ids=["forward", "reverse", "batch_first", "one step (cells)"])
def test_recurrent_operations_gradcheck(operation, states, gates, reverse, x_shape, batch_first):
    from sinir.ops import recurrent
    rng = np.random.default_rng(6)
    H = 2

    def t(*shape):
        return sinir.Tensor(rng.standard_normal(shape) * 0.7, requires_grad=True, dtype=np.float64)

    inputs = [t(*x_shape)] + [t(2, H) for _ in range(states)] + [t(gates * H, 3), t(gates * H, H), t(gates * H),
                                                                  t(gates * H)]
    op = getattr(recurrent, operation)
    assert sinir.gradcheck(lambda *a: op(True, reverse, batch_first)(*a), inputs)


def test_dropout_between_layers_only_in_training():
    sinir.manual_seed(0)
    lstm = nn.LSTM(3, 4, num_layers=2, dropout=0.5, dtype=np.float64)
    x = sinir.Tensor(np.random.default_rng(0).standard_normal((5, 2, 3)), dtype=np.float64)
    a, b = lstm(x)[0], lstm(x)[0]
    assert not np.allclose(np.asarray(a), np.asarray(b))      # a new dropout mask each call
    lstm.eval()
    np.testing.assert_array_equal(np.asarray(lstm(x)[0]), np.asarray(lstm(x)[0]))
    single = nn.LSTM(3, 4, num_layers=1, dropout=0.5, dtype=np.float64)
    np.testing.assert_array_equal(np.asarray(single(x)[0]), np.asarray(single(x)[0]))   # nothing to drop


def test_bad_recurrent_arguments():
    with pytest.raises(ValueError, match="hidden_size must be a positive integer"):
        nn.LSTM(3, 0)
    with pytest.raises(ValueError, match=r"dropout must be a number in \[0, 1\]"):
        nn.GRU(3, 4, dropout=1.5)
    with pytest.raises(ValueError, match="nonlinearity must be 'tanh' or 'relu'"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match=r"LSTM\(3, 4\): expected input of shape \(T, N, 3\)"):
        nn.LSTM(3, 4)(sinir.randn(5, 2, 7))
    with pytest.raises(ValueError, match=r"h_0 must have shape \(1, 2, 4\), got \(1, 3, 4\)"):
        nn.GRU(3, 4)(sinir.randn(5, 2, 3), sinir.zeros(1, 3, 4))
    with pytest.raises(ValueError, match=r"LSTMCell\(3, 4\): expected input of shape \(N, 3\)"):
        nn.LSTMCell(3, 4)(sinir.randn(2, 5))
    assert repr(nn.LSTM(3, 4, num_layers=2, batch_first=True)) == "LSTM(3, 4, num_layers=2, batch_first=True)"
