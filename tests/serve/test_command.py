"""`sinir serve`'s parser and start-up, and which model the Draw page picks when none is named."""
import argparse
import os
import time

import numpy as np
import pytest

from sinir import checkpoint, experiment
from sinir.serve import command
from sinir.serve.digits import default_model, newest_run_checkpoint


def parse(argv):
    parser = argparse.ArgumentParser(prog="sinir")
    command.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_defaults_listen_on_localhost_port_8000():
    args = parse(["serve"])
    assert (args.checkpoint, args.host, args.port) == (None, "127.0.0.1", 8000)
    args = parse(["serve", "runs/x/best.safetensors", "--port", "9001", "--host", "0.0.0.0"])
    assert (args.checkpoint, args.host, args.port) == ("runs/x/best.safetensors", "0.0.0.0", 9001)


def test_a_bad_port_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse(["serve", "--port", "70000"])
    assert exit_info.value.code == 2 and "port number" in capsys.readouterr().err


@pytest.mark.parametrize("host, says", [("127.0.0.1", "listening on 127.0.0.1 only"),
                                        ("0.0.0.0", "other computers on the network can connect")])
def test_run_starts_uvicorn_and_says_where_it_listens(monkeypatch, capsys, default_checkpoint, tmp_path, host, says):
    import uvicorn
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **options: started.update(app=app, host=host,
                                                                                         port=port))
    args = parse(["serve", str(default_checkpoint), "--host", host, "--port", "8123", "--runs", str(tmp_path)])
    assert command.run(args) == 0
    assert (started["host"], started["port"]) == (host, 8123)
    out = capsys.readouterr().out
    assert says in out and ":8123/" in out


def test_a_missing_checkpoint_is_a_one_line_value_error(tmp_path):
    args = parse(["serve", str(tmp_path / "missing.safetensors")])
    with pytest.raises(ValueError, match="missing.safetensors"):
        command.run(args)


def save_run(folder, name, dataset="mnist", age=0.0):
    model, kwargs = experiment.build_model(name)
    meta = {"model": name, "model_config": kwargs, "dataset": dataset, "normalization": [0.1307, 0.3081], "epoch": 1}
    path = checkpoint.save(folder / "best.safetensors", model, meta)
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_the_newest_mnist_run_is_the_default(tmp_path, default_checkpoint):
    runs = tmp_path / "runs"
    save_run(runs / "old-lenet", "lenet5", age=100)
    newest = save_run(runs / "new-mlp", "mlp", age=10)
    save_run(runs / "newer-fashion", "lenet5", dataset="fashion-mnist", age=1)      # not digits: skipped
    (runs / "broken").mkdir()
    (runs / "broken" / "best.safetensors").write_bytes(b"not a checkpoint")           # unreadable: skipped
    assert newest_run_checkpoint(runs).source == str(newest)
    messages = []
    assert default_model(runs, tmp_path / "cache", messages.append).source == str(newest)
    assert "newest run" in messages[0]
    assert newest_run_checkpoint(tmp_path / "nothing-here") is None


def test_the_trained_default_is_cached_and_reused(serve_dirs, default_checkpoint):
    messages = []
    model = default_model(serve_dirs["empty_runs"], serve_dirs["cache"], messages.append)
    assert model.source == str(default_checkpoint) and not any("training" in m for m in messages)
    assert model.meta["model"] == "lenet5" and model.meta["epoch"] == 3
    probabilities = model.predict(np.zeros((28, 28), dtype=np.float32))["probabilities"]
    assert abs(sum(probabilities) - 1) < 1e-4
