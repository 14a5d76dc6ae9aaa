"""The new layers as modules: PyTorch's state_dict keys, outputs and gradients from the same
weights (float64), options checked once in __init__; clip_grad and parameter vectors."""
import numpy as np
import pytest

import sinir
from sinir import nn

torch = pytest.importorskip("torch")

MODULES = [
    ("Conv1d", (4, 6, 3), dict(stride=2, padding=1, groups=2), (2, 4, 11)),
    ("ConvTranspose2d", (4, 2, 3), dict(stride=2, padding=1, output_padding=1), (2, 4, 5, 5)),
    ("ConvTranspose2d", (4, 6, 2), dict(groups=2, bias=False, dilation=2), (1, 4, 3, 3)),
    ("LayerNorm", ((3, 4),), dict(), (2, 5, 3, 4)),
    ("LayerNorm", (4,), dict(elementwise_affine=False), (3, 4)),
    ("GroupNorm", (2, 6), dict(eps=1e-3), (2, 6, 3)),
    ("PReLU", (3,), dict(init=0.1), (2, 3, 4)),
    ("GELU", (), dict(approximate="tanh"), (3, 4)),
    ("SiLU", (), dict(), (3, 4)),
    ("ELU", (0.5,), dict(), (3, 4)),
    ("Softplus", (), dict(beta=3.0), (3, 4)),
    ("Hardtanh", (-0.5, 0.5), dict(), (3, 4)),
    ("Softmax2d", (), dict(), (2, 3, 2, 2)),
    ("Upsample", (), dict(scale_factor=2, mode="bilinear"), (1, 2, 3, 3)),
    ("Upsample", (), dict(size=(5, 4), mode="nearest"), (1, 2, 3, 3)),
    ("Unflatten", (1, (2, 3)), dict(), (4, 6)),
]


@pytest.mark.parametrize("name, args, options, shape", MODULES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MODULES)])
def test_module_matches_pytorch(name, args, options, shape):
    ours = getattr(nn, name)(*args, **options).double()
    theirs = getattr(torch.nn, name)(*args, **options).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    rng = np.random.default_rng(0)
    state = {k: rng.standard_normal(tuple(v.shape)) for k, v in theirs.state_dict().items()}
    ours.load_state_dict(state)
    theirs.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    x = rng.standard_normal(shape)
    xs, xt = sinir.Tensor(x, requires_grad=True, dtype=np.float64), torch.tensor(x, requires_grad=True)
    y, z = ours(xs), theirs(xt)
    np.testing.assert_allclose(np.asarray(y), z.detach().numpy(), rtol=1e-6, atol=1e-8)
    weights = rng.standard_normal(tuple(y.shape))
    (y * sinir.Tensor(weights, dtype=np.float64)).sum().backward()
    (z * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(np.asarray(xs.grad), xt.grad.numpy(), rtol=1e-6, atol=1e-8)
    for (key, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(np.asarray(p.grad), q.grad.numpy(), rtol=1e-6, atol=1e-8, err_msg=key)


def test_embedding_padding_idx_and_from_pretrained():
    embed = nn.Embedding(5, 3, padding_idx=0)
    assert np.all(np.asarray(embed.weight)[0] == 0) and list(embed.state_dict()) == ["weight"]
    out = embed(sinir.tensor([[0, 2, 2], [4, 0, 1]]))
    assert tuple(out.shape) == (2, 3, 3)
    out.sum().backward()
    grad = np.asarray(embed.weight.grad)
    assert np.all(grad[0] == 0) and np.all(grad[2] == 2) and np.all(grad[3] == 0)
    frozen = nn.Embedding.from_pretrained(np.eye(3))
    assert not frozen.weight.requires_grad and np.asarray(frozen(sinir.tensor([1]))).tolist() == [[0, 1, 0]]
    with pytest.raises(ValueError, match="indices must be integers"):
        embed(sinir.tensor([0.5]))
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 5\)"):
        embed(sinir.tensor([5]))


def test_losses_with_weight_and_ignore_index_match_pytorch():
    rng = np.random.default_rng(1)
    x, labels, weight = rng.standard_normal((6, 4)), np.array([0, 3, -1, 2, 2, 1]), np.array([1.0, 2.0, 0.5, 1.5])
    for ours_fn, theirs_fn in ((nn.CrossEntropyLoss(weight=weight, ignore_index=-1, label_smoothing=0.1),
                                torch.nn.CrossEntropyLoss(weight=torch.tensor(weight), ignore_index=-1,
                                                          label_smoothing=0.1)),
                               (nn.NLLLoss(weight=weight, ignore_index=-1, reduction="sum"),
                                torch.nn.NLLLoss(weight=torch.tensor(weight), ignore_index=-1, reduction="sum"))):
        ours = ours_fn(sinir.Tensor(x, dtype=np.float64).log_softmax(1), sinir.tensor(labels))
        theirs = theirs_fn(torch.tensor(x).log_softmax(1), torch.tensor(labels))
        assert float(ours) == pytest.approx(float(theirs), rel=1e-9)
    a, b, t = rng.standard_normal(5), rng.standard_normal(5), np.array([1.0, -1, 1, -1, 1])
    ours = nn.MarginRankingLoss(margin=0.2)(sinir.Tensor(a, dtype=np.float64), sinir.Tensor(b, dtype=np.float64),
                                            sinir.Tensor(t, dtype=np.float64))
    theirs = torch.nn.MarginRankingLoss(margin=0.2)(torch.tensor(a), torch.tensor(b), torch.tensor(t))
    assert float(ours) == pytest.approx(float(theirs), rel=1e-9)
    p = rng.dirichlet(np.ones(4), size=3)
    ours = nn.KLDivLoss(reduction="batchmean")(sinir.Tensor(x[:3], dtype=np.float64).log_softmax(1),
                                               sinir.Tensor(p, dtype=np.float64))
    theirs = torch.nn.KLDivLoss(reduction="batchmean")(torch.tensor(x[:3]).log_softmax(1), torch.tensor(p))
    assert float(ours) == pytest.approx(float(theirs), rel=1e-9)


def test_clip_grad_and_parameter_vectors_match_pytorch():
    ours, theirs = nn.Linear(4, 3).double(), torch.nn.Linear(4, 3).double()
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(2).standard_normal((5, 4)) * 10
    (ours(sinir.Tensor(x, dtype=np.float64)) ** 2).sum().backward()
    (theirs(torch.tensor(x)) ** 2).sum().backward()
    for norm_type in (2.0, float("inf")):
        a = nn.utils.clip_grad_norm_(ours.parameters(), max_norm=5.0, norm_type=norm_type)
        b = torch.nn.utils.clip_grad_norm_(theirs.parameters(), max_norm=5.0, norm_type=norm_type)
        assert float(a) == pytest.approx(float(b), rel=1e-9)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(np.asarray(p.grad), q.grad.numpy(), rtol=1e-9)
    nn.utils.clip_grad_value_(ours.parameters(), 0.1)
    torch.nn.utils.clip_grad_value_(theirs.parameters(), 0.1)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(np.asarray(p.grad), q.grad.numpy(), rtol=1e-9)
    vector = nn.utils.parameters_to_vector(ours.parameters())
    np.testing.assert_allclose(np.asarray(vector),
                               torch.nn.utils.parameters_to_vector(theirs.parameters()).detach().numpy())
    nn.utils.vector_to_parameters(sinir.zeros(15, dtype=np.float64), ours.parameters())
    assert all(np.asarray(p).sum() == 0 for p in ours.parameters())
    with pytest.raises(ValueError, match="expected a 1-D vector of 15 values"):
        nn.utils.vector_to_parameters(sinir.zeros(3), ours.parameters())


@pytest.mark.parametrize("build, message", [
    (lambda: nn.Conv1d(3, 4, 0), "Conv1d: kernel_size must be an integer >= 1"),
    (lambda: nn.ConvTranspose2d(4, 4, 3, stride=2, output_padding=2), "output_padding .* must be smaller"),
    (lambda: nn.LayerNorm(0), "normalized_shape must be a positive integer"),
    (lambda: nn.GroupNorm(4, 6), "num_groups=4 must divide num_channels=6"),
    (lambda: nn.Embedding(0, 3), "num_embeddings must be a positive integer"),
    (lambda: nn.GELU("fast"), "approximate must be 'none' or 'tanh'"),
    (lambda: nn.Upsample(scale_factor=2, mode="bicubic"), "mode must be one of"),
    (lambda: nn.Unflatten(1, (2, 0)), "unflattened_size must hold positive integers"),
    (lambda: nn.CrossEntropyLoss(weight=[1.0, np.nan]), "weight must be a 1-D array of finite numbers"),
    (lambda: nn.KLDivLoss(reduction="average"), "reduction must be one of"),
    (lambda: nn.MaxPool2d(2, padding=2), r"padding \(2, 2\) must be at most half the kernel size"),
])
def test_options_are_checked_in_init(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_input_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"LayerNorm\(\(4,\)\): the input's last axes must be \(4,\), got input of shape \(2, 3\)"):
        nn.LayerNorm(4)(sinir.randn(2, 3))
    with pytest.raises(ValueError, match=r"Conv1d\(3, 4\): expected input of shape \(N, 3, L\), got \(2, 5, 9\)"):
        nn.Conv1d(3, 4, 3)(sinir.randn(2, 5, 9))
    with pytest.raises(ValueError, match=r"Unflatten: cannot split dimension 1 of input of shape \(2, 7\)"):
        nn.Unflatten(1, (2, 3))(sinir.randn(2, 7))


def test_relu_inplace_is_accepted():
    relu = nn.ReLU(inplace=True)
    assert repr(relu) == "ReLU(inplace=True)" == repr(torch.nn.ReLU(inplace=True))
    assert np.asarray(relu(sinir.tensor([-1.0, 2.0]))).tolist() == [0.0, 2.0]
