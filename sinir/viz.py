"""Pictures of a computation as Graphviz graphs: the autograd graph of a tensor (as micrograd's
``draw_dot`` and torchviz draw it), and a small fully connected network with its numbers.

>>> x = sinir.tensor(10.0); w1 = sinir.tensor(-2.0, requires_grad=True); w2 = sinir.tensor(3.0, requires_grad=True)
>>> y = (x + w1) * w2
>>> y.backward(retain_graph=True)        # keep the graph, to draw it with its gradients
>>> dot = sinir.viz.graph(y, names={"x": x, "w1": w1, "w2": w2, "y": y})
>>> print(dot.source)                    # the DOT text
>>> sinir.viz.render(dot, "pictures", "forum-graph")    # pictures/forum-graph.svg (needs Graphviz's dot)

Building the DOT needs the ``graphviz`` Python package (``pip install 'sinir[plot]'``); rendering it
to SVG or PNG also needs Graphviz's ``dot`` program.
"""
import shutil
from pathlib import Path

import numpy as np

FORMATS = ("svg", "png", "pdf")


def _graphviz():
    try:
        import graphviz
    except ImportError as error:
        raise ModuleNotFoundError("sinir.viz needs the graphviz Python package: pip install 'sinir[plot]'") from error
    return graphviz


def _describe(array, digits=4):
    """A short text for a value: the number(s) for small tensors, else the shape and the range."""
    array = np.asarray(array)
    if array.size == 1:
        return f"{float(array.reshape(())):.{digits}g}"
    if array.size <= 6:
        return "[" + ", ".join(f"{float(v):.{digits}g}" for v in array.ravel()) + "]"
    return f"shape {tuple(array.shape)}, {float(array.min()):.3g} .. {float(array.max()):.3g}"


def _operation_name(function):
    """The operation's name: ``name()`` where the Function gives one (PyTorch-style), else its class."""
    name = getattr(function, "name", None)
    if callable(name):
        try:
            return str(name())
        except Exception:        # a name() that needs what release() dropped
            pass
    return type(function).__name__


def _escape(text):
    return str(text).replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("|", "\\|") \
        .replace("<", "\\<").replace(">", "\\>")


def graph(tensor, names=None, show_grad=True, rankdir="LR"):
    """The autograd graph that made ``tensor``, as a ``graphviz.Digraph``.

    Each tensor is a box with its name (from ``names``, a dict name -> tensor), its value and, where
    one is stored, its gradient; each operation is an ellipse between its inputs and its output.
    Gradients exist after ``backward`` on leaves and on tensors marked with ``retain_grad()``; draw
    after ``backward(retain_graph=True)``, since a plain backward frees the graph.

    >>> dot = graph(y, names={"x": x, "w1": w1, "w2": w2})
    >>> dot.source.splitlines()[0]
    'digraph {'
    """
    graphviz = _graphviz()
    labels = {id(t): name for name, t in (names or {}).items()}
    dot = graphviz.Digraph(graph_attr={"rankdir": rankdir}, node_attr={"fontname": "Helvetica", "fontsize": "11"})
    seen, stack = set(), [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        fields = [labels.get(id(current), "")] if id(current) in labels else []
        fields.append(f"data {_describe(current.numpy())}")
        if show_grad and current.grad is not None:
            fields.append(f"grad {_describe(np.asarray(current.grad))}")
        dot.node(str(id(current)), "{ " + " | ".join(_escape(f) for f in fields) + " }", shape="record")
        function = current.grad_fn
        if function is None:
            continue
        if getattr(function, "released", False):
            raise ValueError("graph: backward() has freed this part of the graph; call backward(retain_graph=True) "
                             "to draw it with its gradients, or draw before backward")
        operation = f"{id(current)}-op"
        dot.node(operation, _operation_name(function), shape="ellipse", style="filled", fillcolor="lightgrey")
        dot.edge(operation, str(id(current)))
        for parent in function.inputs:
            dot.edge(str(id(parent)), operation)
            stack.append(parent)
    return dot


def network(layers, weights, title=None, digits=4):
    """A fully connected network with its numbers, as a ``graphviz.Digraph``: ``layers`` is a list of
    (name, values) with one value per unit, ``weights[i][a, b]`` the weight from unit a of layer i to
    unit b of layer i + 1, written on the edge.

    >>> dot = network([("i", [0.1, 0.2]), ("o", [0.5])], [np.array([[0.3], [0.4]])])
    """
    graphviz = _graphviz()
    if len(weights) != len(layers) - 1:
        raise ValueError(f"network: {len(layers)} layers need {len(layers) - 1} weight matrices, got {len(weights)}")
    for index, (w, (_, a), (_, b)) in enumerate(zip(weights, layers, layers[1:])):
        if np.shape(w) != (len(a), len(b)):
            raise ValueError(f"network: weights[{index}] has shape {np.shape(w)}, expected ({len(a)}, {len(b)})")
    dot = graphviz.Digraph(graph_attr={"rankdir": "LR", "splines": "line", "nodesep": "0.5", "ranksep": "3",
                                       "ordering": "out", "newrank": "true"},
                           node_attr={"fontname": "Helvetica", "fontsize": "11", "shape": "circle", "width": "0.9",
                                      "fixedsize": "true"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "10", "arrowsize": "0.5"})
    if title:
        dot.attr(label=title, labelloc="t", fontname="Helvetica")
    for index, (name, values) in enumerate(layers):
        with dot.subgraph() as column:
            column.attr(rank="same")
            for unit, value in enumerate(values):
                column.node(f"{index}_{unit}", f"{name}{unit + 1}\n{float(value):.{digits}g}")
    for index, w in enumerate(weights):
        w = np.asarray(w)
        for a in range(w.shape[0]):
            color = COLORS[a % len(COLORS)]
            for b in range(w.shape[1]):
                # the weight is written near the unit it leaves, in that unit's colour
                dot.edge(f"{index}_{a}", f"{index + 1}_{b}", taillabel=f"{w[a, b]:.{digits}g}", color=color,
                         fontcolor=color, labeldistance="4.5", labelangle="0")
    return dot


COLORS = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")


def render(dot, folder, stem, format="svg"):
    """Write ``dot`` to ``folder/stem.FORMAT`` (svg, png or pdf) with Graphviz's ``dot`` program and
    return the path. Without the program, a RuntimeError says how to get it."""
    if format not in FORMATS:
        raise ValueError(f"render: format must be one of {', '.join(FORMATS)}, got {format!r}")
    if shutil.which("dot") is None:
        raise RuntimeError("render: Graphviz's 'dot' program is not installed (apt install graphviz, "
                           "brew install graphviz, or https://graphviz.org/download); the DOT text is in .source")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return dot.render(filename=stem, directory=str(folder), format=format, cleanup=True)
