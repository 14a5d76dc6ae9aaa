"""ONNX export: move a sinir model to ONNX Runtime, Netron, TensorRT, OpenVINO, ...

>>> import sinir.onnx
>>> sinir.onnx.export(model, sinir.randn(1, 1, 28, 28), "lenet5.onnx")

Needs the ``onnx`` package (``pip install 'sinir[onnx]'``, which also brings onnxruntime);
it is imported only when ``export`` runs. See docs/onnx.md.
"""
from .export import DEFAULT_OPSET, MIN_OPSET, export
from .trace import OnnxExportError
from .converters import CONVERTERS

__all__ = ["export", "OnnxExportError", "DEFAULT_OPSET", "MIN_OPSET", "CONVERTERS"]
