"""The model zoo: parameter counts equal torchvision's, every model runs at its input sizes,
weights move between PyTorch and sinir with the same outputs."""
import sys
from pathlib import Path

import numpy as np
import pytest

import sinir
from sinir import models, nn

TORCHVISION_COUNTS = {
    "alexnet": 61_100_840,
    "vgg16": 138_357_544,
    "resnet18": 11_689_512,
    "resnet34": 21_797_672,
    "resnet50": 25_557_032,
    "googlenet": 6_624_904,
}


@pytest.mark.parametrize("name", sorted(TORCHVISION_COUNTS))
def test_parameter_counts_equal_torchvision(name):
    assert models.get(name, num_classes=1000).num_parameters() == TORCHVISION_COUNTS[name]


def test_lenet5_parameter_counts():
    assert models.lenet5().num_parameters() == 61_706
    assert models.lenet5(classic=True).num_parameters() == 60_000     # the 1998 paper's count
    assert models.lenet5(classic=True).c3.num_parameters() == 1_516    # the partial connection table


@pytest.mark.parametrize("name", models.names())
def test_every_model_runs_on_mnist_and_cifar_sizes(name):
    options = {"small_input": True} if name in models.SMALL_INPUT_OPTION else {}
    for channels, size in ((1, 28), (3, 32)):
        kwargs = dict(num_classes=10, in_channels=channels, **options)
        if name == "mlp":
            kwargs = dict(num_classes=10, in_channels=channels, image_size=size)
        model = models.get(name, **kwargs)
        with sinir.no_grad():
            assert model(sinir.randn(2, channels, size, size)).shape == (2, 10)


@pytest.mark.parametrize("name", models.names())
def test_models_run_at_imagenet_size(name):
    kwargs = dict(image_size=224) if name == "mlp" else {}
    model = models.get(name, num_classes=7, in_channels=3, **kwargs).eval()
    with sinir.no_grad():
        assert model(sinir.randn(1, 3, 224, 224)).shape == (1, 7)


def test_models_without_small_input_work_on_mnist_where_torchvision_does():
    for name in ("resnet18", "googlenet"):
        with sinir.no_grad():
            assert models.get(name, num_classes=10, in_channels=1)(sinir.randn(2, 1, 28, 28)).shape == (2, 10)


def test_googlenet_aux_outputs_and_backward():
    model = models.googlenet(num_classes=5, in_channels=1, aux_logits=True)
    logits, aux1, aux2 = model.forward_with_aux(sinir.randn(2, 1, 64, 64))
    assert logits.shape == aux1.shape == aux2.shape == (2, 5)
    (logits.sum() + 0.3 * (aux1.sum() + aux2.sum())).backward()
    assert model.aux1.fc2.weight.grad is not None and model.conv1.conv.weight.grad is not None
    model.eval()
    assert model.forward_with_aux(sinir.randn(1, 1, 64, 64))[1] is None


def test_registry_errors_list_the_models():
    with pytest.raises(ValueError, match=r"unknown model 'lenet6'; the models are: alexnet, googlenet"):
        models.get("lenet6")


def test_summary_table():
    text = models.summary(models.lenet5(), (1, 28, 28))
    assert "features.0    Conv2d     (-1, 6, 28, 28)          156" in text
    assert "Total parameters:      61,706" in text
    assert "Multiply-adds:         416,520" in text


def test_state_dict_keys_follow_torchvision():
    keys = list(models.resnet18().state_dict())
    assert keys[:6] == ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                        "bn1.num_batches_tracked"]
    assert "layer2.0.downsample.0.weight" in keys and keys[-2:] == ["fc.weight", "fc.bias"]
    assert "inception4a.branch2.1.bn.running_var" in models.googlenet().state_dict()
    assert list(models.alexnet().state_dict())[-1] == "classifier.6.bias"


def _torch_models():
    """The PyTorch reference models that the benchmark uses too (torchvision's layer names; torchvision
    itself cannot be installed beside the CPU build of torch here)."""
    pytest.importorskip("torch")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import torch_models
    return torch_models


def test_resnet18_weights_from_pytorch_give_pytorchs_outputs():
    torch = pytest.importorskip("torch")
    theirs = _torch_models().ResNet18(num_classes=10).double()
    with torch.no_grad():   # non-trivial running statistics, so that eval mode is really tested
        for module in theirs.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
    ours = models.resnet18(num_classes=10).double()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((2, 3, 64, 64))
    for train in (False, True):
        ours.train(train)
        theirs.train(train)
        y = ours(sinir.Tensor(x, dtype=np.float64))
        t = theirs(torch.tensor(x))
        np.testing.assert_allclose(y.numpy(), t.detach().numpy(), rtol=1e-8, atol=1e-10)


def test_lenet5_matches_a_pytorch_lenet5_forward_and_backward():
    torch = pytest.importorskip("torch")
    tnn = torch.nn
    theirs = _torch_models().lenet5().double()
    ours = models.lenet5().double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((4, 1, 28, 28))
    labels = np.array([1, 2, 3, 4])
    loss = nn.CrossEntropyLoss()(ours(sinir.Tensor(x, dtype=np.float64)), labels)
    torch_loss = tnn.CrossEntropyLoss()(theirs(torch.tensor(x)), torch.tensor(labels))
    loss.backward()
    torch_loss.backward()
    assert loss.item() == pytest.approx(torch_loss.item(), rel=1e-12)
    theirs_grads = {k: p.grad.numpy() for k, p in theirs.named_parameters()}
    for name, parameter in ours.named_parameters():
        np.testing.assert_allclose(parameter.grad, theirs_grads[name], rtol=1e-9, atol=1e-12, err_msg=name)
