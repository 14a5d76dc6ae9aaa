"""``sinir export CKPT --format onnx``: a briefly trained LeNet-5 exported from the command line gives
sinir's predictions in ONNX Runtime on the whole MNIST test set, from raw pixels / 255."""
import argparse

import numpy as np
import pytest

import sinir
from sinir import experiment
from sinir.datasets import MNIST, mnist
from sinir.datasets.idx import DatasetError
from sinir.onnx import command
from tests.conftest import mnist_dir

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

DATA = mnist_dir()


def sinir_export(*argv):
    """Parse ``argv`` as the sinir command does with its subcommand modules, then run it."""
    parser = argparse.ArgumentParser(prog="sinir")
    command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["export", *map(str, argv)])
    return args.handler(args)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """LeNet-5 after 150 steps of 64 images (the full MNIST when present, else the bundled sample)."""
    if DATA is None:    # no download attempts in the tests: straight to the bundled sample
        def no_download(*args, **kwargs):
            raise DatasetError("no downloads in the tests")
        original, mnist.download = mnist.download, no_download
    try:
        config = experiment.TrainConfig(model="lenet5", epochs=1, batch_size=64, limit_train=9_600, val_size=500,
                                        data=None if DATA is None else str(DATA),
                                        out=str(tmp_path_factory.mktemp("run")))
        result = experiment.run(config, progress=None, log=lambda message: None)
    finally:
        if DATA is None:
            mnist.download = original
    return result


def test_the_exported_checkpoint_predicts_the_whole_test_set_as_sinir_does(trained, capsys):
    checkpoint = trained["checkpoint"]
    assert sinir_export(checkpoint, "--format", "onnx") == 0
    path = checkpoint.with_suffix(".onnx")           # the default: beside the checkpoint
    assert path.exists() and "onnxruntime gives the same logits" in capsys.readouterr().out
    onnx.checker.check_model(str(path), full_check=True)
    exported = onnx.load(str(path))
    assert [node.op_type for node in exported.graph.node][:2] == ["Sub", "Div"]    # the normalisation first

    test = MNIST(root=DATA, train=False, download=False)
    pixels = (test.data[:, None] / 255).astype(np.float32)            # all a deployer does
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (logits,) = session.run(["logits"], {"image": pixels})

    model, meta = experiment.load_model(checkpoint)
    normalised = experiment.dataset_transform(meta["dataset"])(test.data)     # as sinir evaluates
    with sinir.no_grad():
        expected = np.concatenate([model(sinir.Tensor(normalised[i:i + 1000])).numpy()
                                   for i in range(0, len(test), 1000)])
    assert len(test) == (10_000 if DATA is not None else 1_000) and logits.shape == (len(test), 10)
    assert np.abs(logits - expected).max() <= 1e-4
    np.testing.assert_array_equal(logits.argmax(axis=1), expected.argmax(axis=1))
    assert (expected.argmax(axis=1) == test.targets).mean() > 0.9     # a trained model, not a random one


def test_out_opset_and_overwriting(trained, tmp_path):
    out = tmp_path / "digits.onnx"
    assert sinir_export(trained["checkpoint"], "--out", out, "--opset", "13") == 0
    assert onnx.load(str(out)).opset_import[0].version == 13
    written = out.stat().st_mtime_ns
    with pytest.raises(ValueError, match="exists; pass --overwrite"):
        sinir_export(trained["checkpoint"], "--out", out)
    assert out.stat().st_mtime_ns == written
    assert sinir_export(trained["checkpoint"], "--out", out, "--overwrite", "--opset", "18") == 0
    assert onnx.load(str(out)).opset_import[0].version == 18


@pytest.mark.parametrize("argv, message", [
    (["--opset", "11"], "opset_version must be an integer from 13"),
    (["--input-size", "1", "0", "28"], "three positive integers"),
])
def test_bad_options_are_value_errors(trained, tmp_path, argv, message):
    with pytest.raises(ValueError, match=message):
        sinir_export(trained["checkpoint"], "--out", tmp_path / "x.onnx", *argv)
    assert not (tmp_path / "x.onnx").exists()


def test_a_missing_checkpoint_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="missing.npz"):
        sinir_export(tmp_path / "missing.npz")


def test_through_the_sinir_command(trained, tmp_path, monkeypatch, capsys):
    from sinir import cli
    if "sinir.onnx.command" not in cli.COMMAND_MODULES:      # how sinir/cli.py takes its subcommands
        monkeypatch.setattr(cli, "COMMAND_MODULES", cli.COMMAND_MODULES + ["sinir.onnx.command"])
    out = tmp_path / "lenet5.onnx"
    assert cli.main(["export", str(trained["checkpoint"]), "--out", str(out)]) == 0 and out.exists()
    capsys.readouterr()
    assert cli.main(["export", str(trained["checkpoint"]), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "exists; pass --overwrite" in error and "Traceback" not in error


def test_the_input_size_comes_from_the_checkpoint():
    assert command.input_shape({"dataset": "mnist", "model_config": {"in_channels": 1}}) == (1, 28, 28)
    assert command.input_shape({"model_config": {"image_size": 32, "in_channels": 3}}) == (3, 32, 32)
    assert command.input_shape({"dataset": "mnist"}, given=(3, 64, 64)) == (3, 64, 64)
