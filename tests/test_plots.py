"""Pictures of a run (matplotlib is an optional extra; CI installs it)."""
import pytest

import sinir
from sinir import cli, plots
from tests.conftest import mnist_dir

DATA = mnist_dir()


@pytest.mark.skipif(DATA is None, reason="the full MNIST is not at $SINIR_DATA or ../shared/data/mnist")
def test_train_with_plot_writes_every_picture(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert cli.main(["train", "--model", "lenet5", "--epochs", "1", "--limit-train", "500", "--val-size", "200",
                     "--data", str(DATA), "--out", str(tmp_path), "--progress", "none", "--plot"]) == 0
    names = {"curves.png", "confusion.png", "filters.png", "feature_maps.png", "misclassified.png"}
    assert names <= {p.name for p in (tmp_path / "plots").iterdir()}
    assert all((tmp_path / "plots" / name).stat().st_size > 1000 for name in names)
    assert cli.main(["plot", str(tmp_path / "last.safetensors"), "--data", str(DATA), "--out", str(tmp_path / "again")]) == 0


def test_without_matplotlib_the_message_says_how_to_install(monkeypatch, capsys, tmp_path):
    def missing():
        raise plots.PlottingUnavailable("pictures need matplotlib: pip install matplotlib")
    monkeypatch.setattr(plots, "_pyplot", missing)
    model = sinir.models.mlp()
    sinir.checkpoint.save(tmp_path / "m.safetensors", model, {"model": "mlp", "model_config": {}, "dataset": "mnist",
                                                      "history": []})
    assert cli.main(["plot", str(tmp_path / "m.safetensors")]) == 2
    assert "pip install matplotlib" in capsys.readouterr().err
