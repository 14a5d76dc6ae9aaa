"""fit and its callbacks: the order of the hooks, stopping, ranks, schedulers, divergence, GoogLeNet's loss."""
import numpy as np
import pytest

import sinir
from sinir import nn, optim
from sinir.callbacks import Callback, Checkpoint, LambdaCallback, StopTraining
from sinir.data import DataLoader, TensorDataset
from sinir.training import TrainingDivergedError, fit, train_epoch


def _problem(n=40, batch_size=10, features=4, classes=3):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, features)).astype(np.float32)
    y = rng.integers(0, classes, n)
    loader = DataLoader(TensorDataset(sinir.tensor(x), sinir.tensor(y)), batch_size=batch_size)
    model = nn.Linear(features, classes)
    return model, loader


class Recorder(Callback):
    def __init__(self):
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin",))

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("epoch_begin", epoch))

    def on_batch_end(self, step, loss, logs=None):
        assert isinstance(loss, float) and set(logs) == {"loss", "accuracy", "images_per_second"}
        self.calls.append(("batch_end", self.trainer.epoch, step, self.trainer.global_step))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, sorted(logs)))

    def on_train_end(self, logs=None):
        self.calls.append(("train_end", logs["error"]))


def test_hooks_are_called_in_order_with_the_documented_arguments():
    model, loader = _problem()
    recorder = Recorder()
    history = fit(model, loader, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), epochs=2,
                  val_loader=loader, callbacks=[recorder], progress=None)
    keys = ["accuracy", "epoch", "images_per_second", "loss", "seconds", "val_accuracy", "val_loss"]
    expected = [("train_begin",)]
    for epoch in (1, 2):
        expected += [("epoch_begin", epoch)]
        expected += [("batch_end", epoch, step, (epoch - 1) * 4 + step + 1) for step in range(4)]
        expected += [("epoch_end", epoch, keys)]
    assert recorder.calls == expected + [("train_end", None)]
    assert [h["epoch"] for h in history] == [1, 2] and recorder.trainer.history is history


def test_a_callback_stops_training_by_flag_or_exception():
    model, loader = _problem()
    optimizer = optim.SGD(model.parameters(), lr=0.1)

    class StopAfterTwoBatches(Callback):
        def on_batch_end(self, step, loss, logs=None):
            if self.trainer.global_step == 6:       # epoch 2, batch 1: a half epoch is not recorded
                self.trainer.stop = True

    history = fit(model, loader, nn.CrossEntropyLoss(), optimizer, epochs=5, callbacks=[StopAfterTwoBatches()],
                  progress=None)
    assert [h["epoch"] for h in history] == [1]

    def stop(epoch, logs):
        if epoch == 3:
            raise StopTraining
    ended = []
    history = fit(model, loader, nn.CrossEntropyLoss(), optimizer, epochs=5, progress=None,
                  callbacks=[LambdaCallback(on_epoch_end=stop, on_train_end=lambda logs: ended.append(logs))])
    assert [h["epoch"] for h in history] == [1, 2, 3] and ended[0]["error"] is None
    with pytest.raises(ValueError, match="unknown hook"):
        LambdaCallback(on_step=print)
    with pytest.raises(ValueError, match="must be sinir.callbacks.Callback objects"):
        fit(model, loader, nn.CrossEntropyLoss(), optimizer, callbacks=[print], progress=None)


def test_rank_zero_only_callbacks_run_on_rank_zero_only():
    model, loader = _problem()
    seen = []

    class RankZero(Callback):
        rank_zero_only = True

        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    for rank in (0, 1):
        fit(model, loader, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), epochs=1,
            callbacks=[RankZero()], progress=None, rank=rank)
    assert seen == [1]


def test_a_scheduler_steps_per_epoch_or_per_batch():
    model, loader = _problem()
    for interval, steps in (("epoch", 3), ("step", 12)):
        optimizer = optim.SGD(model.parameters(), lr=0.1)
        scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
        fit(model, loader, nn.CrossEntropyLoss(), optimizer, epochs=3, scheduler=scheduler, progress=None,
            scheduler_interval=interval)
        assert scheduler.last_epoch == steps
        assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5 ** steps)


def test_progress_lines_and_the_old_train_epoch_call(capsys):
    model, loader = _problem()
    reports = []
    metrics = train_epoch(model, loader, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
                          lambda batch, running: reports.append((batch, running["loss"])))
    assert [b for b, _ in reports] == [0, 1, 2, 3] and reports[-1][1] == pytest.approx(metrics["loss"])
    fit(model, loader, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), epochs=1, progress="lines")
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("epoch 1/1  100%  loss ") and "img/s" in lines[-1]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("case, cause", [
    ("data", "the inputs of this batch hold NaN or inf values: check the input data"),
    ("momentum", "momentum 1.5 is at least 1"),
    ("eps", "eps 0 is so small"),
    ("lr", "learning rate 10 is too large; try a smaller one, e.g. 1"),
])
def test_divergence_stops_training_and_names_the_likely_cause(case, cause):
    model, loader = _problem()
    if case == "data":
        x = np.ones((8, 4), dtype=np.float32)
        x[5, 2] = np.nan
        loader = DataLoader(TensorDataset(sinir.tensor(x), sinir.tensor(np.zeros(8, dtype=np.int64))), batch_size=4)
        optimizer = optim.SGD(model.parameters(), lr=0.1)
    elif case == "momentum":
        optimizer = optim.SGD(model.parameters(), lr=1.0)
        optimizer.param_groups[0]["momentum"] = 1.5      # set after construction, past any check
    elif case == "eps":
        optimizer = optim.Adam(model.parameters(), lr=0.1)
        optimizer.param_groups[0]["eps"] = 0.0
        loader = DataLoader(TensorDataset(sinir.tensor(np.zeros((8, 4), dtype=np.float32)),
                                          sinir.tensor(np.zeros(8, dtype=np.int64))), batch_size=4)
    else:                                                   # regression with large targets, lr too large
        x = sinir.randn(64, 4)
        loader = DataLoader(TensorDataset(x, x @ sinir.tensor([[1.0], [2.0], [3.0], [4.0]]) * 1000), batch_size=16)
        model = nn.Linear(4, 1)
        optimizer = optim.SGD(model.parameters(), lr=10.0)
    loss_fn = nn.MSELoss() if case == "lr" else nn.CrossEntropyLoss()
    with pytest.raises(TrainingDivergedError, match="training diverged; the likely cause: " + cause):
        fit(model, loader, loss_fn, optimizer, epochs=200, progress=None)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_nan_loss_updates_nothing_and_no_checkpoint_holds_nan(tmp_path):
    model, loader = _problem()
    x = np.ones((4, 4), dtype=np.float32)
    x[1, 1] = np.inf
    bad = DataLoader(TensorDataset(sinir.tensor(x), sinir.tensor(np.zeros(4, dtype=np.int64))), batch_size=4)
    before = {k: np.array(v) for k, v in model.state_dict().items()}
    with pytest.raises(TrainingDivergedError, match="input data"):
        fit(model, bad, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), progress=None)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(value), before[name])   # the step was skipped

    written = []
    saver = Checkpoint(tmp_path, lambda path, trainer: written.append(path))
    saver.set_trainer(type("T", (), {"model": model})())
    model.weight.numpy()[0, 0] = np.nan      # numpy() shares the weight's memory
    with pytest.raises(TrainingDivergedError, match=r"not writing a checkpoint: the weights weight are NaN or inf"):
        saver.on_epoch_end(1, {"val_accuracy": 0.5})
    assert written == []


def test_googlenet_returns_torchvision_outputs_in_training_and_the_loss_wraps_them():
    from sinir.models.googlenet import AuxiliaryLoss, GoogLeNetOutputs
    model = sinir.models.googlenet(num_classes=4, in_channels=1, aux_logits=True)
    x, y = sinir.randn(2, 1, 64, 64), sinir.tensor(np.array([0, 3]))
    outputs = model(x)
    assert isinstance(outputs, GoogLeNetOutputs) and outputs.logits.shape == outputs.aux_logits1.shape == (2, 4)
    loss_fn, plain = AuxiliaryLoss(nn.CrossEntropyLoss()), nn.CrossEntropyLoss()
    expected = (plain(outputs.logits, y).item() + 0.3 * plain(outputs.aux_logits2, y).item()
                + 0.3 * plain(outputs.aux_logits1, y).item())
    assert loss_fn(outputs, y).item() == pytest.approx(expected, rel=1e-5)
    model.eval()
    logits = model(x)
    assert not isinstance(logits, tuple) and loss_fn(logits, y).item() == pytest.approx(plain(logits, y).item())


def test_fit_counts_accuracy_on_the_first_output_of_a_tuple():
    class TwoHeads(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(4, 3)

        def forward(self, x):
            logits = self.linear(x)
            return (logits, logits * 0.5) if self.training else logits

    _, loader = _problem()
    model = TwoHeads()

    def loss_fn(output, target):
        main = output[0] if isinstance(output, tuple) else output
        return nn.CrossEntropyLoss()(main, target)

    history = fit(model, loader, loss_fn, optim.SGD(model.parameters(), lr=0.1), epochs=1, val_loader=loader,
                  progress=None)
    assert 0 <= history[0]["accuracy"] <= 1 and 0 <= history[0]["val_accuracy"] <= 1


def test_the_confusion_matrix_refuses_classes_out_of_range():
    from sinir.metrics import confusion_matrix
    np.testing.assert_array_equal(confusion_matrix([0, 1, 2], [0, 2, 2], 3), [[1, 0, 0], [0, 0, 1], [0, 0, 1]])
    with pytest.raises(ValueError, match="class 11 is outside the 10 classes"):
        confusion_matrix([0, 11], [0, 1], 10)
    with pytest.raises(ValueError, match="labels must be non-negative integers, got dtype float64"):
        confusion_matrix([0.5], [0], 10)
