"""Every model of the zoo that the CLI trains, exported to ONNX and run in ONNX Runtime: the same
outputs as sinir in eval mode (max |difference| <= 1e-4, float32) on random and real MNIST images,
at batch sizes 1 and 7 from one export (the batch axis is dynamic)."""
import numpy as np
import pytest

import sinir
import sinir.onnx
from sinir import experiment, nn
from sinir.datasets import MNIST
from tests.conftest import mnist_dir

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

TOLERANCE = 1e-4
MODELS = ["lenet5", "lenet5-classic", "mlp", "alexnet", "vgg16", "resnet18", "resnet50", "googlenet"]


@pytest.fixture(scope="module")
def mnist_images():
    """Seven real test digits, normalised as in training (the full set, else the bundled sample)."""
    test = MNIST(root=mnist_dir(), train=False, download=False, transform=experiment.dataset_transform("mnist"))
    return test.get_batch(np.arange(7))[0]


def calibrate_batch_norm(model, images):
    """Set every BatchNorm's running statistics to those of ``images`` (as after training), so that
    activations keep a sensible scale and the running statistics are far from their 0/1 start."""
    layers = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    if not layers:
        model.eval()
        return layers
    for layer in layers:
        layer.momentum = 1.0
    model.train()
    with sinir.no_grad():
        model(sinir.Tensor(images))
    for layer in layers:
        layer.momentum = 0.1
    model.eval()
    return layers


@pytest.mark.parametrize("name", MODELS)
def test_the_model_runs_the_same_in_onnx_runtime(name, mnist_images, tmp_path):
    model, kwargs = experiment.build_model(name, num_classes=10, in_channels=1, image_size=28)
    assert kwargs.get("small_input", False) == (name in sinir.models.SMALL_INPUT_OPTION)
    layers = calibrate_batch_norm(model, mnist_images)
    if name in ("resnet18", "resnet50", "googlenet"):
        assert layers and np.abs(layers[0].running_mean).max() > 1e-3

    path = tmp_path / f"{name}.onnx"
    exported = sinir.onnx.export(model, sinir.randn(1, 1, 28, 28), path)
    onnx.checker.check_model(str(path), full_check=True)
    assert [d.dim_value or d.dim_param for d in exported.graph.input[0].type.tensor_type.shape.dim] == \
        ["batch", 1, 28, 28]
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    rng = np.random.default_rng(0)
    random_images = rng.standard_normal((8, 1, 28, 28)).astype(np.float32)
    with sinir.no_grad():     # one forward pass for all (in eval mode each image is on its own)
        expected = model(sinir.Tensor(np.concatenate([random_images, mnist_images]))).numpy()
    assert expected.shape == (15, 10) and np.abs(expected).max() > 1e-3
    assert expected.std(axis=0).max() > 1e-4, "the same output for every image: the comparison would say little"
    batches = {"random, batch 1": slice(0, 1), "random, batch 7": slice(1, 8),
               "MNIST, batch 1": slice(8, 9), "MNIST, batch 7": slice(8, 15)}
    all_images = np.concatenate([random_images, mnist_images])
    for label, rows in batches.items():
        (got,) = session.run(["output"], {"input": all_images[rows]})
        difference = np.abs(got - expected[rows]).max()
        assert got.shape == expected[rows].shape and difference <= TOLERANCE, \
            f"{name}, {label}: max |difference| {difference:.3g}"
