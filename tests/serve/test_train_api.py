"""POST /api/train and GET /api/train/{id}/events: a short run in the background, streamed by SSE."""
import json
import threading
import time

import pytest

from sinir import experiment


def read_events(client, job_id):
    """Every server-sent event of a run, until the stream ends: [(name, data), ...]."""
    events, name = [], None
    with client.stream("GET", f"/api/train/{job_id}/events") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[len("data: "):])))
    return events


def test_a_run_streams_its_batches_and_writes_a_checkpoint_under_runs(client, serve_dirs):
    response = client.post("/api/train", json={"model": "lenet5", "optimizer": "adam", "epochs": 1, "lr": 0.003,
                                               "images": 1000})
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["out"].startswith(str(serve_dirs["runs"]))
    busy = client.post("/api/train", json={"epochs": 1, "images": 1000})
    assert busy.status_code == 409 and "already running" in busy.json()["error"]
    events = read_events(client, job["id"])
    messages = [data["message"] for name, data in events if name == "log"]      # sinir train's own lines
    assert any(message.startswith("training lenet5") for message in messages), messages
    events = [(name, data) for name, data in events if name != "log"]
    names = [name for name, _ in events]
    assert names[0] == "start" and names[-1] == "done", names[-3:]
    start = events[0][1]
    assert start["train_images"] == 1000 and start["batches"] == 16          # 1000 images in batches of 64
    batches = [data for name, data in events if name == "batch"]
    assert [b["step"] for b in batches] == list(range(1, 17))
    assert all(0 < b["loss"] < 10 and 0 <= b["accuracy"] <= 1 for b in batches)
    epoch = next(data for name, data in events if name == "epoch")
    # the epoch's mean loss is the size-weighted mean of the batches' losses
    sizes = [64] * 15 + [1000 - 15 * 64]
    assert abs(sum(s * b["loss"] for s, b in zip(sizes, batches)) / 1000 - epoch["loss"]) < 1e-6
    done = events[-1][1]
    model, meta = experiment.load_model(done["checkpoint"])
    assert meta["model"] == "lenet5" and meta["epoch"] == 1 and meta["config"]["limit_train"] == 1000
    assert done["checkpoint"].startswith(job["out"]) and 0 <= done["test_accuracy"] <= 1
    # the finished run can become the Draw page's model
    info = client.post("/api/model", json={"run": job["id"]}).json()
    assert info["checkpoint"] == done["checkpoint"]


def test_the_stream_resumes_after_the_last_event_id(client):
    job = client.post("/api/train", json={"model": "mlp", "epochs": 1, "images": 1000, "lr": 0.001}).json()
    events = read_events(client, job["id"])
    with client.stream("GET", f"/api/train/{job['id']}/events", headers={"Last-Event-ID": "10"}) as response:
        ids = [int(line[4:]) for line in response.iter_lines() if line.startswith("id: ")]
    assert ids == list(range(11, len(events)))


@pytest.mark.parametrize("body, fragment", [
    ({"model": "resnet152"}, "model must be one of"),
    ({"epochs": 1000}, "epochs must be one of"),
    ({"lr": 0.123}, "lr must be one of"),
    ({"epochs": True}, "epochs must be one of"),
    ({"colour": "red"}, "unknown field"),
    ([1, 2], "JSON object"),
])
def test_choices_outside_the_lists_get_400(client, body, fragment):
    response = client.post("/api/train", json=body)
    assert response.status_code == 400 and fragment in response.json()["error"]


def test_unknown_runs_get_404(client):
    assert client.get("/api/train/nope/events").status_code == 404
    assert client.post("/api/model", json={"run": "nope"}).status_code == 404


def test_choices_are_listed_for_the_page(client):
    choices = client.get("/api/train/choices").json()
    assert "lenet5" in choices["model"] and choices["default"]["model"] in choices["model"]
    assert all(choices["default"][name] in choices[name] for name in ("optimizer", "epochs", "lr", "images"))


def test_draw_and_backprop_answer_while_a_run_trains(client):
    from tests.serve.drawing import drawn_seven, png_data_url
    quiet = client.post("/api/backprop/step", json={"phase": "update"}).json()
    job = client.post("/api/train", json={"model": "lenet5", "epochs": 1, "images": 6000}).json()
    trainer = client.app.state.trainer
    while not any(event["type"] == "batch" for event in trainer.jobs[job["id"]].events):
        time.sleep(0.01)
    # the run holds the compute lock; it lets these in between two batches
    assert client.post("/api/predict", json={"image": png_data_url(drawn_seven())}).json()["digit"] == 7
    busy = client.post("/api/backprop/step", json={"phase": "update"}).json()
    assert busy["update"] == quiet["update"]          # grad mode was not switched off under its feet
    assert not trainer.jobs[job["id"]].finished       # they did not wait for the end of the run
    trainer.jobs[job["id"]].stop.set()                # and a run can be stopped after its current batch
    events = read_events(client, job["id"])
    assert events[-1][0] == "done" and events[-1][1]["stopped"] and events[-1][1]["epochs"] == 0
    batches = [data for name, data in events if name == "batch"]
    assert 0 < len(batches) < 79


def test_the_turn_lock_lets_a_waiter_in_between_steps():
    from sinir.serve.digits import TurnLock
    lock, order = TurnLock(), []
    lock.acquire()
    waiter = threading.Thread(target=lambda: (lock.acquire(), order.append("waiter"), lock.release()))
    waiter.start()
    while not lock._waiting:
        time.sleep(0.001)
    order.append("step 1")
    lock.let_others_in()
    order.append("step 2")
    lock.release()
    waiter.join(5)
    assert order == ["step 1", "waiter", "step 2"]


def test_a_failing_run_reports_one_line_and_frees_the_lock(tmp_path, monkeypatch):
    from sinir.serve import training
    from sinir.serve.digits import COMPUTE_LOCK

    def broken_run(config, callbacks=(), **options):
        reporter = callbacks[0]
        reporter.trainer = type("LoopState", (), {"epochs": 1, "loader": [], "epoch": 1})()
        reporter.trainer.loader = type("Loader", (list,), {"dataset": []})()
        reporter.on_train_begin({})            # takes the lock, as a real run does
        raise training.experiment.ConfigError("--lr 5 makes the loss NaN\nsecond line")

    monkeypatch.setattr(training.experiment, "run", broken_run)
    job = training.Trainer(tmp_path).start(training.TrainingChoices(epochs=1, images=1000))
    job.thread.join(30)
    assert job.finished and job.events[-1] == {"type": "failed",
                                               "error": "ConfigError: --lr 5 makes the loss NaN second line"}
    assert COMPUTE_LOCK._lock.acquire(timeout=5)      # the run let go of the lock
    COMPUTE_LOCK._lock.release()
