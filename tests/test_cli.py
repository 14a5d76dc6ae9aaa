"""The sinir command: train, resume bit for bit, Ctrl-C, evaluate, predict, summary, errors."""
import json

import numpy as np
import pytest

import sinir
from sinir import checkpoint, cli
from sinir.images import resize, write_png
from tests.conftest import mnist_dir

DATA = mnist_dir()
needs_mnist = pytest.mark.skipif(DATA is None, reason="the full MNIST is not at $SINIR_DATA or ../shared/data/mnist")


def _train(tmp_path, *extra, out="run"):
    return cli.main(["train", "--model", "mlp", "--data", str(DATA), "--out", str(tmp_path / out),
                     "--limit-train", "2000", "--val-size", "500", "--batch-size", "100", "--progress", "none",
                     *extra])


@needs_mnist
def test_ctrl_c_keeps_the_last_epoch_and_resuming_is_bit_for_bit(tmp_path, capsys, monkeypatch):
    assert _train(tmp_path, "--epochs", "3", out="straight") == 0
    assert "test accuracy:" in capsys.readouterr().out
    straight_state, _, straight_meta = checkpoint.load(tmp_path / "straight" / "last.npz")
    assert straight_meta["epoch"] == 3 and (tmp_path / "straight" / "best.npz").exists()

    calls = {"epochs": 0}
    original = sinir.training.train_epoch

    def interrupted_in_epoch_two(*args, **kwargs):
        calls["epochs"] += 1
        if calls["epochs"] == 2:
            raise KeyboardInterrupt     # what Ctrl-C raises
        return original(*args, **kwargs)

    monkeypatch.setattr(sinir.training, "train_epoch", interrupted_in_epoch_two)
    stopped = tmp_path / "stopped"
    assert _train(tmp_path, "--epochs", "3", out="stopped") == 130
    assert (stopped / "interrupted.npz").exists() and "--resume" in capsys.readouterr().err
    assert checkpoint.load(stopped / "last.npz")[2]["epoch"] == 1
    monkeypatch.setattr(sinir.training, "train_epoch", original)

    assert _train(tmp_path, "--epochs", "3", "--resume", str(stopped / "last.npz"), out="stopped") == 0
    resumed_state, _, resumed_meta = checkpoint.load(stopped / "last.npz")
    for name, value in straight_state.items():
        np.testing.assert_array_equal(resumed_state[name], value, err_msg=name)
    assert [h["loss"] for h in resumed_meta["history"]] == [h["loss"] for h in straight_meta["history"]]


@needs_mnist
def test_evaluate_predict_and_refusals(tmp_path, capsys):
    assert _train(tmp_path, "--epochs", "1") == 0
    ckpt = str(tmp_path / "run" / "last.npz")
    capsys.readouterr()
    assert cli.main(["evaluate", ckpt, "--data", str(DATA), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert 0.8 < report["accuracy"] <= 1 and np.array(report["confusion_matrix"]).sum() == 10_000
    assert cli.main(["evaluate", ckpt, "--data", str(DATA)]) == 0
    assert "confusion matrix" in capsys.readouterr().out

    digits = sinir.datasets.MNIST(DATA, train=False)
    picture = resize(digits.data[0].astype(float), 120, 90)            # a large, dark-on-light 7
    write_png(tmp_path / "seven.png", (255 - picture).clip(0, 255).astype(np.uint8))
    assert cli.main(["predict", ckpt, str(tmp_path / "seven.png"), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["prediction"] == 7 and len(answer["probabilities"]) == 10
    assert abs(sum(answer["probabilities"]) - 1) < 1e-4

    assert cli.main(["train", "--model", "lenet5", "--resume", ckpt, "--data", str(DATA),
                     "--out", str(tmp_path / "other")]) == 2
    assert "holds model 'mlp', not 'lenet5'" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["train", "--model", "lenet6"], "unknown model 'lenet6'; the models are: alexnet"),
    (["train", "--dataset", "cifar"], "unknown dataset 'cifar'; the datasets are: mnist, fashion-mnist"),
    (["train", "--optimizer", "lbfgs"], "unknown optimizer 'lbfgs'"),
    (["evaluate", "missing.npz"], "missing.npz: no such file"),
    (["summary", "--model", "nope"], "unknown model 'nope'"),
])
def test_user_mistakes_give_one_line_and_exit_code_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error and error.count("\n") == 1


def test_files_that_are_not_checkpoints_or_images_are_refused(tmp_path, capsys):
    (tmp_path / "fake.npz").write_bytes(b"not a zip at all")
    assert cli.main(["evaluate", str(tmp_path / "fake.npz")]) == 2
    assert "not a sinir checkpoint" in capsys.readouterr().err
    np.savez(tmp_path / "plain.npz", weights=np.zeros(3))
    assert cli.main(["evaluate", str(tmp_path / "plain.npz")]) == 2
    assert "not a sinir checkpoint (no metadata)" in capsys.readouterr().err
    model = sinir.models.mlp()
    checkpoint.save(tmp_path / "ok.npz", model, {"model": "mlp", "model_config": {}, "dataset": "mnist"})
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    assert cli.main(["predict", str(tmp_path / "ok.npz"), str(tmp_path / "broken.png")]) == 2
    assert "broken.png" in capsys.readouterr().err


def test_summary_command(capsys):
    assert cli.main(["summary", "--model", "lenet5"]) == 0
    assert "Total parameters:      61,706" in capsys.readouterr().out


def test_python_dash_m_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "--help"])
    assert exit_info.value.code == 0 and "--resume" in capsys.readouterr().out
