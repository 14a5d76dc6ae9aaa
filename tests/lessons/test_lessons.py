"""Every lesson runs in both languages, every step has a verdict, and the verdicts are these."""
import json

import pytest

from sinir import cli, lessons

VERDICTS = {
    "forum-graph": {"sum": True, "product": True, "dy/dw2": None, "dy/dw1": None, "descent": None},
    "forum-network": {"w1-shape": True, "w2-size": True, "parameters": True, "training": None},
    "matrix-notation": {"shape": True, "product": True},
    "house-price": {"slope": True, "intercept": True, "prediction": True, "multivariable": None},
    "loss-tables": {"mse-rows": True, "mse": True, "no-square": True, "rmse": True, "mae": True, "huber-rows": True,
                    "huber": True, "smooth-l1-rows": True, "smooth-l1": True, "bce-rows": True, "bce": True},
    "descent-tables": {"from-5-1": True, "from-5-2": True, "from-1-1": True, "from-1-2": False,
                       "from-1-late": False, "factor-two": None},
    "descent-matrix": {"prediction": True, "error": True, "gradient": True, "per-weight": True, "matrix": True,
                       "mse-before": True, "mse-after": True, "learning-rate": None},
    "normal-equation": {"rank": None, "refused": None, "lstsq": True, "house": True},
    "logistic-regression": {"z": True, "probability": True, "class": True, "sigmoid": True, "gradient": False,
                            "new-weights": True, "bce-before": False, "bce-after": True},
    "batching": {"online": None, "full": None, "mini": None},
    "backprop-3333": {"h1": True, "h2-in": False, "h2-out": True, "o-in": True, "o-in-exact": False, "o-out": True,
                      "softmax": False, "error": True, "error-natural-log": False, "categorical": None,
                      "de-doout": True, "de-doout-exact": False, "doout-doin": False, "dw-kl": False,
                      "new-w-kl": False, "dh2-dh2in": False, "de-dh2": False, "dw-jk": True, "new-w-jk": False,
                      "de-dh1": True, "relu-derivative": True, "dw-ij": True, "new-w-ij": True,
                      "exact-w-kl": False, "exact-w-jk": False, "exact-w-ij": False, "bias-gradients": None,
                      "update-sign": None},
    "conv-backward": {"forward": True, "filter-gradient": True, "input-gradient": None},
    "pooling-backward": {"max": True, "average": True},
    "architectures": {"lenet-fc-input": True, "lenet-parameters": True, "alexnet-parameters": False,
                      "vgg-fc-input": False, "vgg-parameters": True, "vgg-shrink": None, "vgg-blocks": None},
}


@pytest.fixture(scope="module")
def built():
    return {name: lessons.build(name) for name in lessons.names()}


def test_every_lesson_is_listed_and_checked():
    assert lessons.names() == list(VERDICTS)


@pytest.mark.parametrize("name", list(VERDICTS))
def test_verdicts(name, built):
    assert {step.id: step.agrees for step in built[name].steps} == VERDICTS[name]


@pytest.mark.parametrize("name", list(VERDICTS))
@pytest.mark.parametrize("lang", ["en", "tr"])
def test_both_languages_render_every_step(name, lang, built):
    result = lessons.Result(built[name], lang)
    data = result.to_json()
    assert data["lesson"] == name and len(data["steps"]) == len(VERDICTS[name])
    for step in data["steps"]:
        assert set(step) == {"id", "description", "slide_value", "computed", "agrees", "explanation"}
        assert step["description"] and step["explanation"]
        assert step["agrees"] is None or isinstance(step["agrees"], bool)
    json.dumps(data)
    other = lessons.Result(built[name], "tr" if lang == "en" else "en").to_text()
    assert result.to_text() != other      # really translated


def test_the_printed_number_is_compared_at_its_printed_precision():
    assert lessons.compare("0.938", 0.93884) == (True, "truncated")
    assert lessons.compare("0.939", 0.93884) == (True, "rounded")
    assert lessons.compare("0.97", 0.9821)[0] is False
    assert lessons.compare(["1", "2"], [1, 2]) == (True, "exact")


def test_a_difference_without_an_explanation_is_refused():
    lesson = lessons.Lesson("x", lessons.Text("t", "t"), lessons.Text("s", "s"))
    with pytest.raises(AssertionError, match="does not say why"):
        lesson.check("bad", lessons.Text("d", "d"), "1.5", 2.0)


def test_the_command_line(capsys):
    assert cli.main(["lesson", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == list(VERDICTS)
    assert cli.main(["lesson", "run", "loss-tables", "--lang", "tr", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "tr" and data["steps"][1]["slide_value"] == pytest.approx(8 / 3)
    assert cli.main(["lesson", "run", "backprop-3333", "--lang", "en"]) == 0
    assert "DIFFERS" in capsys.readouterr().out
    assert cli.main(["lesson", "run", "nope"]) == 2
    assert "unknown lesson 'nope'" in capsys.readouterr().err


def test_language_comes_from_the_locale(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "tr_TR.UTF-8")
    assert lessons.language() == "tr"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert lessons.language() == "en"
    assert lessons.language("tr") == "tr"
