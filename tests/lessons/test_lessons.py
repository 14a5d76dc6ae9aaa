"""Every lesson runs in both languages, every number has a verdict, and the verdicts are these."""
import io
import json
import re
import shutil

import numpy as np
import pytest

from sinir import cli, lessons
from sinir.lessons import backprop
from sinir.lessons.base import format_number
from sinir.lessons.quiz import run_quiz

# one letter per printed number: A agrees, R agrees within the document's rounding, ~ approximate claim
# holds, S slip, M method differs, N not in the document
CODES = {"agrees": "A", "agrees-rounded": "R", "approximate": "~", "slip": "S", "method-differs": "M",
         "not-in-document": "N"}
VERDICTS = {
    "forum-graph": {"sum": "A", "product": "A", "dy/dw2": "N", "dy/dw1": "N", "descent": "N"},
    "forum-network": {"input": "A", "w1-shape": "A", "w2-size": "A", "output-size": "A", "parameters": "A",
                      "training": "N"},
    "matrix-notation": {"data-shape": "AA", "data-variable": "AA", "data-sample": "AAAA", "shape": "AA",
                        "product": "AAAA"},
    "house-price": {"slope": "A", "intercept": "A", "prediction": "A", "multivariable": "N"},
    "loss-tables": {"mse-rows": "AAA", "mse": "A", "no-square-rows": "AAA", "no-square": "A", "rmse-rows": "AAA",
                    "rmse": "A", "mae-rows": "AAA", "mae": "A", "abs": "AAA", "huber-rows": "AAA", "huber": "A",
                    "smooth-l1-rows": "AAA", "smooth-l1-sum": "A", "smooth-l1": "R", "bce-first-part": "RRA",
                    "bce-second-part": "AAR", "bce-sum": "R", "bce": "R"},
    "descent-tables": {"from-5-1": "AAA", "from-5-2": "AAA", "from-5-n": "RRR", "from-1-1": "AAA", "from-1-2": "ASS",
                       "from-1-n": "RRR", "factor-two": "N"},
    "descent-matrix": {"prediction": "AA", "error": "AA", "per-sample-gradients": "AAAAAA", "gradient": "AAA",
                       "update": "AAA", "per-weight": "AAA", "matrix": "AAA", "mse-before": "A", "mse-after": "R",
                       "learning-rate": "N"},
    "normal-equation": {"rank": "N", "refused": "N", "lstsq": "AAA", "house": "AA"},
    "logistic-regression": {"prediction-z": "A", "probability": "R", "class": "A", "z": "AA", "sigmoid": "RA",
                            "error": "RA", "per-sample-gradients": "RARARA", "gradient": "RRR", "update": "RRR",
                            "new-weights": "RRR", "bce-before": "S", "bce-after": "R"},
    "batching": {"online": "N", "full": "N", "mini": "N"},
    "backprop-3333": {"h1": "AAA", "h2-in": "RAS", "h2-out": "RRR", "o-in": "AAA", "o-in-exact": "RRR",
                      "o-out": "MMM", "softmax": "MMM", "error-terms": "SSR", "error": "M", "error-natural-log": "M",
                      "categorical": "N", "de-doout": "MMM", "de-doout-exact": "MMM", "doout-doin": "RRS", "de-doin-exact": "N",
                      "dw-kl": "MSMMSMMSM", "new-w-kl": "AAASASSAS", "dh2-dh2in": "RRR", "de-dh2-terms": "RSSRSSRSS",
                      "de-dh2": "SSS", "de-dh2-exact": "MMM", "dw-jk": "RRRRRRRRR", "new-w-jk": "AAAAAAAAS",
                      "de-dh1": "MMM", "de-dh1-exact": "MMM", "relu-derivative": "AAA", "dw-ij": "AAAAAAAAA",
                      "new-w-ij": "AAAAAAAAA", "exact-w-kl": "MMMMMMMMM", "exact-w-jk": "MMMMMMMMM",
                      "exact-w-ij": "MMMMMMMMM", "bias-gradients": "N", "update-sign": "S",
                      **{f"fix-{key}": "N" for key, _ in backprop.FIXES}},
    "fc-backward": {"forward": "N", "input-gradient": "N", "weight-gradient": "N"},
    "conv-backward": {"forward": "N", "filter-gradient": "N", "input-gradient": "N"},
    "pooling-backward": {"max": "N", "average": "N"},
    "architectures": {"lenet-fc-input": "A", "lenet-parameters": "A", "lenet-layers": "N", "lenet-classes": "A",
                      "alexnet-parameters": "~", "alexnet-relu-maxpool": "N", "alexnet-accuracy": "SA",
                      "vgg-fc-input": "S", "vgg-classes": "A", "vgg-parameters": "~", "vgg-shrink": "N",
                      "vgg-blocks": "N", "resnet-skip": "A", "resnet-shapes": "N", "resnet-parameters": "N",
                      "vanishing-gradient": "N", "googlenet-concat": "N", "googlenet-modules": "N",
                      "googlenet-aux": "N", "googlenet-parameters": "N"},
}


@pytest.fixture(scope="module")
def built():
    return {name: lessons.build(name) for name in lessons.names()}


def _flat(value):
    return [x for item in value for x in _flat(item)] if isinstance(value, list) else [value]


def _step(built, lesson, id):
    return next(step for step in built[lesson].steps if step.id == id)


def test_every_lesson_is_listed_and_checked():
    assert lessons.names() == list(VERDICTS)


@pytest.mark.parametrize("name", list(VERDICTS))
def test_verdicts(name, built):
    assert {step.id: "".join(CODES[v] for v in step.verdicts()) for step in built[name].steps} == VERDICTS[name]


@pytest.mark.parametrize("name", list(VERDICTS))
@pytest.mark.parametrize("lang", ["en", "tr"])
def test_both_languages_render_every_step(name, lang, built):
    result = lessons.Result(built[name], lang)
    data = result.to_json()
    assert data["lesson"] == name and len(data["steps"]) == len(VERDICTS[name])
    for step in data["steps"]:
        assert {"id", "description", "slide_value", "computed", "agrees", "verdict", "explanation"} <= set(step)
        assert step["description"]
        if step["verdict"] == "not-in-document":
            assert step["slide_value"] is None and step["agrees"] is None and step["explanation"]
        elif isinstance(step["slide_value"], list):            # one verdict per printed number
            assert np.shape(step["agrees"]) == np.shape(step["verdict"]) == np.shape(step["slide_value"])
            assert all(isinstance(a, bool) for a in _flat(step["agrees"]))
        else:
            assert isinstance(step["agrees"], bool) and step["verdict"] in lessons.VERDICTS
        if set(np.ravel(step["verdict"])) - {"agrees"}:
            assert step["explanation"], f"{step['id']} must say why"
    json.dumps(data)
    other = lessons.Result(built[name], "tr" if lang == "en" else "en").to_text()
    assert result.to_text() != other      # really translated


def test_agrees_is_true_where_the_printed_number_holds(built):
    step = _step(built, "backprop-3333", "doout-doin")
    assert step.agrees == [True, True, False] and step.verdict == ["agrees-rounded", "agrees-rounded", "slip"]
    carried = _step(built, "backprop-3333", "o-in-exact")     # carried rounding: right, but not sinir's number
    assert carried.agrees == [False] * 3 and carried.verdict == ["agrees-rounded"] * 3
    method = _step(built, "backprop-3333", "de-dh1")          # the arithmetic holds, the method does not
    assert method.agrees == [True] * 3 and method.verdict == ["method-differs"] * 3


def test_the_printed_number_is_compared_at_its_printed_precision():
    assert lessons.compare("0.938", 0.93884) == (True, "agrees-rounded")      # truncated
    assert lessons.compare("0.939", 0.93884) == (True, "agrees-rounded")      # rounded
    assert lessons.compare("0.97", 0.9821) == (False, None)
    assert lessons.compare(["1", "2"], [1, 2]) == (True, "agrees")
    assert lessons.compare("0.89", 0.8999999999999999) == (False, None)       # 0.9 does not truncate to 0.89


def test_approximate_claims_hold_within_the_precision_they_state():
    assert lessons.compare("yaklaşık 60", 61.1) == (True, "approximate")     # stated to the ten: 55 .. 65
    assert lessons.compare("~60", 66.0) == (False, None)
    assert lessons.compare("about 138", 138.36) == (True, "approximate")
    assert lessons.compare("about 138", 138.6) == (False, None)
    assert lessons.compare("60", 61.1) == (False, None)                       # not marked approximate


def test_a_difference_without_an_explanation_is_refused():
    lesson = lessons.Lesson("x", lessons.Text("t", "t"), lessons.Text("s", "s"))
    with pytest.raises(AssertionError, match="does not say why"):
        lesson.check("bad", lessons.Text("d", "d"), "1.5", 2.0)
    with pytest.raises(AssertionError, match="called a slip, but it agrees"):
        lesson.check("wrong", lessons.Text("d", "d"), "2.0", 2.0, why=lessons.Text("w", "w"), kind="slip")


def test_explanations_use_the_numbers_computed_beside_them(built):
    step = _step(built, "backprop-3333", "o-in-exact")
    for value in step.computed:
        assert format_number(float(f"{value:.5g}")) in step.explanation.en
    step = _step(built, "backprop-3333", "new-w-kl")
    assert step.verdicts().count("agrees") == 5 and step.verdicts().count("slip") == 4
    assert step.explanation.en.startswith("5 entries follow, 4 do not")
    assert step.explanation.tr.startswith("5 değer tutuyor, 4 değer tutmuyor")


def test_the_slides_values_are_sigma_prime_of_their_own_rounded_activations(built):
    step = _step(built, "backprop-3333", "dh2-dh2in")
    np.testing.assert_allclose(backprop.H2_OUT * (1 - backprop.H2_OUT), backprop.DH2_DIN, rtol=0, atol=1e-12)
    assert "carried rounding" in step.explanation.en


def test_the_replay_goes_from_the_slide_to_exact_backpropagation():
    exact = backprop.exact_pass()
    as_printed = backprop.replay(())["new"]
    np.testing.assert_array_equal(as_printed["kl"], np.array(backprop.NEW_KL, dtype=float))
    fixed, previous = [], as_printed
    for key, _ in backprop.FIXES:
        fixed.append(key)
        new = backprop.replay(fixed)["new"]
        assert max(np.abs(new[k] - previous[k]).max() for k in new) > 1e-7, f"fixing {key} moves nothing"
        previous = new
    for key in ("kl", "jk", "ij"):
        np.testing.assert_allclose(previous[key], exact["new"][key], rtol=0, atol=1e-12)
        # and autograd's gradient is the hand-written chain rule with every fix
        np.testing.assert_allclose(backprop.replay(fixed)[f"dw_{key}"],
                                   np.asarray(exact["model"][{"kl": 4, "jk": 2, "ij": 0}[key]].weight.grad).T,
                                   rtol=0, atol=1e-12)


def test_turkish_output_is_turkish(built):
    for name in lessons.names():
        text = lessons.Result(built[name], "tr").to_text()
        lines = text.splitlines()
        for line in lines:
            if line.lstrip().startswith(("belge:", "elle:", "sinir:")):
                assert line.count("uyuşuyor") <= 1
        for english in (" the ", "agrees", "slide", "Matrix gösterimi", "bit bit", "kesişim", "error:"):
            assert english not in text, f"{name}: {english!r} in Turkish output"
    steps = lessons.Result(built["backprop-3333"], "tr").to_text()
    assert "iki logaritma tabanını karıştırıyor" in steps
    remark = "16-128'lik mini-batch"
    assert lessons.Result(built["batching"], "tr").to_text().count(remark) == 1
    # 6.000 (the bundled sample) or 10.000 (the full MNIST) images, with the Turkish thousands point
    assert re.search(r"\b(6|10)\.000 MNIST görüntüsünde", lessons.Result(built["forum-network"], "tr").to_text())


def test_made_up_examples_never_claim_the_document(built):
    for name in lessons.names():
        result = lessons.Result(built[name], "tr")
        text = result.to_text().split("\n")
        for step in built[name].steps:
            if step.verdict == "not-in-document":
                index = next(i for i, line in enumerate(text) if step.description("tr") in line)
                block = "\n".join(text[index:index + 3])
                assert "belge" not in block.lower(), f"{name}/{step.id}"


def test_the_command_line(capsys):
    assert cli.main(["lesson", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == list(VERDICTS)
    assert cli.main(["lesson", "list", "--lang", "tr"]) == 0
    assert "Matris gösterimi" in capsys.readouterr().out
    assert cli.main(["lesson", "run", "loss-tables", "--lang", "tr", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "tr" and data["steps"][1]["slide_value"] == pytest.approx(8 / 3)
    assert data["steps"][0]["verdict"] == ["agrees"] * 3 and data["steps"][0]["agrees"] == [True] * 3
    assert cli.main(["lesson", "run", "descent-tables", "--lang", "en"]) == 0
    assert "slip" in capsys.readouterr().out
    assert cli.main(["lesson", "run", "nope", "--lang", "tr"]) == 2
    assert "'nope' adında bir çözümlü örnek yok" in capsys.readouterr().err
    assert cli.main(["lesson", "run", "nope", "--lang", "en"]) == 2
    assert "unknown lesson 'nope'" in capsys.readouterr().err


def test_the_quiz_reads_answers_from_standard_input(built):
    lesson = built["matrix-notation"]
    answers = ["2", "4", "2", "6", "5", "6", "7", "8", "4", "1", "14", "32", "-14", "-32"]
    out = io.StringIO()
    assert run_quiz(lesson, "en", io.StringIO("\n".join(answers) + "\n"), out) == (14, 14)
    assert "Score: 14 of 14" in out.getvalue()
    answers[0], answers[1] = "3", ""                            # one wrong, one skipped
    out = io.StringIO()
    assert run_quiz(lesson, "tr", io.StringIO("\n".join(answers) + "\n"), out) == (12, 14)
    assert "Puan: 14 değerin 12 tanesi doğru" in out.getvalue()


def test_the_quiz_accepts_the_documents_rounding_and_a_decimal_comma(built):
    lesson = lessons.Lesson("q", lessons.Text("t", "t"), lessons.Text("s", "s"))
    lesson.check("h2", lessons.Text("d", "d"), ["0.938", "0.94"], [0.938831, 0.940476])
    out = io.StringIO()
    assert run_quiz(lesson, "tr", io.StringIO("0,9385\n0.93\n"), out) == (1, 2)
    out = io.StringIO()                                           # Ctrl-D stops with the score so far
    assert run_quiz(built["backprop-3333"], "en", io.StringIO("1.35\n"), out) == (1, 1)
    assert "Score: 1 of 1" in out.getvalue()


def test_the_quiz_from_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("8\n24\n"))
    assert cli.main(["lesson", "run", "forum-graph", "--quiz", "--lang", "en"]) == 0
    assert "Score: 2 of 2" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
def test_pictures(tmp_path, capsys):
    for name in ("forum-graph", "backprop-3333", "descent-tables"):
        assert cli.main(["lesson", "run", name, "--lang", "tr", "--plot", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["backprop-3333-network.png", "backprop-3333-network.svg", "descent-tables-path.png",
                     "forum-graph.png", "forum-graph.svg"]
    svg = (tmp_path / "forum-graph.svg").read_text()
    assert "grad 3" in svg and "data 24" in svg and "Mul" in svg
    assert all(re.search(rf">{w}<", (tmp_path / "backprop-3333-network.svg").read_text()) for w in ("0.9", "0.7"))
    assert cli.main(["lesson", "run", "loss-tables", "--lang", "en", "--plot", str(tmp_path)]) == 2
    assert "no pictures" in capsys.readouterr().err


def test_language_comes_from_the_locale(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "tr_TR.UTF-8")
    assert lessons.language() == "tr"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert lessons.language() == "en"
    assert lessons.language("tr") == "tr"
