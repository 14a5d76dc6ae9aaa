"""The sinir command: train, resume bit for bit, Ctrl-C, evaluate, predict, summary, errors."""
import json

import numpy as np
import pytest

import sinir
from sinir import checkpoint, cli
from sinir.images import resize, write_png  # noqa: F401
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
    straight_state, _, straight_meta = checkpoint.load(tmp_path / "straight" / "last.safetensors")
    assert straight_meta["epoch"] == 3 and (tmp_path / "straight" / "best.safetensors").exists()

    calls = {"epochs": 0}
    original = sinir.training._run_epoch

    def interrupted_in_epoch_two(*args, **kwargs):
        calls["epochs"] += 1
        if calls["epochs"] == 2:
            raise KeyboardInterrupt     # what Ctrl-C raises
        return original(*args, **kwargs)

    monkeypatch.setattr(sinir.training, "_run_epoch", interrupted_in_epoch_two)
    stopped = tmp_path / "stopped"
    assert _train(tmp_path, "--epochs", "3", out="stopped") == 130
    assert (stopped / "interrupted.safetensors").exists() and "--resume" in capsys.readouterr().err
    assert checkpoint.load(stopped / "last.safetensors")[2]["epoch"] == 1
    monkeypatch.setattr(sinir.training, "_run_epoch", original)

    assert _train(tmp_path, "--resume", str(stopped / "last.safetensors"), out="stopped") == 0
    resumed_state, _, resumed_meta = checkpoint.load(stopped / "last.safetensors")
    for name, value in straight_state.items():
        np.testing.assert_array_equal(resumed_state[name], value, err_msg=name)
    assert [h["loss"] for h in resumed_meta["history"]] == [h["loss"] for h in straight_meta["history"]]


@needs_mnist
def test_evaluate_predict_and_refusals(tmp_path, capsys):
    assert _train(tmp_path, "--epochs", "1") == 0
    ckpt = str(tmp_path / "run" / "last.safetensors")
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
    (["evaluate", "missing.safetensors"], "missing.safetensors: no such file"),
    (["train", "--lr", "nan"], "argument --lr: must be a finite number, got nan"),
    (["train", "--lr", "inf"], "argument --lr: must be a finite number, got inf"),
    (["train", "--momentum", "1.5"], "argument --momentum: must be in [0, 1), got 1.5"),
    (["train", "--val-size", "-1"], "argument --val-size: must be 0 or more, got -1"),
    (["train", "--epochs", "two"], "argument --epochs: expected an integer, got 'two'"),
    (["train", "--data", "no-such-folder"], "no-such-folder: no such folder"),
    (["train", "--override", "lr"], "--override only applies with --resume"),
    (["summary", "--model", "nope"], "unknown model 'nope'"),
])
def test_user_mistakes_give_one_line_and_exit_code_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error and error.count("\n") == 1


def test_files_that_are_not_checkpoints_or_images_are_refused(tmp_path, capsys):
    (tmp_path / "fake.safetensors").write_bytes(b"not a safetensors file at all")
    assert cli.main(["evaluate", str(tmp_path / "fake.safetensors")]) == 2
    assert "fake.safetensors: not a readable checkpoint" in capsys.readouterr().err
    sinir.save({"weights": sinir.zeros(3)}, tmp_path / "plain.safetensors")
    assert cli.main(["evaluate", str(tmp_path / "plain.safetensors")]) == 2
    assert "not a sinir checkpoint (no checkpoint metadata" in capsys.readouterr().err
    model = sinir.models.mlp()
    checkpoint.save(tmp_path / "ok.safetensors", model, {"model": "mlp", "model_config": {}, "dataset": "mnist"})
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    assert cli.main(["predict", str(tmp_path / "ok.safetensors"), str(tmp_path / "broken.png")]) == 2
    assert "broken.png: not a readable picture" in capsys.readouterr().err


def test_summary_command(capsys):
    assert cli.main(["summary", "--model", "lenet5"]) == 0
    assert "Total parameters:      61,706" in capsys.readouterr().out


def test_python_dash_m_and_help(capsys):
    assert cli.main(["train", "--help"]) == 0
    assert "--resume" in capsys.readouterr().out


def test_a_numpy_message_is_never_passed_off_as_the_users_mistake(monkeypatch, capsys):
    def broken(args):
        return np.zeros(2).reshape(3)          # a ValueError raised inside NumPy: a bug, not a user mistake
    monkeypatch.setitem(cli.COMMANDS, "summary", broken)
    assert cli.main(["summary", "--model", "mlp"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("sinir summary: internal error, please report it") and error.count("\n") == 1
    monkeypatch.setenv("SINIR_DEBUG", "1")
    with pytest.raises(ValueError, match="cannot reshape"):
        cli.main(["summary", "--model", "mlp"])
