"""POST /api/backprop/step: the lecture's 3-3-3-3 network, checked against PyTorch and the lesson."""
import numpy as np
import pytest

from sinir import lessons
from sinir.lessons import backprop as lecture

torch = pytest.importorskip("torch")

PHASE_KEYS = {"forward": ["forward"], "error": ["forward", "error"], "backward": ["forward", "error", "backward"],
              "update": ["forward", "error", "backward", "update"]}


def torch_step(inputs, weights, lr):
    """The same step in PyTorch (float64): x W + b, ReLU, sigmoid, softmax, summed BCE, one SGD step."""
    params = {name: torch.tensor(np.asarray(value, dtype=np.float64), requires_grad=True)
              for name, value in weights.items()}
    x = torch.tensor(np.asarray(inputs, dtype=np.float64))
    h1_in = x @ params["W_ij"] + params["b_j"]
    h1 = torch.relu(h1_in)
    h2 = torch.sigmoid(h1 @ params["W_jk"] + params["b_k"])
    o_in = h2 @ params["W_kl"] + params["b_l"]
    o_out = torch.softmax(o_in, dim=0)
    for tensor in (h1_in, h2, o_in, o_out):
        tensor.retain_grad()
    error = torch.nn.functional.binary_cross_entropy(o_out, torch.tensor(lecture.TARGET), reduction="sum")
    error.backward()
    with torch.no_grad():
        new = {name: (p - lr * p.grad).numpy() for name, p in params.items()}
    grads = {name: p.grad.numpy() for name, p in params.items()}
    return {"E": error.item(), "o_out": o_out.detach().numpy(), "dE_do_out": o_out.grad.numpy(),
            "dE_do_in": o_in.grad.numpy(), "dE_dh2_out": h2.grad.numpy(), "dE_dh1_in": h1_in.grad.numpy(),
            "grads": grads, "new": new}


def lecture_weights():
    weights = {"W_ij": lecture.W_IJ, "W_jk": lecture.W_JK, "W_kl": lecture.W_KL}
    weights.update({name: np.full(3, lecture.BIAS) for name in ("b_j", "b_k", "b_l")})
    return weights


def test_every_value_and_gradient_matches_pytorch(client):
    answer = client.post("/api/backprop/step", json={"phase": "update"}).json()
    expected = torch_step(lecture.INPUT, lecture_weights(), lecture.LR)
    np.testing.assert_allclose(answer["forward"]["o_out"], expected["o_out"], rtol=1e-12)
    np.testing.assert_allclose(answer["error"]["E"], expected["E"], rtol=1e-12)
    for key in ("dE_do_out",):
        np.testing.assert_allclose(answer["error"][key], expected[key], rtol=1e-10)
    for key in ("dE_do_in", "dE_dh2_out", "dE_dh1_in"):
        np.testing.assert_allclose(answer["backward"][key], expected[key], rtol=1e-10, atol=1e-15)
    for name, grad in expected["grads"].items():
        np.testing.assert_allclose(answer["backward"][f"dE_d{name}"], grad, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(answer["update"][name], expected["new"][name], rtol=1e-12)


def test_new_w_kl_is_the_lessons_exact_value(client):
    answer = client.post("/api/backprop/step", json={"phase": "update", "lr": 0.01}).json()
    step = next(s for s in lessons.run("backprop-3333", "en").to_json()["steps"] if s["id"] == "exact-w-kl")
    np.testing.assert_allclose(answer["update"]["W_kl"], step["computed"], rtol=1e-9)
    assert np.abs(np.asarray(answer["update"]["W_kl"]) - lecture.W_KL).max() > 1e-3     # it did move


def test_edited_inputs_weights_and_rate_are_used(client):
    weights = {name: (np.asarray(value) * 1.5).tolist() for name, value in lecture_weights().items()}
    body = {"phase": "update", "lr": 0.5, "inputs": [1.0, -2.0, 0.5], "weights": weights}
    answer = client.post("/api/backprop/step", json=body).json()
    expected = torch_step(body["inputs"], weights, 0.5)
    np.testing.assert_allclose(answer["error"]["E"], expected["E"], rtol=1e-12)
    for name in weights:
        np.testing.assert_allclose(answer["update"][name], expected["new"][name], rtol=1e-12)
    assert answer["slide"] is None          # the slide's numbers belong to the lecture's case only


def test_a_second_step_continues_from_the_updated_weights(client):
    first = client.post("/api/backprop/step", json={"phase": "update"}).json()
    second = client.post("/api/backprop/step", json={"phase": "update", "weights": first["update"]}).json()
    once = torch_step(lecture.INPUT, lecture_weights(), lecture.LR)
    twice = torch_step(lecture.INPUT, once["new"], lecture.LR)
    np.testing.assert_allclose(second["update"]["W_kl"], twice["new"]["W_kl"], rtol=1e-12)
    assert second["error"]["E"] < first["error"]["E"]          # a descent step lowers the error


@pytest.mark.parametrize("phase", list(PHASE_KEYS))
def test_each_phase_returns_what_it_has_computed_and_the_slides_numbers(client, phase):
    answer = client.post("/api/backprop/step", json={"phase": phase}).json()
    for key in ("forward", "error", "backward", "update"):
        assert (key in answer) == (key in PHASE_KEYS[phase])
    assert list(answer["slide"]) == PHASE_KEYS[phase]
    assert answer["slide"]["forward"]["o_out"] == lecture.O_OUT.tolist()
    if phase == "update":
        np.testing.assert_allclose(answer["slide"]["update"]["W_kl"], np.array(lecture.NEW_KL, dtype=float))


def test_lecture_endpoint_gives_the_starting_point(client):
    start = client.get("/api/backprop/lecture").json()
    assert start["inputs"] == lecture.INPUT.tolist() and start["lr"] == lecture.LR
    assert start["weights"]["W_kl"] == lecture.W_KL.tolist() and start["weights"]["b_l"] == [lecture.BIAS] * 3


@pytest.mark.parametrize("body, fragment", [
    ({"phase": "sideways"}, "phase must be one of"),
    ({"lr": -1}, "lr must be"),
    ({"lr": "fast"}, "lr must be"),
    ({"inputs": [1, 2]}, "inputs must be a list of 3 numbers"),
    ({"inputs": [1, 2, 1e9]}, "between"),
    ({"weights": {"W_kl": [[1, 2], [3, 4]]}}, "W_kl must be a 3x3"),
    ({"weights": {"W_xy": 1}}, "weights must be an object"),
    ({"speed": 1}, "unknown field"),
])
def test_bad_step_requests_get_400(client, body, fragment):
    response = client.post("/api/backprop/step", json=body)
    assert response.status_code == 400 and set(response.json()) == {"error"}
    assert fragment in response.json()["error"]
