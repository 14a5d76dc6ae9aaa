"""sinir.save / sinir.load and checkpoints in safetensors: round trips, PyTorch both ways, every
tensor checked before it is read, malformed files and metadata refused, old .npz converted."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy
import safetensors.torch
import torch

import sinir
from sinir import checkpoint, cli, experiment
from sinir.serialization import LoadError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import torch_models  # noqa: E402  (the benchmark's PyTorch reference models, torchvision's layer names)


def test_save_and_load_round_trip_tensors_state_dicts_and_nested_state(tmp_path):
    tensor = sinir.randn(3, 4)
    sinir.save(tensor, tmp_path / "t.safetensors")
    back = sinir.load(tmp_path / "t.safetensors")
    assert isinstance(back, sinir.Tensor) and np.array_equal(back.numpy(), tensor.numpy())

    model = sinir.models.lenet5()
    sinir.save(model.state_dict(), tmp_path / "w.safetensors")
    other = sinir.models.lenet5()
    other.load_state_dict(sinir.load(tmp_path / "w.safetensors"))
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(other.state_dict()[name]), np.asarray(value))

    nested = {"step": 3, "betas": (0.9, 0.999), "lr": float("nan"), "name": "adam", "flag": None,
              "state": {0: {"exp_avg": np.arange(4.0), "count": np.int64(2)}}, "groups": [{"params": [0, 1]}]}
    sinir.save(nested, tmp_path / "n.safetensors")
    back = sinir.load(tmp_path / "n.safetensors")
    assert back["step"] == 3 and back["betas"] == [0.9, 0.999] and np.isnan(back["lr"]) and back["flag"] is None
    assert list(back["state"]) == [0] and np.array_equal(back["state"][0]["exp_avg"].numpy(), np.arange(4.0))
    assert back["state"][0]["exp_avg"].dtype == np.float64 and back["groups"] == [{"params": [0, 1]}]
    with pytest.raises(ValueError, match="sinir.save: cannot store f of type builtin_function_or_method: only tensors"):
        sinir.save({"f": print}, tmp_path / "x.safetensors")


def test_weights_sinir_writes_load_into_the_same_pytorch_model_and_back(tmp_path):
    model = sinir.models.lenet5()
    sinir.save(model.state_dict(), tmp_path / "lenet5.safetensors")
    reference = torch_models.lenet5()
    reference.load_state_dict(safetensors.torch.load_file(tmp_path / "lenet5.safetensors"))   # strict
    x = np.random.default_rng(0).standard_normal((2, 1, 28, 28)).astype(np.float32)
    with torch.no_grad():
        expected = reference(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(np.asarray(model.eval()(sinir.tensor(x))), expected, rtol=1e-4, atol=1e-5)

    # and torchvision-named weights saved by PyTorch load into sinir's zoo
    torch.manual_seed(1)
    trained = torch_models.lenet5()
    safetensors.torch.save_file(trained.state_dict(), tmp_path / "from_torch.safetensors")
    fresh = sinir.models.lenet5()
    fresh.load_state_dict(sinir.load(tmp_path / "from_torch.safetensors"))
    with torch.no_grad():
        expected = trained(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(np.asarray(fresh.eval()(sinir.tensor(x))), expected, rtol=1e-4, atol=1e-5)


def _meta(**changes):
    meta = {"model": "lenet5", "model_config": {"num_classes": 10, "in_channels": 1}, "dataset": "mnist",
            "normalization": [0.1307, 0.3081], "epoch": 1, "history": [{"epoch": 1, "loss": 0.5}]}
    meta.update(changes)
    return meta


def test_a_checkpoint_model_loads_in_pytorch_and_every_tensor_is_checked_first(tmp_path):
    model = sinir.models.lenet5()
    path = checkpoint.save(tmp_path / "c.safetensors", model, _meta())
    reference = torch_models.lenet5()
    reference.load_state_dict(safetensors.torch.load_file(path))       # the weights keep their plain names
    loaded, meta = experiment.load_model(path)
    assert meta["normalization"] == [0.1307, 0.3081] and not loaded.training

    # a checkpoint whose weights do not fit: shapes, dtypes and names are checked before reading
    tensors = {k: np.asarray(v) for k, v in model.state_dict().items()}
    header = {checkpoint.META_KEY: json.dumps(dict(_meta(), format=checkpoint.FORMAT))}
    for change, message in [
        (lambda t: t.update({"features.0.weight": np.zeros((6, 1, 3, 3), np.float32)}),
         r"features.0.weight has shape \(6, 1, 3, 3\), the model expects \(6, 1, 5, 5\)"),
        (lambda t: t.update({"features.0.weight": t["features.0.weight"].astype(np.int32)}),
         "features.0.weight has dtype I32, the model expects float32"),
        (lambda t: t.pop("features.0.bias"), r"missing \['features.0.bias'\]"),
    ]:
        bad = dict(tensors)
        change(bad)
        safetensors.numpy.save_file(bad, tmp_path / "bad.safetensors", metadata=header)
        with pytest.raises(checkpoint.CheckpointError, match=message):
            experiment.load_model(tmp_path / "bad.safetensors")


@pytest.mark.parametrize("meta, message", [
    (_meta(model="lenet6"), "unknown model 'lenet6' in the checkpoint"),
    (_meta(dataset="cifar"), "unknown dataset 'cifar' in the checkpoint; the datasets are: mnist, fashion-mnist"),
    (_meta(model_config={"num_classes": 10 ** 9}), "model option num_classes=1000000000 is not one sinir writes"),
    (_meta(model_config={"evil": "os.system"}), "model option evil='os.system' is not one sinir writes"),
    (_meta(epoch=-1), "the epoch must be a non-negative integer"),
    (_meta(normalization=[0.1, 0.0]), r"normalization must be \[mean, std\] with std > 0"),
    (_meta(history=[{"loss": "high"}]), "the history must be a list of epochs"),
    (_meta(optimizer={"param_groups": 3}), "the optimizer's state is malformed"),
])
def test_malformed_metadata_is_a_clear_error(tmp_path, meta, message, capsys):
    model = sinir.models.lenet5()
    checkpoint.save(tmp_path / "c.safetensors", model, meta)
    with pytest.raises(checkpoint.CheckpointError, match=message):
        experiment.load_model(tmp_path / "c.safetensors")
    assert cli.main(["evaluate", str(tmp_path / "c.safetensors")]) == 2
    error = capsys.readouterr().err
    assert message.replace("\\", "").split(";")[0][:20] in error and error.count("\n") == 1


def test_truncated_padded_and_non_json_files_are_refused(tmp_path):
    model = sinir.models.mlp()
    data = checkpoint.save(tmp_path / "ok.safetensors", model, _meta(model="mlp", model_config={})).read_bytes()
    cases = {"truncated": data[:-100], "padded": data + b"\0" * 100, "header-only": data[:200],
             "huge-header": (10 ** 12).to_bytes(8, "little") + data[8:], "empty": b""}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(checkpoint.CheckpointError, match=f"{name}: "):
            checkpoint.load(tmp_path / name)
    raw = bytearray(data)
    size = int.from_bytes(raw[:8], "little")
    header = raw[8:8 + size].replace(b"sinir-checkpoint", b"sinir-checkpoinX")
    (tmp_path / "format").write_bytes(bytes(raw[:8 + len(header)]).replace(raw[8:8 + size], header) + raw[8 + size:])
    with pytest.raises(checkpoint.CheckpointError, match="not a sinir checkpoint"):
        checkpoint.load(tmp_path / "format")
    with pytest.raises(LoadError):
        sinir.load(tmp_path / "truncated")


def test_an_old_npz_checkpoint_is_refused_with_the_way_to_convert_it(tmp_path, capsys):
    model = sinir.models.mlp()
    arrays = {f"model/{k}": np.asarray(v) for k, v in model.state_dict().items()}
    arrays["meta"] = np.array(json.dumps(dict(_meta(model="mlp", model_config={}), format="sinir-checkpoint",
                                              version=1)))
    np.savez(tmp_path / "old.npz", **arrays)
    assert cli.main(["evaluate", str(tmp_path / "old.npz")]) == 2
    assert f"convert it first with: sinir convert {tmp_path / 'old.npz'}" in capsys.readouterr().err
    assert cli.main(["convert", str(tmp_path / "old.npz")]) == 0
    converted = tmp_path / "old.safetensors"
    assert capsys.readouterr().out.strip() == str(converted)
    loaded, meta = experiment.load_model(converted)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(loaded.state_dict()[name]), np.asarray(value))
    np.savez(tmp_path / "pickled.npz", meta=np.array([{"a": 1}], dtype=object))     # never unpickled
    assert cli.main(["convert", str(tmp_path / "pickled.npz")]) == 2
    assert "pickled.npz: not a readable .npz checkpoint" in capsys.readouterr().err


def test_a_250_character_file_name_works(tmp_path, capsys):
    model = sinir.models.mlp()
    name = "c" * 238 + ".safetensors"
    assert len(name) == 250
    checkpoint.save(tmp_path / name, model, _meta(model="mlp", model_config={}))
    sinir.save(model.state_dict(), tmp_path / ("w" * 238 + ".safetensors"))
    assert experiment.load_model(tmp_path / name)[1]["model"] == "mlp"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "w" * 238 + ".safetensors"])


def test_json_output_is_valid_json_without_nan(capsys):
    text = cli._json({"loss": float("nan"), "values": [float("inf"), 1.0]})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c}")) == {"loss": None,
                                                                                    "values": [None, 1.0]}
