"""POST /api/predict and GET /api/model: the Draw page's endpoints, through Starlette's test client."""
import base64
import io
import json

import numpy as np
import pytest

from sinir import experiment, nn
from sinir.cli import main as sinir_main
from sinir.grad_mode import no_grad
from sinir.images import read_image, to_mnist
from sinir.serve.digits import MAX_PIXELS
from sinir.tensor import Tensor
from tests.serve.drawing import drawn_seven, png_data_url


def assert_one_line_error(response, status):
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error"}
    assert response.json()["error"] and "\n" not in response.text


def test_a_drawn_seven_is_recognised_with_sinir_predicts_preprocessing(client, default_checkpoint, tmp_path, capsys):
    url = png_data_url(drawn_seven())
    response = client.post("/api/predict", json={"image": url})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["digit"] == 7
    assert len(answer["probabilities"]) == 10 and abs(sum(answer["probabilities"]) - 1) < 1e-4
    assert int(np.argmax(answer["probabilities"])) == 7
    # the same picture as a file, through `sinir predict`: the same 28x28 input, the same probabilities
    path = tmp_path / "seven.png"
    path.write_bytes(base64.b64decode(url.split(",", 1)[1]))
    expected_input = to_mnist(read_image(path))
    assert np.asarray(answer["input"]).shape == (28, 28)
    np.testing.assert_allclose(answer["input"], expected_input, atol=1e-4)
    assert sinir_main(["predict", str(default_checkpoint), str(path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["prediction"] == 7
    np.testing.assert_allclose(answer["probabilities"], printed["probabilities"], atol=1e-5)


def test_feature_maps_are_every_conv_layers_output(client, default_checkpoint):
    answer = client.post("/api/predict", json={"image": png_data_url(drawn_seven())}).json()
    model, meta = experiment.load_model(default_checkpoint)
    convolutions = [(name, module) for name, module in model.named_modules() if isinstance(module, nn.Conv2d)]
    assert [layer["layer"] for layer in answer["feature_maps"]] == [name for name, _ in convolutions] == \
        ["features.0", "features.3"]
    assert [np.asarray(layer["maps"]).shape for layer in answer["feature_maps"]] == [(6, 28, 28), (16, 10, 10)]
    # the first convolution's maps, computed here directly from the normalised input
    mean, std = meta["normalization"]
    x = Tensor(((np.asarray(answer["input"], dtype=np.float32) - mean) / std)[None, None])
    with no_grad():
        expected = np.asarray(convolutions[0][1](x))[0]
    np.testing.assert_allclose(answer["feature_maps"][0]["maps"], expected, atol=2e-3)


def test_light_on_dark_and_rgb_pictures_are_read_too(client):
    seven = drawn_seven()
    inverted_rgb = np.repeat((255 - seven)[..., None], 3, axis=2)
    answer = client.post("/api/predict", json={"image": png_data_url(inverted_rgb)}).json()
    assert answer["digit"] == 7


def test_model_endpoint_names_the_checkpoint(client, default_checkpoint):
    info = client.get("/api/model").json()
    assert info["checkpoint"] == str(default_checkpoint)
    assert info["model"] == "lenet5" and info["conv_layers"] == ["features.0", "features.3"]


@pytest.mark.parametrize("body, fragment", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", '{"image"'),
    (b'{"picture": "x"}', '{"image"'),
    (b'{"image": 7}', "base64 data URL"),
    (b'{"image": "data:text/plain;base64,aGVsbG8="}', "image data URL"),
    (b'{"image": "data:image/png;base64,***"}', "not valid base64"),
    (b'{"image": "data:image/png;base64,aGVsbG8gd29ybGQ="}', "not an image"),
])
def test_bad_requests_get_400_with_one_line_json(client, body, fragment):
    response = client.post("/api/predict", content=body, headers={"Content-Type": "application/json"})
    assert_one_line_error(response, 400)
    assert fragment in response.json()["error"]


def test_a_blank_drawing_is_refused(client):
    response = client.post("/api/predict", json={"image": png_data_url(np.full((50, 50), 255))})
    assert_one_line_error(response, 400)
    assert "blank" in response.json()["error"]


def test_too_large_bodies_and_pictures_get_413(client):
    response = client.post("/api/predict", content=b'{"image": "' + b"A" * (3 * 1024 * 1024) + b'"}',
                           headers={"Content-Type": "application/json"})
    assert_one_line_error(response, 413)
    side = int(np.sqrt(MAX_PIXELS)) + 10           # a few kB of PNG, but too many pixels to decode
    response = client.post("/api/predict", json={"image": png_data_url(np.full((side, side), 255))})
    assert_one_line_error(response, 413)
    assert "pixels" in response.json()["error"]


def test_wrong_method_and_unknown_path_answer_in_json(client):
    assert_one_line_error(client.get("/api/predict"), 405)
    assert_one_line_error(client.get("/api/nothing-here"), 404)


def test_pages_and_static_files_are_served_by_sinir_itself(client):
    for path in ("/draw", "/backprop", "/train"):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        # nothing from the internet: every script and stylesheet is a local /static/ file
        assert "http://" not in page.text and "https://" not in page.text
        for asset in ("/static/style.css", "/static/common.js"):
            assert asset in page.text and client.get(asset).status_code == 200
    assert client.get("/", follow_redirects=False).headers["location"] == "/draw"
    assert client.get("/static/draw.js").headers["content-type"].startswith(("text/javascript",
                                                                             "application/javascript"))


@pytest.mark.parametrize("header, lang", [("tr-TR,tr;q=0.9,en;q=0.8", "tr"), ("en-US,en;q=0.9", "en"),
                                          ("de-DE,tr;q=0.5", "en"), (None, "en")])
def test_turkish_by_default_when_the_browser_asks_for_it(client, header, lang):
    headers = {"Accept-Language": header} if header else {}
    assert f'<html lang="{lang}">' in client.get("/backprop", headers=headers).text


def test_png_written_by_sinir_itself_is_accepted(client, tmp_path):
    from sinir.images import write_png
    path = tmp_path / "seven.png"
    write_png(path, drawn_seven())
    url = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
    assert client.post("/api/predict", json={"image": url}).json()["digit"] == 7
    jpeg = io.BytesIO()
    from PIL import Image
    Image.fromarray(drawn_seven()).save(jpeg, format="JPEG")
    url = "data:image/jpeg;base64," + base64.b64encode(jpeg.getvalue()).decode()
    assert client.post("/api/predict", json={"image": url}).json()["digit"] == 7
