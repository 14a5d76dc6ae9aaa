"""sinir.viz: the autograd graph as DOT (values and gradients on the nodes), a network with its
numbers, and rendering with Graphviz's dot program."""
import shutil
import sys

import numpy as np
import pytest

pytest.importorskip("graphviz")

from sinir import viz  # noqa: E402
from sinir.tensor import Tensor  # noqa: E402


def forum_graph():
    x = Tensor(10.0)
    w1 = Tensor(-2.0, requires_grad=True)
    w2 = Tensor(3.0, requires_grad=True)
    middle = x + w1
    middle.retain_grad()
    y = middle * w2
    return x, w1, w2, middle, y


def test_the_graph_holds_every_tensor_and_operation_with_values_and_gradients():
    x, w1, w2, middle, y = forum_graph()
    y.backward(retain_graph=True)
    source = viz.graph(y, names={"x": x, "w1": w1, "w2": w2, "y": y}).source
    for text in ("x | data 10", "w1 | data -2 | grad 3", "w2 | data 3 | grad 8", "data 8 | grad 3", "y | data 24",
                 "Add", "Mul"):
        assert text in source, text
    assert source.count("->") == 6          # x, w1 -> Add -> middle, middle, w2 -> Mul -> y


def test_before_backward_the_graph_shows_values_only():
    *_, y = forum_graph()
    source = viz.graph(y).source
    assert "data 24" in source and "grad" not in source


def test_an_operation_name_comes_from_name_when_the_function_has_one():
    *_, y = forum_graph()

    class Named:
        def name(self):
            return "MulBackward0"
    assert viz._operation_name(Named()) == "MulBackward0"
    own = getattr(y.grad_fn, "name", None)
    assert viz._operation_name(y.grad_fn) == (own() if callable(own) else type(y.grad_fn).__name__)
    assert viz._operation_name(object()) == "object"      # no name(): the class name


def test_a_freed_graph_is_refused_with_the_remedy():
    *_, y = forum_graph()
    y.backward()
    with pytest.raises(ValueError, match="retain_graph=True"):
        viz.graph(y)


def test_large_tensors_are_summarised():
    a = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    source = viz.graph((a * 2).sum()).source
    assert "shape (3, 4), 0 .. 11" in source


def test_network_draws_every_weight_on_its_edge():
    dot = viz.network([("i", [0.1, 0.2]), ("o", [0.5, 0.25])], [np.array([[0.3, 0.4], [0.6, 0.7]])])
    for weight in ("0.3", "0.4", "0.6", "0.7"):
        assert f'taillabel="{weight}"' in dot.source or f"taillabel={weight}" in dot.source
    with pytest.raises(ValueError, match="weights\\[0\\] has shape"):
        viz.network([("i", [0.1, 0.2]), ("o", [0.5])], [np.ones((3, 1))])


def test_render_needs_the_dot_program(tmp_path, monkeypatch):
    *_, y = forum_graph()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="Graphviz's 'dot' program is not installed"):
        viz.render(viz.graph(y), tmp_path, "g")
    with pytest.raises(ValueError, match="format must be one of"):
        viz.render(viz.graph(y), tmp_path, "g", format="gif")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
@pytest.mark.parametrize("format", ["svg", "png"])
def test_render_writes_the_picture(tmp_path, format):
    *_, y = forum_graph()
    path = viz.render(viz.graph(y), tmp_path / "pictures", "forum", format)
    assert path.endswith(f"forum.{format}") and (tmp_path / "pictures" / f"forum.{format}").stat().st_size > 100
    assert not (tmp_path / "pictures" / "forum").exists()      # the DOT source is cleaned up


def test_without_the_graphviz_package_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    *_, y = forum_graph()
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'sinir\[plot\]'"):
        viz.graph(y)
