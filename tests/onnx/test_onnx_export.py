"""sinir.onnx.export, operation by operation: each layer and tensor operation exported alone and run in
ONNX Runtime gives sinir's output at two batch sizes; then names, dynamic axes, opsets and errors."""
import sys

import numpy as np
import pytest

import sinir
import sinir.onnx
from sinir import nn
from sinir.nn import functional as F

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


class Flat(nn.Module):
    """The outputs of ``inner`` as one flat tuple (a recurrent layer gives (output, (h_n, c_n)))."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        pending, outputs = [self.inner(x)], []
        while pending:
            item = pending.pop(0)
            if isinstance(item, (tuple, list)):
                pending[:0] = list(item)
            else:
                outputs.append(item)
        return tuple(outputs)


class Fn(nn.Module):
    """A module around any function of tensors, to export single operations."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, *inputs):
        return self.function(*inputs)


def session(proto):
    return ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])


def sinir_output(model, x):
    model.eval()
    with sinir.no_grad():
        return model(sinir.Tensor(x)).numpy()


def sinir_outputs(model, x):
    """Every output of the model as arrays (tuples, and tuples in tuples, flattened)."""
    model.eval()
    with sinir.no_grad():
        pending, outputs = [model(sinir.Tensor(x))], []
        while pending:
            item = pending.pop(0)
            if isinstance(item, (tuple, list)):
                pending[:0] = list(item)
            else:
                outputs.append(item.numpy())
        return outputs


def assert_exports(model, shape, batches=(2, 5), rtol=1e-5, atol=1e-6, seed=0, **kwargs):
    """Export with the first batch size, run at each, compare with sinir; returns the ModelProto."""
    rng = np.random.default_rng(seed)
    proto = sinir.onnx.export(model, rng.standard_normal((batches[0],) + shape).astype(np.float32), None, **kwargs)
    run = session(proto)
    for n in batches:
        x = rng.standard_normal((n,) + shape).astype(np.float32)
        expected = sinir_outputs(model, x)
        got = run.run(None, {"input": x})
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"batch {n}")
    return proto


def op_types(proto):
    return [node.op_type for node in proto.graph.node]


# ----- layers --------------------------------------------------------------------------------------
LAYERS = {
    "conv stride padding": (lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), (3, 9, 8)),
    "conv dilation groups": (lambda: nn.Conv2d(4, 6, 3, dilation=2, groups=2, bias=False), (4, 9, 9)),
    "conv same, even kernel": (lambda: nn.Conv2d(2, 3, (2, 4), padding="same"), (2, 6, 7)),
    "conv stride (2, 1)": (lambda: nn.Conv2d(2, 3, 3, stride=(2, 1), padding=(0, 2)), (2, 7, 6)),
    "max pool ceil padding": (lambda: nn.MaxPool2d(3, 2, padding=1, ceil_mode=True), (3, 8, 8)),
    "max pool dilation": (lambda: nn.MaxPool2d(2, dilation=2), (2, 9, 9)),
    "max pool padding beyond the window": (lambda: nn.MaxPool2d(2, 2, padding=1, dilation=3, ceil_mode=True),
                                           (2, 5, 5)),
    "avg pool ceil without pads": (lambda: nn.AvgPool2d(3, 2, padding=1, ceil_mode=True, count_include_pad=False),
                                   (2, 8, 8)),
    "avg pool with pads": (lambda: nn.AvgPool2d(3, 2, padding=1), (2, 7, 7)),
    "avg pool divisor": (lambda: nn.AvgPool2d(2, divisor_override=3), (2, 6, 6)),
    "adaptive avg uneven": (lambda: nn.AdaptiveAvgPool2d((3, 2)), (2, 7, 5)),
    "adaptive avg larger": (lambda: nn.AdaptiveAvgPool2d((6, 6)), (2, 3, 3)),
    "adaptive avg even": (lambda: nn.AdaptiveAvgPool2d((2, 3)), (2, 4, 6)),
    "adaptive avg global": (lambda: nn.AdaptiveAvgPool2d(1), (3, 5, 4)),
    "adaptive max uneven": (lambda: nn.AdaptiveMaxPool2d((3, 3)), (2, 7, 7)),
    "adaptive max global": (lambda: nn.AdaptiveMaxPool2d(1), (2, 5, 5)),
    "lrn odd": (lambda: nn.LocalResponseNorm(3, alpha=0.1, beta=0.75, k=2.0), (6, 3, 3)),
    "lrn even": (lambda: nn.LocalResponseNorm(4, alpha=0.1, beta=0.6, k=1.5), (7, 3, 3)),
    "lrn 3-d": (lambda: nn.LocalResponseNorm(2, alpha=0.2), (5, 4)),
    "linear on 3-d input": (lambda: nn.Linear(5, 3), (4, 5)),
    "linear without bias": (lambda: nn.Linear(5, 3, bias=False), (5,)),
    "leaky relu": (lambda: nn.LeakyReLU(0.2), (3, 4)),
    "sigmoid tanh relu": (lambda: nn.Sequential(nn.Sigmoid(), nn.Tanh(), nn.ReLU()), (6,)),
    "softmax": (lambda: nn.Softmax(dim=1), (4, 3)),
    "log softmax": (lambda: nn.LogSoftmax(dim=-1), (4, 3)),
    "flatten": (lambda: nn.Flatten(), (2, 3, 4)),
    "flatten from 2": (lambda: nn.Flatten(2), (2, 3, 4)),
    "gelu": (lambda: nn.GELU(), (7,)),
    "gelu tanh": (lambda: nn.GELU(approximate="tanh"), (7,)),
    "silu elu hardtanh": (lambda: nn.Sequential(nn.SiLU(), nn.ELU(0.5), nn.Hardtanh(-0.3, 0.4)), (7,)),
    "softplus": (lambda: nn.Softplus(beta=2, threshold=1), (9,)),
    "prelu per channel": (lambda: nn.PReLU(3, init=0.1), (3, 2, 2)),
    "prelu one slope": (lambda: nn.PReLU(), (5,)),
    "layer norm": (lambda: nn.LayerNorm(5), (3, 5)),
    "layer norm two axes, no affine": (lambda: nn.LayerNorm((3, 4), elementwise_affine=False), (2, 3, 4)),
    "group norm": (lambda: nn.GroupNorm(2, 4), (4, 3, 3)),
    "conv 1-d": (lambda: nn.Conv1d(2, 3, 3, padding=1), (2, 6)),
    "transposed conv": (lambda: nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1), (3, 4, 5)),
    "transposed conv groups": (lambda: nn.ConvTranspose2d(4, 2, 2, stride=2, groups=2, bias=False), (4, 3, 3)),
    "upsample nearest": (lambda: nn.Upsample(scale_factor=2), (2, 3, 4)),
    "upsample bilinear": (lambda: nn.Upsample(size=(5, 7), mode="bilinear"), (2, 3, 4)),
    "lstm": (lambda: Flat(nn.LSTM(4, 5, batch_first=True)), (3, 4)),
    "lstm two layers, both ways": (lambda: Flat(nn.LSTM(4, 3, num_layers=2, bidirectional=True, batch_first=True)),
                                   (6, 4)),
    "gru": (lambda: Flat(nn.GRU(4, 5, batch_first=True)), (3, 4)),
    "rnn relu without bias": (lambda: Flat(nn.RNN(4, 5, nonlinearity="relu", bias=False, batch_first=True)),
                              (2, 4)),
    "lstm cell": (lambda: Flat(nn.LSTMCell(4, 3)), (4,)),
    "gru cell": (lambda: Flat(nn.GRUCell(4, 3)), (4,)),
}


@pytest.mark.parametrize("name", LAYERS)
def test_each_layer_matches_sinir(name):
    build, shape = LAYERS[name]
    assert_exports(build(), shape)


def random_batch_norm(layer, seed=1):
    """Running statistics and affine parameters far from their initial values."""
    rng = np.random.default_rng(seed)
    channels = layer.num_features
    layer.running_mean[...] = rng.standard_normal(channels)
    layer.running_var[...] = rng.uniform(0.2, 3.0, channels)
    if layer.affine:
        layer.weight.numpy()[...] = rng.uniform(0.5, 2.0, channels)
        layer.bias.numpy()[...] = rng.standard_normal(channels)
    return layer


@pytest.mark.parametrize("build, shape", [
    (lambda: nn.BatchNorm2d(4, eps=1e-3), (4, 3, 3)),
    (lambda: nn.BatchNorm2d(3, affine=False), (3, 2, 2)),
    (lambda: nn.BatchNorm1d(5), (5,)),
    (lambda: nn.BatchNorm1d(5), (5, 3)),
])
def test_batch_norm_exports_its_running_statistics(build, shape):
    layer = random_batch_norm(build())
    proto = assert_exports(layer, shape)
    assert op_types(proto) == ["BatchNormalization"]
    stored = {t.name: onnx.numpy_helper.to_array(t) for t in proto.graph.initializer}
    np.testing.assert_array_equal(stored["running_mean"], layer.running_mean)
    np.testing.assert_array_equal(stored["running_var"], layer.running_var)


def test_dropout_is_left_out_and_the_model_keeps_its_mode():
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.ReLU(), nn.Dropout2d(0.3), nn.Linear(8, 2))
    model.train()
    proto = assert_exports(model, (4,))
    assert op_types(proto) == ["Gemm", "Relu", "Gemm"]
    model.train()
    sinir.onnx.export(model, np.zeros((1, 4), np.float32), None)
    assert all(module.training for module in model.modules())


# ----- tensor operations ---------------------------------------------------------------------------------
FUNCTIONS = {
    "arithmetic with constants": (lambda x: (x * 2 - 1) / 3 + 0.5 * x - (-x), (3, 4)),
    "constant on the left": (lambda x: 2 / (x.abs() + 1) - 1 - x, (5,)),
    "power, exp, log, sqrt": (lambda x: (x ** 2 + 1).log() + x.abs().sqrt() + (x * 0.1).exp() + 2 ** x, (4,)),
    "clip": (lambda x: x.clip(-0.5, 0.7) + x.clip(min=0.1) + x.clip(max=-0.2), (6,)),
    "matmul": (lambda x: x @ sinir.Tensor(np.arange(12, dtype=np.float32).reshape(4, 3)), (2, 4)),
    "sum and mean": (lambda x: x.sum(axis=1, keepdims=True) + x.mean(axis=(1, 2)).reshape(-1, 1, 1), (3, 4)),
    "max and min": (lambda x: x.max(dim=-1).values - x.min(dim=1).values + x.amax(dim=(1, 2)).unsqueeze(1)
                    + (x.maximum(x * 0.5) - x.minimum(-x)).sum(dim=2), (3, 3)),
    "reductions to one number": (lambda x: x.sum() + x.mean() + x.max() * x.min() + x, (2,)),
    "transpose and permute": (lambda x: x.permute(0, 2, 3, 1).transpose(1, 2).reshape(-1, 12), (2, 3, 2)),
    "slices": (lambda x: x[:, 1:3] + x[:, :-3:-1] + x[:, ::2][:, :2], (4, 3)),
    "slice the batch": (lambda x: x[1:] * 2, (3,)),
    "integer and None": (lambda x: x[..., 0][:, None] + x[:, 2:3, -1], (4, 3)),
    "integer array": (lambda x: x[:, [2, 0, 2]], (4, 5)),
    "concatenate and stack": (lambda x: sinir.stack([x, x * 2], axis=1).sum(axis=2) +
                              sinir.concatenate([x, -x], axis=1)[:, :2], (3,)),
    "pad": (lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), (2, 3, 4)),
    "unsqueeze, squeeze, expand": (lambda x: x.unsqueeze(1).expand(-1, -1, 3, 4).squeeze(1) + x, (1, 4)),
    "where with a fixed condition": (lambda x: sinir.where(np.array([True, False, True]), x, x * 10), (3,)),
    "cast": (lambda x: x.double().sum(axis=1).float(), (3,)),
    "in-place operations": (lambda x: in_place(x), (3,)),
    "a filled array as long as the batch": (
        lambda x: x * sinir.full((x.shape[0], 1), 3.0) + sinir.zeros(x.shape[0], 3), (3,)),
}


def in_place(x):
    y = x * 1.5
    y += 1
    y.mul_(2)
    copy = y.clone()
    copy.copy_(y.relu())
    return copy - y


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_tensor_operation_matches_sinir(name):
    function, shape = FUNCTIONS[name]
    assert_exports(Fn(function), shape, batches=(2, 5) if name != "slice the batch" else (3, 6))


def test_a_sequence_first_lstm_exports_with_static_shapes():
    # without batch_first the batch is axis 1 of the input; only axis 0 can be dynamic, so the
    # graph is exported for the example's shapes
    lstm = Flat(nn.LSTM(4, 3, num_layers=2))
    proto = assert_exports(lstm, (3, 4), batches=(5, 5), dynamic_axes={})
    assert "LSTM" in op_types(proto)


@pytest.mark.parametrize("opset", [13, 17, 18, 21])
def test_reductions_and_pooling_at_each_opset(opset):
    # ReduceMean/Max/Min take their axes as an attribute before opset 18 and as an input from 18
    model = nn.Sequential(nn.AdaptiveMaxPool2d((2, 3)), nn.AdaptiveAvgPool2d((2, 2)),
                          Fn(lambda x: x.mean(axis=1) + x.amax(dim=(2, 3), keepdim=True)[:, 0]
                             + x.min(dim=2).values[:, :1, :1] + x.sum()))
    proto = assert_exports(model, (3, 5, 7), opset_version=opset)
    assert proto.opset_import[0].version == opset


@pytest.mark.parametrize("opset, native", [(13, set()), (17, {"LayerNormalization"}),
                                           (20, {"LayerNormalization", "Gelu"})])
def test_layer_norm_and_gelu_are_spelled_out_below_their_opsets(opset, native):
    model = nn.Sequential(nn.LayerNorm(6), nn.GELU(), nn.GELU(approximate="tanh"), nn.Linear(6, 6),
                          nn.LayerNorm(6, elementwise_affine=False))
    proto = assert_exports(model, (6,), opset_version=opset)
    assert {"LayerNormalization", "Gelu"} & set(op_types(proto)) == native


# ----- the graph's interface ---------------------------------------------------------------------------------
def test_names_and_initializers_follow_the_state_dict():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3))
    random_batch_norm(model[1])
    proto = sinir.onnx.export(model, np.zeros((1, 1, 4, 4), np.float32), None,
                              input_names=["pixels"], output_names=["scores"])
    assert [i.name for i in proto.graph.input] == ["pixels"] and [o.name for o in proto.graph.output] == ["scores"]
    stored = {t.name for t in proto.graph.initializer}
    expected = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    assert expected <= stored
    assert [n.name for n in proto.graph.node][:2] == ["/0/Conv", "/1/BatchNormalization"]
    x = np.random.default_rng(3).standard_normal((3, 1, 4, 4)).astype(np.float32)
    (got,) = session(proto).run(["scores"], {"pixels": x})
    np.testing.assert_allclose(got, sinir_output(model, x), rtol=1e-5, atol=1e-6)


def dims(value):
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


def test_the_batch_axis_is_dynamic_by_default_and_static_on_request():
    model = nn.Sequential(nn.Flatten(), nn.Linear(6, 2))
    x = np.ones((1, 2, 3), np.float32)
    dynamic = sinir.onnx.export(model, x, None)
    assert dims(dynamic.graph.input[0]) == ["batch", 2, 3] and dims(dynamic.graph.output[0]) == ["batch", 2]
    named = sinir.onnx.export(model, x, None, dynamic_axes={"input": {0: "N"}, "output": [0]})
    assert dims(named.graph.input[0]) == ["N", 2, 3] and dims(named.graph.output[0]) == ["batch", 2]
    static = sinir.onnx.export(model, x, None, dynamic_axes={})
    assert dims(static.graph.input[0]) == [1, 2, 3] and dims(static.graph.output[0]) == [1, 2]
    shapes = [onnx.numpy_helper.to_array(t).tolist() for t in static.graph.initializer if t.name.startswith("shape")]
    assert shapes == [[1, 6]]
    shapes = [onnx.numpy_helper.to_array(t).tolist() for t in dynamic.graph.initializer if t.name.startswith("shape")]
    assert shapes == [[-1, 6]]       # the traced batch size is nowhere in the dynamic graph


def test_normalize_puts_the_scaling_first():
    model = nn.Sequential(nn.Conv2d(3, 2, 1), nn.Flatten())
    mean, std = [0.2, 0.4, 0.6], [0.5, 0.25, 2.0]
    proto = sinir.onnx.export(model, np.zeros((1, 3, 2, 2), np.float32), None, normalize=(mean, std))
    assert op_types(proto)[:2] == ["Sub", "Div"] and proto.graph.node[0].input[0] == "input"
    pixels = np.random.default_rng(0).random((4, 3, 2, 2), dtype=np.float32)
    normalised = (pixels - np.float32(mean)[:, None, None]) / np.float32(std)[:, None, None]
    (got,) = session(proto).run(None, {"input": pixels})
    np.testing.assert_allclose(got, sinir_output(model, normalised), rtol=1e-6, atol=1e-6)


def test_a_model_of_two_inputs_and_two_outputs(tmp_path):
    model = Fn(lambda a, b: (a + b, (a * b).sum(axis=1)))
    a, b = np.ones((2, 3), np.float32), np.full((2, 3), 2, np.float32)
    path = tmp_path / "two.onnx"
    proto = sinir.onnx.export(model, (a, b), path, input_names=["a", "b"], output_names=["sum", "dot"])
    assert path.exists() and onnx.load(str(path)) == proto
    got_sum, got_dot = session(proto).run(None, {"a": a[:1] * 3, "b": b[:1]})
    np.testing.assert_array_equal(got_sum, [[5, 5, 5]])
    np.testing.assert_array_equal(got_dot, [18])


# ----- errors ------------------------------------------------------------------------------------------------------
class SmoothPenalty(nn.Module):
    def forward(self, x):
        return F.smooth_l1_loss(x, sinir.zeros(*x.shape), reduction="none")


def test_an_operation_without_translation_names_the_operation_and_the_module():
    model = nn.Sequential(nn.Linear(3, 3), nn.Sequential(nn.ReLU(), SmoothPenalty()))
    with pytest.raises(sinir.onnx.OnnxExportError, match=r"SmoothL1 in 1\.1 \(SmoothPenalty\)"):
        sinir.onnx.export(model, np.ones((2, 3), np.float32), None)
    assert issubclass(sinir.onnx.OnnxExportError, ValueError)


def test_batch_norm_with_batch_statistics_is_refused_by_name():
    model = nn.Sequential(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2, track_running_stats=False))
    with pytest.raises(sinir.onnx.OnnxExportError, match=r"BatchNorm in 1 \(BatchNorm2d\).*running statistics"):
        sinir.onnx.export(model, np.ones((2, 1, 2, 2), np.float32), None)


def test_values_computed_outside_the_graph_are_refused():
    escaped = Fn(lambda x: sinir.Tensor(x.numpy() * 2))
    with pytest.raises(sinir.onnx.OnnxExportError, match="do not depend on input 'input'"):
        sinir.onnx.export(escaped, np.ones((2, 3), np.float32), None)
    frozen = Fn(lambda x: x - sinir.Tensor(x.numpy().mean(axis=0)))
    with pytest.raises(sinir.onnx.OnnxExportError, match="Sub in .*changes with the input"):
        sinir.onnx.export(frozen, np.arange(6, dtype=np.float32).reshape(2, 3), None)


@pytest.mark.parametrize("kwargs, message", [
    ({"opset_version": 12}, "opset_version must be an integer from 13"),
    ({"dynamic_axes": {"input": {2: "height"}}}, "only axis 0"),
    ({"dynamic_axes": {"image": [0]}}, "names 'image', which is none of"),
    ({"input_names": ["a", "b"]}, "input_names must be 1 different"),
    ({"normalize": (0.5, 0.0)}, "std must be positive"),
])
def test_bad_arguments_are_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sinir.onnx.export(nn.Linear(2, 2), np.ones((1, 2), np.float32), None, **kwargs)


def test_a_float64_example_takes_the_dtype_of_the_parameters():
    proto = sinir.onnx.export(nn.Linear(2, 3), np.random.default_rng(0).random((1, 2)), None)
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    double = nn.Linear(2, 3).double()
    proto = sinir.onnx.export(double, np.ones((1, 2), np.float32), None)
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.DOUBLE
    x = np.random.default_rng(1).random((4, 2))
    (got,) = session(proto).run(None, {"input": x})
    np.testing.assert_allclose(got, sinir_output(double, x), rtol=1e-12)


def test_an_integer_example_is_refused():
    with pytest.raises(ValueError, match="floating arrays with a batch axis"):
        sinir.onnx.export(nn.Linear(2, 2), np.ones((1, 2), np.int64), None)


def test_without_onnx_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"pip install 'sinir\[onnx\]'"):
        sinir.onnx.export(nn.Linear(2, 2), np.ones((1, 2), np.float32), None)
