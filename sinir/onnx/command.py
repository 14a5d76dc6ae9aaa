"""``sinir export CKPT --format onnx [--out FILE] [--opset N]``: a checkpoint as an ONNX file.

The file takes images scaled to [0, 1], N x C x H x W float32 (N free): the normalisation the
model was trained with is the graph's first two nodes, so a deployer feeds pixels / 255.
"""
from pathlib import Path

import numpy as np

from .export import DEFAULT_OPSET, MIN_OPSET

# the image size of each dataset the checkpoints are trained on (sinir.experiment.DATASETS)
IMAGE_SIZES = {"mnist": 28, "fashion-mnist": 28}
FORMATS = ("onnx",)


def add_parser(commands):
    """Register ``sinir export`` on the ``sinir`` command's subparsers."""
    parser = commands.add_parser(
        "export", help="write a checkpoint as an ONNX file (for onnxruntime, Netron, TensorRT, ...)",
        description="Write the model of a checkpoint as an ONNX file. The file takes images scaled to [0, 1] "
                    "(N x C x H x W float32, any N): the checkpoint's normalisation is inside it.")
    parser.add_argument("checkpoint", metavar="CKPT")
    parser.add_argument("--format", choices=FORMATS, default="onnx", help="the file format (onnx)")
    parser.add_argument("--out", metavar="FILE", help="where to write (default: CKPT with the suffix .onnx)")
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET,
                        help=f"the ONNX opset version (default {DEFAULT_OPSET}, at least {MIN_OPSET})")
    parser.add_argument("--input-size", type=int, nargs=3, metavar=("C", "H", "W"),
                        help="the image size the model takes (default: from the checkpoint's dataset)")
    parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(handler=run)
    return parser


def run(args):
    """Export the checkpoint ``args.checkpoint``; returns the exit code. Mistakes raise ValueError."""
    from .. import experiment
    from ..files import atomic_write
    from .export import export, require_onnx
    out = Path(args.out) if args.out else Path(args.checkpoint).with_suffix(".onnx")
    if out.exists() and not args.overwrite:
        raise ValueError(f"{out} exists; pass --overwrite to replace it, or --out another file")
    try:
        require_onnx()
    except ImportError as error:
        raise ValueError(str(error)) from None
    model, meta = experiment.load_model(args.checkpoint)
    shape = input_shape(meta, args.input_size)
    mean, std = meta.get("normalization") or (0.0, 1.0)
    example = np.random.default_rng(0).random((2,) + shape, dtype=np.float32)
    onnx_model = export(model, example, None, input_names=["image"], output_names=["logits"],
                        opset_version=args.opset, normalize=(mean, std))
    data = onnx_model.SerializeToString()
    difference = _onnxruntime_difference(model, data, example, mean, std)
    atomic_write(out, lambda file: file.write(data))
    print(f"{out}: {meta.get('model')} as ONNX (opset {args.opset}); input 'image' N x {' x '.join(map(str, shape))} "
          f"float32 in [0, 1] (normalised inside by mean {mean:g}, std {std:g}), output 'logits' N x classes")
    if difference is not None:
        print(f"onnxruntime gives the same logits as sinir (max |difference| {difference:.1e})")
    return 0


def input_shape(meta, given=None):
    """(C, H, W) of the images the checkpoint's model takes."""
    if given is not None:
        if any(n < 1 for n in given):
            raise ValueError(f"--input-size must be three positive integers C H W, got {' '.join(map(str, given))}")
        return tuple(given)
    config = meta.get("model_config", {})
    size = config.get("image_size") or IMAGE_SIZES.get(meta.get("dataset"))
    if size is None:
        raise ValueError(f"the checkpoint's dataset {meta.get('dataset')!r} has no known image size; "
                         "give --input-size C H W")
    return (config.get("in_channels", 1), size, size)


def _onnxruntime_difference(model, data, images, mean, std):
    """The largest difference between onnxruntime's and sinir's logits, or None without onnxruntime."""
    try:
        import onnxruntime
    except ImportError:
        return None
    from ..grad_mode import no_grad
    from ..tensor import Tensor
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    (logits,) = session.run(["logits"], {"image": images})
    with no_grad():
        expected = model(Tensor(((images - np.float32(mean)) / np.float32(std)).astype(np.float32))).numpy()
    difference = float(np.abs(logits - expected).max())
    if not difference <= 1e-3 * max(1.0, float(np.abs(expected).max())):
        raise ValueError(f"onnxruntime's logits differ from sinir's by up to {difference:.3g}, so nothing was "
                         "written; please report this model as a bug")
    return difference
